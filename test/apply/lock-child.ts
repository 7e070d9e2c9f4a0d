// Run by lock.test.ts in a child process: takes the lock FILE (below BASE), waiting up to a minute,
// writes "+PID" to LOG, yields to the event loop a few times while holding it (other processes run
// meanwhile), writes "-PID", releases. Prints how it got the lock.
import * as fs from 'node:fs';
import { LockFile } from '../../src/apply/lock.js';

const [file, base, log] = process.argv.slice(2) as [string, string, string];
const lock = await new LockFile(file, base).acquire({ waitMs: 60_000 });
fs.appendFileSync(log, `+${process.pid}\n`);
for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
// still ours while held
const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
fs.appendFileSync(log, `${held.pid === process.pid ? '-' : '!'}${process.pid}\n`);
lock.release();
process.stdout.write(lock.tookOver ? `took over ${lock.tookOver.pid}\n` : 'fresh\n');

// Run by lock-mount.system.test.ts in a child process. `hold FILE BASE`: takes the lock without
// waiting, prints `held PID`, keeps it until a line arrives on standard input, releases it, prints
// `released`. `try FILE BASE`: takes the lock without waiting and releases it at once, printing
// `got`, or prints `busy PID` when a live process holds it.
import { createInterface } from 'node:readline';
import { LockBusyError, LockFile } from '../../src/apply/lock.js';

const [mode, file, base] = process.argv.slice(2) as ['hold' | 'try', string, string];
try {
  const lock = await new LockFile(file, base).acquire({ waitMs: 0 });
  if (mode === 'try') {
    lock.release();
    process.stdout.write('got\n');
  } else {
    process.stdout.write(`held ${process.pid}\n`);
    const lines = createInterface({ input: process.stdin });
    for await (const _ of lines) break;
    lock.release();
    process.stdout.write('released\n');
  }
} catch (e) {
  if (!(e instanceof LockBusyError)) throw e;
  process.stdout.write(`busy ${e.holder?.pid ?? '?'}\n`);
}

// Run by kill.system.test.ts in a child process: applies the seed into ROOT and SIGKILLs itself at POINT —
// a real interruption, no cleanup code gets to run. POINT is one of
//   journal:N   right after the Nth journal write is in place
//   stage:N     right after the Nth staging file is written
//   backup:N    right after the Nth original is kept as its backup
//   install:N   right after the Nth file is installed
//   run:NAME    when the program NAME is about to run (sshd: during validation, its copy of the
//               main config in place)
//   lock-mkdir:N right after the Nth directory made on the lock's way (var/lib, var/lib/fwconf),
//               before the lock exists
//   lock:1      right after the lock file appears, before the first journal
//   journal-temp:1 right after the first journal's staging file is written, before it is renamed
//   backup-copy:1  on a file system without hard links: right after the first backup's copy is
//               written under its staging name, before it is renamed
//   release:1   at the end of a good apply, right after the lock file is removed, before its
//               directories are
//   rollback:N  (with a third argument `recover`: the child recovers an interrupted apply instead
//               of applying) right after the Nth original is renamed back
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { executePlan, JOURNAL, recoverInterrupted, LocalExecutor, planApply, type RunOptions, type RunResult, type WriteOptions } from '../../src/apply/index.js';
import { seedFiles } from './fixtures.js';

const [root, point, mode] = process.argv.slice(2);
const [where, arg] = point!.split(':') as [string, string];
const counts = new Map<string, number>();
const kill = (kind: string) => {
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  if (kind === where && String(n) === arg) process.kill(process.pid, 'SIGKILL');
};
// Kill points inside the lock and the executor's file system calls: node:fs itself is wrapped.
const realMkdir = fs.mkdirSync;
const realLink = fs.linkSync;
const realRename = fs.renameSync;
const realUnlink = fs.unlinkSync;
fs.mkdirSync = ((p: fs.PathLike, o?: fs.MakeDirectoryOptions) => {
  const r = realMkdir(p, o);
  if (String(p).startsWith(path.join(root!, 'var/lib'))) kill('lock-mkdir');
  return r;
}) as typeof fs.mkdirSync;
fs.linkSync = (a: fs.PathLike, b: fs.PathLike) => {
  // no hard links here (as on some file systems): the backups are copies
  if (where === 'backup-copy' && String(b).endsWith('.orig')) throw Object.assign(new Error(`EPERM: operation not permitted, link '${a}' -> '${b}'`), { code: 'EPERM' });
  realLink(a, b);
  if (String(b).endsWith('/apply.lock')) kill('lock');
};
fs.renameSync = (a: fs.PathLike, b: fs.PathLike) => {
  if (String(a).endsWith('.orig.fwconf-tmp')) kill('backup-copy');
  realRename(a, b);
};
fs.unlinkSync = (p: fs.PathLike) => {
  realUnlink(p);
  if (String(p).endsWith('/apply.lock')) kill('release');
};
syncBuiltinESMExports();

const staging = (p: string) => p.includes('.fwconf-') && p.endsWith('.tmp') && !p.startsWith('/var/lib/');

class Killed extends LocalExecutor {
  override async write(p: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    await super.write(p, data, options);
    if (staging(p)) kill('stage');
    if (p === `${JOURNAL}.tmp`) kill('journal-temp');
  }
  override async rename(from: string, to: string): Promise<void> {
    await super.rename(from, to);
    if (to === JOURNAL) kill('journal');
    else if (from.endsWith('.orig')) kill('rollback');
    else if (staging(from) && !to.includes('.orig')) kill('install');
  }
  override async preserve(from: string, to: string, temp: string): Promise<'link' | 'copy'> {
    const how = await super.preserve(from, to, temp);
    kill('backup');
    return how;
  }
  override async run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    if (where === 'run' && path.basename(argv[0]!) === arg) process.kill(process.pid, 'SIGKILL');
    return super.run(argv, options);
  }
}
const exec = new Killed({ root: root! });
if (mode === 'recover') {
  const steps = await recoverInterrupted(exec);
  process.stdout.write(`not killed: ${JSON.stringify(steps)}\n`);
  process.exit(0);
}
const result = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
process.stdout.write(`not killed: ${result.status} ${result.reason ?? ''}\n`);

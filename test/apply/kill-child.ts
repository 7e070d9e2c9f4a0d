// Run by kill.system.test.ts in a child process: applies the seed into ROOT and SIGKILLs itself at POINT —
// a real interruption, no cleanup code gets to run. POINT is one of
//   journal:N   right after the Nth journal write is in place
//   stage:N     right after the Nth staging file is written
//   backup:N    right after the Nth original is kept as its backup
//   install:N   right after the Nth file is installed
//   run:NAME    when the program NAME is about to run (sshd: during validation, its copy of the
//               main config in place)
import * as path from 'node:path';
import { executePlan, JOURNAL, LocalExecutor, planApply, type RunOptions, type RunResult, type WriteOptions } from '../../src/apply/index.js';
import { seedFiles } from './fixtures.js';

const [root, point] = process.argv.slice(2);
const [where, arg] = point!.split(':') as [string, string];
const counts = new Map<string, number>();
const kill = (kind: string) => {
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  if (kind === where && String(n) === arg) process.kill(process.pid, 'SIGKILL');
};
const staging = (p: string) => p.includes('.fwconf-') && p.endsWith('.tmp') && !p.startsWith('/var/lib/');

class Killed extends LocalExecutor {
  override async write(p: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    await super.write(p, data, options);
    if (staging(p)) kill('stage');
  }
  override async rename(from: string, to: string): Promise<void> {
    await super.rename(from, to);
    if (to === JOURNAL) kill('journal');
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
await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
process.stdout.write('not killed\n');

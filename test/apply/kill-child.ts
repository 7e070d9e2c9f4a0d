// Run by kill.test.ts in a child process: applies the seed into ROOT and is SIGKILLed right after
// the Nth file is installed — a real interruption between two writes, no cleanup code gets to run.
import { executePlan, LocalExecutor, planApply } from '../../src/apply/index.js';
import { seedFiles } from './fixtures.js';

const [root, nth] = process.argv.slice(2);
class Killed extends LocalExecutor {
  installs = 0;
  override async rename(from: string, to: string): Promise<void> {
    await super.rename(from, to);
    if (from.includes('.fwconf-') && from.endsWith('.tmp') && !to.startsWith('/var/lib/') && !to.includes('.orig') && ++this.installs === Number(nth)) {
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
const exec = new Killed({ root: root! });
await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
process.stdout.write('not killed\n');

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { editUserLocal, executePlan, formatResult, JOURNAL, LocalExecutor, planApply, recoverInterrupted } from '../../src/apply/index.js';
import { scratchRoot, seedFiles, snapshotTree } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let root: string;

const snapshot = () => snapshotTree(root);

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

it('a process killed between two writes: recovery restores the originals byte for byte, then apply completes', async () => {
  root = scratchRoot({ sshdConfig: 'sshd_config.noinclude' });
  const mine = '# mine\n[sshd]\nenabled = true\n';
  fs.writeFileSync(path.join(root, 'etc/fail2ban/jail.local'), mine, { mode: 0o640 });
  const before = snapshot();

  const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', path.join(here, 'peggy-register.mjs'), path.join(here, 'kill-child.ts'), root, '3'], { cwd: path.join(here, '../..'), encoding: 'utf8', timeout: 60_000 });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  expect(child.stdout).not.toContain('not killed');
  // killed mid-way: some files new, some old, the journal still there
  expect(fs.existsSync(path.join(root, JOURNAL))).toBe(true);
  expect(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'), 'utf8')).toBe(seedFiles()[0]!.content);
  // the user's jail.local (no fwconf marker) was edited in place, not replaced
  expect(fs.readFileSync(path.join(root, 'etc/fail2ban/jail.local'), 'utf8')).toBe(editUserLocal(mine, seedFiles()[2]!.content, '/etc/fail2ban/jail.local').text);
  expect(fs.existsSync(path.join(root, 'etc/fail2ban/filter.d/thpot.local'))).toBe(false);
  expect(snapshot()).not.toEqual(before);

  const exec = new LocalExecutor({ root });
  // a new apply will not run over a half-applied tree
  const blocked = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
  expect(blocked.status).toBe('refused');
  const steps = await recoverInterrupted(exec);
  expect(steps[0]!.ok).toBe(true);
  const after = snapshot();
  expect(after).toEqual(before);

  // and re-running apply now completes; once more changes nothing
  const plan = await planApply(seedFiles(), exec, { operator: { user: 'root' } });
  const done = await executePlan(plan, exec, { allowLockout: true });
  expect(done.status, formatResult(done)).toBe('applied');
  const plan2 = await planApply(seedFiles(), exec, { operator: { user: 'root' } });
  expect((await executePlan(plan2, exec, { allowLockout: true })).status).toBe('unchanged');
});

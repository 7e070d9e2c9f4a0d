// A real `kill -9` of an apply at each kind of step (journal, staging, backup, install, validation),
// in a child process that SIGKILLs itself at that exact point (no timing involved). Recovery must put
// back every original — content, mode, owner, inode, mtime to the nanosecond — and leave no file or
// directory the run made, temporary ones included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { editUserLocal, executePlan, formatResult, JOURNAL, LocalExecutor, planApply, recoverInterrupted } from '../../src/apply/index.js';
import { metadataTree, scratchRoot, seedFiles, snapshotTree, spawnAsync } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let root: string;

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A scratch root with two existing files the seed changes (sshd_config gains its Include line). */
function setUp(): { before: Record<string, string>; meta: Record<string, string> } {
  root = scratchRoot({ sshdConfig: 'sshd_config.noinclude' });
  const jail = path.join(root, 'etc/fail2ban/jail.local');
  fs.writeFileSync(jail, '# mine\n[sshd]\nenabled = true\n', { mode: 0o640 });
  fs.chownSync(jail, 1234, 2345);
  fs.utimesSync(path.join(root, 'etc/ssh/sshd_config'), 1577934245.5, 1577934245.5);
  return { before: snapshotTree(root), meta: metadataTree(root) };
}

async function killAt(point: string, journal = true, mode?: 'recover'): Promise<void> {
  const child = await spawnAsync(
    [process.execPath, '--import', 'tsx', '--import', path.join(here, 'peggy-register.mjs'), path.join(here, 'kill-child.ts'), root, point, ...(mode ? [mode] : [])],
    { cwd: path.join(here, '../..'), timeoutMs: 60_000 },
  );
  expect(child.signal, child.stderr).toBe('SIGKILL');
  expect(child.stdout).not.toContain('not killed');
  expect(fs.existsSync(path.join(root, JOURNAL))).toBe(journal);
}

/** What an apply leaves only while it runs: the lock, journal, staging files, copies, validator files. */
const transient = (tree: Record<string, string>) =>
  Object.keys(tree).filter((k) => /(^|\/)var\/lib\/|\.fwconf-lock\.|apply\.lock|apply-journal|\.fwconf-[^/]*\.tmp$|\.fwconf-tmp$|\.check$/.test(k));

async function recover(before: Record<string, string>, meta: Record<string, string>): Promise<LocalExecutor> {
  const exec = new LocalExecutor({ root });
  // a new apply will not run over a half-applied tree
  const blocked = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
  expect(blocked.status).toBe('refused');
  const steps = await recoverInterrupted(exec);
  expect(steps[0]!.ok, JSON.stringify(steps)).toBe(true);
  // every file and directory as before, nothing left behind; the originals are the same files
  expect(snapshotTree(root)).toEqual(before);
  expect(metadataTree(root)).toEqual(meta);
  expect(await recoverInterrupted(exec)).toEqual([]);
  return exec;
}

describe('a process killed mid-apply', () => {
  it('between two installs: recovery restores the originals themselves, then apply completes', async () => {
    const { before, meta } = setUp();
    await killAt('install:3');
    // killed mid-way: some files new, some old, the journal still there
    expect(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'), 'utf8')).toBe(seedFiles()[0]!.content);
    // the user's jail.local (no fwconf marker) was edited in place, not replaced
    const mine = fs.readFileSync(path.join(root, 'etc/fail2ban/jail.local.orig'), 'utf8');
    expect(fs.readFileSync(path.join(root, 'etc/fail2ban/jail.local'), 'utf8')).toBe(editUserLocal(mine, seedFiles()[2]!.content, '/etc/fail2ban/jail.local').text);
    expect(fs.existsSync(path.join(root, 'etc/fail2ban/filter.d/thpot.local'))).toBe(false);
    expect(snapshotTree(root)).not.toEqual(before);
    const exec = await recover(before, meta);

    // and re-running apply now completes; once more changes nothing
    const done = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
    expect(done.status, formatResult(done)).toBe('applied');
    // the backup is the original file itself: same inode, mode, owner, mtime
    expect(metadataTree(root)['etc/fail2ban/jail.local.orig']).toBe(meta['etc/fail2ban/jail.local']);
    expect(metadataTree(root)['etc/ssh/sshd_config.orig']).toBe(meta['etc/ssh/sshd_config']);
    const again = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
    expect(again.status).toBe('unchanged');
  });

  it('during validation: the validator copy of sshd_config is removed by the recovery', async () => {
    const { before, meta } = setUp();
    await killAt('run:sshd');
    const checks = fs.readdirSync(path.join(root, 'etc/ssh')).filter((n) => n.endsWith('.check')).sort();
    expect(checks).toEqual([expect.stringMatching(/^\.sshd_config\.fwconf-\d+-\w+\.check$/)]);
    await recover(before, meta);
  });

  it('during the recovery itself (right after an original is renamed back): the next recovery finishes it', async () => {
    const { before, meta } = setUp();
    await killAt('install:3');
    await killAt('rollback:1', true, 'recover');
    // killed half-way back: the journal is there (killAt checks it), the sshd drop-in it made too
    expect(fs.existsSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'))).toBe(true);
    expect(snapshotTree(root)).not.toEqual(before);
    await recover(before, meta);
  });

  for (const point of ['journal:1', 'stage:2', 'backup:1', 'backup:2', 'backup-copy:1'])
    it(`at ${point}: recovery leaves the tree as it was`, async () => {
      const { before, meta } = setUp();
      await killAt(point);
      await recover(before, meta);
    });
});

describe('a process killed before its journal exists, or after its files are done', () => {
  // Nothing to roll back, but the directories, lock and staging files it made must go: the next
  // apply (here its recovery, which takes the lock) removes them, since their owner is gone.
  for (const point of ['lock-mkdir:1', 'lock-mkdir:2', 'lock:1', 'journal-temp:1'])
    it(`at ${point}: the next recovery leaves the tree as it was`, async () => {
      const { before, meta } = setUp();
      await killAt(point, false);
      const left = transient(snapshotTree(root));
      expect(left.length, 'the kill left something to clean').toBeGreaterThan(0);
      const exec = new LocalExecutor({ root });
      expect((await recoverInterrupted(exec)).every((s) => s.ok)).toBe(true);
      expect(snapshotTree(root)).toEqual(before);
      expect(metadataTree(root)).toEqual(meta);
      // and the apply then runs through
      const done = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
      expect(done.status, formatResult(done)).toBe('applied');
      expect(transient(snapshotTree(root))).toEqual([]);
    });

  it('at release:1 (the files all in place, the lock just removed): the next apply removes its directories', async () => {
    setUp();
    await killAt('release:1', false);
    const after = snapshotTree(root);
    expect(transient(after).length).toBeGreaterThan(0);
    const exec = new LocalExecutor({ root });
    const again = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
    expect(again.status).toBe('unchanged');
    const tree = snapshotTree(root);
    expect(transient(tree)).toEqual([]);
    expect(tree).toEqual(Object.fromEntries(Object.entries(after).filter(([k]) => !transient(after).includes(k))));
  });
});

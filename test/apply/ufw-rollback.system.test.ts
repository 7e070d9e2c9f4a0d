// ufw rollback for real: the apply saves `ufw status verbose` before it runs a new ufw script and, when
// the apply fails, puts the firewall back with the ufw format's renderScript. ufw runs inside a network
// namespace this test creates, on a private ufw tree (--rootdir/--datadir): the host's firewall and
// /etc/ufw are never touched. The apply itself works on a scratch root, with an executor that counts
// as live so that the script, the snapshot and the restore really run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import * as ufw from '../../src/ufw/index.js';
import { seedFiles, snapshotTree } from './fixtures.js';
import { privateUfwTree, ufwWrapper } from '../ufw-tree.js';
import { NetNamespace } from '../netns.js';
import { pollFor } from '../spawn.js';

let ns: NetNamespace;
let tmp: string;
let ufwRoot: string;
let bin: string;
let root: string;

/** ufw in the namespace, on the private tree. */
async function ufwRun(...args: string[]): Promise<string> {
  const r = await ns.spawn(['/usr/sbin/ufw', `--rootdir=${ufwRoot}`, `--datadir=${ufwRoot}`, ...args], undefined, { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`ufw ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const statusVerbose = () => ufwRun('status', 'verbose');
/**
 * ufw aborts a reset in the same second as the one before (its backups are named by the second):
 * tried again until it goes through, within 10 s.
 */
async function resetUfw(): Promise<void> {
  await pollFor(
    'ufw --force reset to succeed',
    () =>
      ufwRun('--force', 'reset').then(
        () => true,
        () => undefined,
      ),
    { timeoutMs: 10_000, intervalMs: 200 },
  );
}

/** A LocalExecutor on the scratch root that acts as the live system (reloads and checks run). */
class LiveScratch extends LocalExecutor {
  override readonly live = true;
}
const executor = () => new LiveScratch({ root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });

const ufwFile = (content: string) => ({ ...seedFiles().find((f) => f.service === 'ufw')!, content });
const GOOD = seedFiles().find((f) => f.service === 'ufw')!.content;
// Fails half-way: after the reset and the first rules, before `enable` (ufw rejects the port).
const BAD = GOOD.replace('ufw allow 443/tcp\n', 'ufw allow 443/tcp\nufw allow 99999/tcp\n');

beforeAll(async () => {
  ns = await NetNamespace.create('apply');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-ufw-'));
  fs.chmodSync(tmp, 0o755);
  ufwRoot = privateUfwTree(path.join(tmp, 'ufw'));
  // `ufw` on the executor's PATH: the real one, in the namespace, on the private tree
  bin = path.join(tmp, 'bin');
  ufwWrapper(bin, ufwRoot, ns.name);
  root = path.join(tmp, 'root');
  fs.mkdirSync(root);
});

afterAll(async () => {
  try {
    await ns?.delete();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// Each test runs ufw a few dozen times (the apply's script, its snapshot, the restore script; every
// command on an active firewall reloads its rules): about 10 s alone, up to ~90 s on two cores beside
// two busy processes. They get 180 s each.
describe('ufw rollback in a network namespace', { timeout: 180_000 }, () => {
  it('a script that fails half-way: the firewall, the files and the directories are as before', async () => {
    await resetUfw();
    await ufwRun('logging', 'medium');
    await ufwRun('limit', '22/tcp', 'comment', 'ssh keys only');
    await ufwRun('allow', 'from', '10.0.0.0/8', 'to', 'any', 'port', '5432', 'proto', 'tcp');
    await ufwRun('deny', 'out', '25');
    await ufwRun('--force', 'enable');
    const before = await statusVerbose();
    expect(ufw.parse(before).state()!.rules.length).toBe(5); // 22 v4+v6, 5432, 25 out v4+v6
    const tree = snapshotTree(root);

    const exec = executor();
    const plan = await planApply([ufwFile(BAD)], exec);
    expect(plan.snapshots.map((s) => s.argv.join(' '))).toEqual(['env LANG=C LC_ALL=C ufw status verbose']);
    const result = await executePlan(plan, exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(result.reason).toContain('ERROR: Bad port');
    expect(result.rollbackProblems).toEqual([]);
    expect(await statusVerbose()).toBe(before);
    expect(snapshotTree(root)).toEqual(tree);
  });

  it('after a good apply, a failing one goes back to the applied rules (and the applied script)', async () => {
    const exec = executor();
    const applied = await executePlan(await planApply([ufwFile(GOOD)], exec), exec, { allowLockout: true, verifyDelayMs: 100 });
    expect(applied.status, formatResult(applied)).toBe('applied');
    const good = await statusVerbose();
    expect(good).toMatch(/^2201\/tcp +ALLOW IN +Anywhere/m);
    expect(good).not.toContain('5432');
    const tree = snapshotTree(root);
    expect(tree['var/']).toBeUndefined(); // the journal's directories went with it

    const result = await executePlan(await planApply([ufwFile(BAD)], exec), exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(await statusVerbose()).toBe(good);
    expect(snapshotTree(root)).toEqual(tree);
  });

  it('an inactive firewall stays inactive', async () => {
    await resetUfw();
    expect(await statusVerbose()).toBe('Status: inactive\n');
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root);
    const exec = executor();
    const result = await executePlan(await planApply([ufwFile(BAD)], exec), exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(await statusVerbose()).toBe('Status: inactive\n');
    expect(snapshotTree(root)).toEqual({});
  });
});

// Two real `fwconf apply` processes (the built CLI) on one root, the second started at a range of
// offsets after the first: one apply at a time, so never both "applied" with one undone under the
// other. Whatever the timing, each exit status must say what happened (0 applied, 75 refused
// because the other held the lock, nothing changed) and the tree must end as one spec's outcome, both
// in turn, or the original — compared with reference runs made one after the other. The offsets only
// vary the interleaving; no assertion depends on which one the machine's timing produced.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, scratchRoot, snapshotTree, spawnAsync, type ChildResult } from './fixtures.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(repo, 'dist/cli/main.js');
const SPEC_A = path.join(FIXTURES, 'spec/seed.yaml');
let specDir: string;
let SPEC_B: string;
const roots: string[] = [];

function newRoot(): string {
  const r = scratchRoot();
  roots.push(r);
  return r;
}

function apply(spec: string, root: string, ...extra: string[]): Promise<ChildResult> {
  return spawnAsync([process.execPath, CLI, 'apply', spec, '--root', root, '--yes', ...extra], {
    cwd: repo,
    timeoutMs: 150_000,
    env: { PATH: process.env.PATH, USER: 'alice', HOME: process.env.HOME, LANG: 'C' },
  });
}

/** The tree with its root's path and the backups' timestamps taken out (they differ from run to run). */
function outcome(root: string): Record<string, string> {
  const stamp = /\.orig\.\d{8}T\d{6}Z(\.\d+)?/g;
  // (the ROOT/ROOT/var link of scratchRoot names the root in a path too)
  return Object.fromEntries(Object.entries(snapshotTree(root)).map(([k, v]) => [k.replace(stamp, '.orig.STAMP').split(root.slice(1)).join('ROOT'), v.split(root).join('ROOT')]));
}

const ref: Record<'original' | 'a' | 'b' | 'ab' | 'ba', Record<string, string>> = {} as never;

const applied = (r: ChildResult) => r.code === 0 && /Applied: \d+ file\(s\) installed\./.test(r.stdout);
function busy(r: ChildResult): boolean {
  return r.code === 75 && /another apply holds the lock .*apply\.lock \(pid \d+/.test(r.stderr) && !r.stdout.includes('Applied') && !r.stdout.includes('Rolled back');
}

beforeAll(async () => {
  specDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-concurrent-'));
  SPEC_B = path.join(specDir, 'b.yaml');
  fs.writeFileSync(SPEC_B, fs.readFileSync(SPEC_A, 'utf8').replaceAll('2201', '2202'));
  const [o, a, b, ab, ba] = [newRoot(), newRoot(), newRoot(), newRoot(), newRoot()];
  ref.original = outcome(o);
  const one = await Promise.all([apply(SPEC_A, a), apply(SPEC_B, b), apply(SPEC_A, ab), apply(SPEC_B, ba)]);
  for (const r of one) expect(applied(r), r.stderr + r.stdout).toBe(true);
  const two = await Promise.all([apply(SPEC_B, ab), apply(SPEC_A, ba)]);
  for (const r of two) expect(applied(r), r.stderr + r.stdout).toBe(true);
  [ref.a, ref.b, ref.ab, ref.ba] = [outcome(a), outcome(b), outcome(ab), outcome(ba)];
  // the four outcomes are told apart
  expect(new Set([ref.original, ref.a, ref.b, ref.ab, ref.ba].map((t) => JSON.stringify(t))).size).toBe(5);
}, 170_000);

afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  fs.rmSync(specDir, { recursive: true, force: true });
});

/** Starts `first`, then `second` after `offsetMs`; both on one root. */
async function race(offsetMs: number, firstIsA: boolean, ...extra: string[]) {
  const root = newRoot();
  const [s1, s2] = firstIsA ? [SPEC_A, SPEC_B] : [SPEC_B, SPEC_A];
  const p1 = apply(s1, root, ...extra);
  const p2 = new Promise<ChildResult>((resolve, reject) => setTimeout(() => apply(s2, root, ...extra).then(resolve, reject), offsetMs));
  const [r1, r2] = await Promise.all([p1, p2]);
  const [a, b] = firstIsA ? [r1, r2] : [r2, r1];
  return { a, b, tree: outcome(root) };
}

describe('two applies at once on one root', () => {
  for (const [i, offset] of [0, 20, 50, 100, 150, 250, 350].entries()) {
    it(`the second ${offset} ms after the first: one applies, the other is refused untouched (or runs after it)`, async () => {
      const { a, b, tree } = await race(offset, i % 2 === 0);
      const why = `A: ${a.code} ${a.stderr}\nB: ${b.code} ${b.stderr}`;
      // every exit is one of the two truthful ones: applied, or refused because the other held the lock
      for (const r of [a, b]) expect(applied(r) || busy(r), why).toBe(true);
      if (applied(a) && applied(b)) expect([ref.ab, ref.ba], why).toContainEqual(tree);
      else if (applied(a)) expect(tree, why).toEqual(ref.a);
      else if (applied(b)) expect(tree, why).toEqual(ref.b);
      else expect(tree, why).toEqual(ref.original);
      // neither was "interrupted" in the other's eyes
      expect(a.stdout + b.stdout).not.toContain('interrupted');
    });
  }

  it('with --wait, the second waits for the first: both apply, one after the other', async () => {
    const { a, b, tree } = await race(0, true, '--wait', '120');
    const why = `A: ${a.code} ${a.stderr}\nB: ${b.code} ${b.stderr}`;
    expect(applied(a) && applied(b), why).toBe(true);
    expect([ref.ab, ref.ba], why).toContainEqual(tree);
  });
});

describe('a lock whose owner is gone', () => {
  const stale = {
    'a pid now used by another process (another start time)': () => ({ pid: process.pid, start: '1' }),
    'a live pid from before a reboot (another boot id)': () => ({ pid: process.pid, boot: '00000000-0000-0000-0000-000000000000' }),
  };
  for (const [name, owner] of Object.entries(stale))
    it(`is taken over: ${name}`, async () => {
      const root = newRoot();
      fs.mkdirSync(path.join(root, 'var/lib/fwconf'), { recursive: true });
      const dirs = [path.join(root, 'var/lib'), path.join(root, 'var/lib/fwconf')];
      fs.writeFileSync(path.join(root, 'var/lib/fwconf/apply.lock'), JSON.stringify({ version: 1, id: 'gone-1', since: '2020-01-01T00:00:00Z', dirs, ...owner() }));
      const r = await apply(SPEC_A, root);
      expect(applied(r), r.stderr).toBe(true);
      expect(r.stderr).toMatch(/note: took over the lock .*apply\.lock of an apply that is gone/);
      // and the directories the gone owner made for its lock are gone with it
      expect(outcome(root)).toEqual(ref.a);
    });

  it('a live holder is named and the apply refused with 75, nothing changed', async () => {
    const root = newRoot();
    const before = outcome(root);
    fs.mkdirSync(path.join(root, 'var/lib/fwconf'), { recursive: true });
    const lock = path.join(root, 'var/lib/fwconf/apply.lock');
    const { currentOwner } = await import('../../src/apply/lock.js');
    fs.writeFileSync(lock, JSON.stringify({ version: 1, id: 'live-1', dirs: [], ...currentOwner() }));
    const r = await apply(SPEC_A, root);
    expect(busy(r), r.stderr).toBe(true);
    expect(r.stderr).toContain(`(pid ${process.pid}`);
    fs.rmSync(path.join(root, 'var/lib'), { recursive: true });
    expect(outcome(root)).toEqual(before);
    // --wait bounded: still refused after the wait
    fs.mkdirSync(path.join(root, 'var/lib/fwconf'), { recursive: true });
    fs.writeFileSync(lock, JSON.stringify({ version: 1, id: 'live-1', dirs: [], ...currentOwner() }));
    const w = await apply(SPEC_A, root, '--wait', '0.3');
    expect(busy(w), w.stderr).toBe(true);
    expect(w.stderr).toMatch(/still after waiting \d/);
  });
});

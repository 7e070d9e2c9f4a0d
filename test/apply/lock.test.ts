// The apply lock with real processes: several at once, with and without a stale lock in the way.
// Mutual exclusion is read from a log each holder writes on entering and leaving (+PID, -PID): the
// entries must pair up, one holder at a time, whatever the interleaving. Afterwards nothing of the
// lock is left: no lock file, claim, temporary file or directory it made.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { currentOwner, LockBusyError, LockFile, ownerAlive } from '../../src/apply/lock.js';
import { spawnAsync } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let base: string;
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function setUp(): { file: string; log: string } {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-lock-'));
  fs.mkdirSync(path.join(base, 'var'));
  return { file: path.join(base, 'var/lib/fwconf/apply.lock'), log: path.join(os.tmpdir(), `${path.basename(base)}.log`) };
}

const children = (n: number, file: string, log: string) =>
  Promise.all(
    Array.from({ length: n }, () =>
      spawnAsync([process.execPath, '--import', 'tsx', path.join(here, 'lock-child.ts'), file, base, log], { cwd: path.join(here, '../..'), timeoutMs: 90_000 }),
    ),
  );

/** The log as holders: each "+PID" must be followed by its own "-PID" before the next one enters. */
function holders(log: string): number[] {
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  fs.rmSync(log);
  const out: number[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    expect(lines[i], lines.join(' ')).toMatch(/^\+\d+$/);
    expect(lines[i + 1], lines.join(' ')).toBe(`-${lines[i]!.slice(1)}`);
    out.push(Number(lines[i]!.slice(1)));
  }
  return out;
}

describe('the apply lock', () => {
  it('six processes at once: one holder at a time, every one gets it, nothing is left', async () => {
    const { file, log } = setUp();
    const rs = await children(6, file, log);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    expect(new Set(holders(log)).size).toBe(6);
    expect(fs.readdirSync(base, { recursive: true })).toEqual(['var']);
  });

  it('six processes meeting a stale lock: exactly one takes it over, the others wait their turn', async () => {
    const { file, log } = setUp();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // made by fwconf for a process that is gone (another boot), with the directories it created
    const dirs = [path.join(base, 'var/lib'), path.join(base, 'var/lib/fwconf')];
    fs.writeFileSync(file, JSON.stringify({ version: 1, id: 'gone', pid: process.pid, boot: 'another-boot', since: '2020-01-01T00:00:00Z', dirs }));
    const rs = await children(6, file, log);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    expect(rs.filter((r) => r.stdout.startsWith('took over')).length, rs.map((r) => r.stdout).join('')).toBe(1);
    expect(new Set(holders(log)).size).toBe(6);
    expect(fs.readdirSync(base, { recursive: true })).toEqual(['var']);
  });

  it('leftovers of processes that are gone (a temporary file naming directories, a claim) are removed', async () => {
    const { file } = setUp();
    fs.mkdirSync(path.join(base, 'var/lib/fwconf'), { recursive: true });
    const gone = { version: 1, id: 'g', pid: process.pid, start: '1', since: 'x', dirs: [path.join(base, 'var/lib'), path.join(base, 'var/lib/fwconf')] };
    fs.writeFileSync(path.join(base, 'var', `.fwconf-lock.${process.pid}-1-abc.0.tmp`), JSON.stringify(gone));
    fs.writeFileSync(`${file}.next-old`, JSON.stringify(gone));
    const lock = await new LockFile(file, base).acquire();
    // the directories were removed with the gone process's file, then made again for this lock
    expect(lock.dirs).toEqual([path.join(base, 'var/lib'), path.join(base, 'var/lib/fwconf')]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['apply.lock']);
    lock.release();
    expect(fs.readdirSync(base, { recursive: true })).toEqual(['var']);
  });

  it('a live holder: busy at once, or after a bounded wait', async () => {
    const { file } = setUp();
    const lf = new LockFile(file, base);
    const held = await lf.acquire();
    expect(lf.holder()?.pid).toBe(process.pid);
    await expect(lf.acquire()).rejects.toBeInstanceOf(LockBusyError);
    const t = Date.now();
    await expect(lf.acquire({ waitMs: 200 })).rejects.toThrow(/still after waiting/);
    expect(Date.now() - t).toBeGreaterThanOrEqual(200);
    held.release();
    held.release(); // idempotent
    expect(lf.holder()).toBeUndefined();
  });

  it('owner liveness: this process is alive; another start time or boot is not', () => {
    const me = currentOwner();
    expect(ownerAlive(me)).toBe(true);
    expect(ownerAlive({ ...me, start: '1' })).toBe(false);
    expect(ownerAlive({ ...me, boot: 'another-boot' })).toBe(false);
    expect(ownerAlive({ pid: 0 })).toBe(false);
  });
});

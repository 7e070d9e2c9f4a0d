// `fwconf fail2ban test --jail --db`: the ban timeline starts from a ban database written by fail2ban's
// own class (db-writer.py with a JSON document): earlier bans count for bantime.increment (failures
// counted twice, the ban time doubled), bans still running at the log's start are restored (capped
// by bantime.maxtime, or by bantime without increment), bantime.overalljails sums the jails, the
// hourly purge forgets out-dated addresses, and a log the database has a read position for is read on
// from there. The times are fixed epochs (the log's own), the same against the real server in
// ban-timeline.system.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/capture-io.js';
import { runOk } from '../spawn.js';
import { removeTree, stockTree } from './oracle.js';

const T = 1700000000;
const JAIL = 'hist';
const tmp = mkdtempSync(join(tmpdir(), 'fwconf-bans-history-'));
const trees: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const t of trees) removeTree(t);
});

interface Ban {
  jail: string;
  ip: string;
  time: number;
  bantime: number;
  count?: number;
  matches?: string[];
  failures?: number;
}

let n = 0;
/** A database written by fail2ban's Fail2BanDb (addBan at each ban's time, updateLog for positions). */
async function database(bans: Ban[], logs: { jail: string; path: string; pos: number }[] = []): Promise<string> {
  const path = join(tmp, `db${++n}.sqlite3`);
  await runOk(['/usr/bin/python3', join(__dirname, 'db-writer.py'), path, '-'], { input: JSON.stringify({ bans, logs }) });
  return path;
}

function conf(jail: string): string {
  const t = stockTree({
    'jail.local': `[sshd]\nenabled = false\n\n[${JAIL}]\nenabled = true\nfilter = ${JAIL}\nlogpath = /dev/null\nmaxretry = 3\nfindtime = 600\nbantime = 100\nbanaction = iptables-allports\n${jail}`,
    [`filter.d/${JAIL}.conf`]: '[Definition]\nfailregex = ^\\s*fail from <HOST>$\n',
  });
  trees.push(t);
  return t;
}

interface Event {
  kind: string;
  id: string;
  time: number;
  bantime?: number;
  until?: number | null;
  bancount?: number;
  prolongedUntil?: number | null;
  failures?: number;
  commands?: { command: string }[];
}

async function play(dir: string, lines: [number, string][], db?: string, logName = `log${++n}.log`): Promise<{ bans: Event[]; notes: string[]; matched: number }> {
  const log = join(tmp, logName);
  writeFileSync(log, lines.map(([t, ip]) => `${t} fail from ${ip}\n`).join(''));
  const r = await runCli(['fail2ban', 'test', log, '--jail', JAIL, '--conf-dir', dir, '--json', '--now', String(T + 100000), ...(db ? ['--db', db] : [])]);
  expect(r.code, r.err).toBe(0);
  const j = JSON.parse(r.out) as { bans: Event[]; notes: string[]; summary: { matched: number } };
  return { bans: j.bans, notes: j.notes, matched: j.summary.matched };
}

const brief = (e: Event) => [e.kind, e.id, e.time, ...(e.kind === 'ban' || e.kind === 'restored' ? [e.bantime, e.until, e.bancount] : e.kind === 'already-banned' ? [e.prolongedUntil] : [])];

describe('fail2ban test --jail --db: the timeline starts from the ban database', () => {
  it("an address the database holds for the jail: each failure counts twice, the ban time doubles, the count goes on", async () => {
    const dir = conf('bantime.increment = true\n');
    const X = '198.51.100.1';
    const db = await database([{ jail: JAIL, ip: X, time: T - 1000, bantime: 100 }]);
    // banned at its second failure (1 + 1, then 3 >= maxretry), for 100 * 2; after the unban, banned
    // again at its first failure ((1 << 2) / 2 + 1 = 3), for 100 * 4
    const lines: [number, string][] = [
      [T, X],
      [T + 1, X],
      [T + 500, X],
    ];
    const withDb = await play(dir, lines, db);
    expect(withDb.bans.map(brief)).toEqual([
      ['ban', X, T + 1, 200, T + 201, 1],
      ['unban', X, T + 201],
      ['ban', X, T + 500, 400, T + 900, 2],
      ['unban', X, T + 900],
    ]);
    expect(withDb.bans[0]!.commands!.some((c) => c.command.includes(X))).toBe(true);
    // without the database: three failures are one ban, for the jail's bantime
    expect((await play(dir, lines)).bans.map(brief)).toEqual([
      ['ban', X, T + 500, 100, T + 600, 0],
      ['unban', X, T + 600],
    ]);
    // a log starting at the database's ban: the ban is restored; failures not after the database's
    // last ban count once (the observer takes them as read before the restart)
    const early = await play(dir, [
      [T - 1000, X],
      [T - 1000, X],
    ], db);
    expect(early.bans.map(brief)).toEqual([
      ['restored', X, T - 1000, 100, T - 900, 1],
      ['unban', X, T - 900],
    ]);
  });

  it('bans still running at the log start are restored with their own time; failures during them are "already banned"', async () => {
    const dir = conf('bantime.increment = true\n');
    const Y = '198.51.100.2';
    const Z = '2001:db8::7';
    const W = '198.51.100.3';
    const db = await database([
      { jail: JAIL, ip: Y, time: T - 50, bantime: 100, matches: ['a', 'b', 'c'], failures: 3 },
      { jail: JAIL, ip: Z, time: T - 5000, bantime: -1 },
      { jail: JAIL, ip: W, time: T - 500, bantime: 100 },
      { jail: 'other', ip: '198.51.100.9', time: T - 10, bantime: 100 },
    ]);
    const r = await play(
      dir,
      [
        [T, '198.51.100.200'],
        [T + 10, Y],
        [T + 11, Y],
      ],
      db,
    );
    expect(r.bans.map(brief)).toEqual([
      ['restored', Y, T - 50, 100, T + 50, 1],
      ['restored', Z, T - 5000, -1, null, 1],
      // Y's two failures count 2 each: maxretry reached while banned, the ban prolonged to T + 11 + 100
      ['already-banned', Y, T + 11, T + 111],
      ['unban', Y, T + 111],
    ]);
    const restored = r.bans[0]!;
    expect(restored.failures).toBe(3);
    expect(restored.commands!.some((c) => c.command.includes(Y))).toBe(true);
  });

  it('a restored ban is capped by bantime.maxtime (increment) or by bantime (no increment), which also bounds how old it may be', async () => {
    const U = '198.51.100.4';
    const db = await database([
      { jail: JAIL, ip: U, time: T - 10, bantime: 1000, count: 3 },
      { jail: JAIL, ip: '198.51.100.5', time: T - 200, bantime: 1000 },
    ]);
    const inc = await play(conf('bantime.increment = true\nbantime.maxtime = 150\n'), [[T, '198.51.100.200']], db);
    expect(inc.bans.map(brief)).toEqual([
      ['restored', U, T - 10, 150, T + 140, 3],
      ['unban', U, T + 140],
    ]);
    // without increment: forbantime = bantime (only bans of the last 100 s), each capped at 100
    const plain = await play(conf(''), [[T, '198.51.100.200']], db);
    expect(plain.bans.map(brief)).toEqual([
      ['restored', U, T - 10, 100, T + 90, 3],
      ['unban', U, T + 90],
    ]);
  });

  it('bantime.overalljails: the ban time counts the bans of every jail; the failures count those of this jail only', async () => {
    const V = '198.51.100.6';
    const db = await database([
      { jail: 'other', ip: V, time: T - 3000, bantime: 100, count: 1 },
      { jail: 'other', ip: V, time: T - 2000, bantime: 200, count: 2 },
    ]);
    const lines: [number, string][] = [
      [T, V],
      [T + 1, V],
      [T + 2, V],
    ];
    const all = await play(conf('bantime.increment = true\nbantime.overalljails = true\n'), lines, db);
    expect(all.bans.map(brief)).toEqual([
      ['ban', V, T + 2, 400, T + 402, 2],
      ['unban', V, T + 402],
    ]);
    const own = await play(conf('bantime.increment = true\n'), lines, db);
    expect(own.bans.map(brief)).toEqual([
      ['ban', V, T + 2, 100, T + 102, 0],
      ['unban', V, T + 102],
    ]);
  });

  it('the hourly purge forgets an address whose last ban is older than dbpurgeage (and three ban times)', async () => {
    const dir = conf('bantime.increment = true\n');
    const P = '198.51.100.7';
    const Q = '198.51.100.8';
    // both last banned 86410 s before the log starts: still known at the start, purged an hour later
    const db = await database([
      { jail: JAIL, ip: P, time: T - 86410, bantime: 100 },
      { jail: JAIL, ip: Q, time: T - 86410, bantime: 100 },
    ]);
    const r = await play(
      dir,
      [
        [T, P],
        [T + 1, P],
        [T + 3700, Q],
        [T + 3701, Q],
      ],
      db,
    );
    expect(r.bans.map(brief)).toEqual([
      ['ban', P, T + 1, 200, T + 201, 1],
      ['unban', P, T + 201],
    ]);
    // dbpurgeage of fail2ban.local: two days keep Q too
    const longer = conf('bantime.increment = true\n');
    writeFileSync(join(longer, 'fail2ban.local'), '[Definition]\ndbpurgeage = 2d\n');
    const kept = await play(longer, [
      [T, '198.51.100.200'],
      [T + 3700, Q],
      [T + 3701, Q],
    ], db);
    expect(kept.bans.map(brief)).toEqual([
      ['ban', Q, T + 3701, 200, T + 3901, 1],
      ['unban', Q, T + 3901],
    ]);
  });

  it("a log the database holds a read position for is read from there, as fail2ban continues it", async () => {
    const dir = conf('bantime.increment = true\n');
    const X = '198.51.100.10';
    const log = join(tmp, 'resumed.log');
    const old = `${T - 100} fail from ${X}\n`.repeat(3);
    writeFileSync(log, old);
    const db = await database([], [{ jail: JAIL, path: log, pos: Buffer.byteLength(old) }]);
    const lines: [number, string][] = [
      [T - 100, X],
      [T - 100, X],
      [T - 100, X],
      [T, X],
      [T + 1, X],
    ];
    const r = await play(dir, lines, db, 'resumed.log');
    expect(r.matched).toBe(2);
    expect(r.bans).toEqual([]);
    expect(r.notes.some((x) => x.includes('lines 1-3 are skipped'))).toBe(true);
    // another first line: the log was rotated, fail2ban reads it from the start
    const other = await play(dir, [[T - 101, X], ...lines.slice(1)], db, 'resumed.log');
    expect(other.matched).toBe(5);
    expect(other.bans.map(brief)[0]).toEqual(['ban', X, T - 100, 100, T, 0]);
  });
});

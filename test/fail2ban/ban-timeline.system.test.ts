// The ban timeline of `fwconf fail2ban test --jail` against a real fail2ban-server: the server runs in
// a network namespace (its iptables action for real there) with a polling jail over a log this test
// writes line by line, each line dated with the clock at the time it is written (epoch seconds, so
// no dependence on today's date, the zone or the locale). maxretry 3, findtime 600, bantime 15,
// bantime.increment with fail2ban's database. The scenario: an address banned at its third failure;
// one that stays below maxretry; one that fails again while banned (the increment observer counts
// each of its failures twice, maxretry is reached again: "already banned", the ban is prolonged);
// one banned, unbanned when its ban time runs out, and banned again with the doubled ban time.
// After each step the test polls fail2ban's log for what the step made it do (never a fixed sleep),
// and reads `fail2ban-client get JAIL banip --with-time`; then it plays the same log through
// `fwconf fail2ban test --jail` and compares the bans, their times and their ban times.
// The second case restarts the server on its database: fwconf's `--db` prediction of the second run
// (the log read on from the database's position, a ban restored, an earlier offender's ban doubled)
// against what the restarted server bans.
import { appendFile, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/capture-io.js';
import { NetNamespace } from '../netns.js';
import { pollFor, run, type Ran } from '../spawn.js';
import { stockTree, removeTree } from './oracle.js';

const JAIL = 'f2btest';
const A = '192.0.2.11';
const B = '192.0.2.12';
const C = '198.51.100.13';
const D = '203.0.113.14';

interface BanEntry {
  time: number;
  bantime: number;
  end: number;
}

/** `fail2ban-client get JAIL banip --with-time` ("IP \tY-m-d H:M:S + N = Y-m-d H:M:S", UTC here). */
function parseBanList(out: string): Map<string, BanEntry> {
  const m = new Map<string, BanEntry>();
  const utc = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z') / 1000;
  for (const line of out.split('\n')) {
    const x = /^(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \+ (-?\d+) = (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s*$/.exec(line.trim());
    if (x) m.set(x[1]!, { time: utc(x[2]!), bantime: Number(x[3]), end: utc(x[4]!) });
  }
  return m;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * A fail2ban-server over `conf` in the namespace (foreground, started by `start`, ended by `stop`),
 * with its log `f2bLog` and the jail's log `log`: `fail(ip)` writes one failure line dated now and
 * returns once the filter and the increment observer have seen it; `until` polls fail2ban's log.
 */
function f2bServer(ns: NetNamespace, conf: string, log: string, f2bLog: string) {
  const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
  const client = (args: string[]): Promise<Ran> => run(['fail2ban-client', '-c', conf, ...args], { env });
  let server: Promise<Ran> | undefined;
  const text = () => readFile(f2bLog, 'utf8');
  const until = async (what: string, ok: (t: string) => boolean) => {
    try {
      await pollFor(what, async () => (ok(await text()) ? true : undefined), { timeoutMs: 60_000 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- fail2ban's log (end):\n${(await text()).split('\n').slice(-40).join('\n')}`);
    }
  };
  const lines: string[] = [];
  return {
    lines,
    text,
    until,
    async start() {
      server = ns.spawn(['fail2ban-client', '-c', conf, '-f', '-x', 'start'], undefined, { env, timeoutMs: 600_000 });
      await pollFor('fail2ban-server to answer', async () => ((await client(['status', JAIL])).status === 0 ? true : undefined), { timeoutMs: 60_000 });
    },
    async stop() {
      if (!server) return;
      await client(['stop']);
      await server;
      server = undefined;
    },
    async fail(ip: string) {
      const before = await text();
      const found = count(before, `] Found ${ip} - `);
      const observed = count(before, `Observer: failure found ${ip}\n`);
      const line = `${Math.floor(Date.now() / 1000)} fail from ${ip}`;
      lines.push(line);
      await appendFile(log, line + '\n');
      await until(`fail2ban to read "${line}"`, (t) => count(t, `] Found ${ip} - `) > found && count(t, `Observer: failure found ${ip}\n`) > observed);
    },
    banList: async () => parseBanList((await client(['get', JAIL, 'banip', '--with-time'])).stdout),
  };
}

function jailTree(run0: string, log: string, f2bLog: string, bantime: number): string {
  return stockTree({
    'fail2ban.local': `[DEFAULT]\nloglevel = DEBUG\nlogtarget = ${f2bLog}\nsocket = ${run0}/fail2ban.sock\npidfile = ${run0}/fail2ban.pid\ndbfile = ${run0}/fail2ban.sqlite3\n`,
    'jail.local': `[sshd]\nenabled = false\n\n[${JAIL}]\nenabled = true\nfilter = ${JAIL}\nlogpath = ${log}\nbackend = polling\nmaxretry = 3\nfindtime = 600\nbantime = ${bantime}\nbantime.increment = true\nbanaction = iptables-allports\n`,
    [`filter.d/${JAIL}.conf`]: '[Definition]\nfailregex = ^\\s*fail from <HOST>$\n',
  });
}

interface Prediction {
  summary: { matched: number };
  bans: { kind: string; id: string; time: number; bantime?: number; until?: number | null; bancount?: number; prolongedUntil?: number | null; commands?: { command: string }[] }[];
  notes: string[];
}

describe('fwconf fail2ban test --jail against a real fail2ban-server', () => {
  it('predicts the bans, the "already banned" prolongation and the increased ban time fail2ban makes', async () => {
    const run0 = await mkdtemp(join(tmpdir(), 'fwconf-bans-'));
    const log = join(run0, 'test.log');
    const f2bLog = join(run0, 'fail2ban.log');
    await writeFile(log, '');
    const conf = jailTree(run0, log, f2bLog, 15);
    const ns = await NetNamespace.create('speed-bans');
    const srv = f2bServer(ns, conf, log, f2bLog);
    try {
      // the server in the foreground, inside the namespace; stopped in `finally`
      await srv.start();
      const { text, until, fail, banList, lines } = srv;

      for (let i = 0; i < 3; i++) await fail(A);
      await until(`the ban of ${A}`, (t) => count(t, `] Ban ${A}\n`) === 1);
      const afterA = await banList();
      for (let i = 0; i < 2; i++) await fail(B);
      for (let i = 0; i < 3; i++) await fail(C);
      await until(`the ban of ${C}`, (t) => count(t, `] Ban ${C}\n`) === 1);
      const afterC = await banList();
      // the observer skips failures not after the last ban's time (a second's resolution): next second
      const cBan = afterC.get(C)?.time ?? Infinity;
      await pollFor('the clock to pass the second of the ban', async () => (Date.now() / 1000 >= cBan + 1 ? true : undefined), { timeoutMs: 10_000 });
      for (let i = 0; i < 2; i++) await fail(C);
      await until(`${C} already banned`, (t) => count(t, `] ${C} already banned`) === 1);
      const afterAgain = await banList();
      for (let i = 0; i < 3; i++) await fail(D);
      await until(`the ban of ${D}`, (t) => count(t, `] Ban ${D}\n`) === 1);
      const afterD1 = await banList();
      await until(`the unban of ${D} (15 s after its ban)`, (t) => count(t, `] Unban ${D}\n`) === 1);
      // the server unbans by its clock (sub-second), the log has whole seconds: a line dated the
      // second the ban ends would be "during the ban" for a reader of the log; the next second is not
      const dEnd = afterD1.get(D)?.end ?? Infinity;
      await pollFor('the clock to pass the second the ban ended', async () => (Date.now() / 1000 >= dEnd + 1 ? true : undefined), { timeoutMs: 10_000 });
      for (let i = 0; i < 2; i++) await fail(D);
      await until(`the second ban of ${D}, increased`, (t) => count(t, `] Ban ${D}\n`) === 2 && count(t, `] Increase Ban ${D} `) === 1);
      const afterD2 = await banList();
      const f2b = await text();
      expect(count(f2b, `] Ban ${B}\n`)).toBe(0);

      // fwconf over the same log and configuration
      const r = await runCli(['fail2ban', 'test', log, '--jail', JAIL, '--conf-dir', conf, '--json', '--now', String(Math.floor(Date.now() / 1000))]);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as Prediction;
      expect(j.summary.matched).toBe(lines.length);
      const bans = j.bans.filter((b) => b.kind === 'ban');
      // the same addresses banned, in the same order, as fail2ban's "Ban" notices
      const noticed = [...f2b.matchAll(/\] Ban (\S+)\n/g)].map((m) => m[1]);
      expect(bans.map((b) => b.id)).toEqual(noticed);
      expect(noticed).toEqual([A, C, D, D]);
      const [banA, banC, banD1, banD2] = bans;
      // each ban's ticket time and ban time, as banip --with-time showed it right after
      const entry = (b: (typeof bans)[number]) => ({ time: b.time, bantime: b.bantime, end: b.until });
      expect(entry(banA!)).toEqual(afterA.get(A));
      expect(entry(banC!)).toEqual(afterC.get(C));
      expect(entry(banD1!)).toEqual(afterD1.get(D));
      expect(entry(banD2!)).toEqual(afterD2.get(D));
      expect(banD2!.bantime).toBe(30);
      // C's failures during its ban: "already banned", and the ban prolonged to what fail2ban shows
      const again = j.bans.filter((b) => b.kind === 'already-banned');
      expect(again.map((b) => b.id)).toEqual([C]);
      const prolonged = afterAgain.get(C)!;
      expect(prolonged.time).toBe(banC!.time);
      expect(again[0]!.prolongedUntil).toBe(prolonged.end);
      // D's first ban ended before its second: an unban event between them
      const seq = j.bans.filter((b) => b.id === D).map((b) => b.kind);
      expect(seq.slice(0, 3)).toEqual(['ban', 'unban', 'ban']);
      // the action's command carries the address, as the ban in the namespace's firewall does
      expect(banD2!.commands!.some((c) => c.command.includes(D))).toBe(true);
    } finally {
      await srv.stop();
      await ns.delete();
      removeTree(conf);
      await rm(run0, { recursive: true, force: true });
    }
  }, 240_000);

  it('predicts with --db the bans of a server restarted on its database: the log read on, a ban restored, a ban time doubled', async () => {
    const run0 = await mkdtemp(join(tmpdir(), 'fwconf-bans-'));
    const log = join(run0, 'test.log');
    const f2bLog = join(run0, 'fail2ban.log');
    await writeFile(log, '');
    const conf = jailTree(run0, log, f2bLog, 20);
    const ns = await NetNamespace.create('fw-f2bdbinc');
    const srv = f2bServer(ns, conf, log, f2bLog);
    try {
      // first run: B banned and unbanned, A banned; then the server stops with A's ban running
      await srv.start();
      for (let i = 0; i < 3; i++) await srv.fail(B);
      await srv.until(`the ban of ${B}`, (t) => count(t, `] Ban ${B}\n`) === 1);
      await srv.until(`the unban of ${B} (20 s after its ban)`, (t) => count(t, `] Unban ${B}\n`) === 1);
      for (let i = 0; i < 3; i++) await srv.fail(A);
      await srv.until(`the ban of ${A}`, (t) => count(t, `] Ban ${A}\n`) === 1);
      const afterA = await srv.banList();
      await srv.stop();
      const firstRun = srv.lines.length;
      // the database as the second run finds it (the second run writes on in it)
      const between = join(run0, 'between.sqlite3');
      await copyFile(join(run0, 'fail2ban.sqlite3'), between);

      // second run on the same database and log: A restored; B's failures count twice (2 of them
      // reach maxretry 3) and its ban time doubles; C, new, banned as usual
      await srv.start();
      await srv.until(`${A} restored`, (t) => count(t, `] Restore Ban ${A}\n`) === 1);
      const restored = await srv.banList();
      for (let i = 0; i < 2; i++) await srv.fail(B);
      await srv.until(`the second ban of ${B}, increased`, (t) => count(t, `] Ban ${B}\n`) === 2 && count(t, `] Increase Ban ${B} `) === 1);
      const afterB = await srv.banList();
      for (let i = 0; i < 3; i++) await srv.fail(C);
      await srv.until(`the ban of ${C}`, (t) => count(t, `] Ban ${C}\n`) === 1);
      const afterC = await srv.banList();
      await srv.stop();

      // fwconf over the whole log, from the database between the runs
      const r = await runCli(['fail2ban', 'test', log, '--jail', JAIL, '--conf-dir', conf, '--db', between, '--json', '--now', String(Math.floor(Date.now() / 1000))]);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as Prediction;
      // the first run's lines are skipped (the database's read position), the second run's read
      expect(j.notes.some((n) => n.includes(`lines 1-${firstRun} are skipped`)), j.notes.join('\n')).toBe(true);
      expect(j.summary.matched).toBe(srv.lines.length - firstRun);
      const entry = (b: Prediction['bans'][number]) => ({ time: b.time, bantime: b.bantime, end: b.until });
      // A restored with its own time and ban time, as banip --with-time shows it after the restart
      const back = j.bans.filter((b) => b.kind === 'restored');
      expect(back.map((b) => b.id)).toEqual([A]);
      expect(entry(back[0]!)).toEqual(restored.get(A));
      expect(restored.get(A)).toEqual(afterA.get(A));
      // the bans of the second run, in the order of fail2ban's notices
      const bans = j.bans.filter((b) => b.kind === 'ban');
      const f2b = await srv.text();
      const noticed = [...f2b.matchAll(/\] Ban (\S+)\n/g)].map((m) => m[1]).slice(2);
      expect(bans.map((b) => b.id)).toEqual(noticed);
      expect(noticed).toEqual([B, C]);
      const [banB, banC] = bans;
      expect(entry(banB!)).toEqual(afterB.get(B));
      expect(banB!.bantime).toBe(40);
      expect(banB!.bancount).toBe(1);
      expect(entry(banC!)).toEqual(afterC.get(C));
      expect(banC!.bantime).toBe(20);
      // without the database: B's two failures are no ban, the first run's lines are read again
      const plain = await runCli(['fail2ban', 'test', log, '--jail', JAIL, '--conf-dir', conf, '--json', '--now', String(Math.floor(Date.now() / 1000))]);
      const p = JSON.parse(plain.out) as Prediction;
      expect(p.bans.filter((b) => b.kind === 'ban').map((b) => b.id)).not.toEqual(noticed);
    } finally {
      await srv.stop();
      await ns.delete();
      removeTree(conf);
      await rm(run0, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses to predict from a bantime.formula it does not evaluate, naming the file, line and construct', async () => {
    const conf = stockTree({
      'jail.local': `[sshd]\nenabled = false\n\n[${JAIL}]\nenabled = true\nfilter = ${JAIL}\nlogpath = /dev/null\nmaxretry = 3\nbantime.increment = true\nbantime.formula = ban.Time * random.random()\n`,
      [`filter.d/${JAIL}.conf`]: '[Definition]\nfailregex = ^\\s*fail from <HOST>$\n',
    });
    try {
      const dir = await mkdtemp(join(tmpdir(), 'fwconf-bans-'));
      const log = join(dir, 'x.log');
      await writeFile(log, '1700000000 fail from 192.0.2.1\n');
      const r = await runCli(['fail2ban', 'test', log, '--jail', JAIL, '--conf-dir', conf, '--json', '--now', '1700000000']);
      await rm(dir, { recursive: true, force: true });
      expect(r.code).toBe(1);
      expect(r.err).toBe(`${conf}/jail.local:10:30: error: jail [${JAIL}]: bantime.formula = ban.Time * random.random(): the function random.random() is not evaluated here; fwconf predicts no ban time from it [fail2ban/bantime-extra]\n`);
    } finally {
      removeTree(conf);
    }
  });
});

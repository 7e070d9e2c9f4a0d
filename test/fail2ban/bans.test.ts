// fwconf fail2ban bans (and the library under it) on databases written by fail2ban's own database class
// (fixtures/fail2ban/db/make.py), at a fixed --now; reconcile against iptables-save dumps.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fail2ban, iptables } from '../../src/index.js';
import { runCli } from '../cli/capture-io.js';
import { runOk } from '../spawn.js';

const { db: dbApi } = fail2ban;
const fx = (f: string) => join(__dirname, '../../fixtures/fail2ban/db', f);
const DB = fx('fail2ban.sqlite3');
const NOW = '1456750000';
const tmp = mkdtempSync(join(tmpdir(), 'fwconf-bans-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the ban database', () => {
  it('reads every table fail2ban writes, the long matched lines from overflow pages included', async () => {
    const db = await dbApi.readBanDatabase(DB);
    expect(db.diagnostics).toEqual([]);
    expect(db.version).toBe(4);
    expect(db.jails).toEqual([
      { name: 'sshd', enabled: true },
      { name: 'thp-ssh', enabled: true },
    ]);
    expect(db.bans.map((b) => [b.jail, b.ip, b.timeOfBan, b.banTime, b.banCount])).toEqual([
      ['sshd', '192.0.2.7', 1456749000, 600, 1],
      ['sshd', '192.0.2.8', 1456749900, 600, 1],
      ['sshd', '2001:db8::5', 1456749950, -1, 1],
      ['thp-ssh', '192.168.88.242', 1456740000, 3600, 1],
      ['thp-ssh', '192.168.88.242', 1456749990, 7200, 2],
    ]);
    // bips: the latest ban of each address per jail; the unbanned 198.51.100.1 is in neither table.
    expect(db.bips.map((b) => [b.jail, b.ip, b.timeOfBan])).toEqual([
      ['sshd', '192.0.2.7', 1456749000],
      ['sshd', '192.0.2.8', 1456749900],
      ['sshd', '2001:db8::5', 1456749950],
      ['thp-ssh', '192.168.88.242', 1456749990],
    ]);
    const thp = db.bips[3]!;
    // 12 matched lines of ~3000 bytes; fail2ban keeps the last 10 (dbmaxmatches).
    expect(thp.matches).toHaveLength(10);
    expect(thp.matches[0]).toMatch(/^Feb 29 12:46:02 SID=2\.nullresp .* BYTES=39 x{3000}$/);
    expect(thp.failures).toBe(12);
    // A match stored as its pieces is joined, as fail2ban's getMatches does.
    expect(db.bips[2]!.matches).toEqual(['2016-02-29 12:45:50 sshd[3]: Failed password for invalid user x from 2001:db8::5']);
  });

  it('reads a version-2 database (fail2ban 0.9) as 0.10 upgrades it: bips from the latest bans', async () => {
    const db = await dbApi.readBanDatabase(fx('fail2ban-v2.sqlite3'));
    expect(db.diagnostics).toEqual([]);
    expect(db.version).toBe(2);
    expect(db.bips.map((b) => [b.jail, b.ip, b.timeOfBan, b.banTime, b.failures])).toEqual([['ssh', '192.168.88.242', 1456749000, -2, 6]]);
    expect(db.logs).toEqual([{ jail: 'ssh', path: '/var/log/auth.log', firstLineMd5: 'd41d8cd98f00b204e9800998ecf8427e', lastFilePos: 4096 }]);
  });

  it('a file that is not a database, or one with a rollback journal present, is a diagnostic', async () => {
    const bad = join(tmp, 'bad.sqlite3');
    writeFileSync(bad, 'not a database at all, but long enough to hold a header of a hundred bytes .................');
    const d = await dbApi.readBanDatabase(bad);
    expect(d.diagnostics.map((x) => [x.code, x.message])).toEqual([['fail2ban/db-unreadable', 'not a SQLite 3 database (the file does not start with "SQLite format 3")']]);
    const hot = join(tmp, 'hot.sqlite3');
    copyFileSync(DB, hot);
    writeFileSync(`${hot}-journal`, Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7, 0, 0, 0, 0]));
    const h = await dbApi.readBanDatabase(hot, { tries: 2 });
    expect(h.diagnostics.map((x) => x.code)).toEqual(['fail2ban/db-hot-journal']);
    expect(h.diagnostics[0]!.message).toMatch(/hot\.sqlite3-journal is present.*tried 2 times/);
    // An empty journal (left after a commit in journal_mode=TRUNCATE) is not hot.
    writeFileSync(`${hot}-journal`, '');
    expect((await dbApi.readBanDatabase(hot)).diagnostics).toEqual([]);
    const missing = await runCli(['fail2ban', 'bans', '--json', '--db', join(tmp, 'nope.sqlite3')]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out).diagnostics[0]).toMatchObject({ code: 'fwconf/cannot-read', message: 'no such file' });
  });

  it('reads the bans still in the write-ahead log of a database in WAL mode', async () => {
    const wal = join(tmp, 'wal.sqlite3');
    copyFileSync(DB, wal);
    // Python's sqlite3 adds a ban in WAL mode; the files are copied while it is open (closing checkpoints).
    const py = `import sqlite3, shutil
c = sqlite3.connect(${JSON.stringify(wal)}, isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute("INSERT INTO bips VALUES('203.0.113.50', 'sshd', 1456749999, 600, 1, CAST('{\\"matches\\": [], \\"failures\\": 2}' AS BLOB))")
shutil.copyfile(${JSON.stringify(wal)}, ${JSON.stringify(wal + '.copy')}); shutil.copyfile(${JSON.stringify(wal + '-wal')}, ${JSON.stringify(wal + '.copy-wal')})
c.close()`;
    await runOk(['python3', '-c', py]);
    const db = await dbApi.readBanDatabase(`${wal}.copy`);
    expect(db.diagnostics).toEqual([]);
    expect(db.bips.map((b) => b.ip)).toContain('203.0.113.50');
    expect(db.bips.find((b) => b.ip === '203.0.113.50')).toMatchObject({ jail: 'sshd', banTime: 600, failures: 2 });
  });

  it('a page cut short or a b-tree that points back at itself is reported, not a crash', async () => {
    const bytes = readFileSync(DB);
    const cut = join(tmp, 'cut.sqlite3');
    writeFileSync(cut, bytes.subarray(0, 4096 * 3));
    const c = await dbApi.readBanDatabase(cut);
    expect(c.diagnostics.length).toBeGreaterThan(0);
    expect(c.diagnostics.every((x) => x.code === 'fail2ban/db-unreadable' || x.code === 'fail2ban/db-missing-table')).toBe(true);
  });
});

describe('fwconf fail2ban bans', () => {
  it('lists current and ended bans per jail, time left counted to --now', async () => {
    const r = await runCli(['fail2ban', 'bans', '--db', DB, '--now', NOW]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines.filter((l) => !l.startsWith('    |'))).toEqual([
      'jail sshd: 2 banned, 1 ended',
      '  192.0.2.8  banned 2016-02-29T12:45:00Z for 600 s, 500 s left (until 2016-02-29T12:55:00Z); ban 1, 5 failures',
      '  2001:db8::5  banned 2016-02-29T12:45:50Z persistent; ban 1, 1 failure',
      '  ended:',
      '  192.0.2.7  banned 2016-02-29T12:30:00Z for 600 s, ended 2016-02-29T12:40:00Z; ban 1, 3 failures',
      'jail thp-ssh: 1 banned, 1 ended',
      '  192.168.88.242  banned 2016-02-29T12:46:30Z for 7200 s, 7190 s left (until 2016-02-29T14:46:30Z); ban 2, 12 failures',
      '  ended:',
      '  192.168.88.242  banned 2016-02-29T10:00:00Z for 3600 s, ended 2016-02-29T11:00:00Z; ban 1, 1 failure',
      '',
    ]);
    expect(lines).toContain('    | 2016-02-29 12:45:00 sshd[2]: Invalid user admin from 192.0.2.8');
    // Later, the sshd ban of 192.0.2.8 has ended too.
    const later = JSON.parse((await runCli(['fail2ban', 'bans', '--db', DB, '--now', '1456750600', '--jail', 'sshd', '--json'])).out);
    expect(later.jails).toHaveLength(1);
    expect(later.jails[0].current.map((b: { ip: string }) => b.ip)).toEqual(['2001:db8::5']);
    expect(later.jails[0].past.map((b: { ip: string; timeLeft: number }) => [b.ip, b.timeLeft])).toEqual([
      ['192.0.2.8', 0],
      ['192.0.2.7', 0],
    ]);
  });

  it('--json: each ban an object with jail and ip', async () => {
    const r = await runCli(['fail2ban', 'bans', '--db', DB, '--now', NOW, '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ database: DB, version: 4, now: 1456750000 });
    expect(v.jails[1].current).toEqual([
      expect.objectContaining({ jail: 'thp-ssh', ip: '192.168.88.242', timeOfBan: 1456749990, banTime: 7200, endOfBan: 1456757190, timeLeft: 7190, banCount: 2, failures: 12, current: true }),
    ]);
    expect(v.jails[1].current[0].matches).toHaveLength(10);
    expect(v.jails[0].current[1]).toMatchObject({ ip: '2001:db8::5', banTime: -1, endOfBan: null, timeLeft: null });
  });

  it('finds the database from dbfile in fail2ban.conf/.local below --root; dbfile = :memory: is an error', async () => {
    const root = join(tmp, 'root');
    mkdirSync(join(root, 'etc/fail2ban'), { recursive: true });
    mkdirSync(join(root, 'srv/f2b'), { recursive: true });
    copyFileSync(DB, join(root, 'srv/f2b/bans.db'));
    writeFileSync(join(root, 'etc/fail2ban/fail2ban.conf'), '[Definition]\ndbfile = /var/lib/fail2ban/fail2ban.sqlite3\n');
    writeFileSync(join(root, 'etc/fail2ban/fail2ban.local'), '[Definition]\ndbfile = /srv/f2b/bans.db\n');
    const r = await runCli(['fail2ban', 'bans', '--root', root, '--now', NOW, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).database).toBe('/srv/f2b/bans.db');
    writeFileSync(join(root, 'etc/fail2ban/fail2ban.local'), '[Definition]\ndbfile = :memory:\n');
    const m = await runCli(['fail2ban', 'bans', '--root', root]);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/dbfile = :memory:: fail2ban keeps no ban database/);
  });

  it('--reconcile prints only the differences, with the repairing command; exit 1', async () => {
    const r = await runCli(['fail2ban', 'bans', '--db', DB, '--now', NOW, '--reconcile', fx('drift.iptables-save'), '--reconcile', fx('clean.ip6tables-save'), '--json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.out);
    expect(v.differences.map((d: { kind: string; jail: string; ip: string; repair: string }) => [d.kind, d.jail, d.ip, d.repair])).toEqual([
      ['rule-missing', 'sshd', '192.0.2.8', 'iptables -I f2b-sshd 1 -s 192.0.2.8 -j REJECT --reject-with icmp-port-unreachable'],
      ['no-ban', 'sshd', '192.0.2.7', 'iptables -D f2b-sshd -s 192.0.2.7/32 -j REJECT --reject-with icmp-port-unreachable'],
      ['no-ban', 'thp-ssh', '203.0.113.9', 'iptables -D f2b-thp-ssh -s 203.0.113.9/32 -j DROP'],
    ]);
    expect(v.differences[1].why).toMatch(/drift\.iptables-save:10\), but the database holds no current ban of it in sshd \(its last ban ended at 2016-02-29T12:40:00Z\)/);
    expect(v.notCompared).toEqual([]);
    const clean = await runCli(['fail2ban', 'bans', '--db', DB, '--now', NOW, '--reconcile', fx('clean.iptables-save')]);
    expect(clean).toMatchObject({ code: 0, out: '' });
    // The IPv6 ban had no ip6tables dump to be compared with: said, not dropped.
    expect(clean.err).toBe('note: sshd 2001:db8::5 not compared: no ip6tables-save dump given\n');
    // fail2ban 0.8's chains: its jails are ssh and thp-ssh; sshd has no chain there.
    const old = await runCli(['fail2ban', 'bans', '--db', DB, '--now', NOW, '--reconcile', join(__dirname, '../../fixtures/iptables/fail2ban-0.8.iptables-save')]);
    expect(old.code).toBe(1);
    expect(old.out).toBe(
      "sshd 192.0.2.8 (500 s left): banned in the database, but the dump has no chain f2b-sshd (nor fail2ban-sshd): the jail's chain was removed (or the jail does not ban through iptables)\n  fail2ban-client reload --restart sshd\n",
    );
  });

  it('the unban plan: the jails that hold the address, their fail2ban-client commands, the rules that go', async () => {
    const db = await dbApi.readBanDatabase(DB);
    const dump = iptables.parse(readFileSync(fx('drift.iptables-save'), 'utf8'), { file: 'drift.iptables-save' });
    const now = Number(NOW);
    const held = dbApi.planUnban('192.168.88.242', db, dump, { now, clientArgs: ['-s', '/run/f2b.sock'] });
    expect(held.steps.map((s) => s.argv)).toEqual([['fail2ban-client', '-s', '/run/f2b.sock', 'set', 'thp-ssh', 'unbanip', '192.168.88.242']]);
    expect(held.rules.map((r) => [r.chain, r.address, r.removedBy])).toEqual([['f2b-thp-ssh', '192.168.88.242/32', 'fail2ban']]);
    // 192.0.2.7's ban ended, its rule stayed: only iptables -D lifts it.
    const stray = dbApi.planUnban('192.0.2.7', db, dump, { now });
    expect(stray.bans).toEqual([]);
    expect(stray.steps.map((s) => s.argv.join(' '))).toEqual(['iptables -D f2b-sshd -s 192.0.2.7/32 -j REJECT --reject-with icmp-port-unreachable']);
    // 192.0.2.8 is banned in the database, with no rule: the command still runs, and the plan says so.
    const ruleless = dbApi.planUnban('192.0.2.8', db, dump, { now });
    expect(ruleless.steps.map((s) => s.argv.join(' '))).toEqual(['fail2ban-client set sshd unbanip 192.0.2.8']);
    expect(ruleless.notes).toEqual(['sshd holds 192.0.2.8 in its database, but no fail2ban chain of the firewall blocks it (a rule deleted by hand, or an action other than iptables)']);
    expect(dbApi.planUnban('203.0.113.1', db, dump, { now }).notes).toEqual(['203.0.113.1 is not banned: neither the database nor the firewall\'s fail2ban chains hold it']);
    expect(dbApi.formatPlan(held)).toBe(
      'unban 192.168.88.242\n  jails holding it: thp-ssh\n  rule that goes: -A f2b-thp-ssh -s 192.168.88.242/32 -j DROP (fail2ban\'s actionunban)\n  run: fail2ban-client -s /run/f2b.sock set thp-ssh unbanip 192.168.88.242\n',
    );
  });

  it('usage errors', async () => {
    expect((await runCli(['fail2ban', 'bans', '--db', DB, '--now', 'soon'])).code).toBe(2);
    expect((await runCli(['fail2ban', 'bans', '--db', DB, 'extra'])).code).toBe(2);
    expect((await runCli(['fail2ban', 'unban'])).code).toBe(2);
    const u = await runCli(['fail2ban', 'unban', 'not-an-address', '--json']);
    expect(u.code).toBe(2);
    expect(JSON.parse(u.out).diagnostics[0].code).toBe('fwconf/usage');
  });
});

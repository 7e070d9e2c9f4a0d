// The ban database against a real fail2ban-server, run inside a network namespace with its own socket,
// pidfile, log and database (fail2ban.local) and `banaction = iptables-multiport`: addresses banned with
// `fail2ban-client set JAIL banip` (one re-banned in a jail with bantime.increment) must be what
// `fwconf fail2ban bans` reads from the database, and what `fail2ban-client banned` and
// `get JAIL banip --with-time` say; a rule deleted with `iptables -D` is what reconcile reports (and its
// repair command puts it back); `fwconf fail2ban unban --yes` leaves neither database nor firewall
// holding the address.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePyLiteral } from '../../src/fail2ban/dump.js';
import { runCli } from '../cli/capture-io.js';
import { NetNamespace } from '../netns.js';
import { pollFor } from '../spawn.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
// fail2ban-client prints times in local time: the server runs in UTC, so they compare with fwconf's.
const ENV = { ...process.env, TZ: 'UTC', LANG: 'C.UTF-8' };

interface JsonBan {
  jail: string;
  ip: string;
  timeOfBan: number;
  banTime: number;
  banCount: number;
  endOfBan: number | null;
  current: boolean;
}

describe('fwconf fail2ban bans against fail2ban-server', () => {
  let ns: NetNamespace;
  let tmp: string;
  let conf: string;
  let db: string;

  const client = (...args: string[]) => ns.spawn(['fail2ban-client', '-c', conf, ...args], undefined, { env: ENV });
  const clientOk = async (...args: string[]) => {
    const r = await client(...args);
    if (r.status !== 0) throw new Error(`fail2ban-client ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const bans = async (extra: string[] = []) => {
    const r = await runCli(['fail2ban', 'bans', '--db', db, '--json', ...extra]);
    return { ...r, json: r.out ? JSON.parse(r.out) : undefined };
  };
  const current = async (): Promise<JsonBan[]> => {
    const r = await bans();
    if (r.code !== 0) throw new Error(`fwconf fail2ban bans exited ${r.code}: ${r.err}`);
    return (r.json.jails as { current: JsonBan[] }[]).flatMap((j) => j.current);
  };
  const dump = async (tool: 'iptables' | 'ip6tables') => {
    const file = join(tmp, `${tool}.save`);
    writeFileSync(file, await ns.run([`${tool}-save`]));
    return file;
  };
  /** `fail2ban-client banned`: [{JAIL: [IP, ...]}, ...] as one map. */
  const banned = async (): Promise<Record<string, string[]>> => {
    const v = parsePyLiteral((await clientOk('banned')).trim()) as Record<string, string[]>[];
    return Object.assign({}, ...v);
  };
  /** `get JAIL banip --with-time`: `IP \tYYYY-MM-DD HH:MM:SS + BANTIME = YYYY-MM-DD HH:MM:SS` per line. */
  const withTime = async (jail: string) =>
    (await clientOk('get', jail, 'banip', '--with-time'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const m = /^(\S+) \t(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \+ (-?\d+) = (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$/.exec(l);
        if (!m) throw new Error(`unexpected --with-time line: ${JSON.stringify(l)}`);
        const t = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;
        return { ip: m[1]!, timeOfBan: t(m[2]!), banTime: Number(m[3]), endOfBan: t(m[4]!) };
      });

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fwconf-f2bdb-'));
    conf = join(tmp, 'etc');
    db = join(tmp, 'f2b.sqlite3');
    cpSync('/etc/fail2ban', conf, { recursive: true });
    writeFileSync(join(tmp, 'auth.log'), '');
    writeFileSync(join(conf, 'fail2ban.local'), `[Definition]\nsocket = ${tmp}/f2b.sock\npidfile = ${tmp}/f2b.pid\nlogtarget = ${tmp}/fail2ban.log\ndbfile = ${db}\nloglevel = INFO\n`);
    writeFileSync(
      join(conf, 'jail.d', 'zz-test.local'),
      `[DEFAULT]\nbanaction = iptables-multiport\nbackend = polling\n\n` +
        `[sshd]\nenabled = true\nlogpath = ${tmp}/auth.log\nport = ssh\nbantime = 3600\n\n` +
        // A ban of 2 s that, banned again, lasts 2 * 300 s (bantime.increment with multipliers).
        `[inc]\nenabled = true\nfilter = sshd\nlogpath = ${tmp}/auth.log\nport = 2222\nbantime = 2\nbantime.increment = true\nbantime.multipliers = 1 300\n`,
    );
    ns = await NetNamespace.create('f2bdb');
    await clientOk('-x', 'start');
    await pollFor('fail2ban-server to answer', async () => ((await client('ping')).stdout.includes('pong') ? true : undefined));
  });

  afterAll(async () => {
    try {
      if (ns) {
        const r = await client('stop');
        // A server that does not stop is killed by its own pid (from its pidfile).
        if (r.status !== 0) {
          const pid = Number((await readFile(join(tmp, 'f2b.pid'), 'utf8').catch(() => '')).trim());
          if (pid > 0) process.kill(pid, 'SIGKILL');
        }
      }
    } finally {
      await ns?.delete();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  });

  // A real server on two loaded cores: start, five bans, one expiry waited for, reconcile and unban.
  it('bans, reconcile and unban agree with fail2ban-client and the firewall', { timeout: 300_000 }, async () => {
    for (const ip of ['192.0.2.1', '192.0.2.2', '2001:db8::7']) await clientOk('set', 'sshd', 'banip', ip);
    // In inc, 198.51.100.6 is banned for 2 s and ends; 198.51.100.5 too, and is banned again: count 2, 600 s.
    await clientOk('set', 'inc', 'banip', '198.51.100.6');
    await clientOk('set', 'inc', 'banip', '198.51.100.5');
    await pollFor('the first ban of 198.51.100.5 to end', async () => ((await banned()).inc?.includes('198.51.100.5') ? undefined : true));
    await clientOk('set', 'inc', 'banip', '198.51.100.5');

    // The database is written by fail2ban's observer thread, after the ban: poll until both agree.
    const agreed = await pollFor(
      'the database to hold the bans fail2ban-client lists',
      async () => {
        const cur = await current();
        const live = await banned();
        const times = { sshd: await withTime('sshd'), inc: await withTime('inc') };
        const same = (['sshd', 'inc'] as const).every((j) => {
          const mine = cur.filter((b) => b.jail === j);
          const theirs = times[j];
          return (
            JSON.stringify(mine.map((b) => b.ip).sort()) === JSON.stringify([...(live[j] ?? [])].sort()) &&
            mine.length === theirs.length &&
            theirs.every((t) => mine.some((b) => b.ip === t.ip && b.banTime === t.banTime))
          );
        });
        return same ? { cur, live, times } : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(Object.fromEntries(Object.entries(agreed.live).map(([j, ips]) => [j, [...ips].sort()]))).toEqual({
      sshd: ['192.0.2.1', '192.0.2.2', '2001:db8::7'],
      inc: ['198.51.100.5'],
    });
    for (const j of ['sshd', 'inc'] as const) {
      for (const t of agreed.times[j]) {
        const b = agreed.cur.find((x) => x.jail === j && x.ip === t.ip)!;
        expect(b.banTime, `${j} ${t.ip}`).toBe(t.banTime);
        // fail2ban-client prints the ticket's time truncated to the second; the database keeps it rounded.
        expect(Math.abs(b.timeOfBan - t.timeOfBan), `${j} ${t.ip}`).toBeLessThanOrEqual(1);
        expect(Math.abs(b.endOfBan! - t.endOfBan), `${j} ${t.ip}`).toBeLessThanOrEqual(1);
      }
    }
    const again = agreed.cur.find((b) => b.ip === '198.51.100.5')!;
    expect([again.banCount, again.banTime]).toEqual([2, 600]);
    expect(agreed.cur.find((b) => b.ip === '192.0.2.1')).toMatchObject({ banCount: 1, banTime: 3600 });
    // The ended bans are in the history.
    const inc = (await bans()).json.jails.find((j: { jail: string }) => j.jail === 'inc');
    expect(inc.past.map((b: JsonBan) => [b.ip, b.banTime, b.current])).toEqual([
      ['198.51.100.5', 2, false],
      ['198.51.100.6', 2, false],
    ]);

    // The firewall agrees with the database...
    const v4 = await dump('iptables');
    const v6 = await dump('ip6tables');
    const clean = await bans(['--reconcile', v4, '--reconcile', v6]);
    expect(clean.json).toEqual({ differences: [], notCompared: [] });
    expect(clean.code).toBe(0);
    // ...until a rule is deleted by hand: reconcile reports exactly that address.
    await ns.run(['iptables', '-D', 'f2b-sshd', '-s', '192.0.2.2/32', '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']);
    const drift = await bans(['--reconcile', await dump('iptables'), '--reconcile', v6]);
    expect(drift.code).toBe(1);
    expect(drift.json.differences.map((d: { kind: string; jail: string; ip: string }) => [d.kind, d.jail, d.ip])).toEqual([['rule-missing', 'sshd', '192.0.2.2']]);
    // Its repair command puts the rule back where fail2ban's actionban would.
    await ns.run(drift.json.differences[0].repairArgv);
    const repaired = await bans(['--reconcile', await dump('iptables'), '--reconcile', v6]);
    expect([repaired.code, repaired.json.differences]).toEqual([0, []]);

    // A jail's whole chain removed: reconcile names its bans, and its repair (a restart of the jail,
    // which restores the jail's bans from the database) brings chain and rule back.
    await ns.run(['iptables', '-D', 'INPUT', '-p', 'tcp', '-m', 'multiport', '--dports', '2222', '-j', 'f2b-inc']);
    await ns.run(['iptables', '-F', 'f2b-inc']);
    await ns.run(['iptables', '-X', 'f2b-inc']);
    const gone = await bans(['--reconcile', await dump('iptables'), '--reconcile', v6]);
    expect(gone.code).toBe(1);
    expect(gone.json.differences.map((d: { kind: string; jail: string; ip: string; repair: string }) => [d.kind, d.jail, d.ip, d.repair])).toEqual([
      ['chain-missing', 'inc', '198.51.100.5', 'fail2ban-client reload --restart inc'],
    ]);
    const [prog, ...rest] = gone.json.differences[0].repairArgv as string[];
    await ns.run([prog!, '-c', conf, ...rest], undefined, { env: ENV });
    await pollFor(
      'the restarted jail to restore its ban in the firewall',
      async () => ((await bans(['--reconcile', await dump('iptables'), '--reconcile', v6])).code === 0 ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect((await banned()).inc).toEqual(['198.51.100.5']);

    // The plan first: which jail, which command, which rule.
    const plan = await ns.spawn([process.execPath, CLI, 'fail2ban', 'unban', '192.0.2.1', '--conf-dir', conf, '--json'], undefined, { env: ENV });
    expect(plan.status, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout).plan;
    expect(p.bans.map((b: JsonBan) => b.jail)).toEqual(['sshd']);
    expect(p.steps.map((s: { argv: string[] }) => s.argv)).toEqual([['fail2ban-client', '-c', conf, 'set', 'sshd', 'unbanip', '192.0.2.1']]);
    expect(p.rules.map((r: { chain: string; address: string; removedBy: string }) => [r.chain, r.address, r.removedBy])).toEqual([['f2b-sshd', '192.0.2.1/32', 'fail2ban']]);
    expect((await banned()).sshd).toContain('192.0.2.1');
    // Then carried out, and checked.
    const done = await ns.spawn([process.execPath, CLI, 'fail2ban', 'unban', '192.0.2.1', '--conf-dir', conf, '--yes'], undefined, { env: ENV });
    expect(done.status, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toContain('checked: neither the database nor the firewall holds 192.0.2.1');
    // Independently: the database, the firewall and the server no longer hold it; the others stay.
    const after = await current();
    expect(after.map((b) => b.ip).sort()).toEqual(['192.0.2.2', '198.51.100.5', '2001:db8::7']);
    expect(await ns.run(['iptables-save'])).not.toContain('192.0.2.1');
    expect((await banned()).sshd).not.toContain('192.0.2.1');
  });
});

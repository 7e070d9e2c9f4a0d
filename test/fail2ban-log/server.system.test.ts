// Truth: a real fail2ban-server in its own network namespace, with its own socket, pidfile, logtarget
// and dbfile set in a fail2ban.local and banaction = iptables-multiport. Addresses banned through
// fail2ban-client: the server's fail2ban.log round-trips and its Ban events are the bans fail2ban
// reports (`get JAIL banip`, `status JAIL`), whose output parses and round-trips too; after a stop, its
// Unban events are the same bans.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStatus, type JailStatus } from '../../src/fail2ban/status.js';
import { parse, summarizeLog } from '../../src/fail2ban-log/index.js';
import { detectFormat, formats } from '../../src/formats.js';
import { NetNamespace } from '../netns.js';
import { pollFor } from '../spawn.js';
import { removeTree, stockTree } from '../fail2ban/oracle.js';

const trees: string[] = [];
afterAll(() => trees.forEach(removeTree));

const BANS: Record<string, string[]> = {
  sshd: ['192.0.2.10', '198.51.100.7', '2001:db8::5'],
  'thp-ssh': ['192.0.2.10', '203.0.113.99'],
};

function banEvents(text: string, type: 'ban' | 'unban'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of parse(text).records()) {
    const e = r.event;
    if (e.type === type) out.set(e.jail, [...(out.get(e.jail) ?? []), e.ip]);
  }
  return out;
}

describe('a real fail2ban-server', () => {
  it('logs the bans it reports, in a fail2ban.log that round-trips; its status output parses and round-trips', async () => {
    const dir = stockTree();
    trees.push(dir);
    const log = join(dir, 'fail2ban.log');
    const auth = join(dir, 'auth.log');
    writeFileSync(auth, '');
    writeFileSync(
      join(dir, 'fail2ban.local'),
      `[Definition]\nloglevel = INFO\nlogtarget = ${log}\nsocket = ${dir}/f2b.sock\npidfile = ${dir}/f2b.pid\ndbfile = ${dir}/f2b.sqlite3\n`,
    );
    writeFileSync(
      join(dir, 'jail.d', 'zz-test.local'),
      `[DEFAULT]\nbanaction = iptables-multiport\n[sshd]\nenabled = true\nbackend = polling\nlogpath = ${auth}\n` +
        `[thp-ssh]\nenabled = true\nfilter = sshd\nbackend = polling\nport = 22\nlogpath = ${auth}\nbantime = 600\n`,
    );
    const ns = await NetNamespace.create('f2blog');
    const client = (...args: string[]) => ns.run(['fail2ban-client', '-c', dir, ...args]);
    try {
      await ns.run(['fail2ban-server', '-c', dir, '-b', '-x']);
      await pollFor('both jails to start', async () => ((await client('status')).includes('thp-ssh') ? true : undefined));
      for (const [jail, ips] of Object.entries(BANS)) await client('set', jail, 'banip', ...ips);
      const total = Object.values(BANS).flat().length;
      // The server logs a ban once its action has run: wait for all of them.
      const text = await pollFor('the Ban lines in fail2ban.log', async () => {
        const t = readFileSync(log, 'utf8');
        return [...banEvents(t, 'ban').values()].flat().length >= total ? t : undefined;
      });

      const doc = parse(text, { file: log });
      expect(doc.toString()).toBe(text);
      expect(doc.diagnostics).toEqual([]);
      expect(detectFormat(log, text)).toEqual({ format: formats['fail2ban-log'] });
      expect(doc.events('jail-started').map((r) => r.event.jail).sort()).toEqual(['sshd', 'thp-ssh']);
      const logged = banEvents(text, 'ban');
      for (const jail of Object.keys(BANS)) {
        const reported = (await client('get', jail, 'banip')).trim().split(/\s+/).filter(Boolean);
        expect([...(logged.get(jail) ?? [])].sort(), jail).toEqual([...reported].sort());
        expect(reported.sort(), jail).toEqual([...BANS[jail]!].sort());
        const out = await client('status', jail);
        const status = parseStatus(out);
        expect(status.toString()).toBe(out);
        expect(status.diagnostics).toEqual([]);
        const s = status.toJSON() as JailStatus;
        expect(s).toMatchObject({ kind: 'jail', jail, filter: { fileList: [auth] } });
        expect([...s.actions.bannedIPList].sort()).toEqual([...reported].sort());
        expect(s.actions.currentlyBanned).toBe(reported.length);
      }
      const server = await client('status');
      const st = parseStatus(server);
      expect(st.toString()).toBe(server);
      expect(st.toJSON()).toMatchObject({ kind: 'server', jails: 2, jailList: ['sshd', 'thp-ssh'] });
      // The streamed summary agrees with the parsed log.
      expect((await summarizeLog(log)).toJSON()).toEqual(doc.summary());
    } finally {
      await ns.spawn(['fail2ban-client', '-c', dir, 'stop']);
      await ns.delete();
    }
    // Stopping flushes every ban: one Unban per Ban, and the server says it exited.
    const after = await pollFor('"Exiting Fail2ban" in fail2ban.log', async () => {
      const t = readFileSync(log, 'utf8');
      return parse(t).events('server-exited').length > 0 ? t : undefined;
    });
    const doc = parse(after, { file: log });
    expect(doc.toString()).toBe(after);
    expect(doc.events('server-exited')).toHaveLength(1);
    const unbans = banEvents(after, 'unban');
    for (const [jail, ips] of Object.entries(BANS)) expect([...(unbans.get(jail) ?? [])].sort(), jail).toEqual([...ips].sort());
  });
});

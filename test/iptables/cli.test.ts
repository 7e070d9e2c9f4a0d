import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/capture-io.js';

const fx = (f: string) => fileURLToPath(new URL(`../../fixtures/iptables/${f}`, import.meta.url));

const run = (argv: string[]) => runCli(argv);

describe('fwconf CLI on iptables-save dumps', () => {
  it('parse prints tables with chains and typed rules', async () => {
    const r = await run(['parse', '--format', 'iptables-save', fx('fail2ban.iptables-save')]);
    expect(r.code).toBe(0);
    const model = JSON.parse(r.out);
    expect(model.tables[0].name).toBe('filter');
    expect(model.tables[0].chains[3]).toEqual({ name: 'f2b-recidive', policy: '-', packets: 0, bytes: 0, builtin: false });
    expect(model.tables[0].rules[3]).toMatchObject({ chain: 'f2b-recidive', source: { address: '10.9.8.7/32', negated: false }, target: { name: 'REJECT', options: [{ name: 'reject-with', args: ['icmp-host-prohibited'] }] } });
  });

  it('detects the format, round-trips, checks', async () => {
    expect((await run(['roundtrip', fx('kube-proxy-warning.iptables-save')])).code).toBe(0);
    const c = await run(['check', fx('kube-proxy-warning.iptables-save')]);
    expect(c.code).toBe(0);
    expect(c.err).toContain('[iptables/warning-line]');
  });

  it('bans, script, diff', async () => {
    const b = await run(['iptables', 'bans', fx('fail2ban.iptables-save')]);
    expect(b.code).toBe(0);
    expect(b.out).toContain('jail sshd (filter f2b-sshd): 3 banned; from INPUT tcp 22,2222');
    expect(b.out).toContain('  192.168.10.10/32\tDROP');
    const bj = JSON.parse((await run(['iptables', 'bans', '--json', fx('fail2ban.ip6tables-save')])).out);
    expect(bj.jails[0].bans[0].unban).toMatch(/^ip6tables -D f2b-recidive /);
    const s = await run(['iptables', 'script', fx('ufw.ip6tables-save')]);
    expect(s.code).toBe(0);
    expect(s.out.split('\n').slice(0, 4)).toEqual(['#!/bin/sh', '# Rebuilds the tables of an iptables-save dump on a host with empty tables.', 'set -e', 'ip6tables -P INPUT DROP']);
    const same = await run(['iptables', 'diff', fx('docker.iptables-save'), fx('docker-counters.iptables-save')]);
    expect(same).toMatchObject({ code: 0, out: '' });
    const d = await run(['iptables', 'diff', fx('docker.iptables-save'), fx('kube-proxy.iptables-save')]);
    expect(d.code).toBe(1);
    expect(d.out).toContain('- chain filter DOCKER-USER');
    expect(d.out).toContain('+ table mangle');
  });

  it("bans reads fail2ban 0.8's fail2ban-NAME chains, and says when a dump has no fail2ban chain", async () => {
    // The setup's first dump (fail2ban 0.8): 192.168.88.242 is banned in fail2ban-thp-ssh.
    const b = await run(['iptables', 'bans', '--json', fx('fail2ban-0.8.iptables-save')]);
    expect(b.code).toBe(0);
    const v = JSON.parse(b.out);
    expect(v.note).toBeUndefined();
    expect(v.jails.map((j: { jail: string; chain: string }) => [j.jail, j.chain])).toEqual([
      ['ssh', 'fail2ban-ssh'],
      ['thp-ssh', 'fail2ban-thp-ssh'],
    ]);
    expect(v.jails[0].bans).toEqual([]);
    expect(v.jails[1].bans).toEqual([
      { jail: 'thp-ssh', table: 'filter', chain: 'fail2ban-thp-ssh', address: '192.168.88.242/32', blocktype: 'REJECT --reject-with icmp-port-unreachable', line: 11, unban: 'iptables -D fail2ban-thp-ssh -s 192.168.88.242/32 -j REJECT --reject-with icmp-port-unreachable' },
    ]);
    expect(v.jails[0].entries).toEqual([{ chain: 'INPUT', protocol: 'tcp', ports: '22' }]);
    const none = await run(['iptables', 'bans', fx('ufw.iptables-save')]);
    expect(none).toMatchObject({ code: 0, out: '' });
    expect(none.err).toMatch(/^note: .*ufw\.iptables-save holds no fail2ban chain/);
    const nj = JSON.parse((await run(['iptables', 'bans', '--json', fx('docker.iptables-save')])).out);
    expect(nj.jails).toEqual([]);
    expect(nj.note).toMatch(/holds no fail2ban chain \(f2b-NAME, or fail2ban-NAME from fail2ban 0\.8\)/);
  });

  it('usage errors exit 2, --help exits 0', async () => {
    expect((await run(['iptables'])).code).toBe(2);
    expect((await run(['iptables', 'frob', 'x'])).code).toBe(2);
    expect((await run(['iptables', 'diff', fx('docker.iptables-save')])).code).toBe(2);
    const h = await run(['iptables', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('fwconf iptables <subcommand>');
    expect((await run(['iptables', 'bans', '/nonexistent'])).code).toBe(1);
    // Options another subcommand reads are refused, not ignored.
    for (const argv of [
      ['iptables', 'script', '--json', fx('docker.iptables-save')],
      ['iptables', 'bans', '--counters', fx('docker.iptables-save')],
      ['iptables', 'diff', '--counters', fx('docker.iptables-save'), fx('docker.iptables-save')],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^fwconf iptables: --(json|counters) is an option of /);
      // With --json the usage error is a JSON document too (one rule for every command).
      if (argv.includes('--json')) expect(JSON.parse(r.out).diagnostics[0].code).toBe('fwconf/usage');
      else expect(r.out).toBe('');
    }
  });
});

// The CLI in process: fwconf fail2ban resolve/check, and parse/roundtrip/check --format fail2ban.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { banCommand, checkConfig, resolve } from '../../src/fail2ban/index.js';
import { commandsByJail, parseDump } from '../../src/fail2ban/dump.js';
import { DEBIAN_ETC, removeTree, SEED, stockTree, tempDir, writeTree } from './oracle.js';
import { captureIo } from '../cli/capture-io.js';

const io = (stdin = '') => captureIo({ stdin, cwd: '/' });

const trees: string[] = [];
afterAll(() => trees.forEach(removeTree));

describe('fwconf fail2ban', () => {
  it('--help and usage errors', async () => {
    const a = io();
    expect(await main(['fail2ban', '--help'], a)).toBe(0);
    expect(a.out).toMatch(/fwconf fail2ban resolve/);
    const b = io();
    expect(await main(['fail2ban', 'nosuch'], b)).toBe(2);
    const c = io();
    expect(await main(['fail2ban', 'resolve', '--bogus'], c)).toBe(2);
    // Options of the other subcommand are refused rather than silently ignored.
    for (const argv of [
      ['fail2ban', 'check', '--jail', 'sshd'],
      ['fail2ban', 'check', '--commands'],
      ['fail2ban', 'resolve', '--json', '--commands'],
    ]) {
      const d = io();
      expect(await main(argv, d), argv.join(' ')).toBe(2);
      expect(d.err).toMatch(/^fwconf fail2ban: --(jail|json|commands)/);
      // With --json, the usage error is a JSON document too (one rule for every command).
      if (argv.includes('--json')) expect(JSON.parse(d.out).diagnostics[0].code).toBe('fwconf/usage');
      else expect(d.out).toBe('');
    }
  });

  it('a configuration directory that is missing or holds no jail.conf is named in the diagnostic', async () => {
    const dir = tempDir('empty');
    trees.push(dir);
    for (const [conf, code] of [
      [join(dir, 'nosuch'), 'fail2ban/no-conf-dir'],
      [dir, 'fail2ban/no-jail-conf'],
    ] as const) {
      for (const sub of ['resolve', 'check']) {
        const a = io();
        expect(await main(['fail2ban', sub, '--conf-dir', conf], a)).toBe(1);
        // check closes its report with the count.
        const total = sub === 'check' ? '1 error, 0 warnings in 1 file\n' : '';
        expect(a.err).toMatch(new RegExp(`^${conf}:1:1: error: .* \\[${code}\\]\n${total}$`));
      }
    }
  });

  it('resolve --json on the seed setup', async () => {
    const dir = stockTree(SEED);
    trees.push(dir);
    const a = io();
    expect(await main(['fail2ban', 'resolve', '--conf-dir', dir, '--json'], a)).toBe(0);
    const j = JSON.parse(a.out);
    expect(Object.keys(j.jails)).toEqual(['sshd', 'nginx-http-auth', 'thp-ssh'].filter((n) => n !== 'nginx-http-auth'));
    expect(j.jails['thp-ssh'].filter).toMatchObject({ name: 'thpot', failregex: ['SRC=<HOST>'], ignoreregex: [] });
    expect(j.jails['thp-ssh'].options).toMatchObject({ backend: 'auto', maxretry: 3, bantime: '99999', findtime: '1800' });
    expect(j.jails.sshd.actions[0]).toMatchObject({ name: 'iptables-multiport', params: { port: '2201', protocol: 'tcp' } });
  });

  // `resolve --commands` against fail2ban-client -d: test/fail2ban/resolve.system.test.ts.

  it('resolve listing shows provenance, and --jail selects one', async () => {
    const dir = stockTree(SEED);
    trees.push(dir);
    const a = io();
    expect(await main(['fail2ban', 'resolve', '--conf-dir', dir, '--jail', 'sshd'], a)).toBe(0);
    expect(a.out).toMatch(/^\[sshd\]/);
    expect(a.out).toContain(`${join(dir, 'jail.conf')}:`);
    expect(a.out).toContain('port = 2201');
    expect(a.out).not.toContain('[thp-ssh]');
    const b = io();
    expect(await main(['fail2ban', 'resolve', '--conf-dir', dir, '--jail', 'apache-auth'], b)).toBe(1);
    expect(b.err).toMatch(/not enabled/);
  });

  it('check: Debian 12 sshd advice, missing filter, bad time, unknown option', async () => {
    const dir = stockTree({
      'jail.d/zz.local': '[sshd]\nbantime = 1 fortnight\nmaxretyr = 3\n\n[broken]\nenabled = true\nfilter = nosuchfilter\nlogpath = /nonexistent\n',
    });
    trees.push(dir);
    const a = io();
    expect(await main(['fail2ban', 'check', '--conf-dir', dir], a)).toBe(1);
    const local = join(dir, 'jail.d/zz.local');
    expect(a.err).toContain(`${local}:2:11: error: bantime = 1 fortnight`);
    expect(a.err).toContain(`${local}:3:1: warning: 'maxretyr' is not a jail option`);
    expect(a.err).toContain("did you mean 'maxretry'?");
    expect(a.err).toMatch(/jail \[broken\] is skipped by fail2ban: Unable to read the filter 'nosuchfilter' \[fail2ban\/missing-filter\]/);
    const ds = checkConfig(DEBIAN_ETC);
    const sshd = ds.find((d) => d.code === 'fail2ban/logpath-no-file');
    if (!existsSync('/var/log/auth.log')) {
      expect(sshd?.file).toBe(join(DEBIAN_ETC, 'jail.conf'));
      expect(sshd?.message).toContain('backend = systemd');
    } else expect(sshd).toBeUndefined();
  });

  it('parse, roundtrip and check --format fail2ban on single files', async () => {
    const a = io();
    expect(await main(['parse', join(DEBIAN_ETC, 'filter.d/sshd.conf')], a)).toBe(0);
    const model = JSON.parse(a.out);
    expect(model.sections.map((s: { name: string }) => s.name)).toEqual(['INCLUDES', 'DEFAULT', 'Definition']);
    const b = io();
    expect(await main(['roundtrip', join(DEBIAN_ETC, 'jail.conf')], b)).toBe(0);
    const dir = tempDir('single');
    trees.push(dir);
    writeTree(dir, { 'fail2ban/jail.local': '[sshd]\nbantime = soon\n', 'x.conf': '[Definition]\nfailregex = a\nfailregex = b\n' });
    const c = io();
    expect(await main(['check', join(dir, 'fail2ban/jail.local')], c)).toBe(1);
    expect(c.err).toMatch(/bad-time/);
    const d = io();
    expect(await main(['check', join(dir, 'x.conf')], d)).toBe(1);
    expect(d.err).toMatch(/duplicate-option/);
  });
});

describe('ban command', () => {
  it('substitutes the action parameters and the ticket as fail2ban does', () => {
    const dir = stockTree(SEED);
    trees.push(dir);
    const r = resolve(dir);
    const act = r.jails.find((j) => j.name === 'thp-ssh')!.actions[0]!;
    expect(banCommand(act, { ip: '192.0.2.7' }).command).toBe('iptables -w -I f2b-thp-ssh 1 -s 192.0.2.7 -j REJECT --reject-with icmp-port-unreachable');
    expect(banCommand(act, { ip: '2001:db8::1' }, 'actionunban').command).toBe('ip6tables -w -D f2b-thp-ssh -s 2001:db8::1 -j REJECT --reject-with icmp6-port-unreachable');
    expect(banCommand(act, { ip: '192.0.2.7' }, 'actionstart').command).toContain("for proto in $(echo 'tcp' | sed 's/,/ /g'); do");
    const sshd = r.jails.find((j) => j.name === 'sshd')!.actions[0]!;
    expect(banCommand(sshd, { ip: '192.0.2.7' }, 'actionstart').command).toContain('--dports 2201');
  });

  it('the stream has one jail per add, as commandsByJail groups it', () => {
    const groups = commandsByJail(parseDump("['add', 'a', 'auto']\n['set', 'a', 'maxretry', 5]\n['start', 'a']\n"));
    expect([...groups.get('a')!]).toEqual([['add', 'a', 'auto'], ['set', 'a', 'maxretry', 5]]);
  });
});

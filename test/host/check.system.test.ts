// `fwconf check FILE` sees the files alone; `fwconf check --host` reads the whole root and finds what
// breaks between the daemons. Roots are scratch copies of the default setup applied with the real
// `fwconf apply --root`; each finding is shown on a seeded mutation, and where a daemon can say so
// (sshd -T, fail2ban-client -t) the daemon agrees with the finding.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../src/builder/render.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { spawnAsync } from '../apply/fixtures.js';
import { appliedRoot, copyRoot, edit, fwconf, hostCodes, hostRoot, read, removeRoot, write } from './fixtures.js';

const roots: string[] = [];
const track = (r: string) => (roots.push(r), r);
afterAll(() => roots.forEach(removeRoot));

let base: string;
beforeAll(async () => {
  base = track(await appliedRoot());
});

/** A copy of the applied default setup (the ROOT/ROOT/var link copied as a link). */
const copy = () => track(copyRoot(base));

/** `sshd -T` on the root's tree (Include paths re-rooted): the ports it would listen on. */
async function sshdPorts(root: string, main = 'etc/ssh/sshd_config'): Promise<number[]> {
  const text = read(root, main).replace(/^(\s*Include\s+)\/etc\//gim, `$1${root}/etc/`);
  const scratch = path.join(root, 'etc/ssh/.sshd_config.test');
  fs.writeFileSync(scratch, text);
  const r = await spawnAsync(['sshd', '-T', '-f', scratch]);
  fs.rmSync(scratch);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.startsWith('port ')).map((l) => Number(l.slice(5)));
}

async function fail2banTest(root: string): Promise<{ ok: boolean; output: string }> {
  const r = await spawnAsync(['fail2ban-client', '-c', path.join(root, 'etc/fail2ban'), '-t']);
  return { ok: r.code === 0, output: r.stdout + r.stderr };
}

const hostOnly = (codes: string[]) => codes.filter((c) => c.startsWith('host/'));

describe('check FILE: the files alone', () => {
  it('every rendered file checks clean on a machine without the thpot user or /usr/sbin/thpot', async () => {
    const dir = track(fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-rendered-')));
    // The root has no /etc/passwd and no /usr/sbin: nothing of the machine can be looked up there.
    for (const f of render(DEFAULT_SPEC).files) {
      fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.content);
    }
    expect(fs.existsSync(path.join(dir, 'usr/sbin/thpot'))).toBe(false);
    const paths = render(DEFAULT_SPEC).files.map((f) => path.join(dir, f.path));
    expect(paths.some((p) => p.endsWith('ufw.sh'))).toBe(true);
    for (const p of paths) {
      for (const argv of [['check', p], ['check', '--root', dir, p]]) {
        const r = await fwconf(argv);
        expect({ argv, ...r }).toEqual({ argv, code: 0, out: '', err: '' });
      }
    }
    // The same tree as a host: there the honeypot's user is a fact of the machine, and it is missing.
    write(dir, 'etc/xinetd.conf', 'defaults\n{\n}\nincludedir /etc/xinetd.d\n');
    write(dir, 'etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
    const h = await hostCodes(dir);
    expect(h.code).toBe(1);
    const user = h.diagnostics.find((d) => d.code === 'xinetd/bad-value' && /Unknown user: thpot/.test(d.message));
    expect(user?.file).toBe(path.join(dir, 'etc/xinetd.d/thp-pasv'));
  });

  it('a ufw script line that is not a ufw command, or an unknown ufw command, is reported', async () => {
    const dir = track(fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-ufwsh-')));
    const p = path.join(dir, 'ufw.sh');
    fs.writeFileSync(p, '#!/bin/sh\nset -e\nufw allow 2201/tcp\nrm -f /tmp/x\nufw frobnicate\n');
    const r = await fwconf(['check', p]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${p}:4:1: warning: not a ufw command`);
    expect(r.err).toContain(`${p}:5:1: error: ufw has no command 'frobnicate' [ufw-script/unknown-command]`);
  });
});

describe('check --host on the default setup applied with apply --root', () => {
  it('has no finding, and the daemons agree: sshd on 2201 alone, fail2ban accepts the tree', async () => {
    const h = await hostCodes(base);
    expect(hostOnly(h.codes)).toEqual([]);
    expect(h.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(h.code).toBe(0);
    expect(await sshdPorts(base)).toEqual([2201]);
    expect((await fail2banTest(base)).ok).toBe(true);
  });

  it('Port 22 left active in sshd_config: honeypot-port-conflict; apply comments it out, sshd -T then shows 2201 alone', async () => {
    const root = copy();
    edit(root, 'etc/ssh/sshd_config', (t) => t.replace(/^#Port 22$/m, 'Port 22'));
    const portLine = read(root, 'etc/ssh/sshd_config').split('\n').indexOf('Port 22') + 1;
    expect(await sshdPorts(root)).toEqual([2201, 22]);
    const h = await hostCodes(root);
    expect(h.code).toBe(1);
    const c = h.diagnostics.find((d) => d.code === 'host/honeypot-port-conflict')!;
    expect(c.file).toBe(path.join(root, 'etc/xinetd.d/thp-pasv'));
    expect(c.related).toEqual([{ file: path.join(root, 'etc/ssh/sshd_config'), line: portLine, message: 'sshd listens on 22' }]);
    expect(c.fix).toMatch(/Port 22/);
    expect(h.codes).toContain('host/jail-port-mismatch');

    // apply fixes it: the main file's Port line is commented out (the original kept), nothing else changes
    const before = read(root, 'etc/ssh/sshd_config');
    const r = await fwconf(['apply', '--root', root, '--yes']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/-Port 22\n\+#Port 22/);
    expect(read(root, 'etc/ssh/sshd_config.orig')).toBe(before);
    expect(read(root, 'etc/ssh/sshd_config')).toBe(before.replace(/^Port 22$/m, '#Port 22'));
    expect(await sshdPorts(root)).toEqual([2201]);
    expect(hostOnly((await hostCodes(root)).codes)).toEqual([]);
  });

  it('a Port 22 in another drop-in is a conflict apply cannot fix: it refuses with the finding and writes nothing', async () => {
    const root = track(hostRoot());
    write(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf', 'Port 22\n');
    const r = await fwconf(['apply', '--root', root, '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/etc/xinetd.d/thp-pasv');
    expect(r.err).toContain('/etc/ssh/sshd_config.d/50-cloud-init.conf:1');
    expect(r.err).toContain('[host/honeypot-port-conflict]');
    expect(fs.existsSync(path.join(root, 'etc/xinetd.d/thp-pasv'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'))).toBe(false);
  });

  it('a drop-in read before the hardening one undoes its setting: drop-in-overrides (sshd -T agrees)', async () => {
    const root = copy();
    write(root, 'etc/ssh/sshd_config.d/00-aaa.conf', 'PasswordAuthentication yes\n');
    const h = await hostCodes(root);
    const d = h.diagnostics.find((x) => x.code === 'host/drop-in-overrides')!;
    expect(d.file).toBe(path.join(root, 'etc/ssh/sshd_config.d/00-aaa.conf'));
    expect(d.line).toBe(1);
    expect(d.related[0]!.file).toBe(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'));
    expect(read(root, 'etc/ssh/sshd_config.d/00-fwconf.conf').split('\n')[d.related[0]!.line - 1]).toMatch(/^PasswordAuthentication no/);
    const text = read(root, 'etc/ssh/sshd_config').replace(/^(\s*Include\s+)\/etc\//gim, `$1${root}/etc/`);
    fs.writeFileSync(path.join(root, 'x.conf'), text);
    const t = await spawnAsync(['sshd', '-T', '-f', path.join(root, 'x.conf')]);
    expect(t.stdout).toMatch(/^passwordauthentication yes$/m);
    // apply says so in its plan
    const fresh = track(hostRoot());
    write(fresh, 'etc/ssh/sshd_config.d/00-aaa.conf', 'PasswordAuthentication yes\n');
    const plan = await fwconf(['apply', '--root', fresh, '--dry-run']);
    expect(plan.out + plan.err).toMatch(/warning: \/etc\/ssh\/sshd_config\.d\/00-aaa\.conf:1: PasswordAuthentication yes is read before .*\[host\/drop-in-overrides\]/);
  });

  it("the sshd jail's port does not cover sshd's: jail-port-mismatch at the jail's port line", async () => {
    const root = copy();
    edit(root, 'etc/fail2ban/jail.local', (t) => t.replace(/^port = 2201$/m, 'port = ssh'));
    const line = read(root, 'etc/fail2ban/jail.local').split('\n').indexOf('port = ssh') + 1;
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/jail-port-mismatch')!;
    expect(d).toMatchObject({ file: path.join(root, 'etc/fail2ban/jail.local'), line, severity: 'error' });
    expect(d.message).toContain('2201');
    expect(d.fix).toContain('port = 2201');
  });

  it("the sshd jail's action blocks another port: ban-misses-ssh", async () => {
    const root = copy();
    edit(root, 'etc/fail2ban/jail.local', (t) => t.replace(/^port = 2201$/m, 'port = 2201\naction = iptables-multiport[name=sshd, port=22]'));
    const h = await hostCodes(root);
    expect(h.codes).toContain('host/ban-misses-ssh');
    expect(h.codes).not.toContain('host/jail-port-mismatch');
  });

  it('a jail whose log is missing: jail-log-missing names the missing directory; fail2ban-client -t refuses too', async () => {
    const root = copy();
    fs.rmSync(path.join(root, 'var/log/thpot'), { recursive: true });
    const h = await hostCodes(root);
    const d = h.diagnostics.find((x) => x.code === 'host/jail-log-missing')!;
    expect(d.message).toContain('[thp-ssh]');
    expect(d.message).toContain(`${root}/var/log/thpot does not exist`);
    expect(h.codes.filter((c) => c === 'host/jail-log-missing')).toHaveLength(1);
    expect(h.codes).not.toContain('fail2ban/logpath-no-file');
    const f = await fail2banTest(root);
    expect(f.ok).toBe(false);
    expect(f.output).toContain('Have not found any log file for thp-ssh jail');
  });

  it("a jail's filter file is missing: jail-filter-missing", async () => {
    const root = copy();
    fs.rmSync(path.join(root, 'etc/fail2ban/filter.d/thpot.local'));
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/jail-filter-missing')!;
    expect(d.message).toContain('[thp-ssh]');
    expect(d.fix).toContain('filter.d/thpot.conf');
  });

  it('a Japanese system locale: the honeypot without env LC_TIME=POSIX writes months fail2ban cannot read', async () => {
    const root = copy();
    write(root, 'etc/default/locale', 'LANG=ja_JP.UTF-8\n');
    expect(hostOnly((await hostCodes(root)).codes)).toEqual([]); // the rendered service sets LC_TIME=POSIX
    edit(root, 'etc/xinetd.d/thp-pasv', (t) => t.replace(/^\s*env\s*=.*\n/m, ''));
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/locale-dates')!;
    expect(d.file).toBe(path.join(root, 'etc/xinetd.d/thp-pasv'));
    expect(d.message).toContain('ja_JP.UTF-8');
    expect(d.related).toEqual([{ file: path.join(root, 'etc/default/locale'), line: 1, message: 'the system locale' }]);
    expect(d.fix).toContain('env = LC_TIME=POSIX');
  });

  it('a watched log that already holds Japanese months: locale-dates at its first such line', async () => {
    const root = copy();
    const captures = fs.readFileSync(new URL('../../fixtures/thpot/captures-ja_JP', import.meta.url), 'utf8');
    write(root, 'var/log/thpot/captures', captures);
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/locale-dates')!;
    expect(d.file).toBe(path.join(root, root, 'var/log/thpot/captures'));
    expect(d.line).toBe(1);
    expect(d.message).toMatch(/month '2月'.*ja_JP/);
  });

  it('the ufw script enables ufw without the SSH port: ssh-port-not-allowed, with the command', async () => {
    const root = copy();
    edit(root, 'etc/fwconf/ufw.sh', (t) => t.replace(/^ufw allow 2201\/tcp\n/m, ''));
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/ssh-port-not-allowed')!;
    expect(d).toMatchObject({ severity: 'error', command: 'ufw allow 2201/tcp', file: path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf') });
    expect(d.related[0]!.file).toBe(path.join(root, 'etc/fwconf/ufw.sh'));
  });

  it('ufw active by its files (user.rules without 2201) while the script would allow it: a warning until the script runs', async () => {
    const root = copy();
    write(root, 'etc/ufw/ufw.conf', 'ENABLED=yes\nLOGLEVEL=low\n');
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/ssh-port-not-allowed')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('until /etc/fwconf/ufw.sh runs');
  });

  it('ufw status given with --ufw-status, without the SSH port and no script: an error', async () => {
    const root = copy();
    fs.rmSync(path.join(root, 'etc/fwconf/ufw.sh'));
    const status = path.join(root, 'status.txt');
    fs.writeFileSync(
      status,
      'Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW IN    Anywhere                  \n\n',
    );
    const h = await hostCodes(root, ['--ufw-status', status]);
    const d = h.diagnostics.find((x) => x.code === 'host/ssh-port-not-allowed')!;
    expect(d.severity).toBe('error');
    expect(d.related[0]).toMatchObject({ file: status, line: 1 });
  });

  it('nftables.service enabled beside ufw: ufw-with-nftables', async () => {
    const root = copy();
    fs.mkdirSync(path.join(root, 'etc/systemd/system/sysinit.target.wants'), { recursive: true });
    fs.symlinkSync('/lib/systemd/system/nftables.service', path.join(root, 'etc/systemd/system/sysinit.target.wants/nftables.service'));
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/ufw-with-nftables')!;
    expect(d.command).toBe('systemctl disable nftables');
    expect(d.file).toBe(path.join(root, 'etc/systemd/system/sysinit.target.wants/nftables.service'));
    expect(d.severity).toBe('warning');
    // The file it loads, below the root: its tables are named, and one that drops sshd's port is an error.
    write(root, 'etc/nftables.conf', '#!/usr/sbin/nft -f\n\nflush ruleset\n\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t}\n}\n');
    const e = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/ufw-with-nftables')!;
    expect(e.severity).toBe('error');
    expect(e.message).toContain('whose table inet filter (input: hook input, policy drop) filters the same packets');
    expect(e.message).toContain('drops 2201/tcp, where sshd listens');
    expect(e.related).toContainEqual({ file: path.join(root, 'etc/nftables.conf'), line: 5, message: 'table inet filter' });
    edit(root, 'etc/nftables.conf', (t) => t.replace('tcp dport 22 accept', 'tcp dport { 22, 2201 } accept'));
    expect((await hostCodes(root)).diagnostics.find((x) => x.code === 'host/ufw-with-nftables')!.severity).toBe('warning');
  });

  it('recidive looking back further than dbpurgeage: recidive-vs-dbpurgeage; a longer dbpurgeage clears it', async () => {
    const root = copy();
    write(root, 'var/log/fail2ban.log', '');
    write(root, 'etc/fail2ban/jail.d/recidive.local', `[recidive]\nenabled = true\nlogpath = ${root}/var/log/fail2ban.log\nfindtime = 1w\n`);
    const d = (await hostCodes(root)).diagnostics.find((x) => x.code === 'host/recidive-vs-dbpurgeage')!;
    expect(d).toMatchObject({ file: path.join(root, 'etc/fail2ban/jail.d/recidive.local'), line: 4 });
    write(root, 'etc/fail2ban/fail2ban.local', '[Definition]\ndbpurgeage = 2w\n');
    expect((await hostCodes(root)).codes).not.toContain('host/recidive-vs-dbpurgeage');
  });

  it('an iptables-save dump whose ban chain comes after the ESTABLISHED accept: ban-before-accept', async () => {
    const root = copy();
    const dump = path.join(root, 'dump.txt');
    fs.writeFileSync(
      dump,
      '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:ufw-before-input - [0:0]\n:ufw-user-input - [0:0]\n:f2b-sshd - [0:0]\n' +
        '-A INPUT -j ufw-before-input\n-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A ufw-before-input -j ufw-user-input\n' +
        '-A ufw-user-input -p tcp -m multiport --dports 2201 -j f2b-sshd\n-A ufw-user-input -p tcp --dport 2201 -j ACCEPT\n-A f2b-sshd -j RETURN\nCOMMIT\n',
    );
    const d = (await hostCodes(root, ['--iptables-save', dump])).diagnostics.find((x) => x.code === 'host/ban-before-accept')!;
    expect(d).toMatchObject({ file: dump, line: 11 });
    expect(d.related).toEqual([{ file: dump, line: 9, message: 'the ESTABLISHED accept rule' }]);
    // fail2ban's own placement (its jump first in INPUT) is fine
    fs.writeFileSync(dump, fs.readFileSync(dump, 'utf8').replace('-A INPUT -j ufw-before-input\n', '-A INPUT -p tcp -m multiport --dports 2201 -j f2b-sshd\n-A INPUT -j ufw-before-input\n').replace('-A ufw-user-input -p tcp -m multiport --dports 2201 -j f2b-sshd\n', ''));
    expect((await hostCodes(root, ['--iptables-save', dump])).codes).not.toContain('host/ban-before-accept');
  });
});

describe('check --host on odd inputs', () => {
  it('an empty root says nothing was checked; a missing root is a usage error; bad input files are diagnosed', async () => {
    const empty = track(fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-empty-')));
    const e = await hostCodes(empty);
    expect(e).toMatchObject({ code: 0, codes: ['host/nothing-read'] });
    expect((await fwconf(['check', '--host', '--root', path.join(empty, 'nope')])).code).toBe(2);
    const bad = path.join(empty, 'bad.txt');
    fs.writeFileSync(bad, 'garbage\n');
    const b = await hostCodes(empty, ['--ufw-status', bad, '--iptables-save', bad]);
    expect(b.code).toBe(1);
    expect(b.diagnostics.filter((d) => d.file === bad).map((d) => d.code).sort()).toEqual(['iptables/outside-table', 'ufw/unknown-line']);
    const n = await hostCodes(empty, ['--nft-ruleset', bad]);
    expect(n.code).toBe(1);
    expect(n.diagnostics.filter((d) => d.file === bad).map((d) => [d.code, d.line])).toEqual([['host/nft-no-table', 1]]);
    const missing = await fwconf(['check', '--host', '--root', empty, '--ufw-status', path.join(empty, 'none.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('[fwconf/cannot-read]');
  });
});

describe('check output', () => {
  it('text: the finding, its related places and the fix; SARIF 2.1.0 with one rule per code', async () => {
    const root = copy();
    edit(root, 'etc/ssh/sshd_config', (t) => t.replace(/^#Port 22$/m, 'Port 22'));
    const text = await fwconf(['check', '--host', '--root', root]);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(new RegExp(`^${root}/etc/xinetd.d/thp-pasv:\\d+:1: error: .* \\[host/honeypot-port-conflict\\]\\n  ${root}/etc/ssh/sshd_config:\\d+: note: sshd listens on 22\\n  fix: `, 'm'));
    const s = await fwconf(['check', '--host', '--root', root, '--sarif']);
    expect(s.code).toBe(1);
    const log = JSON.parse(s.out);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('fwconf');
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'host/honeypot-port-conflict');
    expect(result.level).toBe('error');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('host/honeypot-port-conflict');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(`file://${root}/etc/xinetd.d/thp-pasv`);
    expect(result.relatedLocations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    const usage = await fwconf(['check', '--host', 'x']);
    expect(usage.code).toBe(2);
  });
});

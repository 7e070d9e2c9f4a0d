import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { FIXTURES, host } from './seed-files.js';

const SPEC = path.join(FIXTURES, 'spec/seed.yaml');

function capture(opts: { interactive?: boolean; stdin?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdin: async () => opts.stdin ?? '',
    interactive: opts.interactive ?? false,
    env: { PATH: process.env.PATH, USER: 'alice', ...opts.env },
    cwd: process.cwd(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

let root: string;
function snapshot(): Record<string, string> {
  const res: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else res[path.relative(root, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(root);
  return res;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-cli-'));
  fs.mkdirSync(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/ssh/sshd_config'), host('sshd_config.debian'));
  fs.cpSync('/etc/fail2ban', path.join(root, 'etc/fail2ban'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc/xinetd.d'));
  fs.mkdirSync(path.join(root, 'var/log/thpot'), { recursive: true });
  fs.writeFileSync(path.join(root, 'var/log/thpot/captures'), '');
  fs.writeFileSync(path.join(root, 'var/log/auth.log'), '');
  fs.writeFileSync(path.join(root, 'etc/fail2ban/jail.d/zz-scratch.local'), `[sshd]\nlogpath = ${root}/var/log/auth.log\nbackend = polling\n[thp-ssh]\nlogpath = ${root}/var/log/thpot/captures\n`);
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'alice:x:1000:1000::/home/alice:/bin/sh\n');
  fs.mkdirSync(path.join(root, 'home/alice/.ssh'), { recursive: true });
  fs.writeFileSync(path.join(root, 'home/alice/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake alice\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('fwconf apply', () => {
  it('--help', async () => {
    const c = capture();
    expect(await main(['apply', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: fwconf apply [SPEC]');
    expect(c.out()).toContain('--allow-lockout');
  });

  it('usage errors exit 2', async () => {
    const c = capture();
    expect(await main(['apply', '--bogus'], c.io)).toBe(2);
    expect(await main(['apply', 'a', 'b'], c.io)).toBe(2);
  });

  it('an invalid spec exits 1 with its errors on stderr', async () => {
    const bad = path.join(root, 'bad.yaml');
    fs.writeFileSync(bad, 'ssh:\n  port: 99999\n');
    const c = capture();
    expect(await main(['apply', bad, '--root', root, '--yes'], c.io)).toBe(1);
    expect(c.err()).toMatch(/bad\.yaml:2:\d+: error: .*ssh\.port/);
  });

  it('refuses without --yes when not a terminal; asks on a terminal', async () => {
    const before = snapshot();
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root], c.io)).toBe(1);
    expect(c.err()).toContain('not a terminal: give --yes');
    expect(c.out()).toContain('+Port 2201');
    expect(snapshot()).toEqual(before);
    const no = capture({ interactive: true, stdin: 'n\n' });
    expect(await main(['apply', SPEC, '--root', root], no.io)).toBe(1);
    expect(no.out()).toContain('Apply these changes? [y/N]');
    expect(snapshot()).toEqual(before);
    const yes = capture({ interactive: true, stdin: 'y\n' });
    expect(await main(['apply', SPEC, '--root', root], yes.io)).toBe(0);
    expect(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'), 'utf8')).toContain('Port 2201');
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const before = snapshot();
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root, '--dry-run'], c.io)).toBe(0);
    expect(c.out()).toContain('--- /dev/null');
    expect(c.out()).toContain('fail2ban-client -c');
    expect(c.out()).toContain('Dry run: nothing was changed');
    expect(c.out()).toMatch(/would run: .*sshd -t -f/);
    expect(snapshot()).toEqual(before);
  });

  it('applies with --yes, then says a second apply has nothing to do', async () => {
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root, '--yes'], c.io), c.err() + c.out()).toBe(0);
    expect(c.out()).toContain('Applied: 5 file(s) installed.');
    expect(c.out()).toContain('skip     systemctl reload ssh — not the live system');
    const c2 = capture();
    expect(await main(['apply', SPEC, '--root', root, '--yes'], c2.io)).toBe(0);
    expect(c2.out()).toContain('Nothing changed: already applied.');
  });

  it('refuses a lockout and exits 1; --allow-lockout overrides', async () => {
    fs.rmSync(path.join(root, 'home/alice/.ssh/authorized_keys'));
    const before = snapshot();
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root, '--yes'], c.io)).toBe(1);
    expect(c.err()).toContain('password logins are disabled and alice has no authorized key');
    expect(snapshot()).toEqual(before);
    expect(await main(['apply', SPEC, '--root', root, '--yes', '--allow-lockout'], capture().io)).toBe(0);
  });

  it('exits 1 when it rolled back', async () => {
    // a jail.d override naming a filter that does not exist: fail2ban-client -t fails on the new tree
    fs.writeFileSync(path.join(root, 'etc/fail2ban/jail.d/zz-broken.local'), '[thp-ssh]\nfilter = no-such-filter\n');
    const before = snapshot();
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root, '--yes'], c.io)).toBe(1);
    expect(c.out()).toContain('Rolled back:');
    expect(c.err()).toContain('rolled back');
    const after = snapshot();
    expect(after).toEqual(before);
  });
});

describe('fwconf apply without a SPEC', () => {
  it('renders the built-in seed setup', async () => {
    const c = capture();
    expect(await main(['apply', '--root', root, '--dry-run'], c.io), c.err()).toBe(0);
    for (const p of ['/etc/ssh/sshd_config.d/00-fwconf.conf', '/etc/xinetd.d/thp-pasv', '/etc/fail2ban/jail.local', '/etc/fail2ban/filter.d/thpot.local', '/etc/fwconf/ufw.sh'])
      expect(c.out()).toContain(`b${p}`);
    expect(c.out()).toContain('+Port 2201');
  });
});

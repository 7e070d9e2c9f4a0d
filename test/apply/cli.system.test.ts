import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { FIXTURES, scratchRoot, snapshotTree } from './fixtures.js';

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
const snapshot = () => snapshotTree(root);

beforeEach(() => {
  root = scratchRoot();
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

  it('a --root that is missing or not a directory exits 1 before anything is written', async () => {
    const before = snapshot();
    const file = path.join(root, 'etc/ssh/sshd_config');
    const c = capture();
    expect(await main(['apply', SPEC, '--root', file, '--yes', '--allow-lockout'], c.io)).toBe(1);
    expect(c.err()).toContain(`--root ${file}: not a directory`);
    expect(c.out()).toBe('');
    const m = capture();
    expect(await main(['apply', SPEC, '--root', path.join(root, 'nope'), '--yes'], m.io)).toBe(1);
    expect(m.err()).toContain(`--root ${path.join(root, 'nope')}: no such directory`);
    expect(snapshot()).toEqual(before);
  });

  it('reads the spec from standard input with -', async () => {
    const c = capture({ stdin: fs.readFileSync(SPEC, 'utf8') });
    expect(await main(['apply', '-', '--root', root, '--dry-run'], c.io)).toBe(0);
    expect(c.out()).toContain('+Port 2201');
    const bad = capture({ stdin: 'ssh:\n  port: 99999\n' });
    expect(await main(['apply', '-', '--root', root, '--dry-run'], bad.io)).toBe(1);
    expect(bad.err()).toMatch(/^<stdin>:2:9: error: .*ssh\.port/m);
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
    // the validators run, read-only, on a staged copy of the tree the apply would leave
    expect(c.out()).toMatch(/ok +validate +sshd -t -f \/etc\/ssh\/sshd_config \(on a staged copy\)/);
    expect(c.out()).not.toMatch(/would run: .*sshd -t -f/);
    // under --root the live firewall is not the one configured: nftables is not looked at
    expect(c.out()).toContain(`Note: not the live system (dry run (local, root ${fs.realpathSync(root)})): nftables was not checked for hand-made tables beside ufw`);
    expect(c.err()).not.toContain('nftables');
    expect(snapshot()).toEqual(before);
  });

  it('--dry-run claims only what it would really do: no directory that exists, no file that is not there', async () => {
    fs.writeFileSync(path.join(root, 'etc/xinetd.d/thp-pasv'), 'service thp-pasv\n{\n}\n'); // an original to keep
    const c = capture();
    expect(await main(['apply', SPEC, '--root', root, '--dry-run'], c.io), c.err()).toBe(0);
    const log = c.out().split('Dry run: nothing was changed. It would:\n')[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
    // replay the log over the real tree: every claim must hold where it is made
    const exists = (p: string) => fs.existsSync(path.join(root, p));
    const made = new Set<string>();
    const gone = new Set<string>();
    const present = (p: string) => !gone.has(p) && (made.has(p) || exists(p));
    const created: string[] = [];
    for (const line of log) {
      let m: RegExpExecArray | null;
      if ((m = /^would create directory (\S+)$/.exec(line))) {
        expect(present(m[1]!), line).toBe(false);
        made.add(m[1]!);
        created.push(m[1]!);
      } else if ((m = /^would write (\S+) /.exec(line))) {
        expect(present(path.posix.dirname(m[1]!)), line).toBe(true);
        made.add(m[1]!);
        gone.delete(m[1]!);
      } else if ((m = /^would rename (\S+) -> (\S+)$/.exec(line))) {
        expect(present(m[1]!), line).toBe(true);
        gone.add(m[1]!);
        made.add(m[2]!);
        gone.delete(m[2]!);
      } else if ((m = /^would keep the original (\S+) as (\S+) /.exec(line))) {
        expect(present(m[1]!), line).toBe(true);
        expect(present(m[2]!), line).toBe(false);
        made.add(m[2]!);
      } else if ((m = /^would remove (\S+)$/.exec(line))) {
        expect(present(m[1]!), line).toBe(true);
        gone.add(m[1]!);
        made.delete(m[1]!);
      } else expect(line).toMatch(/^would run: /);
    }
    // the directories that are missing, and those only (etc/fail2ban, etc/ssh, ... exist)
    expect(created).toEqual(['/var/lib', '/var/lib/fwconf', '/etc/fwconf']);
    expect(log).toContain('would keep the original /etc/xinetd.d/thp-pasv as /etc/xinetd.d/thp-pasv.orig (a second name for the same file)');
    expect(log.filter((l) => l.startsWith('would remove /var/lib'))).toEqual(['would remove /var/lib/fwconf/apply-journal.json', 'would remove /var/lib/fwconf', 'would remove /var/lib']);
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

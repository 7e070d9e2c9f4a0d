// Reads below --root never leave it through a symbolic link (issue 14): the attack on a scratch root
// for each command that reads a tree (fail2ban resolve and check, xinetd effective, sshd effective,
// check), with canary files outside the root that must never show up; links between files of the tree
// (absolute ones included, as the daemon chrooted there would take them) keep working; a loop is a
// diagnostic, not a crash. The apply executor's reads go through the same resolver.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalExecutor, PathEscapeError } from '../../src/apply/index.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from './capture-io.js';

let scratch: string;
let root: string;
let outside: string;

const CANARY = 'CANARY-FROM-HOST';

/** Writes files below the root (`/etc/x` is `root/etc/x`). */
function put(files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

/** A symbolic link at `at` (below the root) with `target` written as is. */
function link(target: string, at: string): void {
  mkdirSync(dirname(join(root, at)), { recursive: true });
  symlinkSync(target, join(root, at));
}

/** A file outside the root that must never be read, holding the canary. */
function hostFile(name: string, text: string): string {
  const p = join(outside, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ cwd: scratch });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'fwconf-root-links-'));
  root = join(scratch, 'root');
  outside = join(scratch, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const JAIL = '[DEFAULT]\nbackend = polling\n\n[sshd]\nenabled = true\nfilter = x\nlogpath = /var/log/auth.log\naction =\n';

describe('fail2ban resolve/check --root', () => {
  beforeEach(() => put({ '/etc/fail2ban/jail.conf': JAIL, '/var/log/auth.log': '' }));

  it('a filter linked to a host file (absolute target) is not read: the jail has no filter, a warning names the link', async () => {
    link(hostFile('filter.conf', `[Definition]\nfailregex = ${CANARY} <HOST>\n`), '/etc/fail2ban/filter.d/x.conf');
    for (const argv of [['fail2ban', 'resolve', '--root', root], ['fail2ban', 'resolve', '--root', root, '--json'], ['fail2ban', 'check', '--root', root]]) {
      const r = await run(argv);
      expect(r.out + r.err, argv.join(' ')).not.toContain(CANARY);
      expect(r.err).toContain('/etc/fail2ban/filter.d/x.conf:1:1: warning: symbolic link to ');
      expect(r.err).toContain('[fwconf/symlink-outside-root]');
    }
    expect((await run(['fail2ban', 'resolve', '--root', root])).out).toContain("skipped by fail2ban: Unable to read the filter 'x'");
  });

  it('a relative link climbing above the root stops at it, like .. at a chroot', async () => {
    hostFile('filter.conf', `[Definition]\nfailregex = ${CANARY} <HOST>\n`);
    // From root/etc/fail2ban/filter.d, five ..s reach the scratch directory on the host.
    link('../../../../../outside/filter.conf', '/etc/fail2ban/filter.d/x.conf');
    const r = await run(['fail2ban', 'resolve', '--root', root]);
    expect(r.out + r.err).not.toContain(CANARY);
    expect(r.err).toContain('[fwconf/symlink-outside-root]');
    // The same link with the file at /outside/filter.conf inside the root: that is what it names there.
    put({ '/outside/filter.conf': '[Definition]\nfailregex = INSIDE-ROOT <HOST>\n' });
    const again = await run(['fail2ban', 'resolve', '--root', root]);
    expect(again.out).toContain('failregex INSIDE-ROOT <HOST>');
    expect(again.out + again.err).not.toContain(CANARY);
  });

  it('a linked filter.d directory pointing at the host is not listed or read', async () => {
    hostFile('filters/x.conf', `[Definition]\nfailregex = ${CANARY} <HOST>\n`);
    link(join(outside, 'filters'), '/etc/fail2ban/filter.d');
    const r = await run(['fail2ban', 'resolve', '--root', root, '--json']);
    expect(r.out + r.err).not.toContain(CANARY);
  });

  it('links between files of the tree keep working, absolute ones taken below the root', async () => {
    put({ '/srv/filters/real-x.conf': '[Definition]\nfailregex = FROM-THE-TREE <HOST>\n', '/etc/fail2ban/filter.d/x.local': '[Definition]\nignoreregex = LOCAL\n' });
    // Absolute target: /srv/filters in the root, not on the host (where it does not exist anyway).
    link('/srv/filters/real-x.conf', '/etc/fail2ban/filter.d/x.conf');
    // A linked jail.d directory, relative.
    put({ '/etc/fail2ban/jails/more.local': '[sshd]\nmaxretry = 7\n' });
    link('../fail2ban/jails', '/etc/fail2ban/jail.d');
    const r = await run(['fail2ban', 'resolve', '--root', root]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('failregex FROM-THE-TREE <HOST>');
    expect(r.out).toContain('ignoreregex LOCAL');
    expect(r.out).toMatch(/maxretry = 7 \(\/etc\/fail2ban\/jail\.d\/more\.local:2/);
    const c = await run(['fail2ban', 'check', '--root', root]);
    expect(c.err).not.toContain('symlink');
  });

  it('a symbolic-link loop is an error naming the links, exit 1, no crash', async () => {
    link('y.conf', '/etc/fail2ban/filter.d/x.conf');
    link('/etc/fail2ban/filter.d/x.conf', '/etc/fail2ban/filter.d/y.conf');
    for (const sub of ['resolve', 'check']) {
      const r = await run(['fail2ban', sub, '--root', root]);
      expect(r.code, sub).toBe(1);
      expect(r.err).toMatch(/\/etc\/fail2ban\/filter\.d\/x\.conf:1:1: error: cannot read: too many levels of symbolic links \(a loop: \/etc\/fail2ban\/filter\.d\/x\.conf -> y\.conf, \/etc\/fail2ban\/filter\.d\/y\.conf -> \/etc\/fail2ban\/filter\.d\/x\.conf\) \[fwconf\/symlink-loop\]/);
    }
  });
});

const XINETD_CONF = 'defaults\n{\n}\nincludedir /etc/xinetd.d\n';
const service = (name: string, port: number) =>
  `service ${name}\n{\n\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n\tuser = root\n\tserver = /usr/sbin/in.${name}\n\ttype = UNLISTED\n\tport = ${port}\n}\n`;

describe('xinetd effective --root', () => {
  beforeEach(() => put({ '/etc/xinetd.conf': XINETD_CONF, '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n', '/etc/group': 'root:x:0:\n', '/usr/sbin/in.inside': '', '/usr/sbin/in.canary': '' }));

  it('a service file linked to the host (absolute target, or included directly) is not read', async () => {
    link(hostFile('xsvc', service('canary', 9999).replace('server = ', `server_args = ${CANARY}\n\tserver = `)), '/etc/xinetd.d/canary');
    put({ '/etc/xinetd.conf': XINETD_CONF + `include /etc/other\n` });
    link(hostFile('other', service('canary2', 9998) + `# ${CANARY}\n`), '/etc/other');
    for (const argv of [['xinetd', 'effective', '--root', root], ['xinetd', 'effective', '--root', root, '--json']]) {
      const r = await run(argv);
      expect(r.out + r.err).not.toContain(CANARY);
      expect(r.out + r.err).not.toContain('canary2');
      expect(r.out).toMatch(argv.includes('--json') ? /"services": \[\]/ : /services \(0\)/);
      expect(r.err).toContain('/etc/xinetd.d/canary:1:1: warning: symbolic link to ');
      expect(r.err).toContain('/etc/xinetd.conf:5:1: error: Unable to open included configuration file: /etc/other [xinetd/include-missing]');
    }
  });

  it('a linked includedir and a linked --conf stay inside the root', async () => {
    hostFile('dir/canary', service('canary', 9999) + `# ${CANARY}\n`);
    link(join(outside, 'dir'), '/etc/xinetd.d');
    link(hostFile('xinetd.conf', `# ${CANARY}\n` + XINETD_CONF), '/etc/xinetd-host.conf');
    const r = await run(['xinetd', 'effective', '--root', root]);
    expect(r.out + r.err).not.toContain(CANARY);
    expect(r.err).toContain('Unable to read included directory: /etc/xinetd.d');
    const c = await run(['xinetd', 'effective', '--root', root, '--conf', '/etc/xinetd-host.conf']);
    expect(c.out + c.err).not.toContain(CANARY);
    expect(c.code).toBe(1);
    expect(c.err).toContain('/etc/xinetd-host.conf:1:1: error: cannot read /etc/xinetd-host.conf: no such file [xinetd/unreadable]');
  });

  it('links between files of the tree keep working (absolute targets below the root)', async () => {
    put({ '/srv/xinetd/inside': service('inside', 7777) });
    link('/srv/xinetd/inside', '/etc/xinetd.d/inside');
    const r = await run(['xinetd', 'effective', '--root', root]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('services (1)\n  inside  /etc/xinetd.d/inside:1\n');
    expect(r.out).toContain('port         7777');
  });

  it('a symbolic-link loop is an error, exit 1, no crash', async () => {
    link('b', '/etc/xinetd.d/a');
    link('a', '/etc/xinetd.d/b');
    const r = await run(['xinetd', 'effective', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/etc/xinetd.d/a:1:1: error: cannot read: too many levels of symbolic links (a loop: /etc/xinetd.d/a -> b, /etc/xinetd.d/b -> a) [fwconf/symlink-loop]');
  });
});

describe('sshd effective --root and check --root', () => {
  const MAIN = 'Include /etc/ssh/sshd_config.d/*.conf\nPort 2201\n';

  it('a drop-in linked to the host is not read (absolute target, and a relative one climbing out)', async () => {
    put({ '/etc/ssh/sshd_config': MAIN });
    link(hostFile('drop.conf', `Banner /${CANARY}\n`), '/etc/ssh/sshd_config.d/a.conf');
    link(`../../../../../../../..${join(outside, 'drop.conf')}`, '/etc/ssh/sshd_config.d/b.conf');
    const r = await run(['sshd', 'effective', join(root, 'etc/ssh/sshd_config'), '--root', root]);
    expect(r.out + r.err).not.toContain(CANARY);
    expect(r.code).toBe(0);
    expect(r.out).toBe('port 2201\nlistenaddress [::]:2201\nlistenaddress 0.0.0.0:2201\n');
    expect(r.err).toContain('/etc/ssh/sshd_config.d/a.conf:1:1: warning: symbolic link to ');
    expect(r.err).toContain('/etc/ssh/sshd_config.d/b.conf:1:1: warning: symbolic link to ');
    const c = await run(['check', '--format', 'sshd', '--root', root, join(root, 'etc/ssh/sshd_config')]);
    expect(c.out + c.err).not.toContain(CANARY);
  });

  it('a linked sshd_config.d directory pointing at the host is not listed', async () => {
    put({ '/etc/ssh/sshd_config': MAIN });
    hostFile('dropins/x.conf', `Banner /${CANARY}\n`);
    link(join(outside, 'dropins'), '/etc/ssh/sshd_config.d');
    const r = await run(['sshd', 'effective', join(root, 'etc/ssh/sshd_config'), '--root', root]);
    expect(r.out + r.err).not.toContain(CANARY);
    expect(r.code).toBe(0);
  });

  it('links between files of the tree keep working (an absolute target is below the root)', async () => {
    put({ '/etc/ssh/sshd_config': MAIN, '/etc/ssh/shared/banner.conf': 'Banner /etc/issue.net\n', '/etc/ssh/shared/d/x.conf': 'MaxAuthTries 3\n' });
    link('/etc/ssh/shared/banner.conf', '/etc/ssh/sshd_config.d/10-banner.conf');
    link('../shared/d/x.conf', '/etc/ssh/sshd_config.d/20-x.conf');
    const r = await run(['sshd', 'effective', join(root, 'etc/ssh/sshd_config'), '--root', root]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('banner /etc/issue.net\n');
    expect(r.out).toContain('maxauthtries 3\n');
  });

  it('a symbolic-link loop is an error, exit 1, no crash', async () => {
    put({ '/etc/ssh/sshd_config': MAIN });
    link('loop.conf', '/etc/ssh/sshd_config.d/loop.conf');
    const r = await run(['sshd', 'effective', join(root, 'etc/ssh/sshd_config'), '--root', root]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/etc/ssh/sshd_config.d/loop.conf:1:1: error: cannot read: too many levels of symbolic links (a loop: /etc/ssh/sshd_config.d/loop.conf -> loop.conf) [fwconf/symlink-loop]');
  });
});

describe('apply executor reads below a root', () => {
  // Stricter than the read-only commands: the validators apply runs (sshd -t -f R/...) resolve links on
  // host paths, so the executor follows only links that a chroot and this host resolve alike.
  it('a relative link inside the root reads the root file; an absolute one, inside or to a host file, is refused, never read', async () => {
    put({ '/etc/ssh/real.conf': 'Port 2201\n', '/etc/ssh/abs.conf': 'Port 2202\n' });
    link('real.conf', '/etc/ssh/sshd_config');
    link('/etc/ssh/abs.conf', '/etc/ssh/abs');
    link(hostFile('jail.local', `[${CANARY}]\n`), '/etc/fail2ban/jail.local');
    const exec = new LocalExecutor({ root });
    expect(Buffer.from((await exec.read('/etc/ssh/sshd_config'))!).toString()).toBe('Port 2201\n');
    await expect(exec.read('/etc/ssh/abs')).rejects.toThrow(/absolute path/);
    await expect(exec.read('/etc/fail2ban/jail.local')).rejects.toThrow(PathEscapeError);
    await expect(exec.write('/etc/fail2ban/jail.local', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(PathEscapeError);
    expect(readFileSync(join(outside, 'jail.local'), 'utf8')).toBe(`[${CANARY}]\n`);
    link('l2', '/etc/l1');
    link('l1', '/etc/l2');
    await expect(exec.read('/etc/l1')).rejects.toThrow(/too many levels of symbolic links/);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DEFAULT_SPEC, EXAMPLE_SPEC_YAML } from '../../src/builder/default-spec.js';
import { loadSpec } from '../../src/builder/load.js';
import { MARKER, render, SpecError } from '../../src/builder/render.js';
import { specSchema } from '../../src/builder/spec.js';
import { captureIo } from '../cli/capture-io.js';
import { ALGORITHMS } from '../../src/sshd/algorithms.js';
import { weakAlgorithms } from '../../src/sshd/policy.js';
import { fail2banModel, sshdModel, xinetdModel } from './readback.js';

const tmp = mkdtempSync(join(tmpdir(), 'fwconf-builder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const byPath = (files: readonly { path: string; content: string }[]) => Object.fromEntries(files.map((f) => [f.path, f]));

describe('render(DEFAULT_SPEC)', () => {
  const result = render(DEFAULT_SPEC);
  const files = byPath(result.files);

  it('produces the seed setup', () => {
    expect(result.files.map((f) => [f.path, f.format, f.service, f.mode.toString(8)])).toEqual([
      ['/etc/ssh/sshd_config.d/00-fwconf.conf', 'sshd', 'sshd', '644'],
      ['/etc/xinetd.d/thp-pasv', 'xinetd', 'xinetd', '644'],
      ['/etc/fail2ban/jail.local', 'fail2ban', 'fail2ban', '644'],
      ['/etc/fail2ban/filter.d/thpot.local', 'fail2ban', 'fail2ban', '644'],
      ['/etc/fwconf/ufw.sh', 'shell', 'ufw', '755'],
    ]);
    for (const f of result.files) expect(f.content).toContain(`# ${MARKER}`);
  });

  it('sshd drop-in: port 2201 and the hardening, read back through the sshd parser', () => {
    // sshd's default list without what the audit's baseline calls weak, in sshd's order.
    const weakless = (k: string) => ALGORITHMS[k]!.defaults.filter((a) => !weakAlgorithms(k).includes(a)).join(',');
    expect(sshdModel(files['/etc/ssh/sshd_config.d/00-fwconf.conf']!.content)).toEqual({
      global: [
        ['Port', ['2201']],
        ['PermitRootLogin', ['no']],
        ['PasswordAuthentication', ['no']],
        ['KbdInteractiveAuthentication', ['no']],
        ['PermitEmptyPasswords', ['no']],
        ['PubkeyAuthentication', ['yes']],
        ['X11Forwarding', ['no']],
        ['MaxAuthTries', ['3']],
        ['LoginGraceTime', ['30']],
        ['ClientAliveInterval', ['300']],
        ['ClientAliveCountMax', ['2']],
        ['AllowAgentForwarding', ['no']],
        ['AllowTcpForwarding', ['no']],
        ['KexAlgorithms', [weakless('kexalgorithms')]],
        ['MACs', [weakless('macs')]],
        ['HostKeyAlgorithms', [weakless('hostkeyalgorithms')]],
      ],
      matches: [],
    });
    expect(result.notes.join('\n')).toMatch(/port 2201.*PermitRootLogin no/);
  });

  it('xinetd thp-pasv as the seed has it, plus env = LC_TIME=POSIX (and a note saying why)', () => {
    expect(xinetdModel(files['/etc/xinetd.d/thp-pasv']!.content)).toEqual({
      'thp-pasv': {
        type: ['UNLISTED'], socket_type: ['stream'], protocol: ['tcp'], port: ['22'], wait: ['no'], user: ['thpot'],
        server: ['/usr/sbin/thpot'], server_args: ['nullresp'], env: ['LC_TIME=POSIX'], nice: ['10'], disable: ['no'], instances: ['1'], per_source: ['1'],
      },
    });
    expect(files['/etc/xinetd.d/thp-pasv']!.content).toMatch(/^# env LC_TIME=POSIX: thpot's capture dates stay in English, so fail2ban can read them\.$/m);
    expect(result.notes.join('\n')).toMatch(/thp-pasv runs thpot with LC_TIME=POSIX: .*strftime.*fail2ban cannot read the dates/);
    expect(EXAMPLE_SPEC_YAML).toMatch(/env: \[LC_TIME=POSIX\] +# thpot writes capture dates in LC_TIME's language/);
  });

  it('jail.local holds only the three jails, filter.d/thpot.local the failregex', () => {
    expect(fail2banModel(files['/etc/fail2ban/jail.local']!.content)).toEqual({
      sshd: { enabled: 'true', port: '2201' },
      'thp-ssh': { enabled: 'true', filter: 'thpot', logpath: '/var/log/thpot/captures', port: 'all', banaction: 'iptables-allports', maxretry: '3', findtime: '1800', bantime: '99999' },
      'nginx-http-auth': { enabled: 'true', logpath: '%(nginx_error_log)s' },
    });
    expect(files['/etc/fail2ban/filter.d/thpot.local']!.content).toMatch(/^\[Definition\]\nfailregex = SRC=<HOST>\n$/m);
  });

  it('ufw script: defaults and the three allow rules', () => {
    const s = files['/etc/fwconf/ufw.sh']!.content;
    expect(s.startsWith('#!/bin/sh\n')).toBe(true);
    for (const l of ['ufw default deny incoming', 'ufw default allow outgoing', 'ufw allow 2201/tcp', 'ufw allow 80/tcp', 'ufw allow 443/tcp', 'ufw --force enable'])
      expect(s.split('\n')).toContain(l);
  });

  it('every file passes fwconf check and fwconf roundtrip (in process)', async () => {
    const dir = join(tmp, 'check');
    // xinetd checks that the server is executable (thpot is not packaged in Debian 12): provide one under --root.
    mkdirSync(join(dir, 'usr/sbin'), { recursive: true });
    writeFileSync(join(dir, 'usr/sbin/thpot'), '#!/bin/sh\n', { mode: 0o755 });
    for (const f of result.files) {
      if (f.format === 'shell') continue;
      const p = join(dir, f.path);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, f.content);
      const check = captureIo();
      expect(await main(['check', '--format', f.format, '--root', dir, p], check), `${f.path}: ${check.err}`).toBe(0);
      expect(check.err).toBe('');
      const rt = captureIo();
      expect(await main(['roundtrip', '--format', f.format, p], rt)).toBe(0);
    }
  });
});

describe('the spec', () => {
  it('the example YAML is the built-in spec', () => {
    const loaded = loadSpec(EXAMPLE_SPEC_YAML, { file: 'example.yaml' });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.spec).toEqual(specSchema.parse(DEFAULT_SPEC));
    expect(render(loaded.spec!)).toEqual(render(DEFAULT_SPEC));
  });

  it('JSON specs are read too', () => {
    const loaded = loadSpec(JSON.stringify(DEFAULT_SPEC, null, 2), { file: 'spec.json' });
    expect(render(loaded.spec!)).toEqual(render(DEFAULT_SPEC));
  });

  const errors = (text: string) =>
    loadSpec(text, { file: 's.yaml' }).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);

  it('schema errors name the path and its line:col', () => {
    expect(errors('ssh:\n  port: 70000\n  settings:\n    Permitrootlogin: "no"\n    LogLevel: LOUD\n')).toEqual([
      '2:9: error: ssh.port: Too big: expected number to be <=65535 [builder/schema]',
      '4:5: error: ssh.settings.Permitrootlogin: unknown sshd keyword \'Permitrootlogin\' (did you mean \'PermitRootLogin\'?) [builder/unknown-key]',
      '5:15: error: ssh.settings.LogLevel: Invalid option: expected one of "QUIET"|"FATAL"|"ERROR"|"INFO"|"VERBOSE"|"DEBUG"|"DEBUG1"|"DEBUG2"|"DEBUG3" [builder/schema]',
    ]);
    expect(errors('ssh:\n  match:\n    - criteria: all\n      settings: { Port: 22 }\n')).toEqual([
      "4:19: error: ssh.match[0].settings.Port: 'Port' is not allowed inside a Match block [builder/unknown-key]",
    ]);
    expect(errors('ssh: [1\n')[0]).toMatch(/^\d+:\d+: error: .* \[builder\/yaml-syntax\]$/);
  });

  it('unsafe values are refused at their position', () => {
    expect(errors('ssh:\n  settings:\n    Banner: "/etc/x\\nPermitRootLogin yes"\n')).toEqual([
      '3:13: error: ssh.settings.Banner: must not contain a newline [builder/unsafe-character]',
    ]);
    expect(errors('honeypots:\n  - name: hp\n    port: 2222\n    args: [nullresp, "a b"]\n')).toEqual([
      '4:22: error: honeypots[0].args[1]: must not contain white space (xinetd has no quoting) [builder/unsafe-character]',
    ]);
    expect(errors('fail2ban:\n  jails:\n    x:\n      filter: "sshd ; evil"\n')).toEqual([
      "4:15: error: fail2ban.jails.x.filter: a ';' at the start or after white space starts a comment in fail2ban [builder/unsafe-character]",
    ]);
    expect(errors('fail2ban:\n  jails:\n    x:\n      extra: { ignorecommand: "100%" }\n')).toEqual([
      "4:31: error: fail2ban.jails.x.extra.ignorecommand: a '%' must be '%%' or start %(name)s (fail2ban interpolation); use literal() for text [builder/unsafe-character]",
    ]);
    expect(errors("ssh:\n  port: 2201\nufw:\n  rules:\n    - { action: allow, port: 2201, proto: tcp, comment: \"it's\" }\n")).toEqual([
      "5:57: error: ufw.rules[0].comment: ufw refuses comments that contain \"'\" [builder/unsafe-character]",
    ]);
  });

  it('cross-field checks', () => {
    expect(
      errors(
        'ssh:\n  port: 2201\nhoneypots:\n  - { name: a, port: 2201 }\n  - { name: b, port: 23 }\n  - { name: c, port: 23 }\nfail2ban:\n  jails:\n    sshd: { port: 22 }\nufw:\n  rules:\n    - { action: allow, port: 22, proto: tcp }\n    - { action: allow, port: 23, proto: tcp }\n',
      ),
    ).toEqual([
      '4:22: warning: honeypots[0].port: ufw does not allow 2201/tcp: honeypot a only sees traffic ufw lets through [builder/honeypot-blocked]',
      '4:22: error: honeypots[0].port: honeypot a is on the SSH port 2201; move one of them [builder/port-conflict]',
      '6:22: error: honeypots[2].port: port 23/tcp is already claimed by honeypots[1].port; honeypot c needs its own port [builder/port-conflict]',
      '9:19: error: fail2ban.jails.sshd.port: the sshd jail does not watch the SSH port 2201; bans would not block SSH [builder/jail-port]',
      '12:5: error: ufw.rules: no rule allows the SSH port 2201/tcp from anywhere: enabling ufw would lock you out; add { action: allow, port: 2201, proto: tcp } (or limit) [builder/ssh-port-blocked]',
    ]);
  });

  it('honeypot env: LC_TIME=POSIX by default; NAME=VALUE words or refused; thpot without LC_TIME warned about', () => {
    const xinetd = (r: ReturnType<typeof render>) => xinetdModel(r.files.find((f) => f.path.startsWith('/etc/xinetd.d/'))!.content);
    expect(xinetd(render({ honeypots: [{ name: 'hp', port: 2222 }] })).hp!.env).toEqual(['LC_TIME=POSIX']);
    expect(xinetd(render({ honeypots: [{ name: 'hp', port: 2222, env: ['LC_TIME=POSIX', 'TZ=UTC', 'X_1=a=b'] }] })).hp!.env).toEqual(['LC_TIME=POSIX', 'TZ=UTC', 'X_1=a=b']);
    const other = render({ honeypots: [{ name: 'hp', port: 2222, server: '/usr/bin/cat', env: [] }] });
    expect(xinetd(other).hp!.env).toBeUndefined();
    expect(other.notes).toEqual([]);
    expect(errors('honeypots:\n  - name: hp\n    port: 2222\n    env: [TZ=UTC]\n')).toEqual([
      "4:10: warning: honeypots[0].env: thpot's capture dates follow LC_TIME (xinetd's locale); add env: [LC_TIME=POSIX] so fail2ban can read them in any system locale [builder/honeypot-locale]",
    ]);
    expect(errors('honeypots:\n  - name: hp\n    port: 2222\n    env: [LC_TIME=POSIX, "A=1 B=2", NOEQ, "1X=a", "A-B=c", "T=x\\nU=y", LC_TIME=C]\n')).toEqual([
      '4:26: error: honeypots[0].env[1]: must not contain white space (xinetd has no quoting) [builder/unsafe-character]',
    ]);
    for (const [bad, msg] of [
      ['NOEQ', 'must be NAME=VALUE, not "NOEQ"'],
      ['1X=a', '"1X" is not an environment variable name (letters, digits, _; not starting with a digit)'],
      ['A-B=c', '"A-B" is not an environment variable name (letters, digits, _; not starting with a digit)'],
      ['T=x\nU=y', 'must not contain a newline'],
      ['T=x\ty', 'must not contain a tab'],
    ])
      expect(() => render({ honeypots: [{ name: 'hp', port: 2222, env: ['LC_TIME=POSIX', bad!] }] }), bad).toThrow(`honeypots[0].env[1]: ${msg}`);
    expect(() => render({ honeypots: [{ name: 'hp', port: 2222, env: ['LC_TIME=POSIX', 'LC_TIME=C'] }] })).toThrow('honeypots[0].env[1]: LC_TIME is set twice');
    // Words xinetd reads literally but fwconf check would flag: a leading '#', a '\' ending the line.
    expect(() => render({ honeypots: [{ name: 'hp', port: 2222, args: ['nullresp', '#x'] }] })).toThrow("honeypots[0].args[1]: must not start with '#'");
    expect(() => render({ honeypots: [{ name: 'hp', port: 2222, args: ['a\\', 'b'] }] })).not.toThrow();
    expect(() => render({ honeypots: [{ name: 'hp', port: 2222, args: ['nullresp', 'a\\'] }] })).toThrow("honeypots[0].args[1]: must not end with '\\'");
  });

  it('the sshd jail gets the SSH port when the spec sets none', () => {
    const r = render({ ssh: { port: 2222 }, fail2ban: { jails: { sshd: { enabled: true } } } });
    expect(fail2banModel(r.files.find((f) => f.path.endsWith('jail.local'))!.content)).toEqual({ sshd: { enabled: 'true', port: '2222' } });
    expect(r.notes.join('\n')).toContain('port 2222');
  });

  it('render() throws SpecError with paths', () => {
    expect(() => render({ ssh: { port: 0 } })).toThrow(SpecError);
    try {
      render({ ssh: { port: 2201, settings: { Banner: 'relative' } } });
    } catch (e) {
      expect((e as SpecError).issues).toEqual([{ path: ['ssh', 'settings', 'Banner'], code: 'builder/invalid-value', message: 'must be an absolute path or none' }]);
    }
  });
});

describe('fwconf render', () => {
  it('--help', async () => {
    const io = captureIo();
    expect(await main(['render', '--help'], io)).toBe(0);
    expect(io.out).toContain('Usage: fwconf render');
  });

  it('prints every file under a header naming its path, notes on stderr', async () => {
    const io = captureIo();
    expect(await main(['render'], io)).toBe(0);
    for (const f of render(DEFAULT_SPEC).files) expect(io.out).toContain(`==> ${f.path} <==\n${f.content}`);
    expect(io.err).toMatch(/note: sshd listens on port 2201; the drop-in sets PermitRootLogin no/);
  });

  it('--json prints the RenderResult', async () => {
    const io = captureIo();
    expect(await main(['render', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual(JSON.parse(JSON.stringify(render(DEFAULT_SPEC))));
  });

  it('--example-spec prints the commented YAML', async () => {
    const io = captureIo();
    expect(await main(['render', '--example-spec'], io)).toBe(0);
    expect(io.out).toBe(EXAMPLE_SPEC_YAML);
  });

  it('a spec from stdin; an invalid spec exits 1 with file:line:col errors', async () => {
    const ok = captureIo('ssh: { port: 2222 }\n');
    expect(await main(['render', '-'], ok)).toBe(0);
    expect(ok.out).toContain('Port 2222');
    const p = join(tmp, 'bad.yaml');
    writeFileSync(p, 'ssh:\n  port: 2201\n  settings:\n    PermitRootLogin: maybe\n');
    const bad = captureIo();
    expect(await main(['render', p], bad)).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toBe(`${p}:4:22: error: ssh.settings.PermitRootLogin: Invalid option: expected one of "yes"|"prohibit-password"|"without-password"|"forced-commands-only"|"no" [builder/schema]\n`);
    const missing = captureIo();
    expect(await main(['render', join(tmp, 'nope.yaml')], missing)).toBe(1);
    const usage = captureIo();
    expect(await main(['render', 'a', 'b'], usage)).toBe(2);
  });

  it('--out writes the tree, keeps modes, and refuses to overwrite files it did not write', async () => {
    const out = join(tmp, 'tree');
    const io = captureIo();
    expect(await main(['render', '--out', out], io)).toBe(0);
    for (const f of render(DEFAULT_SPEC).files) {
      expect(readFileSync(join(out, f.path), 'utf8')).toBe(f.content);
      expect(statSync(join(out, f.path)).mode & 0o777).toBe(f.mode);
    }
    // A second render overwrites its own files.
    const again = captureIo();
    expect(await main(['render', '--out', out], again)).toBe(0);
    expect(again.out).toContain('unchanged');
    // A foreign file blocks the whole write.
    const jail = join(out, 'etc/fail2ban/jail.local');
    writeFileSync(jail, '[sshd]\nenabled = false\n');
    const sshd = join(out, 'etc/ssh/sshd_config.d/00-fwconf.conf');
    rmSync(sshd);
    const refused = captureIo();
    expect(await main(['render', '--out', out], refused)).toBe(1);
    expect(refused.err).toContain(`${jail}: exists and was not written by fwconf render`);
    expect(readFileSync(jail, 'utf8')).toBe('[sshd]\nenabled = false\n');
    expect(existsSync(sshd)).toBe(false);
    const forced = captureIo();
    expect(await main(['render', '--out', out, '--force'], forced)).toBe(0);
    expect(readFileSync(jail, 'utf8')).toContain(MARKER);
  });

  it('--out over a path it cannot write (a file where a directory goes, a dangling symlink): exit 1 naming it', async () => {
    const blocked = join(tmp, 'blocked');
    mkdirSync(join(blocked, 'etc'), { recursive: true });
    symlinkSync(join(tmp, 'no-such-dir'), join(blocked, 'etc/xinetd.d'));
    const io = captureIo();
    expect(await main(['render', '--out', blocked], io)).toBe(1);
    expect(io.err).toContain(`${join(blocked, 'etc/xinetd.d/thp-pasv')}: cannot write: `);
    expect(existsSync(join(tmp, 'no-such-dir'))).toBe(false);
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const io2 = captureIo();
    expect(await main(['render', '--out', file], io2)).toBe(1);
    expect(io2.err).toMatch(/cannot write: (ENOTDIR|EEXIST|not a directory)/);
  });

  it('--out never writes through a symlink that leaves DIR, even with --force, and writes nothing then', async () => {
    const out = join(tmp, 'escape');
    const outside = join(tmp, 'outside');
    mkdirSync(join(out, 'etc'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(out, 'etc/fail2ban'));
    const io = captureIo();
    expect(await main(['render', '--out', out, '--force'], io)).toBe(1);
    expect(io.err).toContain(`${join(out, 'etc/fail2ban/jail.local')}: cannot write: `);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(out, 'etc/ssh'))).toBe(false);
  });

  it('an empty spec renders nothing and says so', async () => {
    for (const text of ['', '# nothing yet\n', '{}\n']) {
      const io = captureIo(text);
      expect(await main(['render', '-'], io)).toBe(0);
      expect(io.out).toBe('');
      expect(io.err).toContain('<stdin>: warning: the spec has none of ssh, honeypots, fail2ban, ufw: nothing to render');
    }
  });
});

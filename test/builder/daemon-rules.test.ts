// What the builder refuses because the daemon would: each rendered file is checked with the rules
// of `fwconf check`, and an error comes back as a spec diagnostic at the field (and its line:col in
// the spec). Also: strings with no UTF-8 form, and AuthenticationMethods as lists of method lists.
// test/builder/sshd-rules.system.test.ts holds the same cases against the real sshd.
import { describe, expect, it } from 'vitest';
import { BuilderError } from '../../src/builder/errors.js';
import { buildActionLocal, buildFilterLocal, buildJailLocal } from '../../src/builder/fail2ban.js';
import { buildIptables } from '../../src/builder/iptables.js';
import { loadSpec } from '../../src/builder/load.js';
import { render } from '../../src/builder/render.js';
import { buildSshd } from '../../src/builder/sshd.js';
import { buildXinetd } from '../../src/builder/xinetd.js';

const diags = (text: string, file = 's.yaml') => loadSpec(text, { file }).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
const ssh = (settings: string) => `ssh:\n  port: 2201\n  settings:\n${settings.replace(/^/gm, '    ')}\n`;
const thrown = (f: () => unknown): BuilderError => {
  try {
    f();
  } catch (e) {
    if (e instanceof BuilderError) return e;
    throw e;
  }
  throw new Error('expected a BuilderError');
};

describe('sshd values sshd -t refuses', () => {
  it('are spec errors at the element, with the rendered line and sshd\'s reason', () => {
    expect(diags(ssh('AuthenticationMethods: [[publickey], [x]]'))).toEqual([
      "4:42: error: ssh.settings.AuthenticationMethods[1]: sshd would refuse the rendered line 'AuthenticationMethods publickey x': invalid AuthenticationMethods method list. (sshd/bad-value) [builder/daemon-rejects]",
    ]);
    expect(diags(ssh('AcceptEnv: [LANG, "x=y"]'))).toEqual([
      "4:23: error: ssh.settings.AcceptEnv[1]: sshd would refuse the rendered line 'AcceptEnv LANG x=y': Invalid environment name. (sshd/bad-value) [builder/daemon-rejects]",
    ]);
    expect(diags(ssh('Ciphers: [aes128-ctr, "-x"]'))).toEqual([
      "4:14: error: ssh.settings.Ciphers: sshd would refuse the rendered line 'Ciphers aes128-ctr,-x': Bad SSH2 cipher spec 'aes128-ctr,-x'. (sshd/bad-value) [builder/daemon-rejects]",
    ]);
    expect(diags(ssh('AuthorizedKeysCommand: /usr/bin/keys'))).toEqual([
      '4:28: error: ssh.settings.AuthorizedKeysCommand: sshd would refuse the rendered file: AuthorizedKeysCommand set without AuthorizedKeysCommandUser (sshd/command-without-user) [builder/daemon-rejects]',
    ]);
    expect(diags(ssh('AuthorizedKeysCommand: /usr/bin/keys\nAuthorizedKeysCommandUser: nobody'))).toEqual([]);
  });

  it('in a Match block: the criterion sshd names, and settings inside the block', () => {
    const text = 'ssh:\n  match:\n    - criteria: { user: bob, address: "x," }\n      settings: { AcceptEnv: [A, "B=1"] }\n';
    expect(diags(text)).toEqual([
      "3:39: error: ssh.match[0].criteria.address: sshd would refuse the rendered line 'Match User bob Address x,': Invalid Match address argument 'x,' (sshd/bad-match) [builder/daemon-rejects]",
      "4:34: error: ssh.match[0].settings.AcceptEnv[1]: sshd would refuse the rendered line 'AcceptEnv A B=1': Invalid environment name. (sshd/bad-value) [builder/daemon-rejects]",
    ]);
  });

  it('ListenAddress must be an IP address with an optional port', () => {
    expect(diags(ssh('ListenAddress: ["127.0.0.1", "x;y"]'))).toEqual([
      '4:34: error: ssh.settings.ListenAddress[1]: must be an IP address with an optional port (192.0.2.1, 192.0.2.1:2201, 2001:db8::1, [2001:db8::1]:2201), not "x;y": sshd resolves a host name when it starts and stops when it cannot [builder/invalid-value]',
    ]);
    expect(diags(ssh('ListenAddress: ["0.0.0.0:2201", "::", "[::1]:2201"]'))).toEqual([]);
  });

  it('the typed builder throws too, every error at once', () => {
    const e = thrown(() => buildSshd({ settings: { AcceptEnv: ['x=y'], Ciphers: ['aes128-ctr', '-x'] } }));
    expect([e, ...e.also].map((x) => [x.field, x.code])).toEqual([
      ['sshd.settings.AcceptEnv[0]', 'builder/daemon-rejects'],
      ['sshd.settings.Ciphers', 'builder/daemon-rejects'],
    ]);
  });
});

describe('AuthenticationMethods: a list of method lists', () => {
  const line = (v: string) => render(loadSpec(ssh(`AuthenticationMethods: ${v}`)).spec!).files[0]!.content.split('\n').find((l) => l.startsWith('AuthenticationMethods'));
  const note = (v: string) => render(loadSpec(ssh(`AuthenticationMethods: ${v}`)).spec!).notes[0];

  it('[[a, b]] requires both, [[a], [b]] either, a string is sshd\'s spelling of one list', () => {
    expect(line('[[publickey, password]]')).toBe('AuthenticationMethods publickey,password');
    expect(line('[[publickey], [password]]')).toBe('AuthenticationMethods publickey password');
    expect(line('[[publickey, password], [keyboard-interactive]]')).toBe('AuthenticationMethods publickey,password keyboard-interactive');
    expect(line('"publickey,password"')).toBe('AuthenticationMethods publickey,password');
    expect(line('any')).toBe('AuthenticationMethods any');
  });

  it('the note prints the line sshd reads and what it requires', () => {
    expect(note('[[publickey, password]]')).toBe('sshd listens on port 2201; the drop-in sets AuthenticationMethods publickey,password (publickey then password, all required).');
    expect(note('[[publickey], [password]]')).toBe('sshd listens on port 2201; the drop-in sets AuthenticationMethods publickey password (any one of: publickey; password).');
  });

  it('a flat list is refused with both readings', () => {
    expect(diags(ssh('AuthenticationMethods: [publickey, password]'))).toEqual([
      '4:28: error: ssh.settings.AuthenticationMethods: a flat list is ambiguous: write [[publickey, password]] if all of them are required (sshd: AuthenticationMethods publickey,password), or [[publickey], [password]] if any one suffices (sshd: AuthenticationMethods publickey password) [builder/ambiguous-methods]',
    ]);
    expect(diags(ssh('AuthenticationMethods: [[]]'))[0]).toMatch(/ssh\.settings\.AuthenticationMethods\[0\]: /);
    expect(diags(ssh('AuthenticationMethods: [["public key"]]'))[0]).toMatch(/^4:30: error: ssh\.settings\.AuthenticationMethods\[0\]\[0\]: a space is not allowed in an authentication method/);
  });
});

describe('strings with no UTF-8 form', () => {
  it('an unpaired surrogate in YAML or JSON is refused at its path and position', () => {
    expect(diags('honeypots:\n  - name: x\n    port: 2222\n    args: ["x\\ud800y"]\n')).toEqual([
      '4:12: error: honeypots[0].args[0]: contains an unpaired surrogate U+D800 (character 2): it is not a Unicode character and has no UTF-8 form (it would be written as U+FFFD) [builder/invalid-unicode]',
    ]);
    expect(diags('{"fail2ban": {"jails": {"a\\udc00": {"enabled": true}}}, "ufw": {"rules": [{"action": "allow", "port": 22, "comment": "\\ud83d"}]}}', 's.json')).toEqual([
      '1:25: error: fail2ban.jails.a\\udc00: the key contains an unpaired surrogate U+DC00 (character 2): it is not a Unicode character and has no UTF-8 form (it would be written as U+FFFD) [builder/invalid-unicode]',
      '1:118: error: ufw.rules[0].comment: contains an unpaired surrogate U+D83D (character 1): it is not a Unicode character and has no UTF-8 form (it would be written as U+FFFD) [builder/invalid-unicode]',
    ]);
    // A value inside its own anchor is walked once and left to the schema.
    expect(diags('honeypots: &x\n  - *x\n')).toEqual(['2:5: error: honeypots[0]: Invalid input: expected object, received array [builder/schema]']);
    // A pair is a character: an emoji is fine.
    expect(diags('ufw:\n  rules: [{ action: allow, port: 22, comment: "ok \\ud83d\\ude00" }]\n')).toEqual([]);
  });

  it('render() of a spec object and the typed builders refuse it too', () => {
    expect(() => render({ honeypots: [{ name: 'x', port: 2222, args: ['x\ud800y'] }] })).toThrow(/honeypots\[0\]\.args\[0\]: contains an unpaired surrogate U\+D800/);
    expect(thrown(() => buildXinetd({ services: [{ name: 'x', type: 'UNLISTED', socket_type: 'stream', wait: false, port: 1, protocol: 'tcp', user: 'u', server: '/s', server_args: ['a\udfff'] }] }, 'x')).field).toBe('x.services[0].server_args[0]');
    expect(thrown(() => buildSshd({ settings: { Banner: '/etc/\ud800' } })).code).toBe('builder/invalid-unicode');
    expect(thrown(() => buildFilterLocal({ failregex: ['\ud800 <HOST>'] })).code).toBe('builder/invalid-unicode');
  });
});

describe('xinetd, fail2ban and iptables files are checked as fwconf check checks them', () => {
  it('a time value fail2ban cannot read, written through extra, is refused at its key', () => {
    const e = thrown(() => buildJailLocal({ jails: { sshd: { extra: { 'bantime.maxtime': 'soon' } } } }, 'fail2ban'));
    expect([e.field, e.code]).toEqual(['fail2ban.jails.sshd.extra.bantime.maxtime', 'builder/daemon-rejects']);
    expect(diags("fail2ban:\n  jails:\n    sshd:\n      extra: { bantime.maxtime: soon }\n")).toEqual([
      "4:33: error: fail2ban.jails.sshd.extra.bantime.maxtime: fail2ban would refuse the rendered line 'bantime.maxtime = soon': bantime.maxtime = soon: not a fail2ban time value (seconds, or 10m, 1h, 1d, 1w, -1 ...) (fail2ban/bad-time) [builder/daemon-rejects]",
    ]);
  });

  it('what the checks accept is unchanged', () => {
    expect(buildActionLocal({ actionban: 'echo <ip>' })).toContain('actionban = echo <ip>');
    expect(buildIptables({ rules: [{ chain: 'INPUT', protocol: 'tcp', dport: 22, target: 'ACCEPT' }] })).toContain('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT');
  });
});

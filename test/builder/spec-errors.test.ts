// Spec errors in one round: the schema's type errors, the strings with no UTF-8 form and the
// cross-field rules (run on what passed the schema) together, each at its line:col, with a
// "did you mean" for a misspelt key.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/builder/load.js';
import { crossFieldIssues } from '../../src/builder/validate.js';
import { specSchema, type HostSpec, type HostSpecInput } from '../../src/builder/spec.js';
import { closest, editDistance } from '../../src/core/suggest.js';
import { arbSpec } from './arbitraries.js';
import { runCli } from '../cli/capture-io.js';

const errors = (text: string, file = 's.yaml') =>
  loadSpec(text, { file }).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);

describe('one round', () => {
  it('type errors and cross-field errors together', () => {
    expect(errors('ssh:\n  port: 2201\n  settings:\n    LogLevel: LOUD\nfail2ban:\n  jails:\n    sshd: { port: 22 }\n')).toEqual([
      '4:15: error: ssh.settings.LogLevel: Invalid option: expected one of "QUIET"|"FATAL"|"ERROR"|"INFO"|"VERBOSE"|"DEBUG"|"DEBUG1"|"DEBUG2"|"DEBUG3" [builder/schema]',
      '7:19: error: fail2ban.jails.sshd.port: the sshd jail does not watch the SSH port 2201; bans would not block SSH [builder/jail-port]',
    ]);
  });

  it('a misspelt key, a bad value and two cross-field errors in one report', () => {
    const spec = [
      'ssh:',
      '  port: 2201',
      '  settings:',
      '    PasswordAuthentification: "no"',
      'honeypots:',
      '  - { name: a, port: 23, nice: 99 }',
      '  - { name: a, port: 23 }',
      'ufw:',
      '  rules:',
      '    - { action: allow, port: 22, proto: tcp }',
      '    - { action: allow, port: 23, proto: tcp }',
      '',
    ].join('\n');
    expect(errors(spec)).toEqual([
      "4:5: error: ssh.settings.PasswordAuthentification: unknown sshd keyword 'PasswordAuthentification' (did you mean 'PasswordAuthentication'?) [builder/unknown-key]",
      '6:32: error: honeypots[0].nice: Too big: expected number to be <=19 [builder/schema]',
      "7:13: error: honeypots[1].name: honeypot name 'a' is already used by honeypots[0] [builder/duplicate-name]",
      '7:22: error: honeypots[1].port: port 23/tcp is already claimed by honeypots[0].port; honeypot a needs its own port [builder/port-conflict]',
      '10:5: error: ufw.rules: no rule allows the SSH port 2201/tcp from anywhere: enabling ufw would lock you out; add { action: allow, port: 2201, proto: tcp } (or limit) [builder/ssh-port-blocked]',
    ]);
  });

  it('a rule is skipped when an input it reads is invalid (no guess from a broken part)', () => {
    // The only rule that could allow the SSH port has a bad proto: whether SSH stays reachable is
    // unknown, so only the proto is reported.
    expect(errors('ssh:\n  port: 2201\nufw:\n  rules:\n    - { action: allow, port: 2201, proto: tpc }\n')).toEqual([
      '5:43: error: ufw.rules[0].proto: Invalid option: expected one of "tcp"|"udp"|"any" [builder/schema]',
    ]);
    // A bad SSH port: no rule that needs it runs (the jail's port, the honeypot on it, ufw).
    expect(errors('ssh:\n  port: 0\nhoneypots:\n  - { name: a, port: 22 }\nfail2ban:\n  jails:\n    sshd: { port: 22 }\nufw:\n  rules: []\n')).toEqual([
      '2:9: error: ssh.port: Too small: expected number to be >=1 [builder/schema]',
      '4:22: warning: honeypots[0].port: ufw does not allow 22/tcp: honeypot a only sees traffic ufw lets through [builder/honeypot-blocked]',
    ]);
    // A broken honeypot claims no port; its valid neighbours still meet the rules.
    expect(errors('honeypots:\n  - { name: a, port: 70000 }\n  - { name: b, port: 22 }\n  - { name: c, port: 2222, server: /usr/sbin/thpot, env: [TZ=UTC] }\nssh: {}\n')).toEqual([
      '2:22: error: honeypots[0].port: Too big: expected number to be <=65535 [builder/schema]',
      '3:22: error: honeypots[1].port: honeypot b is on the SSH port 22; move one of them [builder/port-conflict]',
      "4:58: warning: honeypots[2].env: thpot's capture dates follow LC_TIME (xinetd's locale); add env: [LC_TIME=POSIX] so fail2ban can read them in any system locale [builder/honeypot-locale]",
    ]);
    // An env list with a broken item and no LC_TIME among the others: unknown, no warning.
    expect(errors('honeypots:\n  - { name: a, port: 2222, env: [TZ=UTC, ""] }\n')).toEqual([
      '2:42: error: honeypots[0].env[1]: Too small: expected string to have >=1 characters [builder/schema]',
    ]);
  });

  it('a string with no UTF-8 form and a type error in one round (JSON source)', () => {
    const json = '{\n  "honeypots": [{ "name": "a", "port": "23" }],\n  "ufw": { "rules": [{ "action": "allow", "port": 22, "comment": "\\ud800" }] }\n}\n';
    expect(errors(json, 's.json')).toEqual([
      '2:40: error: honeypots[0].port: Invalid input: expected number, received string [builder/schema]',
      '3:66: error: ufw.rules[0].comment: contains an unpaired surrogate U+D800 (character 1): it is not a Unicode character and has no UTF-8 form (it would be written as U+FFFD) [builder/invalid-unicode]',
    ]);
  });
});

describe("the builders' refusals in the same round", () => {
  it('a type error in ssh and refusals in fail2ban, honeypots and ufw, each at its line:col', () => {
    const spec = [
      'ssh:',
      '  port: 2201',
      '  settings:',
      '    LogLevel: LOUD',
      'honeypots:',
      '  - { name: a, port: 2323, args: ["null resp"] }',
      '  - { name: b, port: 2424, user: "x y" }',
      '  - { name: c, port: 99999, user: "x y" }',
      'fail2ban:',
      '  jails:',
      '    sshd: { port: 2201, logpath: "/var/log/a b" }',
      '    other: { ignoreip: "1.2.3.4 5.6.7.8" }',
      'ufw:',
      '  rules:',
      '    - { action: allow, port: [2201, 2323, 2424], proto: tcp, comment: "it\'s" }',
      '',
    ].join('\n');
    expect(errors(spec).filter((e) => e.includes(': error: '))).toEqual([
      '4:15: error: ssh.settings.LogLevel: Invalid option: expected one of "QUIET"|"FATAL"|"ERROR"|"INFO"|"VERBOSE"|"DEBUG"|"DEBUG1"|"DEBUG2"|"DEBUG3" [builder/schema]',
      '6:35: error: honeypots[0].args[0]: must not contain white space (xinetd has no quoting) [builder/unsafe-character]',
      '7:34: error: honeypots[1].user: must not contain white space (xinetd has no quoting) [builder/unsafe-character]',
      // honeypots[2] failed the schema: its builder is not run, so its user is not reported.
      '8:22: error: honeypots[2].port: Too big: expected number to be <=65535 [builder/schema]',
      '11:34: error: fail2ban.jails.sshd.logpath: must not contain white space (fail2ban splits log paths on it) [builder/unsafe-character]',
      '12:24: error: fail2ban.jails.other.ignoreip: a space is not allowed in an address [builder/unsafe-character]',
      '15:71: error: ufw.rules[0].comment: ufw refuses comments that contain "\'" [builder/unsafe-character]',
    ]);
  });

  it('a valid spec: every part refused, not only the first', () => {
    const spec = 'honeypots:\n  - { name: a, port: 2323, user: "x y" }\nfail2ban:\n  jails:\n    other: { ignoreip: "1.2.3.4 5.6.7.8" }\n';
    expect(errors(spec).filter((e) => e.includes(': error: '))).toEqual([
      '2:34: error: honeypots[0].user: must not contain white space (xinetd has no quoting) [builder/unsafe-character]',
      '5:24: error: fail2ban.jails.other.ignoreip: a space is not allowed in an address [builder/unsafe-character]',
    ]);
  });
});

describe('fwconf render SPEC: the whole report in one run', () => {
  it('exit 1, every problem as file:line:col: error: message [code], nothing on standard output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-specround-'));
    try {
      const f = path.join(dir, 'spec.yaml');
      fs.writeFileSync(f, 'ssh:\n  port: 0\nhoneypots:\n  - { name: a, port: 2323, user: "x y" }\nfail2ban:\n  jails:\n    other: { ignoreip: "1.2.3.4 5.6.7.8" }\n');
      const r = await runCli(['render', f]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter((l) => l.includes(': error: '))).toEqual([
        `${f}:2:9: error: ssh.port: Too small: expected number to be >=1 [builder/schema]`,
        `${f}:4:34: error: honeypots[0].user: must not contain white space (xinetd has no quoting) [builder/unsafe-character]`,
        `${f}:7:24: error: fail2ban.jails.other.ignoreip: a space is not allowed in an address [builder/unsafe-character]`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('did you mean', () => {
  it('names the closest key the object accepts, at the key', () => {
    expect(errors('honeypot:\n  - { name: a, port: 2222 }\n')).toEqual(["1:1: error: honeypot: unknown key 'honeypot' (did you mean 'honeypots'?) [builder/unknown-key]"]);
    expect(errors('honeypots:\n  - { name: a, prot: 2222 }\n')).toEqual([
      '2:5: error: honeypots[0].port: Invalid input: expected number, received undefined [builder/schema]',
      "2:16: error: honeypots[0].prot: unknown key 'prot' (did you mean 'port'?) [builder/unknown-key]",
    ]);
    expect(errors('fail2ban:\n  jails:\n    sshd: { maxretries: 3 }\n')).toEqual([
      "3:13: error: fail2ban.jails.sshd.maxretries: unknown key 'maxretries' (did you mean 'maxretry'?) [builder/unknown-key]",
    ]);
    expect(errors('ufw:\n  defaults: { incomming: deny }\n  rules: [{ action: allow, port: 22 }]\n')).toEqual([
      "2:15: error: ufw.defaults.incomming: unknown key 'incomming' (did you mean 'incoming'?) [builder/unknown-key]",
    ]);
    // Inside a union (Match criteria: 'all' or an object): the object's keys.
    expect(errors('ssh:\n  match:\n    - criteria: { usr: bob }\n      settings: { X11Forwarding: "no" }\n')).toEqual([
      "3:19: error: ssh.match[0].criteria.usr: unknown key 'usr' (did you mean 'user'?) [builder/unknown-key]",
    ]);
    // Match settings: the keywords a Match block takes.
    expect(errors('ssh:\n  match:\n    - criteria: all\n      settings: { X11Forwardin: "no" }\n')).toEqual([
      "4:19: error: ssh.match[0].settings.X11Forwardin: unknown sshd keyword 'X11Forwardin' (did you mean 'X11Forwarding'?) [builder/unknown-key]",
    ]);
  });

  it('no far-fetched guess', () => {
    expect(errors('zz: 1\nssh:\n  settings: { NoSuchKeyword: yes }\n')).toEqual([
      "3:15: error: ssh.settings.NoSuchKeyword: unknown or unsupported sshd keyword 'NoSuchKeyword' [builder/unknown-key]",
      "1:1: error: zz: unknown key 'zz' [builder/unknown-key]",
    ].sort(byPosition));
  });

  it('edit distance and closest', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('PasswordAuthentification', 'PasswordAuthentication')).toBe(2);
    expect(closest('permitrootlogin', ['PermitTTY', 'PermitRootLogin'])).toBe('PermitRootLogin');
    expect(closest('x', ['to', 'log'])).toBeUndefined();
    expect(closest('port', ['port'])).toBeUndefined();
  });

  it('property: a distance is a metric on random strings (symmetric, zero only for equal, triangle)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

function byPosition(a: string, b: string): number {
  const [la, ca] = a.split(':').map(Number);
  const [lb, cb] = b.split(':').map(Number);
  return la! - lb! || ca! - cb!;
}

describe('property: a problem the rules do not read leaves the cross-field report as it was', () => {
  it('an unknown key or a bad user on a random valid spec', () => {
    fc.assert(
      fc.property(arbSpec, fc.constantFrom('top', 'honeypot-user', 'jail-key'), (input: HostSpecInput, where) => {
        const spec = specSchema.parse(input) as HostSpec;
        const before = crossFieldIssues(spec).map((i) => `${i.path.join('.')} ${i.code}`);
        const broken = structuredClone(input) as Record<string, unknown> & { honeypots?: { user?: unknown }[]; fail2ban?: { jails?: Record<string, Record<string, unknown>> } };
        let expected: string;
        if (where === 'honeypot-user' && broken.honeypots?.length) {
          broken.honeypots[0]!.user = '';
          expected = 'honeypots.0.user builder/schema';
        } else if (where === 'jail-key' && broken.fail2ban?.jails && Object.keys(broken.fail2ban.jails).length) {
          broken.fail2ban.jails[Object.keys(broken.fail2ban.jails)[0]!]!.bantim = 1;
          expected = `fail2ban.jails.${Object.keys(broken.fail2ban.jails)[0]}.bantim builder/unknown-key`;
        } else {
          broken.sssh = {};
          expected = 'sssh builder/unknown-key';
        }
        const after = loadSpec(stringify(broken)).diagnostics.map((d) => d.code);
        const schemaCodes = ['builder/schema', 'builder/unknown-key'];
        // The cross-field report is the valid spec's; the one added problem is there.
        expect(after.filter((c) => !schemaCodes.includes(c)).sort()).toEqual(before.map((b) => b.split(' ')[1]!).sort());
        expect(after.filter((c) => schemaCodes.includes(c))).toEqual([expected.split(' ')[1]]);
      }),
      { numRuns: 60 },
    );
  });
});

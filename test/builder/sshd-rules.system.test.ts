// The builder against the real sshd, for the values whose rules are sshd's own (environment names,
// cipher lists, authentication methods, Match patterns, listen addresses, AuthorizedKeysCommand and
// its user): a drop-in the builder renders passes `sshd -t -f FILE`, and a value it refuses as
// builder/daemon-rejects gives a line `sshd -t` refuses too. `sshd -T` shows that an
// AuthenticationMethods spec means what it says. Needs root (sshd -t reads its host key) and
// Debian's openssh-server; spawns are asynchronous, two at a time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuilderError } from '../../src/builder/errors.js';
import { buildSshd, type SshdMatchCriteria, type SshdSettings } from '../../src/builder/sshd.js';
import { render as renderSshd } from '../../src/sshd/render.js';
import type { SshdValue } from '../../src/sshd/model.js';
import { run as spawnRun } from '../spawn.js';

const SSHD = '/usr/sbin/sshd';
const tmp = mkdtempSync(join(tmpdir(), 'fwconf-builder-sshd-rules-'));
const hostKey = join(tmp, 'host_ed25519');
let n = 0;

async function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await spawnRun([cmd, ...args]);
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this system test needs root: sshd -t reads a host key and checks its privilege-separation directory');
  mkdirSync('/run/sshd', { recursive: true });
  const k = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  expect(k.code, k.stderr).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The network of `addr` (a 32-bit number) with `bits` prefix bits, as a.b.c.d/bits. */
function cidr(addr: number, bits: number): string {
  const net = bits === 0 ? 0 : (addr & (~0 << (32 - bits))) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

/** `sshd -t` (or -T) on a file holding `text`. */
async function sshd(flag: '-t' | '-T', text: string) {
  const file = join(tmp, `c-${n++}.conf`);
  writeFileSync(file, text);
  return run(SSHD, [flag, '-f', file, '-h', hostKey]);
}

interface Case {
  settings?: SshdSettings;
  match?: { criteria: SshdMatchCriteria; settings: SshdSettings };
}

/** What the builder makes of a case: the drop-in, or its errors. */
function build(c: Case): { text: string } | { error: BuilderError } {
  try {
    return { text: buildSshd({ settings: c.settings ?? {}, ...(c.match ? { match: [c.match] } : {}) }) };
  } catch (e) {
    if (e instanceof BuilderError) return { error: e };
    throw e;
  }
}

/** The same values written without the builder's checks: what it wrote before it checked them. */
function unchecked(c: Case): string {
  const values = (s: SshdSettings): [string, SshdValue][] =>
    Object.entries(s).flatMap(([k, v]): [string, SshdValue][] => {
      if (k === 'AuthenticationMethods') return [[k, typeof v === 'string' ? v : (v as string[][]).map((l) => l.join(','))]];
      if (k === 'ListenAddress') return (Array.isArray(v) ? v : [v]).map((x) => [k, x]);
      if (['Ciphers', 'KexAlgorithms', 'MACs'].includes(k)) return [[k, (Array.isArray(v) ? v : [v]).join(',')]];
      return [[k, v as SshdValue]];
    });
  const m = c.match;
  return renderSshd({
    global: values(c.settings ?? {}),
    matches: m ? [{ match: Object.fromEntries(Object.entries(m.criteria).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])), directives: values(m.settings) }] : [],
  }).toString();
}

/**
 * The property: builder accepts ⇒ sshd -t accepts its file; builder refuses as daemon-rejects ⇒
 * sshd -t refuses the unchecked file. Other refusals (the builder's own, stricter character rules)
 * are only counted.
 */
async function agree(c: Case): Promise<'accepted' | 'daemon-rejects' | 'stricter'> {
  const b = build(c);
  if ('text' in b) {
    const t = await sshd('-t', b.text);
    expect(t.code, `${JSON.stringify(c)}: the builder wrote\n${b.text}\nbut sshd -t says: ${t.stderr}`).toBe(0);
    return 'accepted';
  }
  if (b.error.code !== 'builder/daemon-rejects') return 'stricter';
  const text = unchecked(c);
  const t = await sshd('-t', text);
  expect(t.code, `${JSON.stringify(c)}: the builder refused it (${b.error.message}) but sshd -t accepts\n${text}`).not.toBe(0);
  return 'daemon-rejects';
}

const cases: [string, Case, 'accepted' | 'daemon-rejects' | 'stricter'][] = [
  ['AuthenticationMethods [[publickey], [x]]', { settings: { AuthenticationMethods: [['publickey'], ['x']] } }, 'daemon-rejects'],
  ['AuthenticationMethods [[publickey, password]]', { settings: { AuthenticationMethods: [['publickey', 'password']] } }, 'accepted'],
  ['AuthenticationMethods "publickey,password" and any', { settings: { AuthenticationMethods: [['publickey,password'], ['any']] } }, 'stricter'],
  ['AuthenticationMethods [[any], [publickey]]', { settings: { AuthenticationMethods: [['any'], ['publickey']] } }, 'daemon-rejects'],
  ['AcceptEnv [LANG, x=y]', { settings: { AcceptEnv: ['LANG', 'x=y'] } }, 'daemon-rejects'],
  ['AcceptEnv [LANG, LC_*]', { settings: { AcceptEnv: ['LANG', 'LC_*'] } }, 'accepted'],
  ['Ciphers [aes128-ctr, -x]', { settings: { Ciphers: ['aes128-ctr', '-x'] } }, 'daemon-rejects'],
  ['Ciphers -x', { settings: { Ciphers: '-x' } }, 'accepted'],
  ['Ciphers [aes128-ctr, nosuch-cipher]', { settings: { Ciphers: ['aes128-ctr', 'nosuch-cipher'] } }, 'daemon-rejects'],
  ['Match address "x,"', { match: { criteria: { address: 'x,' }, settings: { X11Forwarding: 'no' } } }, 'daemon-rejects'],
  ['Match address 192.0.2.0/24', { match: { criteria: { address: '192.0.2.0/24' }, settings: { X11Forwarding: 'no' } } }, 'accepted'],
  ['ListenAddress "x;y"', { settings: { ListenAddress: 'x;y' } }, 'stricter'],
  ['ListenAddress 127.0.0.1:2201 and [::1]:2201', { settings: { ListenAddress: ['127.0.0.1:2201', '[::1]:2201'] } }, 'accepted'],
  ['AuthorizedKeysCommand without its user', { settings: { AuthorizedKeysCommand: '/usr/bin/keys %u' } }, 'daemon-rejects'],
  ['AuthorizedKeysCommand with its user', { settings: { AuthorizedKeysCommand: '/usr/bin/keys %u', AuthorizedKeysCommandUser: 'nobody' } }, 'accepted'],
  ['Match AcceptEnv [A, B=1]', { match: { criteria: { user: 'bob' }, settings: { AcceptEnv: ['A', 'B=1'] } } }, 'daemon-rejects'],
];

describe('the builder and sshd -t agree', () => {
  it.each(cases)('%s', async (_, c, expected) => {
    expect(await agree(c)).toBe(expected);
  });

  it('"x;y" as ListenAddress: sshd -t refuses the line the builder no longer writes', async () => {
    const t = await sshd('-t', 'ListenAddress x;y\n');
    expect(t.code).not.toBe(0);
    expect(t.stderr).toContain('bad addr or host: x;y');
  });

  it('on generated values of the keywords sshd has its own rules for', async () => {
    const word = (set: string, max: number) => fc.array(fc.constantFrom(...set), { minLength: 1, maxLength: max }).map((a) => a.join(''));
    // Mostly values sshd takes, some it does not: each generated value is one or the other.
    const mostly = <T,>(good: fc.Arbitrary<T>, wild: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: wild, weight: 1 });
    const method = mostly(fc.constantFrom('publickey', 'password', 'keyboard-interactive', 'keyboard-interactive:pam', 'hostbased'), fc.constantFrom('none', 'any', 'x', 'publickey:foo', 'gssapi-with-mic'));
    const cipher = mostly(fc.constantFrom('aes128-ctr', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com'), fc.constantFrom('3des-cbc', 'nosuch')).chain((c) =>
      mostly(fc.constant(c), fc.constantFrom(`-${c}`, `+${c}`, `^${c}`)),
    );
    const settings = fc.record(
      {
        AcceptEnv: fc.array(mostly(word('AZ_*?1', 5), word('AZ_*?=1é', 5)), { minLength: 1, maxLength: 3 }),
        Ciphers: fc.array(cipher, { minLength: 1, maxLength: 3 }),
        AuthenticationMethods: fc.array(fc.array(method, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        ListenAddress: fc.array(mostly(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4().map((a) => `${a}:2201`), fc.ipV6().map((a) => `[${a}]:2201`)), word('0123456789.:[]x;', 10)), { minLength: 1, maxLength: 2 }),
        AuthorizedKeysCommand: fc.constant('/usr/bin/keys %u'),
        AuthorizedKeysCommandUser: fc.constant('nobody'),
      },
      { requiredKeys: [] },
    );
    const match = fc.record({
      // A network (no host bits: sshd refuses 192.0.2.1/24), or any text.
      criteria: fc.record({ address: mostly(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 32 })).map(([a, m]) => cidr(a, m)), word('0123456789.,/*!:x', 10)) }),
      settings: fc.constant({ X11Forwarding: 'no' as const }),
    });
    const seen = { accepted: 0, 'daemon-rejects': 0, stricter: 0 };
    await fc.assert(
      fc.asyncProperty(settings, fc.option(match, { nil: undefined }), async (s, m) => {
        seen[await agree({ settings: s as SshdSettings, ...(m ? { match: m } : {}) })]++;
      }),
      { numRuns: 150 },
    );
    console.log('sshd-rules generated cases:', JSON.stringify(seen));
    // Both directions were exercised.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen['daemon-rejects']).toBeGreaterThan(0);
  });
});

describe('AuthenticationMethods means what the spec says (sshd -T)', () => {
  it.each([
    [[['publickey', 'password']], 'authenticationmethods publickey,password'],
    [[['publickey'], ['password']], 'authenticationmethods publickey password'],
    [[['publickey', 'keyboard-interactive'], ['publickey', 'password']], 'authenticationmethods publickey,keyboard-interactive publickey,password'],
    ['any', 'authenticationmethods any'],
  ] as const)('%j', async (spec, dumped) => {
    const text = buildSshd({ settings: { AuthenticationMethods: spec as SshdSettings['AuthenticationMethods'] } });
    const t = await sshd('-T', text);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.split('\n').filter((l) => l.startsWith('authenticationmethods '))).toEqual([dumped]);
  });
});

// fast-check arbitraries for valid host specs, with the characters each format treats as syntax
// placed where the builder must quote them (sshd), may write them literally (xinetd words, fail2ban
// values) or shell-quote them (ufw comments).
import fc from 'fast-check';
import type { HostSpecInput } from '../../src/builder/spec.js';
import { quotesBalanced } from '../../src/builder/sshd.js';
import type { IptablesRule, IptablesRuleset } from '../../src/builder/iptables.js';

const chars = (set: string, min: number, max: number) => fc.array(fc.constantFrom(...set.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
const trimmed = (a: fc.Arbitrary<string>) => a.filter((s) => s.trim() === s && s !== '');

const HOSTILE = `#;"'\\%{}= `;
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789';

/** A path whose characters sshd would read as syntax unless quoted. */
const sshdPath = trimmed(chars(ALNUM + HOSTILE + '/._-', 1, 16)).map((s) => `/${s}`);
/** ForceCommand takes the rest of the line verbatim. */
const restOfLine = trimmed(chars(ALNUM + HOSTILE + '/._-|&$', 1, 20)).filter((s) => quotesBalanced(s) && !s.startsWith('='));
const userPattern = trimmed(chars(ALNUM + `#"'\\%{}*?._-`, 1, 8)).filter((s) => !s.startsWith('!'));
const safePattern = chars('abcdefgh*?', 1, 6);

const settings = fc.record(
  {
    PermitRootLogin: fc.constantFrom('yes', 'no', 'prohibit-password', 'forced-commands-only'),
    Banner: sshdPath,
    ForceCommand: restOfLine,
    AllowUsers: fc.uniqueArray(userPattern, { minLength: 1, maxLength: 3 }),
    AcceptEnv: fc.uniqueArray(chars('ABCDEFGH_*', 1, 6), { minLength: 1, maxLength: 3 }),
    MaxAuthTries: fc.integer({ min: 1, max: 10 }),
    X11Forwarding: fc.constantFrom('yes', 'no'),
  },
  { requiredKeys: [] },
);

const matchBlock = fc.record({
  criteria: fc.oneof(fc.constant('all' as const), fc.record({ user: fc.uniqueArray(safePattern, { minLength: 1, maxLength: 2 }) })),
  settings: fc.record({ X11Forwarding: fc.constantFrom('yes', 'no'), AllowTcpForwarding: fc.constantFrom('yes', 'no', 'local') }, { requiredKeys: ['X11Forwarding'] }),
});

/** xinetd words are literal: no quoting, so anything but white space (a leading '#' or final '\\' is refused: they read like a comment or a continuation). */
const xinetdWord = chars(ALNUM + `#;"'\\%{}=/._-`, 1, 10).filter((w) => !w.startsWith('#') && !w.endsWith('\\'));
/** One line of a fail2ban regex: `;` only where it is not a comment, `%` only as `%%`. */
const failLine = trimmed(chars(ALNUM + `=:'"#-`, 1, 10)).filter((s) => !s.startsWith('#')).map((s) => `${s}%% <HOST>`);
const ufwComment = trimmed(chars(ALNUM + `#;"\\%{}=$\`| é`, 1, 16));
const cidr = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(8, 16, 24)).map(([a, b, m]) =>
  m === 8 ? `${a}.0.0.0/8` : m === 16 ? `${a}.${b}.0.0/16` : `${a}.${b}.7.0/24`,
);

export const arbSpec: fc.Arbitrary<HostSpecInput> = fc
  .record({
    ports: fc.uniqueArray(fc.integer({ min: 1024, max: 60000 }), { minLength: 8, maxLength: 8 }),
    settings,
    // At most one 'Match all': in a second one every keyword is one sshd ignores (the first match wins).
    match: fc.array(matchBlock, { maxLength: 2 }).filter((ms) => ms.filter((m) => m.criteria === 'all').length <= 1),
    honeypots: fc.array(
      fc.record(
        {
          args: fc.array(xinetdWord, { minLength: 1, maxLength: 3 }),
          nice: fc.integer({ min: -20, max: 19 }),
          env: fc.uniqueArray(fc.tuple(fc.constantFrom('LC_TIME', 'LC_ALL', 'TZ', 'THP_X', '_A1'), xinetdWord), { selector: ([k]) => k, maxLength: 3 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`)),
        },
        { requiredKeys: ['args', 'nice'] },
      ),
      { maxLength: 2 },
    ),
    failregex: fc.array(failLine, { minLength: 1, maxLength: 3 }),
    rules: fc.array(
      fc.record(
        { action: fc.constantFrom('allow', 'deny', 'reject', 'limit'), proto: fc.constantFrom('tcp', 'udp'), from: cidr, comment: ufwComment },
        { requiredKeys: ['action', 'proto'] },
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ ports, settings, match, honeypots, failregex, rules }) => {
    const [ssh, ...rest] = ports as [number, ...number[]];
    return {
      ssh: { port: ssh, settings, match },
      honeypots: honeypots.map((h, i) => ({ name: `hp-${i}`, port: rest[i]!, args: h.args, nice: h.nice, ...(h.env ? { env: h.env } : {}) })),
      fail2ban: {
        jails: {
          sshd: { enabled: true, port: ssh },
          hp: { enabled: true, filter: 'hp', logpath: '/var/log/thpot/captures', banaction: 'iptables-allports', maxretry: 3 },
        },
        filters: { hp: { failregex } },
      },
      ufw: {
        defaults: { incoming: 'deny', outgoing: 'allow' },
        rules: [{ action: 'limit', port: ssh, proto: 'tcp' }, ...rules.map((r, i) => ({ ...r, port: rest[2 + i]! }))],
      },
    } as HostSpecInput;
  });

/** A valid iptables rule set (filter table) with free text that needs iptables-save's quoting. */
export const arbIptables = fc
  .record({
    policies: fc.record({ INPUT: fc.constantFrom('ACCEPT', 'DROP'), FORWARD: fc.constantFrom('ACCEPT', 'DROP'), OUTPUT: fc.constantFrom('ACCEPT', 'DROP') }, { requiredKeys: [] }),
    chains: fc.uniqueArray(fc.constantFrom('fwconf-in', 'f2b-sshd', 'LOGDROP', 'a.b_c'), { maxLength: 3 }),
    rules: fc.array(
      fc.record(
        {
          chain: fc.nat(6),
          protocol: fc.constantFrom('tcp', 'udp', 'icmp', 'all'),
          source: cidr,
          destination: fc.ipV4(),
          inInterface: fc.constantFrom('lo', 'eth0', 'eth+', 'wg0'),
          outInterface: fc.constantFrom('eth1', 'br-1'),
          dport: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.tuple(fc.integer({ min: 1, max: 30000 }), fc.integer({ min: 0, max: 30000 })).map(([a, b]) => `${a}:${a + b}`), fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 15 })),
          sport: fc.integer({ min: 1, max: 65535 }),
          state: fc.subarray(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] as const, { minLength: 1 }).chain((s) => fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length })),
          comment: trimmed(chars(ALNUM + `#;"'\\%{}=$\`| é-_`, 1, 20)),
          target: fc.nat(7),
          rejectWith: fc.constantFrom('icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-admin-prohibited', 'tcp-reset'),
          logPrefix: chars(ALNUM + `#;"' \\:`, 1, 20),
        },
        { requiredKeys: ['chain', 'target'] },
      ),
      { maxLength: 12 },
    ),
  })
  .map(({ policies, chains, rules }) => {
    const all: string[] = ['INPUT', 'FORWARD', 'OUTPUT', ...chains];
    return {
      policies,
      chains,
      rules: rules.map((r) => {
        const chain = all[r.chain % all.length]!;
        // Only jump forward to a user chain (no loops), else a built-in target.
        const later = chains.filter((c) => all.indexOf(c) > all.indexOf(chain));
        const targets = ['ACCEPT', 'DROP', 'REJECT', 'LOG', ...later, ...((chains as string[]).includes(chain) ? ['RETURN'] : [])];
        const target = targets[r.target % targets.length]!;
        const out: Record<string, unknown> = { chain, target };
        if (r.protocol !== undefined) out.protocol = r.protocol;
        for (const k of ['source', 'destination', 'inInterface', 'state', 'comment'] as const) if (r[k] !== undefined) out[k] = r[k];
        if (r.outInterface !== undefined && chain !== 'INPUT') out.outInterface = r.outInterface;
        if (r.inInterface !== undefined && chain === 'OUTPUT') delete out.inInterface;
        if (r.protocol === 'tcp' || r.protocol === 'udp') {
          if (r.dport !== undefined) out.dport = r.dport;
          if (r.sport !== undefined) out.sport = r.sport;
        }
        if (target === 'REJECT' && r.rejectWith !== undefined && (r.rejectWith !== 'tcp-reset' || r.protocol === 'tcp')) out.rejectWith = r.rejectWith;
        if (target === 'LOG' && r.logPrefix !== undefined) out.logPrefix = r.logPrefix;
        return out as unknown as IptablesRule;
      }),
    } satisfies IptablesRuleset;
  });

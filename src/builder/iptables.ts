/**
 * Typed builder for iptables rule sets, written as `iptables-restore` input (the iptables-save
 * format). Free text (`--comment`, `--log-prefix`) is double-quoted with `\` and `"` escaped, as
 * iptables-save itself writes it; names and addresses are checked; control characters are refused.
 */
import { isIP } from 'node:net';
import { BuilderError, refuseControl, requireChars, requireInt, requireOneOf } from './errors.js';

export type IptablesTable = 'filter' | 'nat' | 'mangle' | 'raw';
export type IptablesBuiltinTarget = 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'LOG';
export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface IptablesRule {
  readonly chain: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'all';
  readonly source?: string;
  readonly destination?: string;
  readonly inInterface?: string;
  readonly outInterface?: string;
  /** Destination port(s); needs protocol tcp or udp. A list uses -m multiport. */
  readonly dport?: number | `${number}:${number}` | readonly (number | `${number}:${number}`)[];
  readonly sport?: number | `${number}:${number}`;
  readonly state?: readonly ConntrackState[];
  readonly comment?: string;
  /** A built-in target or a user chain of the same table. */
  readonly target: IptablesBuiltinTarget | (string & {});
  /** For REJECT. */
  readonly rejectWith?: 'icmp-port-unreachable' | 'icmp-host-unreachable' | 'icmp-net-unreachable' | 'icmp-admin-prohibited' | 'tcp-reset';
  /** For LOG; at most 29 characters. */
  readonly logPrefix?: string;
}

export interface IptablesRuleset {
  readonly table?: IptablesTable;
  /** Built-in chain policies (ACCEPT or DROP). */
  readonly policies?: Readonly<Record<string, 'ACCEPT' | 'DROP'>>;
  /** User chains to create. */
  readonly chains?: readonly string[];
  readonly rules: readonly IptablesRule[];
}

const BUILTIN: Record<IptablesTable, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

/** Free text as iptables-save writes it: bare when `[A-Za-z0-9_-]+`, else double-quoted. */
export function quoteIptablesText(field: string, s: string): string {
  refuseControl(field, s, false);
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return '"' + s.replace(/[\\"']/g, '\\$&') + '"';
}

function chainName(field: string, s: string): string {
  requireChars(field, s, /[A-Za-z0-9_.-]/, 'a chain name');
  if (s.length > 28) throw new BuilderError(field, 'must be at most 28 characters');
  if (s.startsWith('-') || s.startsWith('!')) throw new BuilderError(field, "must not start with '-' or '!'");
  return s;
}

function address(field: string, v: string): string {
  const [a, m, ...rest] = v.split('/');
  const fam = isIP(a ?? '');
  if (fam !== 4 || rest.length > 0 || (m !== undefined && (!/^\d{1,2}$/.test(m) || +m > 32)))
    throw new BuilderError(field, `must be an IPv4 address or CIDR, not ${JSON.stringify(v)}`);
  return v;
}

function port(field: string, p: unknown): string {
  if (typeof p === 'number') return String(requireInt(field, p, 0, 65535));
  const m = typeof p === 'string' ? /^(\d{1,5}):(\d{1,5})$/.exec(p) : null;
  if (m && +m[1]! <= +m[2]! && +m[2]! <= 65535) return `${+m[1]!}:${+m[2]!}`;
  throw new BuilderError(field, `must be a port or a range such as '1000:2000', not ${JSON.stringify(p)}`);
}

/** The `-A ...` line of one rule. */
export function iptablesRuleLine(r: IptablesRule, userChains: readonly string[], table: IptablesTable, field = 'rule'): string {
  const f = (k: string) => `${field}.${k}`;
  const chains = [...BUILTIN[table], ...userChains];
  if (!chains.includes(r.chain)) throw new BuilderError(f('chain'), `no chain '${r.chain}' in table ${table}`);
  const p: string[] = ['-A', r.chain];
  if (r.source !== undefined) p.push('-s', address(f('source'), r.source));
  if (r.destination !== undefined) p.push('-d', address(f('destination'), r.destination));
  for (const [k, opt] of [['inInterface', '-i'], ['outInterface', '-o']] as const) {
    const v = r[k];
    if (v === undefined) continue;
    requireChars(f(k), v, /[A-Za-z0-9_.+-]/, 'an interface name');
    if (v.length > 15) throw new BuilderError(f(k), 'must be at most 15 characters');
    p.push(opt, v);
  }
  if (r.protocol !== undefined) p.push('-p', requireOneOf(f('protocol'), r.protocol, ['tcp', 'udp', 'icmp', 'all']));
  if (r.dport !== undefined || r.sport !== undefined) {
    if (r.protocol !== 'tcp' && r.protocol !== 'udp') throw new BuilderError(f('protocol'), 'ports need protocol tcp or udp', 'builder/missing-value');
    if (Array.isArray(r.dport)) {
      if (r.dport.length === 0 || r.dport.length > 15) throw new BuilderError(f('dport'), 'a port list holds 1 to 15 ports');
      p.push('-m', 'multiport', '--dports', r.dport.map((x, i) => port(`${f('dport')}[${i}]`, x)).join(','));
      if (r.sport !== undefined) p.push('-m', r.protocol, '--sport', port(f('sport'), r.sport));
    } else {
      p.push('-m', r.protocol);
      if (r.sport !== undefined) p.push('--sport', port(f('sport'), r.sport));
      if (r.dport !== undefined) p.push('--dport', port(f('dport'), r.dport));
    }
  }
  if (r.state !== undefined) {
    if (r.state.length === 0) throw new BuilderError(f('state'), 'must not be an empty list', 'builder/empty-value');
    r.state.forEach((s, i) => requireOneOf(`${f('state')}[${i}]`, s, ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED']));
    p.push('-m', 'conntrack', '--ctstate', r.state.join(','));
  }
  if (r.comment !== undefined) {
    if (r.comment.length === 0 || Buffer.byteLength(r.comment) > 255) throw new BuilderError(f('comment'), 'must be 1 to 255 bytes');
    p.push('-m', 'comment', '--comment', quoteIptablesText(f('comment'), r.comment));
  }
  const builtin = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG'];
  if (!builtin.includes(r.target) && !userChains.includes(r.target)) throw new BuilderError(f('target'), `'${r.target}' is neither a built-in target nor a chain of this rule set`);
  p.push('-j', r.target);
  if (r.rejectWith !== undefined) {
    if (r.target !== 'REJECT') throw new BuilderError(f('rejectWith'), 'only for target REJECT');
    p.push('--reject-with', requireOneOf(f('rejectWith'), r.rejectWith, ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-unreachable', 'icmp-admin-prohibited', 'tcp-reset']));
    if (r.rejectWith === 'tcp-reset' && r.protocol !== 'tcp') throw new BuilderError(f('rejectWith'), 'tcp-reset needs protocol tcp');
  }
  if (r.logPrefix !== undefined) {
    if (r.target !== 'LOG') throw new BuilderError(f('logPrefix'), 'only for target LOG');
    if (r.logPrefix.length === 0 || Buffer.byteLength(r.logPrefix) > 29) throw new BuilderError(f('logPrefix'), 'must be 1 to 29 bytes');
    p.push('--log-prefix', quoteIptablesText(f('logPrefix'), r.logPrefix));
  }
  return p.join(' ');
}

/** `iptables-restore` input for one table: chains with policies, rules, COMMIT. */
export function buildIptables(set: IptablesRuleset, field = 'iptables'): string {
  const table = set.table === undefined ? 'filter' : requireOneOf(`${field}.table`, set.table, ['filter', 'nat', 'mangle', 'raw']);
  const user = (set.chains ?? []).map((c, i) => {
    chainName(`${field}.chains[${i}]`, c);
    if (BUILTIN[table].includes(c) || ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG'].includes(c)) throw new BuilderError(`${field}.chains[${i}]`, `'${c}' is a built-in name`);
    return c;
  });
  if (new Set(user).size !== user.length) throw new BuilderError(`${field}.chains`, 'a chain is listed twice', 'builder/duplicate-key');
  for (const k of Object.keys(set.policies ?? {})) {
    if (!BUILTIN[table].includes(k)) throw new BuilderError(`${field}.policies.${k}`, `no built-in chain '${k}' in table ${table}`);
  }
  const out = [`*${table}`];
  for (const c of BUILTIN[table]) {
    const pol = set.policies?.[c];
    out.push(`:${c} ${pol === undefined ? 'ACCEPT' : requireOneOf(`${field}.policies.${c}`, pol, ['ACCEPT', 'DROP'])} [0:0]`);
  }
  for (const c of [...user].sort()) out.push(`:${c} - [0:0]`);
  set.rules.forEach((r, i) => out.push(iptablesRuleLine(r, user, table, `${field}.rules[${i}]`)));
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/**
 * Typed builder for iptables rule sets, written as `iptables-restore` input (the iptables-save
 * format) by the iptables format's printer (`render` in src/iptables/render.ts). The builder turns
 * the typed rule set into the format's model — in the form iptables-save prints it back (addresses
 * with their prefix, conntrack states in iptables' order, REJECT's default `--reject-with`) — and the
 * printer quotes free text (`--comment`, `--log-prefix`) as iptables-save does. Names, addresses and
 * ports are checked; control characters are refused.
 */
import { isIP } from 'node:net';
import { BuilderError, refuseControl, refuseRejected, requireChars, requireInt, requireOneOf } from './errors.js';
import { check as checkIptables } from '../iptables/check.js';
import { render as renderIptables, type RenderInput } from '../iptables/render.js';
import type { IptablesDocument } from '../iptables/document.js';
import type { Match, Rule, RuleOption, Target } from '../iptables/model.js';
import { saveString } from '../iptables/scan.js';
import { ruleArgs } from '../iptables/rule.js';

/** An iptables table (`*filter`, `*nat`, ...). */
export type IptablesTable = 'filter' | 'nat' | 'mangle' | 'raw';
/** A built-in target (`-j`); any other target is a chain of the ruleset. */
export type IptablesBuiltinTarget = 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'LOG';
/** A connection-tracking state for `-m conntrack --ctstate`. */
export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
/** A port or a `first:last` range (`--dport`, `--sport`). */
export type IptablesPort = number | `${number}:${number}`;

/** One rule of a chain, as `buildIptables` writes it (`-A CHAIN ...`). */
export interface IptablesRule {
  readonly chain: string;
  /** `all` is the same as leaving it out (iptables-save prints no `-p all`). */
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'all';
  /** IPv4 address or CIDR without host bits (`10.0.0.0/8`, `192.0.2.7`). */
  readonly source?: string;
  readonly destination?: string;
  /** Interface name; a trailing `+` matches every name with that prefix. */
  readonly inInterface?: string;
  readonly outInterface?: string;
  /** Destination port(s); needs protocol tcp or udp. A list uses -m multiport. */
  readonly dport?: IptablesPort | readonly IptablesPort[];
  readonly sport?: IptablesPort;
  readonly state?: readonly ConntrackState[];
  readonly comment?: string;
  /** A built-in target or a user chain of the same table. */
  readonly target: IptablesBuiltinTarget | (string & {});
  /** For REJECT (default icmp-port-unreachable, which iptables-save always prints). */
  readonly rejectWith?: 'icmp-port-unreachable' | 'icmp-host-unreachable' | 'icmp-net-unreachable' | 'icmp-admin-prohibited' | 'tcp-reset';
  /** For LOG; at most 29 characters. */
  readonly logPrefix?: string;
}

/** The tables, chains, policies and rules of an iptables-restore file. */
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
const TARGETS = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG'] as const;
const VERDICTS = new Set(['ACCEPT', 'DROP', 'RETURN']);
/** The order in which iptables' conntrack match prints `--ctstate` (libxt_conntrack). */
const CTSTATE_ORDER: readonly ConntrackState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];
const REJECT_WITH = ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-unreachable', 'icmp-admin-prohibited', 'tcp-reset'] as const;

/**
 * Free text as iptables-save writes it: bare when `[A-Za-z0-9_-]+`, else double-quoted with `\`, `"`
 * and `'` escaped. Control characters are refused.
 */
export function quoteIptablesText(field: string, s: string): string {
  refuseControl(field, s, false);
  return saveString(s);
}

function chainName(field: string, s: string): string {
  requireChars(field, s, /[A-Za-z0-9_.-]/, 'a chain name');
  if (s.length > 28) throw new BuilderError(field, 'must be at most 28 characters');
  if (s.startsWith('-') || s.startsWith('!')) throw new BuilderError(field, "must not start with '-' or '!'");
  return s;
}

/** An IPv4 address or CIDR, as iptables-save prints it (`/32` added); host bits and `/0` refused. */
function address(field: string, v: string): string {
  if (typeof v !== 'string') throw new BuilderError(field, `must be a string, not ${JSON.stringify(v)}`);
  const [a, m, ...rest] = v.split('/');
  const fam = isIP(a ?? '');
  if (fam !== 4 || rest.length > 0 || (m !== undefined && (!/^\d{1,2}$/.test(m) || +m > 32)) || !/^\d+\.\d+\.\d+\.\d+$/.test(a!))
    throw new BuilderError(field, `must be an IPv4 address or CIDR, not ${JSON.stringify(v)}`);
  const bits = m === undefined ? 32 : +m;
  if (bits === 0) throw new BuilderError(field, 'a /0 network matches every address: leave the field out');
  const n = a!.split('.').reduce((acc, o) => acc * 256 + +o, 0);
  const mask = bits === 32 ? 0xffffffff : (0xffffffff - (2 ** (32 - bits) - 1));
  if ((n & ~mask) >>> 0 !== 0) {
    const net = (n & mask) >>> 0;
    throw new BuilderError(field, `${v} has host bits set; iptables would read it as ${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`);
  }
  return `${a}/${bits}`;
}

function port(field: string, p: unknown): string {
  if (typeof p === 'number') return String(requireInt(field, p, 0, 65535));
  const m = typeof p === 'string' ? /^(\d{1,5}):(\d{1,5})$/.exec(p) : null;
  if (m && +m[1]! <= +m[2]! && +m[2]! <= 65535) {
    // iptables-save prints `5:5` as `5`.
    return +m[1]! === +m[2]! ? String(+m[1]!) : `${+m[1]!}:${+m[2]!}`;
  }
  throw new BuilderError(field, `must be a port or a range such as '1000:2000', not ${JSON.stringify(p)}`);
}

/** A single port of the tcp/udp match; the whole range 0:65535 is what leaving it out means. */
function singlePort(field: string, p: unknown): string {
  const s = port(field, p);
  if (s === '0:65535') throw new BuilderError(field, '0:65535 matches every port: leave the field out');
  return s;
}

const opt = (name: string, ...args: string[]): RuleOption => ({ name, args, negated: false });

/**
 * One rule as the iptables format's typed model (what `parse` reads back from the printed line).
 * Throws BuilderError naming the field for a value it cannot write.
 */
export function iptablesRule(r: IptablesRule, userChains: readonly string[], table: IptablesTable, field = 'rule'): Omit<Rule, 'table' | 'command'> {
  const f = (k: string) => `${field}.${k}`;
  for (const k of Object.keys(r)) {
    if (!['chain', 'protocol', 'source', 'destination', 'inInterface', 'outInterface', 'dport', 'sport', 'state', 'comment', 'target', 'rejectWith', 'logPrefix'].includes(k))
      throw new BuilderError(f(k), `unknown rule field '${k}'`, 'builder/unknown-keyword');
  }
  const chains = [...BUILTIN[table], ...userChains];
  if (typeof r.chain !== 'string' || !chains.includes(r.chain)) throw new BuilderError(f('chain'), `no chain ${JSON.stringify(r.chain)} in table ${table}`);
  const out: Omit<Rule, 'table' | 'command'> = { chain: r.chain, matches: [] };
  if (r.source !== undefined) out.source = { address: address(f('source'), r.source), negated: false };
  if (r.destination !== undefined) out.destination = { address: address(f('destination'), r.destination), negated: false };
  for (const k of ['inInterface', 'outInterface'] as const) {
    const v = r[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new BuilderError(f(k), `must be a string, not ${JSON.stringify(v)}`);
    requireChars(f(k), v, /[A-Za-z0-9_.+-]/, 'an interface name');
    if (v.length > 15) throw new BuilderError(f(k), 'must be at most 15 characters');
    if (v.slice(0, -1).includes('+')) throw new BuilderError(f(k), "'+' is only allowed at the end (a prefix match)");
    if (v === '+') throw new BuilderError(f(k), "'+' alone matches every interface: leave the field out");
    const wrong = k === 'inInterface' ? ['OUTPUT', 'POSTROUTING'] : ['INPUT', 'PREROUTING'];
    if (wrong.includes(r.chain)) throw new BuilderError(f(k), `iptables refuses ${k === 'inInterface' ? '-i' : '-o'} in chain ${r.chain}`);
    out[k] = { name: v, negated: false };
  }
  const protocol = r.protocol === undefined ? undefined : requireOneOf(f('protocol'), r.protocol, ['tcp', 'udp', 'icmp', 'all']);
  if (protocol !== undefined && protocol !== 'all') out.protocol = { name: protocol, negated: false };
  if (r.dport !== undefined || r.sport !== undefined) {
    if (protocol !== 'tcp' && protocol !== 'udp') throw new BuilderError(f('protocol'), 'ports need protocol tcp or udp', 'builder/missing-value');
    if (Array.isArray(r.dport)) {
      if (r.dport.length === 0 || r.dport.length > 15) throw new BuilderError(f('dport'), 'a port list holds 1 to 15 ports');
      out.matches.push({ name: 'multiport', known: true, options: [opt('dports', r.dport.map((x, i) => port(`${f('dport')}[${i}]`, x)).join(','))] });
      if (r.sport !== undefined) out.matches.push({ name: protocol, known: true, options: [opt('sport', singlePort(f('sport'), r.sport))] });
    } else {
      const m: Match = { name: protocol, known: true, options: [] };
      if (r.sport !== undefined) m.options.push(opt('sport', singlePort(f('sport'), r.sport)));
      if (r.dport !== undefined) m.options.push(opt('dport', singlePort(f('dport'), r.dport)));
      if (m.options.length > 0) out.matches.push(m);
    }
  }
  if (r.state !== undefined) {
    if (!Array.isArray(r.state) || r.state.length === 0) throw new BuilderError(f('state'), 'must be a non-empty list', 'builder/empty-value');
    r.state.forEach((s, i) => requireOneOf(`${f('state')}[${i}]`, s, CTSTATE_ORDER));
    out.matches.push({ name: 'conntrack', known: true, options: [opt('ctstate', CTSTATE_ORDER.filter((s) => r.state!.includes(s)).join(','))] });
  }
  if (r.comment !== undefined) {
    if (typeof r.comment !== 'string' || r.comment.length === 0 || Buffer.byteLength(r.comment) > 255) throw new BuilderError(f('comment'), 'must be 1 to 255 bytes');
    refuseControl(f('comment'), r.comment, false);
    out.matches.push({ name: 'comment', known: true, options: [opt('comment', r.comment)] });
  }
  if (typeof r.target !== 'string' || (!(TARGETS as readonly string[]).includes(r.target) && !userChains.includes(r.target)))
    throw new BuilderError(f('target'), `${JSON.stringify(r.target)} is neither a built-in target nor a chain of this rule set`);
  if (r.target === 'REJECT' && table !== 'filter') throw new BuilderError(f('target'), 'REJECT is only valid in the filter table');
  if (r.target === 'DROP' && table === 'nat') throw new BuilderError(f('target'), 'the nat table does not filter: DROP is not allowed there');
  const target: Target = { name: r.target, kind: VERDICTS.has(r.target) ? 'verdict' : r.target === 'REJECT' || r.target === 'LOG' ? 'extension' : 'chain', goto: false, options: [] };
  if (r.target === 'REJECT') {
    const w = r.rejectWith === undefined ? 'icmp-port-unreachable' : requireOneOf(f('rejectWith'), r.rejectWith, REJECT_WITH);
    if (w === 'tcp-reset' && protocol !== 'tcp') throw new BuilderError(f('rejectWith'), 'tcp-reset needs protocol tcp');
    target.options.push(opt('reject-with', w));
  } else if (r.rejectWith !== undefined) throw new BuilderError(f('rejectWith'), 'only for target REJECT');
  if (r.logPrefix !== undefined) {
    if (r.target !== 'LOG') throw new BuilderError(f('logPrefix'), 'only for target LOG');
    if (typeof r.logPrefix !== 'string' || r.logPrefix.length === 0 || Buffer.byteLength(r.logPrefix) > 29) throw new BuilderError(f('logPrefix'), 'must be 1 to 29 bytes');
    refuseControl(f('logPrefix'), r.logPrefix, false);
    target.options.push(opt('log-prefix', r.logPrefix));
  }
  out.target = target;
  return out;
}

/**
 * The typed model of a rule set, as the iptables format's `render` takes it: one table with its
 * built-in chains (policies), user chains, and rules. Throws BuilderError naming the field.
 */
export function iptablesModel(set: IptablesRuleset, field = 'iptables'): RenderInput {
  const table = set.table === undefined ? 'filter' : requireOneOf(`${field}.table`, set.table, ['filter', 'nat', 'mangle', 'raw']);
  const user = (set.chains ?? []).map((c, i) => {
    chainName(`${field}.chains[${i}]`, c);
    if (BUILTIN[table].includes(c) || (TARGETS as readonly string[]).includes(c)) throw new BuilderError(`${field}.chains[${i}]`, `'${c}' is a built-in name`);
    return c;
  });
  if (new Set(user).size !== user.length) throw new BuilderError(`${field}.chains`, 'a chain is listed twice', 'builder/duplicate-key');
  for (const k of Object.keys(set.policies ?? {})) {
    if (!BUILTIN[table].includes(k)) throw new BuilderError(`${field}.policies.${k}`, `no built-in chain '${k}' in table ${table}`);
  }
  const chains = [
    ...BUILTIN[table].map((c) => {
      const pol = set.policies?.[c];
      const policy = pol === undefined ? 'ACCEPT' : requireOneOf(`${field}.policies.${c}`, pol, ['ACCEPT', 'DROP']);
      if (policy === 'DROP' && table === 'nat') throw new BuilderError(`${field}.policies.${c}`, 'the nat table does not filter: its policies are ACCEPT');
      return { name: c, policy };
    }),
    ...user.map((c) => ({ name: c, policy: '-' })),
  ];
  if (!Array.isArray(set.rules)) throw new BuilderError(`${field}.rules`, 'must be a list');
  const rules = set.rules.map((r, i) => iptablesRule(r, user, table, `${field}.rules[${i}]`));
  return { tables: [{ name: table, chains, rules }] };
}

/**
 * `iptables-restore` input for one table (chains with policies, rules, COMMIT) as a Document,
 * printed by the iptables format's renderer in iptables-save's canonical form.
 */
export function buildIptablesDocument(set: IptablesRuleset, field = 'iptables'): IptablesDocument {
  const doc = renderIptables(iptablesModel(set, field));
  // Checked as `fwconf check` checks an iptables-save file: an error is refused at its rule.
  const text = doc.toString();
  const lines = text.split('\n');
  refuseRejected(checkIptables(doc), text, 'iptables-restore', (d) => {
    const line = lines[d.line - 1] ?? '';
    if (!line.startsWith('-A ')) return field;
    const rule = lines.slice(0, d.line).filter((l) => l.startsWith('-A ')).length - 1;
    return `${field}.rules[${rule}]`;
  });
  return doc;
}

/** The text of an `iptables-restore` file (see buildIptablesDocument). */
export function buildIptables(set: IptablesRuleset, field = 'iptables'): string {
  return buildIptablesDocument(set, field).toString();
}

/** The `-A ...` line of one rule, as the iptables format's printer writes it. */
export function iptablesRuleLine(r: IptablesRule, userChains: readonly string[], table: IptablesTable, field = 'rule'): string {
  return ruleArgs({ ...iptablesRule(r, userChains, table, field), table, command: 'append' });
}

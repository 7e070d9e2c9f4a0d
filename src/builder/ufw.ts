/**
 * Typed builder for ufw rule sets, written as a POSIX shell script of ufw commands (reset, defaults,
 * logging, rules, enable) by the ufw format's script renderer, which single-quotes every argument.
 * Values ufw itself would refuse or misread (control characters or `'` in a comment, malformed
 * addresses or interface names) are refused with an error naming the field.
 */
import { isIP } from 'node:net';
import { commentProblem } from '../ufw/commands.js';
import { ruleSpec as ufwRule, type UfwRuleSpec, type UfwState } from '../ufw/model.js';
import { renderScript } from '../ufw/render.js';
import { BuilderError, refuseControl, requireChars, requireInt, requireOneOf } from './errors.js';

/** A ufw default policy (`ufw default deny incoming`). */
export type UfwPolicy = 'allow' | 'deny' | 'reject';
/** What a ufw rule does with matching traffic (`limit` allows, with ufw's rate limit). */
export type UfwAction = 'allow' | 'deny' | 'reject' | 'limit';
/** The protocol of a ufw rule; `any` is tcp and udp. */
export type UfwProto = 'tcp' | 'udp' | 'any';
/** A port, or an inclusive range `'6000:6007'`. */
export type UfwPort = number | `${number}:${number}`;

/** One ufw rule of a spec (`ufw allow in on eth0 proto tcp from any to any port 2201`). */
export interface UfwSpecRule {
  readonly action: UfwAction;
  /** Default `in`. */
  readonly direction?: 'in' | 'out';
  /** Interface the rule applies to (`in on eth0`). */
  readonly interface?: string;
  /** Destination port(s). A list or a range needs proto tcp or udp. */
  readonly port?: UfwPort | readonly UfwPort[];
  /** Default `any` (tcp and udp). */
  readonly proto?: UfwProto;
  /** Source address or CIDR; default any. */
  readonly from?: string;
  /** Destination address or CIDR; default any. */
  readonly to?: string;
  readonly log?: 'log' | 'log-all';
  readonly comment?: string;
}

/** What `buildUfwScript` writes as ufw commands: the defaults, the logging level and the rules, in order. */
export interface UfwRuleset {
  readonly header?: readonly string[];
  readonly defaults?: { readonly incoming?: UfwPolicy; readonly outgoing?: UfwPolicy; readonly routed?: UfwPolicy };
  readonly logging?: 'off' | 'on' | 'low' | 'medium' | 'high' | 'full';
  readonly rules: readonly UfwSpecRule[];
}

function address(field: string, v: unknown): string {
  if (typeof v !== 'string') throw new BuilderError(field, `must be a string, not ${JSON.stringify(v)}`);
  if (v === 'any') return v;
  const [addr, mask, ...rest] = v.split('/');
  const fam = isIP(addr ?? '');
  if (fam === 0 || rest.length > 0) throw new BuilderError(field, `must be an IPv4 or IPv6 address, a CIDR or 'any', not ${JSON.stringify(v)}`);
  if (mask !== undefined) {
    if (!/^\d{1,3}$/.test(mask) || +mask > (fam === 4 ? 32 : 128)) throw new BuilderError(field, `bad prefix length in ${JSON.stringify(v)}`);
  }
  return v;
}

function ports(field: string, v: UfwPort | readonly UfwPort[]): { text: string; multi: boolean } {
  const one = (f: string, p: unknown): { text: string; range: boolean } => {
    if (typeof p === 'number') return { text: String(requireInt(f, p, 1, 65535)), range: false };
    const m = typeof p === 'string' ? /^(\d{1,5}):(\d{1,5})$/.exec(p) : null;
    if (m) {
      const a = requireInt(f, +m[1]!, 1, 65535);
      const b = requireInt(f, +m[2]!, 1, 65535);
      if (a >= b) throw new BuilderError(f, `range start ${a} must be below its end ${b}`);
      return { text: `${a}:${b}`, range: true };
    }
    throw new BuilderError(f, `must be a port number or a range such as '6000:6007', not ${JSON.stringify(p)}`);
  };
  if (!Array.isArray(v)) {
    const r = one(field, v);
    return { text: r.text, multi: r.range };
  }
  const items = (v as readonly UfwPort[]).map((p, i) => one(`${field}[${i}]`, p));
  if (items.length === 0) throw new BuilderError(field, 'must not be an empty list', 'builder/empty-value');
  if (items.length > 15) throw new BuilderError(field, 'ufw accepts at most 15 ports in one rule');
  return { text: items.map((i) => i.text).join(','), multi: true };
}

/**
 * The ufw rules one spec rule becomes: an IPv4 rule and its `(v6)` twin when no address is given
 * (ufw with IPV6=yes, Debian's default), else the rule of the address's family.
 */
export function ufwRuleSpecs(rule: UfwSpecRule, field = 'rule'): UfwRuleSpec[] {
  const f = (k: string) => `${field}.${k}`;
  const known = new Set(['action', 'direction', 'interface', 'port', 'proto', 'from', 'to', 'log', 'comment']);
  for (const k of Object.keys(rule)) if (!known.has(k)) throw new BuilderError(f(k), `unknown ufw rule field '${k}'`, 'builder/unknown-keyword');
  const action = requireOneOf(f('action'), rule.action, ['allow', 'deny', 'reject', 'limit']);
  const direction = rule.direction === undefined ? 'in' : requireOneOf(f('direction'), rule.direction, ['in', 'out']);
  const proto = rule.proto === undefined ? 'any' : requireOneOf(f('proto'), rule.proto, ['tcp', 'udp', 'any']);
  let iface: string | null = null;
  if (rule.interface !== undefined) {
    requireChars(f('interface'), rule.interface, /[A-Za-z0-9_.-]/, 'an interface name');
    if (rule.interface.length > 15) throw new BuilderError(f('interface'), 'must be at most 15 characters');
    iface = rule.interface;
  }
  const log = rule.log === undefined ? null : requireOneOf(f('log'), rule.log, ['log', 'log-all']);
  const src = rule.from === undefined || rule.from === 'any' ? null : address(f('from'), rule.from);
  const dst = rule.to === undefined || rule.to === 'any' ? null : address(f('to'), rule.to);
  const famOf = (a: string | null) => (a === null ? 0 : isIP(a.split('/')[0]!));
  if (src !== null && dst !== null && famOf(src) !== famOf(dst)) throw new BuilderError(f('to'), 'from and to must be of the same IP version');
  let dport: string | null = null;
  if (rule.port !== undefined) {
    const p = ports(f('port'), rule.port);
    if (p.multi && proto === 'any') throw new BuilderError(f('proto'), 'a port list or range needs proto tcp or udp', 'builder/missing-value');
    dport = p.text;
  }
  if (action === 'limit' && direction === 'out') throw new BuilderError(f('action'), 'limit applies to incoming rules only');
  let comment: string | null = null;
  if (rule.comment !== undefined) {
    if (typeof rule.comment !== 'string') throw new BuilderError(f('comment'), 'must be a string');
    refuseControl(f('comment'), rule.comment, false);
    if (rule.comment === '') throw new BuilderError(f('comment'), 'must not be empty', 'builder/empty-value');
    const problem = commentProblem(rule.comment);
    if (problem) throw new BuilderError(f('comment'), problem, 'builder/unsafe-character');
    comment = rule.comment;
  }
  const base = {
    action,
    log,
    proto: proto === 'any' ? null : proto,
    dst,
    dport,
    src,
    direction,
    interfaceIn: direction === 'in' ? iface : null,
    interfaceOut: direction === 'out' ? iface : null,
    comment,
  } as const;
  const fam = famOf(src) || famOf(dst);
  const out: UfwRuleSpec[] = [];
  if (fam !== 6) out.push(ufwRule({ ...base, v6: false }));
  if (fam !== 4) out.push(ufwRule({ ...base, v6: true }));
  return out;
}

/** The ufw state a rule set leads to (what `ufw status verbose` shows after the script). */
export function ufwState(set: UfwRuleset, field = 'ufw'): UfwState {
  const pol = (dir: 'incoming' | 'outgoing' | 'routed', dflt: UfwPolicy) => {
    const p = set.defaults?.[dir];
    return p === undefined ? dflt : requireOneOf(`${field}.defaults.${dir}`, p, ['allow', 'deny', 'reject']);
  };
  const level = set.logging === undefined ? 'low' : requireOneOf(`${field}.logging`, set.logging, ['off', 'on', 'low', 'medium', 'high', 'full']);
  const v4: UfwRuleSpec[] = [];
  const v6: UfwRuleSpec[] = [];
  set.rules.forEach((r, i) => {
    for (const x of ufwRuleSpecs(r, `${field}.rules[${i}]`)) (x.v6 ? v6 : v4).push(x);
  });
  return {
    status: 'active',
    logging: level === 'off' ? { state: 'off', level: null } : { state: 'on', level: level === 'on' ? 'low' : level },
    defaults: { incoming: pol('incoming', 'deny'), outgoing: pol('outgoing', 'allow'), routed: set.defaults?.routed === undefined ? 'disabled' : pol('routed', 'deny') },
    newProfiles: 'skip',
    rules: [...v4, ...v6],
  };
}

/**
 * The ufw script, printed by the ufw format's script renderer: `ufw --force reset`, the default
 * policies, logging, the rules, `ufw --force enable`. Its `ufw status verbose` is
 * `ufw.renderStatus(ufwState(set))`.
 */
export function buildUfwScript(set: UfwRuleset, field = 'ufw'): string {
  (set.header ?? []).forEach((l, i) => refuseControl(`${field}.header[${i}]`, l, true));
  const state = ufwState(set, field);
  return renderScript(state, { header: set.header ?? [] });
}

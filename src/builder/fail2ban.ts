/**
 * Typed builder for fail2ban `.local` overlays: jail.local (only the sections and keys you set,
 * never a copy of jail.conf), filter.d/NAME.local and action.d/NAME.local.
 *
 * Values are fail2ban syntax: `%(name)s` interpolates and `%%` is a literal `%` (wrap a string in
 * `literal()` to have every `%` escaped for you). Anything the INI reader would take as syntax is
 * refused with an error naming the field: a newline (use a list for multi-line values), a `;` after
 * white space (an inline comment), a lone `%`, leading or trailing white space (stripped by the
 * reader), a continuation line starting with `#` or `;` (a comment line).
 */
import { BuilderError, asArray, refuseControl, refuseRejected, requireChars, requireInt, requireOneOf } from './errors.js';
import { checkDocument } from '../fail2ban/check.js';
import { render as renderFail2ban, type RenderSection } from '../fail2ban/render.js';
import type { Fail2banDocument } from '../fail2ban/document.js';
import { commentLines } from './sshd.js';

/** A value whose every `%` is written as `%%`: the daemon reads back exactly this text. */
export interface Literal {
  readonly literal: string;
}
/** A fail2ban value written as given: its `%` are doubled, so fail2ban reads no interpolation in it. */
export const literal = (text: string): Literal => ({ literal: text });

/** A fail2ban value: fail2ban syntax (interpolation allowed), or a literal. */
export type F2bValue = string | Literal;
/** Seconds, or fail2ban's time abbreviations (`10m`, `1h`, `1d`, `1w`); -1 is forever for bantime. */
export type F2bTime = number | string;
/** One port item: a number, a range `'1000:2000'`, or a name fail2ban passes on (`ssh`, `http`, `all`). */
export type F2bPortItem = number | string;

/** Jail options (keys as fail2ban spells them). Unset keys inherit from jail.conf. */
export interface JailOptions {
  enabled?: boolean;
  port?: F2bPortItem | readonly F2bPortItem[];
  protocol?: 'tcp' | 'udp' | 'all' | 'icmp' | 'sctp' | 'udplite';
  filter?: F2bValue;
  logpath?: F2bValue | readonly F2bValue[];
  backend?: 'auto' | 'pyinotify' | 'gamin' | 'polling' | 'systemd';
  banaction?: F2bValue;
  action?: F2bValue | readonly F2bValue[];
  maxretry?: number;
  findtime?: F2bTime;
  bantime?: F2bTime;
  ignoreip?: string | readonly string[];
  usedns?: 'yes' | 'no' | 'warn' | 'raw';
  mode?: string;
  chain?: string;
  'bantime.increment'?: boolean;
  /** Other keys, lower-case, written after the typed ones. */
  extra?: Readonly<Record<string, F2bValue | readonly F2bValue[]>>;
}

/** jail.local: `[DEFAULT]` overrides and one section per jail, each only what differs from jail.conf. */
export interface JailLocal {
  readonly header?: readonly string[];
  /** `[DEFAULT]` overrides. */
  readonly defaults?: JailOptions;
  /** Jails by name, in order. */
  readonly jails: Readonly<Record<string, JailOptions>>;
}

/** A filter's `.local` overlay (filter.d/NAME.local): the regexes and settings it overrides and its `[Init]` values. */
export interface FilterLocal {
  readonly header?: readonly string[];
  /** `[INCLUDES] before = ...` */
  readonly before?: readonly string[];
  readonly failregex?: readonly F2bValue[];
  readonly ignoreregex?: readonly F2bValue[];
  readonly prefregex?: F2bValue;
  readonly datepattern?: F2bValue;
  readonly maxlines?: number;
  readonly journalmatch?: readonly F2bValue[];
  /** `[Init]` options. */
  readonly init?: Readonly<Record<string, F2bValue>>;
}

/** An action's `.local` overlay (action.d/NAME.local): the commands it overrides and its `[Init]` values. */
export interface ActionLocal {
  readonly header?: readonly string[];
  readonly before?: readonly string[];
  readonly actionstart?: F2bValue | readonly F2bValue[];
  readonly actionstop?: F2bValue | readonly F2bValue[];
  readonly actioncheck?: F2bValue | readonly F2bValue[];
  readonly actionban?: F2bValue | readonly F2bValue[];
  readonly actionunban?: F2bValue | readonly F2bValue[];
  readonly init?: Readonly<Record<string, F2bValue>>;
}

const KEY = /[a-z0-9_.-]/;
const SECTION = /[A-Za-z0-9_.@+-]/;

/** Checks one line of a value and returns its text (literals escaped). */
export function f2bValueLine(field: string, v: F2bValue, continuation = false): string {
  let s: string;
  if (typeof v === 'object' && v !== null && typeof (v as Literal).literal === 'string') s = (v as Literal).literal.replace(/%/g, '%%');
  else if (typeof v === 'string') s = v;
  else throw new BuilderError(field, `must be a string, not ${JSON.stringify(v)}`);
  refuseControl(field, s, true);
  if (s.trim() !== s) throw new BuilderError(field, 'must not start or end with white space (fail2ban strips it)', 'builder/unsafe-character');
  if (/(^|[ \t]);/.test(s)) throw new BuilderError(field, "a ';' at the start or after white space starts a comment in fail2ban", 'builder/unsafe-character');
  if (continuation && /^[#;]/.test(s)) throw new BuilderError(field, "a line of a multi-line value must not start with '#' or ';' (a comment line)", 'builder/unsafe-character');
  if (continuation && s === '') throw new BuilderError(field, 'a line of a multi-line value must not be empty', 'builder/empty-value');
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i)) {
    if (s[i + 1] === '%') {
      i += 2;
      continue;
    }
    const m = /^%\(([A-Za-z0-9_./-]+)\)s/.exec(s.slice(i));
    if (!m) throw new BuilderError(field, "a '%' must be '%%' or start %(name)s (fail2ban interpolation); use literal() for text", 'builder/unsafe-character');
    i += m[0].length;
  }
  return s;
}

/** One checked option: its key and its value's lines (several for a multi-line value). */
export type F2bOption = readonly [key: string, lines: readonly string[]];

/** Checks an option; a list becomes a multi-line value. */
export function f2bOption(field: string, key: string, v: F2bValue | readonly F2bValue[]): F2bOption[] {
  requireChars(field, key, KEY, 'a fail2ban option name (lower case)');
  const items = Array.isArray(v) ? (v as readonly F2bValue[]) : [v as F2bValue];
  if (items.length === 0) throw new BuilderError(field, 'must not be an empty list', 'builder/empty-value');
  return [[key, items.map((x, i) => f2bValueLine(Array.isArray(v) ? `${field}[${i}]` : field, x, items.length > 1))]];
}

const opt = (key: string, value: string): F2bOption => [key, [value]];

function time(field: string, v: unknown, allowNegative: boolean): string {
  if (typeof v === 'number') return String(requireInt(field, v, allowNegative ? -1 : 0, 2147483647));
  if (typeof v === 'string' && /^(\d+(\.\d+)?\s*(s|sec|m|min|h|hour|d|day|w|week|mo|y|year)?)+$/i.test(v) && v.trim() === v) return v;
  throw new BuilderError(field, `must be seconds or a fail2ban time such as 10m or 1h, not ${JSON.stringify(v)}`);
}

function portItem(field: string, p: unknown): string {
  if (typeof p === 'number') return String(requireInt(field, p, 1, 65535));
  const m = typeof p === 'string' ? /^(\d{1,5}):(\d{1,5})$/.exec(p) : null;
  if (m) {
    const a = requireInt(field, +m[1]!, 0, 65535);
    const b = requireInt(field, +m[2]!, 0, 65535);
    if (a > b) throw new BuilderError(field, `range start ${a} is above its end ${b}`);
    return `${a}:${b}`;
  }
  if (typeof p === 'string') {
    requireChars(field, p, /[a-z0-9-]/, 'a port name');
    return p;
  }
  throw new BuilderError(field, `must be a port number, a range such as '1000:2000' or a name, not ${JSON.stringify(p)}`);
}

/** The checked options of one jail (typed keys first, in a fixed order). */
export function jailOptions(field: string, o: JailOptions): F2bOption[] {
  const out: F2bOption[] = [];
  const known = new Set(['enabled', 'port', 'protocol', 'filter', 'logpath', 'backend', 'banaction', 'action', 'maxretry', 'findtime', 'bantime', 'ignoreip', 'usedns', 'mode', 'chain', 'bantime.increment', 'extra']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new BuilderError(`${field}.${k}`, `unknown jail option '${k}' (put other keys under extra)`, 'builder/unknown-keyword');
  const f = (k: string) => `${field}.${k}`;
  if (o.enabled !== undefined) {
    if (typeof o.enabled !== 'boolean') throw new BuilderError(f('enabled'), 'must be true or false');
    out.push(opt('enabled', String(o.enabled)));
  }
  if (o.filter !== undefined) out.push(...f2bOption(f('filter'), 'filter', o.filter));
  if (o.backend !== undefined) out.push(opt('backend', String(requireOneOf(f('backend'), o.backend, ['auto', 'pyinotify', 'gamin', 'polling', 'systemd']))));
  if (o.logpath !== undefined) {
    asArray(o.logpath).forEach((p, i) => {
      const s = typeof p === 'string' ? p : (p as Literal)?.literal;
      if (typeof s === 'string' && /\s/.test(s)) throw new BuilderError(Array.isArray(o.logpath) ? `${f('logpath')}[${i}]` : f('logpath'), 'must not contain white space (fail2ban splits log paths on it)', 'builder/unsafe-character');
    });
    out.push(...f2bOption(f('logpath'), 'logpath', o.logpath));
  }
  if (o.port !== undefined) out.push(opt('port', String(asArray(o.port as F2bPortItem).map((p, i) => portItem(Array.isArray(o.port) ? `${f('port')}[${i}]` : f('port'), p)).join(','))));
  if (o.protocol !== undefined) out.push(opt('protocol', String(requireOneOf(f('protocol'), o.protocol, ['tcp', 'udp', 'all', 'icmp', 'sctp', 'udplite']))));
  if (o.banaction !== undefined) out.push(...f2bOption(f('banaction'), 'banaction', o.banaction));
  if (o.action !== undefined) out.push(...f2bOption(f('action'), 'action', o.action));
  if (o.maxretry !== undefined) out.push(opt('maxretry', String(requireInt(f('maxretry'), o.maxretry, 1, 2147483647))));
  if (o.findtime !== undefined) out.push(opt('findtime', String(time(f('findtime'), o.findtime, false))));
  if (o.bantime !== undefined) out.push(opt('bantime', String(time(f('bantime'), o.bantime, true))));
  if (o['bantime.increment'] !== undefined) {
    if (typeof o['bantime.increment'] !== 'boolean') throw new BuilderError(f('bantime.increment'), 'must be true or false');
    out.push(opt('bantime.increment', String(o['bantime.increment'])));
  }
  if (o.ignoreip !== undefined) {
    const ips = asArray(o.ignoreip);
    ips.forEach((ip, i) => requireChars(Array.isArray(o.ignoreip) ? `${f('ignoreip')}[${i}]` : f('ignoreip'), ip, /[A-Za-z0-9.:/_-]/, 'an address'));
    if (ips.length === 0) throw new BuilderError(f('ignoreip'), 'must not be an empty list', 'builder/empty-value');
    out.push(opt('ignoreip', String(ips.join(' '))));
  }
  if (o.usedns !== undefined) out.push(opt('usedns', String(requireOneOf(f('usedns'), o.usedns, ['yes', 'no', 'warn', 'raw']))));
  if (o.mode !== undefined) {
    requireChars(f('mode'), o.mode, /[A-Za-z0-9_-]/, 'a filter mode');
    out.push(opt('mode', String(o.mode)));
  }
  if (o.chain !== undefined) {
    requireChars(f('chain'), o.chain, /[A-Za-z0-9_-]/, 'a chain name');
    out.push(opt('chain', String(o.chain)));
  }
  for (const [k, v] of Object.entries(o.extra ?? {})) {
    if (known.has(k)) throw new BuilderError(`${f('extra')}.${k}`, `'${k}' has a typed field; set it there`, 'builder/duplicate-key');
    out.push(...f2bOption(`${f('extra')}.${k}`, k, v));
  }
  return out;
}

function sectionName(field: string, name: string): string {
  requireChars(field, name, SECTION, 'a section name');
  if (name === 'INCLUDES') throw new BuilderError(field, "'INCLUDES' is not a jail", 'builder/invalid-value');
  return name;
}

function section(name: string, options: readonly F2bOption[]): RenderSection {
  return { name, options: options.map(([k, lines]) => [k, lines.length === 1 ? lines[0]! : lines] as const) };
}

function includes(field: string, before: readonly string[] | undefined): RenderSection[] {
  if (!before || before.length === 0) return [];
  before.forEach((b, i) => requireChars(`${field}[${i}]`, b, /[A-Za-z0-9_./-]/, 'a file name'));
  return [section('INCLUDES', f2bOption(field, 'before', before))];
}

/**
 * The rendered document, checked as `fwconf check` checks a file of its kind (`role`: a path whose
 * name says jail, filter or action file) on its own; an error throws BuilderError at the field
 * `fieldOf(section, key)` names.
 */
function document(
  field: string,
  header: readonly string[] | undefined,
  sections: RenderSection[],
  role: string,
  fieldOf: (section: string, key: string) => string,
): Fail2banDocument {
  commentLines(`${field}.header`, header);
  const spec = { ...(header?.length ? { header } : {}), sections };
  const checked = renderFail2ban(spec, { file: role });
  refuseRejected(checkDocument(checked), checked.toString(), 'fail2ban', (d) => {
    for (const sec of checked.sectionList) {
      const e = sec.entries.find((x) => x.first + 1 === d.line);
      if (e) return fieldOf(sec.name, e.key);
      if (sec.header + 1 === d.line) return fieldOf(sec.name, '');
    }
    return field;
  });
  return renderFail2ban(spec);
}

/** The field of a key in a filter's or action's file: `[Definition]` keys, `[Init]` under init, `[INCLUDES]` before. */
function definitionField(field: string): (section: string, key: string) => string {
  return (section, key) => (section === 'INCLUDES' ? `${field}.before` : section === 'Init' ? `${field}.init${key ? `.${key}` : ''}` : key ? `${field}.${key}` : field);
}

/** jail.local as a Document: `[DEFAULT]` (when given) and one section per jail, only the keys set. */
export function buildJailLocalDocument(j: JailLocal, field = 'jail'): Fail2banDocument {
  const sections: RenderSection[] = [];
  if (j.defaults) sections.push(section('DEFAULT', jailOptions(`${field}.defaults`, j.defaults)));
  for (const [name, o] of Object.entries(j.jails)) {
    const f = `${field}.jails.${name}`;
    if (name === 'DEFAULT') throw new BuilderError(f, 'use defaults for [DEFAULT]', 'builder/invalid-value');
    sections.push(section(sectionName(f, name), jailOptions(f, o)));
  }
  return document(field, j.header, sections, '/etc/fail2ban/jail.local', (section, key) => {
    const f = section === 'DEFAULT' ? `${field}.defaults` : `${field}.jails.${section}`;
    const o = (section === 'DEFAULT' ? j.defaults : j.jails[section]) as Record<string, unknown> | undefined;
    return key === '' ? f : o && !(key in o) && o.extra && typeof o.extra === 'object' && key in o.extra ? `${f}.extra.${key}` : `${f}.${key}`;
  });
}

function initSection(field: string, init: Readonly<Record<string, F2bValue>> | undefined): RenderSection[] {
  if (!init || Object.keys(init).length === 0) return [];
  return [section('Init', Object.entries(init).flatMap(([k, v]) => f2bOption(`${field}.${k}`, k, v)))];
}

/** filter.d/NAME.local as a Document: `[Definition]` with the given regexes. */
export function buildFilterLocalDocument(d: FilterLocal, field = 'filter'): Fail2banDocument {
  const o: F2bOption[] = [];
  if (d.prefregex !== undefined) o.push(...f2bOption(`${field}.prefregex`, 'prefregex', d.prefregex));
  if (d.failregex !== undefined) o.push(...f2bOption(`${field}.failregex`, 'failregex', d.failregex));
  if (d.ignoreregex !== undefined) o.push(...f2bOption(`${field}.ignoreregex`, 'ignoreregex', d.ignoreregex));
  if (d.datepattern !== undefined) o.push(...f2bOption(`${field}.datepattern`, 'datepattern', d.datepattern));
  if (d.maxlines !== undefined) o.push(opt('maxlines', String(requireInt(`${field}.maxlines`, d.maxlines, 1, 2147483647))));
  if (d.journalmatch !== undefined) o.push(...f2bOption(`${field}.journalmatch`, 'journalmatch', d.journalmatch));
  return document(field, d.header, [...includes(`${field}.before`, d.before), section('Definition', o), ...initSection(`${field}.init`, d.init)], '/etc/fail2ban/filter.d/fwconf.local', definitionField(field));
}

/** action.d/NAME.local as a Document: `[Definition]` with the given commands. */
export function buildActionLocalDocument(d: ActionLocal, field = 'action'): Fail2banDocument {
  const o: F2bOption[] = [];
  for (const k of ['actionstart', 'actionstop', 'actioncheck', 'actionban', 'actionunban'] as const) {
    const v = d[k];
    if (v !== undefined) o.push(...f2bOption(`${field}.${k}`, k, v));
  }
  return document(field, d.header, [...includes(`${field}.before`, d.before), section('Definition', o), ...initSection(`${field}.init`, d.init)], '/etc/fail2ban/action.d/fwconf.local', definitionField(field));
}

/** The text of jail.local (see buildJailLocalDocument). */
export const buildJailLocal = (j: JailLocal, field = 'jail'): string => buildJailLocalDocument(j, field).toString();
/** The text of filter.d/NAME.local (see buildFilterLocalDocument). */
export const buildFilterLocal = (d: FilterLocal, field = 'filter'): string => buildFilterLocalDocument(d, field).toString();
/** The text of action.d/NAME.local (see buildActionLocalDocument). */
export const buildActionLocal = (d: ActionLocal, field = 'action'): string => buildActionLocalDocument(d, field).toString();

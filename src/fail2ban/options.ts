/**
 * fail2ban's option helpers (fail2ban/helpers.py, 1.0.2): `name[k=v, ...]` arguments
 * (extractOptions), action lists (splitWithOptions), word lists (splitwords), recursive `<tag>`
 * substitution (substituteRecursiveTags), and the Python conversions the readers apply.
 */
import { PY_WS, pyStr, pyStrip, type PyValue } from './pytext.js';

const W = '\\p{L}\\p{N}_';
const S = `[${PY_WS}]`;
const NS = `[^${PY_WS}]`;
/** Python `$` without MULTILINE: the end, or before a final newline. */
const END = '(?=\\n?$)';

const OPTION_RE = new RegExp(`^([^\\[]+)(?:\\[(.*)\\])?${S}*$`, 'su');
const OPTION_EXTRACT_RE = new RegExp(
  `${S}*([${W}\\-_.]+)=(?:"([^"]*)"|'([^']*)'|([^,\\]]*))(?:,|\\]${S}*\\[|${END}|(?<wrngA>.+))|,?${S}*${END}|(?<wrngB>.+)`,
  'gsu',
);
const OPTION_SPLIT_RE = new RegExp(
  `(?:[^\\[${PY_WS}]+(?:${S}*\\[${S}*(?:[${W}\\-_.]+=(?:"[^"]*"|'[^']*'|[^,\\]]*)${S}*(?:,|\\]${S}*\\[)?${S}*)*\\])?${S}*|${NS}+)(?=\\n${S}*|${S}+|$)`,
  'gsu',
);

/** `extractOptions("iptables[port=ssh, name=x]")` → `['iptables', {port: 'ssh', name: 'x'}]`; throws like fail2ban on bad syntax. */
export function extractOptions(option: string): [string, Map<string, string>] {
  const m = OPTION_RE.exec(option);
  if (!m) throw new OptionSyntaxError('unexpected option syntax');
  const name = m[1]!;
  const optstr = m[2];
  const opts = new Map<string, string>();
  if (optstr) {
    OPTION_EXTRACT_RE.lastIndex = 0;
    for (const om of optstr.matchAll(OPTION_EXTRACT_RE)) {
      const g = om.groups ?? {};
      if (g.wrngA !== undefined) throw new OptionSyntaxError(`unexpected syntax at ${om.index! + om[0].length - g.wrngA.length} after option ${pyRepr(om[1] ?? '')}: ${g.wrngA.slice(0, 25)}`);
      if (g.wrngB !== undefined) throw new OptionSyntaxError(`expected option, wrong syntax at ${om.index! + om[0].length - g.wrngB.length}: ${g.wrngB.slice(0, 25)}`);
      const opt = om[1];
      if (!opt) continue;
      const value = om[2] ?? om[3] ?? om[4] ?? '';
      opts.set(pyStrip(opt), pyStrip(value));
    }
  }
  return [name, opts];
}

/** An option whose syntax fail2ban refuses (an action spec with unbalanced brackets, ...). */
export class OptionSyntaxError extends Error {}

/** `splitWithOptions`: action specs separated by whitespace or newlines; brackets may span lines. */
export function splitWithOptions(option: string): string[] {
  return [...option.matchAll(OPTION_SPLIT_RE)].map((m) => m[0]);
}

/** `splitwords`: split on runs of space, comma, newline; drop empties. */
export function splitwords(s: string): string[] {
  if (!s) return [];
  return s
    .split(/[ ,\n]+/)
    .map((v) => pyStrip(v))
    .filter(Boolean);
}

/** `_as_bool`. */
export function asBool(v: PyValue): boolean {
  if (typeof v !== 'string') return Boolean(v);
  return ['1', 'on', 'true', 'yes'].includes(v.toLowerCase());
}

const PY_INT_RE = new RegExp(`^${S}*([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)${S}*$`, 'u');
/** The common case: ASCII digits alone (a safe integer, so Number() is exact). */
const ASCII_INT_RE = /^-?[0-9]{1,15}$/;

/** Python `int(str)`; throws a RangeError where Python raises ValueError. */
export function pyInt(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const text = String(v);
  // `|| 0`: Python's int('-0') is 0.
  if (ASCII_INT_RE.test(text)) return Number(text) || 0;
  const m = PY_INT_RE.exec(text);
  if (!m) throw new RangeError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
  const digits = m[2]!.replace(/_/g, '').replace(/\p{Nd}/gu, (d) => String(digitValue(d)));
  return Number(m[1] + digits);
}

function digitValue(d: string): number {
  const cp = d.codePointAt(0)!;
  if (cp >= 48 && cp <= 57) return cp - 48;
  // Unicode decimal digits come in runs of ten starting at a code point ending in 0 (or 6 in a few blocks).
  for (let base = cp; base > cp - 10; base--) if (!/\p{Nd}/u.test(String.fromCodePoint(base - 1))) return cp - base;
  return 0;
}

/** Python repr() of a str. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (!isPrintable(ch)) out += cp <= 0xff ? '\\x' + cp.toString(16).padStart(2, '0') : cp <= 0xffff ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0');
    else out += ch;
  }
  return out + q;
}

function isPrintable(ch: string): boolean {
  // str.isprintable(): not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (except ' ').
  if (ch === ' ') return true;
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch);
}

/** Python `json.dumps(dict_of_str)` with its default separators and ensure_ascii. */
export function pyJsonDumps(m: Map<string, string>): string {
  const enc = (s: string) =>
    JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return '{' + [...m].map(([k, v]) => `${enc(k)}: ${enc(v)}`).join(', ') + '}';
}

export const MAX_TAG_REPLACE_COUNT = 25;

/**
 * `TAG_CRE.search(value, from)` for `<([^ <>]+)>`, hand-written (no match objects): the index of the
 * `>` that closes the next tag, or -1. The tag opens at `value.lastIndexOf('<', end)`, since its
 * name holds no `<`.
 */
function tagEnd(value: string, from: number): number {
  for (let lt = value.indexOf('<', from); lt >= 0; lt = value.indexOf('<', lt + 1)) {
    for (let i = lt + 1; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 62 /* > */) {
        if (i > lt + 1) return i;
        break;
      }
      if (c === 60 /* < */ || c === 32 /* space */) break;
    }
  }
  return -1;
}

/** `<tag>` references that refer to themselves (fail2ban's `substituteRecursiveTags` gives up). */
export class TagRecursionError extends Error {}

/**
 * `substituteRecursiveTags(tags, conditional, ignore, addrepl)`: replaces `<tag>` references in every
 * value by other values (and by `addrepl(tag)` for names not in the map), repeatedly, as fail2ban
 * does. Unknown tags stay. Returns a new map (the input is not changed).
 *
 * One shortcut, exact: a key whose scan replaced nothing is not scanned again. Its next scan would
 * see the same value (only its own scan changes it), the same tags, whether each can be replaced
 * (keys are never added, and a value never turns into None) and the same repeat counts (they grow
 * only by a replacement), so it would replace nothing and raise nothing either.
 */
export function substituteRecursiveTags(
  input: Map<string, PyValue>,
  options: { conditional?: string; ignore?: Iterable<string>; addrepl?: (tag: string) => PyValue | undefined } = {},
): Map<string, PyValue> {
  const ignore = options.ignore instanceof Set ? (options.ignore as Set<string>) : new Set(options.ignore ?? []);
  const conditional = options.conditional ?? '';
  const addrepl = options.addrepl;
  /** fail2ban's `done` (no `<` left), and keys whose last scan replaced nothing. */
  const done = new Set<string>();
  let tags = input;
  const repCounts = new Map<string, Map<string, number>>();
  const keys = [...input.keys()];
  for (;;) {
    let repFlag = false;
    for (const tag of keys) {
      if (ignore.has(tag) || done.has(tag)) continue;
      const orgval = pyStr(tags.get(tag) ?? null);
      let value = orgval;
      let end = tagEnd(value, 0);
      let rplc = repCounts.get(tag);
      let replaced = false;
      while (end >= 0) {
        const at = value.lastIndexOf('<', end);
        const rtag = value.slice(at + 1, end);
        if (ignore.has(rtag)) {
          end = tagEnd(value, end + 1);
          continue;
        }
        if (rtag === tag || (rplc?.get(rtag) ?? 1) > MAX_TAG_REPLACE_COUNT) {
          throw new TagRecursionError(`properties contain self referencing definitions and cannot be resolved, fail tag: ${tag}, found: ${rtag}, value: ${value}`);
        }
        let repl: PyValue | undefined;
        if (conditional) repl = tags.get(rtag + '?' + conditional) ?? undefined;
        if (repl === undefined || repl === null) {
          repl = tags.get(rtag) ?? undefined;
          if ((repl === undefined || repl === null) && addrepl) repl = addrepl(rtag);
        }
        if (repl === undefined || repl === null) {
          end = tagEnd(value, end + 1);
          continue;
        }
        value = value.split(value.slice(at, end + 1)).join(pyStr(repl));
        replaced = true;
        rplc ??= new Map<string, number>();
        rplc.set(rtag, (rplc.get(rtag) ?? 0) + 1);
        end = tagEnd(value, at);
      }
      if (orgval !== value) {
        if (tagEnd(value, 0) >= 0) {
          repCounts.set(tag, rplc!);
          repFlag = true;
        }
        if (tags === input) tags = new Map(input);
        tags.set(tag, value);
      }
      if (!replaced || !value.includes('<')) done.add(tag);
    }
    if (!repFlag) break;
  }
  return tags;
}

/**
 * fail2ban 1.0.2's regex layer (server/failregex.py): the `<HOST>` family of tags, `<F-NAME>` groups,
 * `<SKIPLINES>`, the global-to-scoped flag rewrite, and what a search leaves behind — the matched
 * and unmatched tuple lines of a multi-line buffer, the skipped lines, `alt_` and `tuple_` groups.
 */
import { search, translate, type PyMatch, type Translation } from './pyre-adapter.js';

export const IP_4_RE = '(?:\\d{1,3}\\.){3}\\d{1,3}';
export const IP_6_RE = '(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)';

const R_IPV4 = `(?:::f{4,6}:)?(?P<ip4>${IP_4_RE})`;
const R_IPV6 = `(?P<ip6>${IP_6_RE})`;
const R_DNS = '(?P<dns>[\\w\\-.^_]*\\w)';
const R_CIDR = '(?P<cidr>\\d+)';
const R_ADDR = `\\[?(?:${R_IPV4}|${R_IPV6})\\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const R_SUBNET = `\\[?(?:${R_IPV4}|${R_IPV6})(?:/${R_CIDR})?\\]?`;

const RH4TAG: Record<string, string> = {
  IP4: R_IPV4,
  'F-IP4/': R_IPV4,
  IP6: R_IPV6,
  'F-IP6/': R_IPV6,
  ADDR: R_ADDR,
  'F-ADDR/': R_ADDR,
  CIDR: R_CIDR,
  'F-CIDR/': R_CIDR,
  SUBNET: R_SUBNET,
  'F-SUBNET/': R_SUBNET,
  DNS: R_DNS,
  'F-DNS/': R_DNS,
  'F-ID/': '(?P<fid>\\S+)',
  'F-PORT/': '(?P<fport>\\w+)',
};
const R_MAP: Record<string, string> = { id: 'fid', port: 'fport' };

const FTAG_CRE = /<\/?[\p{L}\p{N}_-]+\/?>/gu;
const FCUSTNAME_CRE = /^(\/?)F-([A-Z0-9_-]+)$/;
const R_GLOB2LOCFLAGS = /(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/g;
const COMPLNAME_CRE = /^(alt_|tuple_)(.*?)(?:_\d+)?$/s;

export function mapTag2Opt(tag: string): string {
  const t = tag.toLowerCase();
  return R_MAP[t] ?? t;
}

/** Regex._resolveHostTag: the tags replaced by their expressions. */
export function resolveHostTag(regex: string, useDns = 'yes'): string {
  const openTags = new Set<string>();
  let nl = 0;
  return regex.replace(FTAG_CRE, (tag) => {
    let tn = tag.slice(1, -1);
    if (tn === 'HOST') return useDns !== 'no' ? R_HOST : R_ADDR;
    if (tn === 'SKIPLINES') return `\\n(?P<skiplines${nl++}>(?:(?:.*\\n)*?))`;
    if (Object.hasOwn(RH4TAG, tn)) return RH4TAG[tn]!;
    const m = FCUSTNAME_CRE.exec(tn);
    if (m) {
      tn = m[2]!;
      if (m[1]) return openTags.has(tn) ? ')' : tag;
      openTags.add(tn);
      return `(?P<${mapTag2Opt(tn)}>`;
    }
    return tag;
  });
}

/** A line as fail2ban keeps it: (text before the date, the date, text after the date). */
export type TupleLine = [string, string, string];

export function tupleLinesBuf(lines: readonly TupleLine[]): string {
  let s = '';
  for (const v of lines) s += v[0] + v[2] + '\n';
  return s;
}
const lineText = (v: TupleLine) => v[0] + v[2];

/** A regex fail2ban would refuse, or fwconf cannot translate exactly. */
export class RegexError extends Error {
  constructor(
    message: string,
    /** Offset in the expanded regex, when known. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Python's str.splitlines(). */
export function pySplitlines(s: string): string[] {
  const out = s.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** A value of a fail dict: group texts (null = Python's None) and what the filter adds. */
export type FailValue = string | null | number | boolean | TupleLine[] | Set<string> | string[];
/** The groups of a failregex match, as fail2ban's fail dict holds them. */
export type FailDict = Record<string, FailValue | undefined>;

/** fail2ban's Regex: a filter expression with its tags (`<HOST>`, `<F-USER>`, ...) resolved, translated from Python's `re` and searched over a line buffer. */
export class Regex {
  /** The expression after tag resolution, as Python compiles it. */
  readonly regex: string;
  readonly compiled: Translation;
  readonly groupNames: Set<string>;
  private altValues: [string, string][] = [];
  private tupleValues: [string, string][] = [];
  private m: PyMatch | null = null;
  private matched: TupleLine[] = [];
  private unmatched: TupleLine[] = [];
  private skipCount = 0;

  constructor(regex0: string, options: { multiline?: boolean; useDns?: string } = {}) {
    let regex = resolveHostTag(regex0, options.useDns ?? 'yes');
    if (regex.replace(/^[\s]+/u, '') === '') throw new RegexError('Cannot add empty regex');
    regex = regex.replace(R_GLOB2LOCFLAGS, '$1:');
    this.regex = regex;
    const t = translate(regex, { multiline: !!options.multiline });
    if (!t.ok) {
      const d = t.diagnostics[0];
      throw new RegexError(`Unable to compile regular expression '${regex}': ${t.diagnostics.map((x) => x.message).join('; ')}`, d?.offset);
    }
    this.compiled = t;
    this.groupNames = new Set(t.groupNames.filter((n) => n));
    for (const k of this.groupNames) {
      if (k.length <= 4) continue;
      const n = COMPLNAME_CRE.exec(k);
      if (n) (n[1] === 'alt_' ? this.altValues : this.tupleValues).push([k, mapTag2Opt(n[2]!)]);
    }
    const cmp = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    this.altValues.sort(cmp);
    this.tupleValues.sort(cmp);
    for (const k of this.groupNames) if (/^skiplines\d+$/.test(k)) this.skipCount++;
  }

  /** `ascii`: whether the buffer is known to be pure ASCII (see pyre-adapter's search). */
  search(tupleLines: string | TupleLine[], orgLines0?: TupleLine[], ascii?: boolean): void {
    const buf = typeof tupleLines === 'string' ? tupleLines : tupleLinesBuf(tupleLines);
    this.m = search(this.compiled, buf, 0, undefined, ascii);
    if (!this.m) return;
    const orgLines = orgLines0 ?? (tupleLines as TupleLine[]);
    if (orgLines.length <= 1) {
      this.matched = orgLines;
      this.unmatched = [];
      return;
    }
    const s = buf;
    const matchLineStart = s.lastIndexOf('\n', this.m.start) + 1;
    const from = this.m.end - 1 < 0 ? s.length + this.m.end - 1 : this.m.end - 1;
    const e = s.indexOf('\n', from);
    const matchLineEnd = e < 0 ? s.length : e + 1;
    const count = (to: number) => {
      let c = 0;
      for (let i = s.indexOf('\n'); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) c++;
      return c;
    };
    const lc1 = count(matchLineStart);
    const lc2 = count(matchLineEnd);
    this.matched = orgLines.slice(lc1, lc2);
    this.unmatched = orgLines.slice(0, lc1);
    let n = 0;
    for (const skipped of this.skippedLines()) {
      for (let k = n; k < this.matched.length; k++) {
        if (lineText(this.matched[k]!) === skipped) {
          this.unmatched.push(this.matched.splice(k, 1)[0]!);
          n = k;
          break;
        }
      }
    }
    this.unmatched.push(...orgLines.slice(lc2));
  }

  /** Whether the last search matched. */
  hasMatched(): boolean {
    return this.m !== null;
  }
  get match(): PyMatch | null {
    return this.m;
  }

  /** groupdict(), with `alt_` and `tuple_` groups merged. */
  getGroups(): FailDict {
    const fail: FailDict = {};
    const named = this.m!.named;
    for (const k of this.groupNames) fail[k] = named[k] ?? null;
    for (const [k, n] of this.altValues) {
      const v = fail[k];
      if (v && !fail[n]) fail[n] = v;
    }
    for (const [k, n] of this.tupleValues) {
      const v = fail[k] as string | null;
      const t = fail[n] as unknown;
      fail[n] = (Array.isArray(t) ? [...t, v] : [t ?? null, v]) as string[];
    }
    return fail;
  }

  /** The lines of the buffer the last match did not use. */
  skippedLines(): string[] {
    if (!this.m) return [];
    let s = '';
    for (let n = 0; n < this.skipCount; n++) {
      const v = this.m.named[`skiplines${n}`];
      if (v !== undefined) s += v;
    }
    return pySplitlines(s);
  }

  /** The buffer's lines the last match used. */
  getMatchedTupleLines(): TupleLine[] {
    return this.m ? this.matched : [];
  }
  /** The buffer's lines the last match did not use. */
  getUnmatchedTupleLines(): TupleLine[] {
    return this.m ? this.unmatched : [];
  }
  /** The text of the lines the last match used. */
  getMatchedLines(): string[] {
    return this.getMatchedTupleLines().map((l) => l.join(''));
  }
}

export const FAILURE_ID_GROUPS = ['fid', 'ip4', 'ip6', 'dns'];
const FAILURE_ID_PRESENTS = [...FAILURE_ID_GROUPS, 'mlfid'];

/** A failregex: a Regex that must name who failed (`<HOST>`, `<F-ID>`, ...). */
export class FailRegex extends Regex {
  constructor(regex: string, options: { multiline?: boolean; useDns?: string; prefRegex?: Regex } = {}) {
    super(regex, options);
    const has = (r: Regex) => FAILURE_ID_PRESENTS.some((g) => r.groupNames.has(g));
    if (!has(this) && (!options.prefRegex || !has(options.prefRegex))) throw new RegexError(`No failure-id group in '${this.regex}'`);
  }

  /** The failure's id: the first of the id groups (`fid`, `ip4`, `ip6`, `dns`) that matched; RegexError when none did. */
  getFailID(groups = FAILURE_ID_GROUPS): string {
    for (const g of groups) {
      if (!this.groupNames.has(g)) continue;
      const v = this.match!.named[g];
      if (v !== undefined) return v;
    }
    throw new RegexError(`No group found in '${this.match!.subject}' using '${this.regex}'`);
  }
}

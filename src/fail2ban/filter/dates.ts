/**
 * fail2ban 1.0.2's date detector (server/datedetector.py, datetemplate.py, strptime.py): the default
 * templates in their order (each with its `{^LN-BEG}` twin of weight 100 first), `datepattern`
 * (`%` directives, `{^LN-BEG}`, `{UNB}`, `{DATE}`, `{NONE}`, `EPOCH`, `LEPOCH`, `TAI64N`), the
 * "last template first" search with its boundary checks and the reordering by hits, and
 * reGroupDictStrptime's arithmetic: year and day guessed from "now", `logtimezone`, the local zone
 * (the process's TZ) through mktime.
 *
 * Month and day names are read in English only: fail2ban's strptime tables come from Python's
 * LocaleTime under the C locale it runs in, whatever LC_TIME the program that wrote the log had.
 */
import { search, translate, type PyMatch, type Translation } from './pyre-adapter.js';

// --- the directive table (Python's _strptime.TimeRE in the C locale, with fail2ban's changes) ---

/** `%ExY`: fail2ban's year regex, built at import from the real clock (strptime._updateTimeRE). */
export function exYearRE(nowYear: number = new Date().getFullYear()): string {
  const cent = (y: number) => String(y).slice(0, 3);
  const set = new Set<string>([cent(nowYear - 1), cent(nowYear + 3)]);
  // The alternate "now" of fail2ban's test-suite: 2001-01-02.
  const alt = 2001;
  for (let i = -1; i < nowYear - alt + 1; i += 3) set.add(cent(alt + i));
  const grp = (exprset: string[]): string => {
    let c: string | undefined;
    if (exprset.length > 1) {
      for (const i of exprset) {
        if (c === undefined || i.slice(0, -1) === c) c = i.slice(0, -1);
        else {
          c = undefined;
          break;
        }
      }
      if (!c) {
        c = undefined;
        for (const i of exprset) {
          if (c === undefined || i[0] === c) c = i[0];
          else {
            c = undefined;
            break;
          }
        }
      }
      if (c) return c + grp(exprset.map((i) => i.slice(c!.length)));
    }
    return exprset.length > 1 ? (exprset[0]!.length > 1 ? `(?:${exprset.join('|')})` : `[${exprset.join('')}]`) : exprset.join('');
  };
  return `(?P<Y>${grp([...set].sort())}\\d)`;
}

const TIME_RE_BASE: [string, string][] = [
  ['d', '(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])'],
  ['f', '(?P<f>[0-9]{1,6})'],
  ['H', '(?P<H>[0-1]?\\d|2[0-3])'],
  ['I', '(?P<I>1[0-2]|0[1-9]|[1-9])'],
  ['G', '(?P<G>\\d\\d\\d\\d)'],
  ['j', '(?P<j>36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])'],
  ['m', '(?P<m>0?[1-9]|1[0-2])'],
  ['M', '(?P<M>[0-5]?\\d)'],
  ['S', '(?P<S>[0-5]?\\d|6[0-1])'],
  ['U', '(?P<U>5[0-3]|[0-4]\\d|\\d)'],
  ['w', '(?P<w>[0-6])'],
  ['u', '(?P<u>[1-7])'],
  ['V', '(?P<V>5[0-3]|0[1-9]|[1-4]\\d|\\d)'],
  ['y', '(?P<y>\\d\\d)'],
  ['Y', '(?P<Y>\\d{4})'],
  ['z', '(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)'],
  ['A', '(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)'],
  ['a', '(?P<a>mon|tue|wed|thu|fri|sat|sun)'],
  ['B', '(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)'],
  ['b', '(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)'],
  ['p', '(?P<p>am|pm)'],
  ['Z', '(?P<Z>Z|[A-Z]{3,5})'],
  ['%', '%'],
  ['W', '(?P<W>5[0-3]|[0-4]\\d|\\d)'],
  [
    'c',
    '(?P<a>mon|tue|wed|thu|fri|sat|sun)\\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\s+(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])\\s+(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)\\s+(?P<Y>\\d\\d\\d\\d)',
  ],
  ['x', '(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])/(?P<y>\\d\\d)'],
  ['X', '(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)'],
  ['k', ' ?(?P<H>[0-2]?\\d)'],
  ['l', ' ?(?P<I>1?\\d)'],
  ['ExZ', '(?P<Z>[A-Z](?:[A-Z]{2,4})?)'],
  ['Exz', '(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\\d(?::?\\d{2})?|[A-Z](?:[A-Z]{2,4})?)'],
  ['Exd', '(?P<d>[1-2]\\d|0[1-9]|3[0-1])'],
  ['Exm', '(?P<m>0[1-9]|1[0-2])'],
  ['ExH', '(?P<H>[0-1]\\d|2[0-3])'],
  ['Exk', ' ?(?P<H>[0-1]?\\d|2[0-3])'],
  ['Exl', ' ?(?P<I>1[0-2]|\\d)'],
  ['ExM', '(?P<M>[0-5]\\d)'],
  ['ExS', '(?P<S>[0-5]\\d|6[0-1])'],
  ['ExY', ''],
  ['Exy', '(?P<y>\\d{2})'],
];

const NAMES: Record<string, string> = {
  a: 'DAY', A: 'DAYNAME', b: 'MON', B: 'MONTH', d: 'Day', H: '24hour', I: '12hour', j: 'Yearday', m: 'Month',
  M: 'Minute', p: 'AMPM', S: 'Second', U: 'Yearweek', w: 'Weekday', W: 'Yearweek', y: 'Year2', Y: 'Year', '%': '%',
  z: 'Zone offset', f: 'Microseconds', Z: 'Zone name',
};

let timeRE: Map<string, string> | undefined;
let directiveRE: RegExp | undefined;
function table(): { re: Map<string, string>; names: Map<string, string>; directive: RegExp } {
  if (!timeRE) {
    timeRE = new Map(TIME_RE_BASE.map(([k, v]) => [k, k === 'ExY' ? exYearRE() : v]));
    const keys = [...timeRE.keys()];
    const long = keys.filter((k) => k.length > 1).join('|');
    const short = keys.filter((k) => k.length === 1).join('').replace(/[\]\\^-]/g, '\\$&');
    directiveRE = new RegExp(`%(%|${long}|[${short}])`, 'g');
  }
  const names = new Map<string, string>();
  for (const k of timeRE.keys()) {
    if (NAMES[k] !== undefined) names.set(k, NAMES[k]!);
    else if (k.startsWith('Ex') && NAMES[k.slice(2)] !== undefined) names.set(k, 'Ex' + NAMES[k.slice(2)]);
    else names.set(k, '%' + k);
  }
  return { re: timeRE, names, directive: directiveRE! };
}

/** Python's `fmt % mapping` for a format whose `%(key)s` come from the directive substitution. */
class DatePatternError extends Error {}
function percentFormat(fmt: string, map: Map<string, string>): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const n = fmt[i + 1];
    if (n === '%') {
      out += '%';
      i++;
      continue;
    }
    if (n === '(') {
      const e = fmt.indexOf(')', i);
      if (e < 0) throw new DatePatternError('incomplete format key');
      const key = fmt.slice(i + 2, e);
      if (fmt[e + 1] !== 's') throw new DatePatternError(`unsupported format character after %(${key})`);
      const v = map.get(key);
      if (v === undefined) throw new DatePatternError(`KeyError: '${key}'`);
      out += v;
      i = e + 1;
      continue;
    }
    throw new DatePatternError(n === undefined ? 'incomplete format' : `unsupported format character '${n}'`);
  }
  return out;
}

// --- templates (datetemplate.py) ---

const W = '[\\p{L}\\p{N}_]';
const RE_GROUPED = /(?<!\(\?)(?<!\\)\((?!\?)/u;
const RE_GROUP = new RegExp(`^((?:\\(\\?${W}+\\))?\\^?(?:\\(\\?${W}+\\))?)(.*?)(\\$?)$`, 'u');
const RE_GLOBALFLAGS = /((?:^|(?!<\\))\(\?[a-z]+\))/u;
const RE_EXLINE_NO_BOUNDS = /^\{UNB\}/;
const RE_EXLINE_BOUND_BEG = /^\{\^LN-BEG\}/;
const RE_EXSANC_BOUND_BEG = /^\((?:\?:)?\^\|\\b\|\\W\)/;
const RE_EXEANC_BOUND_BEG = /\(\?=\\b\|\\W\|\$\)$/;
const RE_NO_WRD_BOUND_BEG = new RegExp(`^\\(*(?:\\(\\?${W}+\\))?(?:\\^|\\(*\\*\\*|\\((?:\\?:)?\\^)`, 'u');
const RE_NO_WRD_BOUND_END = /(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$/;
const RE_DEL_WRD_BOUNDS = new RegExp(`^\\(*(?:\\(\\?${W}+\\))?\\(*\\*\\*|(?<!\\\\)\\*\\*\\)*$`, 'gu');
const RE_LINE_BOUND_BEG = new RegExp(`^(?:\\(\\?${W}+\\))?(?:\\^|\\((?:\\?:)?\\^(?!\\|))`, 'u');
const RE_LINE_BOUND_END = /(?<![\\|])(?:\$\)?)$/;
const RE_ALPHA_PATTERN = /(?<!%)%[aAbBpc]/;
const RE_EPOCH_PATTERN = /(?<!\\)\{L?EPOCH\}/gi;
const RE_DATE_PREMATCH = /(?<!\\)\{DATE\}/gi;

export const LINE_BEGIN = 8;
export const LINE_END = 4;
export const WORD_BEGIN = 2;
export const WORD_END = 1;

/** A date pattern or template fwconf cannot translate exactly. */
export class DateTemplateError extends Error {}

type WordBegin = boolean | 'start';

/** fail2ban's DateTemplate: a regex that finds a date in a line, and how to read the date it finds. */
export abstract class DateTemplate {
  name = '';
  weight = 1.0;
  flags = 0;
  /** Successful matchDate calls (shared by every detector using this template, as in fail2ban). */
  hits = 0;
  regex = '';
  private compiled: Translation | undefined;
  /** The datepattern this template was made from, for DatePatternRegex. */
  pattern?: string;

  /** Sets the template's regex, with fail2ban's word-boundary wrapping at its start and end. */
  setRegex(regex0: string, wordBegin: WordBegin = true, wordEnd = true): void {
    let regex = regex0.trim();
    const gf = RE_GLOBALFLAGS.exec(regex);
    if (gf) regex = regex.replace(RE_GLOBALFLAGS, '');
    const boundBegin = wordBegin && !RE_NO_WRD_BOUND_BEG.test(regex);
    const boundEnd = wordEnd && !RE_NO_WRD_BOUND_END.test(regex);
    if (!RE_GROUPED.test(regex)) regex = regex.replace(RE_GROUP, '$1($2)$3');
    this.flags = 0;
    if (boundBegin) {
      this.flags |= wordBegin !== 'start' ? WORD_BEGIN : LINE_BEGIN;
      if (wordBegin !== 'start') regex = '(?=^|\\b|\\W)' + regex;
      else {
        regex = '^(?:\\W{0,2})?' + regex;
        if (!this.name.startsWith('{^LN-BEG}')) this.name = '{^LN-BEG}' + this.name;
      }
    }
    if (boundEnd) {
      this.flags |= WORD_END;
      regex += '(?=\\b|\\W|$)';
    }
    if (!(this.flags & LINE_BEGIN) && RE_LINE_BOUND_BEG.test(regex)) this.flags |= LINE_BEGIN;
    if (!(this.flags & LINE_END) && RE_LINE_BOUND_END.test(regex)) this.flags |= LINE_END;
    regex = regex.replace(RE_DEL_WRD_BOUNDS, (m) => m.replaceAll('**', ''));
    if (gf) regex = gf[1] + regex;
    this.regex = regex;
    this.compiled = undefined;
  }

  /** The translated regex; a DateTemplateError when it cannot be translated exactly. */
  /** Group 1 ends where the match ends (only lookarounds follow it): its span needs no `d` flag. */
  private trailing1 = false;

  /** The template's regex translated to JavaScript (on first use); DateTemplateError when it cannot be translated exactly. */
  translation(): Translation {
    if (!this.compiled) {
      this.trailing1 = group1Trailing(this.regex);
      const t = translate(this.regex, { indices: !this.trailing1 });
      if (!t.ok) throw new DateTemplateError(`date template ${this.name}: ${t.diagnostics.map((d) => `${d.message} (at ${d.offset} of ${this.regex})`).join('; ')}`);
      this.compiled = t;
    }
    return this.compiled;
  }

  /** The match of the template in `line` (from `pos` to `endpos`), or null. */
  matchDate(line: string, pos?: number, endpos?: number, ascii?: boolean): PyMatch | null {
    const m = search(this.translation(), line, pos ?? 0, endpos, ascii);
    if (m) {
      this.hits++;
      if (this.trailing1) {
        const g = m.groups[1];
        m.spans[1] = g === undefined ? [-1, -1] : [m.end - g.length, m.end];
      }
    }
    return m;
  }

  /** [time, match]; throws ValueError-like DateValueError when the fields make no date. */
  abstract getDate(line: string, m: PyMatch, defaultTz: number | undefined, clock: Clock): number | undefined;

  /** The pattern without its word-boundary anchors (fail2ban's `unboundPattern`). */
  static unboundPattern(pattern: string): string {
    return pattern.replace(RE_EXLINE_NO_BOUNDS, '').replace(RE_EXLINE_BOUND_BEG, '').replace(RE_EXSANC_BOUND_BEG, '').replace(RE_EXEANC_BOUND_BEG, '');
  }
}

/**
 * Whether the first capturing group of a Python pattern is followed only by lookaheads (or nothing)
 * up to the end of the pattern, outside any alternation: then it ends where the match ends.
 */
export function group1Trailing(p: string): boolean {
  let depth = 0;
  let open = -1;
  let close = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']') {
        if (p[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '|' && (open < 0 || close >= 0) && depth === 0) return false;
    if (c === '(') {
      if (open < 0 && p[i + 1] !== '?') {
        open = i;
        depth = 1;
        continue;
      }
      if (open < 0 && p.startsWith('(?P<', i)) {
        open = i;
        depth = 1;
        continue;
      }
      if (open >= 0 && close < 0) depth++;
      else if (close >= 0) {
        // after group 1: only a lookahead may follow
        if (!p.startsWith('(?=', i) && !p.startsWith('(?!', i)) return false;
        let d = 0;
        for (; i < p.length; i++) {
          if (p[i] === '\\') {
            i++;
            continue;
          }
          if (p[i] === '(') d++;
          else if (p[i] === ')' && --d === 0) break;
        }
      }
      continue;
    }
    if (c === ')' && open >= 0 && close < 0) {
      if (--depth === 0) close = i;
      continue;
    }
    if (close >= 0) return false;
  }
  return open >= 0 && close >= 0;
}

export class DateEpoch extends DateTemplate {
  private longFrm: boolean;
  private grpIdx = 1;
  constructor(opts: { lineBeginOnly?: boolean; pattern?: string; longFrm?: boolean } = {}) {
    super();
    this.name = opts.pattern ? opts.pattern : 'Epoch';
    this.longFrm = !!opts.longFrm;
    let epochRE = '\\d{10,11}\\b(?:\\.\\d{3,6})?';
    if (opts.longFrm) {
      this.name = opts.pattern ? opts.pattern : 'LongEpoch';
      epochRE = '\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?';
    }
    if (opts.pattern) {
      const regex = '(' + opts.pattern.replace(RE_EPOCH_PATTERN, () => `(${epochRE})`) + ')';
      this.grpIdx = 2;
      this.setRegex(regex);
    } else if (!opts.lineBeginOnly) {
      this.setRegex(`((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))${epochRE})(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))`, false);
    } else {
      this.setRegex(`((?P<square>(?<=^\\[))?${epochRE})(?(square)(?=\\]))`, 'start', true);
    }
  }
  getDate(_line: string, m: PyMatch): number {
    let v = Number(m.groups[this.grpIdx]);
    const s = m.groups[this.grpIdx]!;
    if (this.longFrm && s.length >= 13) v = s.length >= 16 && !s.includes('.') ? v / 1000000 : v / 1000;
    return v;
  }
}

export class DateTai64n extends DateTemplate {
  constructor(wordBegin: WordBegin = false) {
    super();
    this.name = 'TAI64N';
    this.setRegex('@[0-9a-f]{24}', wordBegin);
  }
  getDate(_line: string, m: PyMatch): number {
    return parseInt(m.groups[1]!.slice(2, 17), 16);
  }
}

export class DatePatternRegex extends DateTemplate {
  constructor(pattern: string, wordBegin: WordBegin = true, wordEnd = true) {
    super();
    this.setPattern(pattern, wordBegin, wordEnd);
  }
  setPattern(pattern0: string, wordBegin0: WordBegin = true, wordEnd0 = true): void {
    this.pattern = pattern0;
    let pattern = pattern0;
    let wordBegin = wordBegin0;
    let wordEnd = wordEnd0;
    if (RE_EXLINE_NO_BOUNDS.test(pattern)) {
      pattern = pattern.replace(RE_EXLINE_NO_BOUNDS, '');
      wordBegin = wordEnd = false;
    }
    if (wordBegin && RE_EXLINE_BOUND_BEG.test(pattern)) {
      pattern = pattern.replace(RE_EXLINE_BOUND_BEG, '');
      wordBegin = 'start';
    }
    const t = table();
    try {
      const fmt = pattern.replace(t.directive, '%($1)s');
      this.name = percentFormat(fmt, t.names);
      let regex = percentFormat(fmt, t.re);
      if (RE_ALPHA_PATTERN.test(pattern)) regex = '(?iu)' + regex;
      this.setRegex(regex, wordBegin, wordEnd);
    } catch (e) {
      if (e instanceof DatePatternError) throw new DateTemplateError(`Failed to set datepattern '${pattern0}' (may be an invalid format or unescaped percent char): ${e.message}`);
      throw e;
    }
  }
  private keys: string[] | undefined;
  private nums: number[] | undefined;
  /** The last date read: its named groups' values, "now", logtimezone and time (lines of one second share it). */
  private lastVals: (string | undefined)[] | undefined;
  private lastNow = NaN;
  private lastTz: number | undefined;
  private lastTime = 0;
  getDate(_line: string, m: PyMatch, defaultTz: number | undefined, clock: Clock): number {
    if (!this.keys) {
      // The named groups in order, once (Python iterates groupdict() in group order too), with their numbers.
      const names = this.translation().groupNames;
      this.keys = [...new Set(names.filter((n) => n))];
      this.nums = this.keys.map((k) => names.indexOf(k) + 1);
    }
    const nums = this.nums!;
    const g = m.groups;
    const now = clock.now();
    // reGroupDictStrptime is a function of these values, now and the zone alone: the same ones, the same time
    const l = this.lastVals;
    if (l !== undefined && now === this.lastNow && defaultTz === this.lastTz) {
      let i = 0;
      while (i < nums.length && g[nums[i]!] === l[i]) i++;
      if (i === nums.length) return this.lastTime;
    }
    const time = reGroupDictStrptime(m, defaultTz, clock, this.keys, nums);
    const vals = (this.lastVals ??= new Array<string | undefined>(nums.length));
    for (let i = 0; i < nums.length; i++) vals[i] = g[nums[i]!];
    this.lastNow = now;
    this.lastTz = defaultTz;
    this.lastTime = time;
    return time;
  }
}

// --- strptime.py ---

/** Why a matched date gives no time (Python's ValueError in getDate). */
export class DateValueError extends Error {}
/** An exception fail2ban does not catch there (KeyError for an unknown zone name): the line fails. */
export class DateLineError extends Error {}

const TZ_STR = `
-12 Y
-11 X NUT SST
-10 W CKT HAST HST TAHT TKT
-9 V AKST GAMT GIT HADT HNY
-8 U AKDT CIST HAY HNP PST PT
-7 T HAP HNR MST PDT
-6 S CST EAST GALT HAR HNC MDT
-5 R CDT COT EASST ECT EST ET HAC HNE PET
-4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT
-3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT
-2 O BRST FNT PMDT UYST WGST
-1 N AZOT CVT EGT
0 Z EGST GMT UTC WET WT
1 A CET DFT WAT WEDT WEST
2 B CAT CEDT CEST EET SAST WAST
3 C EAT EEDT EEST IDT MSK
4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT
5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT
6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST
7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB
8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST
9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT
10 K AEST ChST PGT VLAT YAKST YAPT
11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT
12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT
13 FJST NZDT
11.5 NFT
10.5 ACDT LHST
9.5 ACST
6.5 CCT MMT
5.75 NPT
5.5 SLT
4.5 AFT IRDT
3.5 IRST
-2.5 HAT NDT
-3.5 HNT NST NT
-4.5 HLV VET
-9.5 MART MIT`;
const TZ_ABBR_OFFS = new Map<string, number>([['', 0]]);
for (const line of TZ_STR.trim().split('\n')) {
  const [off, ...names] = line.trim().split(/\s+/);
  for (const n of names) TZ_ABBR_OFFS.set(n, Math.trunc(Number(off) * 60));
}
const FIXED_OFFSET_TZ_RE = /^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$/;

/** validateTimeZone: the offset in minutes of a `logtimezone` value; RangeError when fail2ban refuses it. */
export function validateTimeZone(tz: string | undefined): number | undefined {
  if (tz === undefined) return undefined;
  const m = FIXED_OFFSET_TZ_RE.exec(tz.replace(/\n$/, ''));
  if (!m) throw new RangeError(`Unknown or unsupported time zone: '${tz}'`);
  return zone2offset(m[1], m[2]);
}

function zone2offset(tz: string | undefined, tzo: string | undefined): number {
  const base = TZ_ABBR_OFFS.get(tz ?? '');
  if (base === undefined) throw new DateLineError(`KeyError: '${tz}' (a time zone name fail2ban does not know)`);
  if (tzo === undefined || tzo === '') return base;
  if (tzo.length <= 3) return base + parseInt(tzo, 10) * 60;
  const sign = tzo[0] === '-' ? -1 : 1;
  if (tzo[3] !== ':') return base + sign * (parseInt(tzo.slice(1, 3), 10) * 60 + parseInt(tzo.slice(3, 5), 10));
  return base + sign * (parseInt(tzo.slice(1, 3), 10) * 60 + parseInt(tzo.slice(4, 6), 10));
}

function zoneText2offset(z: string): number {
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const m = FIXED_OFFSET_TZ_RE.exec(z);
  if (!m) throw new DateValueError(`Unknown or unsupported time zone: '${z}'`);
  return zone2offset(m[1], m[2]);
}

/** The time source: "now" for year guessing (MyTime.time()), in seconds. */
export interface Clock {
  /** The current time, in seconds since the epoch. */
  now(): number;
}

const A_MONTH = ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const F_MONTH = ['', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const A_WEEKDAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Month numbers of the abbreviations as logs mostly write them (a lookup without lowering the text). */
const A_MONTH_AS_WRITTEN = new Map<string, number>();
for (let i = 1; i < A_MONTH.length; i++) {
  const a = A_MONTH[i]!;
  A_MONTH_AS_WRITTEN.set(a, i).set(a[0]!.toUpperCase() + a.slice(1), i).set(a.toUpperCase(), i);
}
const F_WEEKDAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Python int() of a matched digit string (digits may be any Unicode Nd). */
function pyIntDigits(s: string): number {
  if (s.length <= 15) {
    let v = 0;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === s.length && i > 0) return v;
  }
  let n = 0;
  let sign = 1;
  let t = s.trim();
  if (t[0] === '+' || t[0] === '-') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (!t) throw new DateValueError(`invalid literal for int(): '${s}'`);
  for (const ch of t) {
    const d = digitOf(ch);
    if (d < 0) throw new DateValueError(`invalid literal for int(): '${s}'`);
    n = n * 10 + d;
  }
  return sign * n;
}
function digitOf(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c >= 48 && c <= 57) return c - 48;
  if (!/\p{Nd}/u.test(ch)) return -1;
  // Unicode lays decimal digits out in contiguous runs of 10 aligned so that the zero comes first.
  let zero = c;
  while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1)) && c - zero < 9) zero--;
  return (c - zero) % 10;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
function daysIn(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
}

/** A naive datetime as milliseconds of a fictitious UTC clock (Python's naive arithmetic). */
function naive(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (y < 1 || y > 9999) throw new DateValueError(`year ${y} is out of range`);
  if (mo < 1 || mo > 12) throw new DateValueError('month must be in 1..12');
  if (d < 1 || d > daysIn(y, mo)) throw new DateValueError('day is out of range for month');
  if (h > 23) throw new DateValueError('hour must be in 0..23');
  if (mi > 59) throw new DateValueError('minute must be in 0..59');
  if (s > 59) throw new DateValueError('second must be in 0..59');
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s);
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

let lastNowIn = NaN;
let lastNowOut = 0;
/** datetime.fromtimestamp(t): the local wall clock as a naive datetime. */
export function localNaive(t: number): number {
  if (t === lastNowIn) return lastNowOut;
  const d = new Date(Math.floor(t) * 1000);
  lastNowIn = t;
  lastNowOut = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
  return lastNowOut;
}

/**
 * The local zone's offset (ms) at an instant, cached per quarter hour of UTC: zones change offsets only
 * at quarter hours, so every instant of one quarter has the same offset. Keyed by TZ too.
 */
const offsetCache = new Map<number, number>();
let offsetTz: string | undefined;
let tzChecks = 0;
function offsetAt(t: number): number {
  // process.env is slow to read: look at TZ on a cache miss and every 4096 calls.
  if ((++tzChecks & 4095) === 0 && offsetTz !== process.env.TZ) offsetCache.clear();
  const q = Math.floor(t / 900000);
  let off = offsetCache.get(q);
  if (off === undefined) {
    if (offsetTz !== process.env.TZ) {
      offsetTz = process.env.TZ;
      offsetCache.clear();
    }
    const d = new Date(q * 900000);
    off = naive(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()) - q * 900000;
    if (offsetCache.size > 4096) offsetCache.clear();
    offsetCache.set(q, off);
  }
  return off;
}

/**
 * Zones whose tzdata gives the lower offset tm_isdst (negative DST), and since when (ms): Ireland's
 * winter since 1971, Morocco's Ramadan time since it kept +01 all year (2018-10-28), Namibia's winter
 * of 1994–2017.
 */
const NEGATIVE_DST: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['Europe/Dublin', [Date.UTC(1971, 9, 31), Infinity]],
  ['Eire', [Date.UTC(1971, 9, 31), Infinity]],
  ['Africa/Casablanca', [Date.UTC(2018, 9, 28), Infinity]],
  ['Africa/El_Aaiun', [Date.UTC(2018, 9, 28), Infinity]],
  ['Africa/Windhoek', [Date.UTC(1994, 2, 20), Date.UTC(2017, 9, 24)]],
] as const);
let negativeTz: string | undefined | null = null;
let negative: readonly [number, number] | undefined;
/** Whether the process's zone (TZ, else the system's) has negative DST at the instant `t` (ms). */
function negativeDst(t: number): boolean {
  const tz = process.env.TZ;
  if (tz !== negativeTz) {
    negativeTz = tz;
    negative = NEGATIVE_DST.get(tz ? tz.replace(/^:/, '').replace(/^\/usr\/share\/zoneinfo\//, '') : Intl.DateTimeFormat().resolvedOptions().timeZone);
  }
  return negative !== undefined && t >= negative[0] && t < negative[1];
}

/**
 * glibc's `localtime_offset`: the offset its last mktime found. mktime starts from it, so a wall clock
 * that occurs twice (the hour a zone falls back) reads with the offset of the call before: after a
 * summer time the summer reading, after a winter time (or as the process's first call) the winter one.
 * fail2ban's reGroupDictStrptime is the only caller of time.mktime in fail2ban-server, so one state per
 * process models it (fail2ban's state is per process too).
 */
let mktimeGuess = 0;

/**
 * time.mktime(naive.timetuple()) with tm_isdst -1: a local wall clock to Unix seconds (process TZ), as
 * glibc's mktime computes it. From the last call's offset it probes t ← wall − offset(t) to a fixed
 * point; a wall clock in a spring-forward gap has none (the probes alternate between the two sides), and
 * glibc takes the probe whose tm_isdst is set: the one on the summer side (the offset before the gap),
 * or in a zone whose tzdata calls the lower offset its DST (Europe/Dublin's winter, Morocco's Ramadan
 * time) the one on that side. (A skipped calendar day with DST on both sides, as Pacific/Apia's
 * 2011-12-30, is not modelled.)
 */
export function mktime(n: number): number {
  let t = n - mktimeGuess;
  for (let probes = 0; probes < 6; probes++) {
    const next = n - offsetAt(t);
    if (next === t) break;
    if (probes === 5 || n - offsetAt(next) === t) {
      // A gap: the probe whose own offset is the zone's DST one.
      const higher = offsetAt(t) > offsetAt(next) ? t : next;
      const lower = higher === t ? next : t;
      t = negativeDst(t) ? lower : higher;
      break;
    }
    t = next;
  }
  mktimeGuess = n - t;
  return t / 1000;
}

let lastFieldsIn = NaN;
let lastFieldsOut: [number, number, number] = [0, 0, 0];
function fieldsOf(n: number): [number, number, number] {
  if (n === lastFieldsIn) return lastFieldsOut;
  lastFieldsIn = n;
  lastFieldsOut = fieldsOf1(n);
  return lastFieldsOut;
}
function fieldsOf1(n: number): [number, number, number] {
  const u = new Date(n);
  return [u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate()];
}

/** strptime.reGroupDictStrptime over a template match. */
export function reGroupDictStrptime(m: PyMatch, defaultTz: number | undefined, clock: Clock, keys?: readonly string[], nums?: readonly number[]): number {
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let tzoffset: number | undefined;
  let julian: number | undefined;
  let weekOfYear: number | undefined;
  let weekday: number | undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  // by group number when given (groupdict() unmade), else from groupdict()
  const g = nums ? undefined : m.named;
  const ks = keys ?? Object.keys(g!);
  for (let i = 0; i < ks.length; i++) {
    const key = ks[i]!;
    const val = nums ? m.groups[nums[i]!] : g![key];
    if (val === undefined) continue;
    switch (key) {
      case 'y':
        year = pyIntDigits(val);
        if (year <= 2000) year += 2000;
        break;
      case 'Y':
        year = pyIntDigits(val);
        break;
      case 'm':
        month = pyIntDigits(val);
        break;
      case 'B':
        month = F_MONTH.indexOf(val.toLowerCase());
        if (month < 0) throw new DateValueError(`'${val.toLowerCase()}' is not in list`);
        break;
      case 'b':
        month = A_MONTH_AS_WRITTEN.get(val) ?? A_MONTH.indexOf(val.toLowerCase());
        if (month < 0) throw new DateValueError(`'${val.toLowerCase()}' is not in list`);
        break;
      case 'd':
        day = pyIntDigits(val);
        break;
      case 'H':
        hour = pyIntDigits(val);
        break;
      case 'I': {
        hour = pyIntDigits(val);
        const pi = nums ? ks.indexOf('p') : -1;
        const p = nums ? (pi < 0 ? undefined : m.groups[nums[pi]!]) : g!.p;
        const hasP = nums ? pi >= 0 : Object.hasOwn(g!, 'p');
        const ampm = p === undefined ? (hasP ? null : '') : p.toLowerCase();
        if (ampm === null) throw new DateLineError("AttributeError: 'NoneType' object has no attribute 'lower'");
        if (ampm === '' || ampm === 'am') {
          if (hour === 12) hour = 0;
        } else if (ampm === 'pm') {
          if (hour !== 12) hour += 12;
        }
        break;
      }
      case 'M':
        minute = pyIntDigits(val);
        break;
      case 'S':
        second = pyIntDigits(val);
        break;
      case 'A':
        weekday = F_WEEKDAY.indexOf(val.toLowerCase());
        if (weekday < 0) throw new DateValueError('weekday not in list');
        break;
      case 'a':
        weekday = A_WEEKDAY.indexOf(val.toLowerCase());
        if (weekday < 0) throw new DateValueError('weekday not in list');
        break;
      case 'w':
        weekday = pyIntDigits(val) - 1;
        if (weekday < 0) weekday = 6;
        break;
      case 'j':
        julian = pyIntDigits(val);
        break;
      case 'U':
      case 'W':
        weekOfYear = pyIntDigits(val);
        break;
      case 'z':
      case 'Z':
        tzoffset = zoneText2offset(val);
        break;
    }
  }
  let nowN = NaN;
  let assumeYear = false;
  if (year === undefined) {
    nowN = localNaive(clock.now());
    year = fieldsOf(nowN)[0];
    assumeYear = true;
  }
  if (month === undefined || day === undefined) {
    if (julian === undefined && weekOfYear !== undefined && weekday !== undefined) throw new DateValueError('week-of-year dates are not modelled');
    if (julian !== undefined) {
      const t = Date.UTC(2000, 0, 1) + 0;
      const base = new Date(t);
      base.setUTCFullYear(year, 0, 1);
      const r = new Date(base.getTime() + (julian - 1) * 86400000);
      year = r.getUTCFullYear();
      month = r.getUTCMonth() + 1;
      day = r.getUTCDate();
    }
  }
  let assumeToday = false;
  if (month === undefined && day === undefined) {
    if (nowN !== nowN) nowN = localNaive(clock.now());
    [, month, day] = fieldsOf(nowN);
    assumeToday = true;
  }
  if (month === undefined) throw new DateValueError("datetime() missing 'month'");
  if (day === undefined) throw new DateValueError("datetime() missing 'day'");
  let r = naive(year, month, day, hour, minute, second);
  if (tzoffset === undefined && defaultTz !== undefined) tzoffset = defaultTz;
  if (tzoffset !== undefined) r -= tzoffset * 60000;
  if (assumeToday && r > nowN) r -= 86400000;
  if (assumeYear && r > nowN + 86400000) {
    // date_result.replace(year=year-1, month=month, day=day)
    const u = new Date(r);
    r = naive(year - 1, month, day, u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds());
  }
  return tzoffset !== undefined ? r / 1000 : mktime(r);
}

// --- the detector (datedetector.py) ---

const DEFAULT_TEMPLATES = [
  '%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?',
  '(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  '(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?',
  '%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S',
  '%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?',
  '%m/%d/%ExY:%H:%M:%S',
  '%m-%d-%ExY %k:%M:%S(?:\\.%f)?',
  'EPOCH',
  '{^LN-BEG}%H:%M:%S',
  '^<%m/%d/%Exy@%H:%M:%S>',
  '%Exy%Exm%Exd  ?%H:%M:%S',
  '%b %d, %ExY %I:%M:%S %p',
  '^%b-%d-%Exy %k:%M:%S',
  '%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?',
  '(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  '(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  'TAI64N',
];

/** One process's template cache (DD_patternCache): templates are shared by name, hits too. */
export class TemplateCache {
  private map = new Map<string, DateTemplate>();
  private defaults: DateTemplate[] | undefined;
  private all: DateTemplate[] | undefined;

  /** The cached template of that key. */
  get(key: string): DateTemplate | undefined {
    return this.map.get(key);
  }
  /** Caches a template under a key. */
  set(key: string, t: DateTemplate): void {
    this.map.set(key, t);
  }

  /** The template of a `datepattern` (made once, then shared). */
  patternTemplate(pattern: string, key0?: string): DateTemplate {
    let key = key0;
    if (key === undefined) {
      key = pattern;
      if (!pattern.includes('%')) key = pattern.toUpperCase();
    }
    let template = this.map.get(key);
    if (!template) {
      if (key.includes('EPOCH')) {
        RE_EPOCH_PATTERN.lastIndex = 0;
        if (RE_EPOCH_PATTERN.test(pattern)) template = new DateEpoch({ pattern, longFrm: key.includes('LEPOCH') });
        else if (key === 'EPOCH' || key === '{^LN-BEG}EPOCH' || key === '^EPOCH') template = new DateEpoch({ lineBeginOnly: key !== 'EPOCH' });
        else if (key === 'LEPOCH' || key === '{^LN-BEG}LEPOCH' || key === '^LEPOCH') template = new DateEpoch({ lineBeginOnly: key !== 'LEPOCH', longFrm: true });
        RE_EPOCH_PATTERN.lastIndex = 0;
      }
      if (!template) {
        if (key === 'TAI64N' || key === '{^LN-BEG}TAI64N' || key === '^TAI64N') template = new DateTai64n(key !== 'TAI64N' ? 'start' : false);
        else template = new DatePatternRegex(pattern);
      }
    }
    this.map.set(key, template);
    return template;
  }

  /** A template's anchored variant (`{^LN-BEG}` before it by default), made once. */
  anchoredTemplate(template: DateTemplate, wrap: (s: string) => string = (s) => '{^LN-BEG}' + s): DateTemplate {
    const name = wrap(template.name);
    let t2 = this.map.get(name);
    if (!t2) {
      const regex = wrap(template.pattern ?? template.regex);
      if (template.pattern !== undefined) t2 = this.map.get(regex);
      if (!t2) t2 = template.pattern === undefined ? this.patternTemplate(name) : this.patternTemplate(regex);
    }
    return t2;
  }

  /** fail2ban's default date templates, in its order. */
  defaultTemplates(): DateTemplate[] {
    return (this.defaults ??= DEFAULT_TEMPLATES.map((p) => this.patternTemplate(p)));
  }

  /** DateDetectorCache.templates: the anchored twins (weight 100) first, then the defaults. */
  templates(): DateTemplate[] {
    if (!this.all) {
      const anchored: DateTemplate[] = [];
      const plain: DateTemplate[] = [];
      for (const t of this.defaultTemplates()) {
        if (!t.name.startsWith('{^LN-BEG}') && !t.name.startsWith('^')) {
          const t2 = this.anchoredTemplate(t);
          if (t2.name !== t.name) {
            t2.weight = 100.0;
            anchored.push(t2);
          }
        }
        plain.push(t);
      }
      this.all = [...anchored, ...plain];
    }
    return this.all;
  }
}

interface DDTemplate {
  template: DateTemplate;
  hits: number;
  lastUsed: number;
  distance: number;
}
const weightOf = (d: DDTemplate) => (d.hits * d.template.weight) / Math.max(1, d.distance);

const BIG = 0x7fffffff;
const isAlnum = (s: string | undefined) => s !== undefined && s !== '' && /^[\p{L}\p{N}]+$/u.test(s);

export interface DateMatch {
  match: PyMatch;
  template: DateTemplate;
}

/** fail2ban's DateDetector: the date templates of a filter, tried on each line in the order their hits give. */
export class DateDetector {
  readonly templates: DDTemplate[] = [];
  private knownNames = new Set<string>();
  private unusedTime = 300;
  private lastPos: [number, string | undefined, string | undefined] = [1, undefined, undefined];
  private lastEndPos: [number, string | undefined, string | undefined] = [BIG, undefined, undefined];
  private lastTemplIdx = BIG;
  private firstUnused = 0;
  defaultTz: number | undefined;

  constructor(
    readonly cache: TemplateCache = new TemplateCache(),
    /** Wall clock for lastUsed (time.time(), the real one in fail2ban too). */
    private readonly wall: () => number = () => Date.now() / 1000,
  ) {}

  private appendTemplateObj(template: DateTemplate, ignoreDup = false): void {
    const name = template.name;
    if (this.knownNames.has(name)) {
      if (ignoreDup) return;
      throw new DateTemplateError(`There is already a template with name ${name}`);
    }
    this.knownNames.add(name);
    this.templates.push({ template, hits: 0, lastUsed: 0, distance: BIG });
  }

  /** appendTemplate(str): one line of `datepattern`. */
  appendTemplate(pattern: string | DateTemplate): void {
    if (typeof pattern !== 'string') return this.appendTemplateObj(pattern);
    let key = pattern;
    if (!pattern.includes('%')) key = pattern.toUpperCase();
    let template = this.cache.get(key);
    if (!template) {
      if (key === '{^LN-BEG}' || key === '{DEFAULT}') {
        this.addDefaultTemplate(key === '{^LN-BEG}' ? (t) => (t.flags & LINE_BEGIN) !== 0 : undefined);
        return;
      } else if (key.includes('{DATE}')) {
        this.addDefaultTemplate(undefined, pattern, false);
        return;
      } else if (key === '{NONE}') template = this.cache.patternTemplate('{UNB}^', key);
      else template = this.cache.patternTemplate(pattern, key);
    }
    this.cache.set(key, template);
    this.appendTemplateObj(template);
  }

  /** Adds fail2ban's default templates (those `filter` keeps), with a `preMatch` around each when given. */
  addDefaultTemplate(filter?: (t: DateTemplate) => boolean, preMatch?: string, allDefaults = true): void {
    const ignoreDup = this.templates.length > 0;
    for (let template of allDefaults ? this.cache.templates() : this.cache.defaultTemplates()) {
      if (filter && !filter(template)) continue;
      if (preMatch !== undefined) {
        template = this.cache.anchoredTemplate(template, (s) => preMatch.replace(RE_DATE_PREMATCH, () => DateTemplate.unboundPattern(s)));
      }
      this.appendTemplateObj(template, ignoreDup);
    }
  }

  /** `ascii`: whether the line is known to be pure ASCII (see pyre-adapter's search). */
  matchTime(line: string, ascii?: boolean): DateMatch | undefined {
    if (!this.templates.length) this.addDefaultTemplate();
    let match: PyMatch | null = null;
    let found: [PyMatch | null, number, number, number] = [null, BIG, BIG, -1];
    let ignoreBySearch = BIG;
    let i = this.lastTemplIdx;
    let ddtempl: DDTemplate | undefined;
    let template: DateTemplate | undefined;
    let distance = 0;
    let endpos = 0;
    if (i < this.templates.length) {
      ddtempl = this.templates[i]!;
      template = ddtempl.template;
      if (template.flags & (LINE_BEGIN | LINE_END)) {
        match = template.matchDate(line, undefined, undefined, ascii);
        ignoreBySearch = i;
      } else {
        distance = this.lastPos[0];
        endpos = this.lastEndPos[0];
        const lp = this.lastPos;
        const le = this.lastEndPos;
        if (
          (pySlice(line, distance - 1, distance) === lp[1] || (pySlice(line, distance, distance + 1) === lp[2] && !isAlnum(lp[2]))) &&
          (pySlice(line, endpos, endpos + 1) === le[2] || (pySlice(line, endpos - 1, endpos) === le[1] && !isAlnum(le[1])))
        ) {
          match = template.matchDate(line, distance, endpos, ascii);
        } else {
          match = template.matchDate(line, undefined, undefined, ascii);
          ignoreBySearch = i;
        }
      }
      if (match) {
        distance = match.start;
        endpos = match.end;
        if (this.templates.length === 1 || template.flags & (LINE_BEGIN | LINE_END) || (distance === this.lastPos[0] && endpos === this.lastEndPos[0])) {
          // matched the last template
        } else {
          found = [match, distance, endpos, i];
          match = null;
        }
      }
    }
    if (!match) {
      i = 0;
      for (const dd of this.templates) {
        if (i === ignoreBySearch) {
          i++;
          continue;
        }
        ddtempl = dd;
        template = dd.template;
        match = template.matchDate(line, undefined, undefined, ascii);
        if (match) {
          distance = match.start;
          endpos = match.end;
          if (i + 1 >= this.templates.length) break;
          if (template.flags & (LINE_BEGIN | LINE_END)) break;
          if (distance === 0 && dd.hits && !this.templates[i + 1]!.template.hits) break;
          if (distance > dd.distance || distance > this.lastPos[0]) {
            if (distance < found[1]) found = [match, distance, endpos, i];
            match = null;
            i++;
            continue;
          }
          break;
        }
        i++;
      }
      if (!match && found[0]) {
        [match, distance, endpos, i] = found;
        ddtempl = this.templates[i]!;
        template = ddtempl.template;
      }
    }
    if (match && ddtempl && template) {
      ddtempl.hits++;
      ddtempl.lastUsed = this.wall();
      ddtempl.distance = distance;
      if (this.firstUnused === i) this.firstUnused++;
      // updated in place (no two arrays a line)
      const lp = this.lastPos;
      lp[0] = distance;
      lp[1] = pySlice(line, distance - 1, distance);
      lp[2] = line[distance];
      const le = this.lastEndPos;
      le[0] = endpos;
      le[1] = endpos - 1 < 0 ? line[line.length + endpos - 1] : line[endpos - 1];
      le[2] = pySlice(line, endpos, endpos + 1);
      if (i && i !== this.lastTemplIdx) i = this.reorderTemplate(i);
      this.lastTemplIdx = i;
      return { match, template };
    }
    return undefined;
  }

  /** getTime: the time of a match; undefined when its fields make no date (ValueError). */
  getTime(line: string, m: DateMatch, clock: Clock): { time?: number; error?: string } {
    try {
      return { time: m.template.getDate(line, m.match, this.defaultTz, clock) };
    } catch (e) {
      if (e instanceof DateValueError) return { error: e.message };
      throw e;
    }
  }

  private reorderTemplate(num: number): number {
    if (!num) return num;
    const templates = this.templates;
    const dd = templates[num]!;
    const untime = dd.lastUsed - this.unusedTime;
    const weight = weightOf(dd);
    let pos = this.firstUnused < num ? this.firstUnused : Math.floor(num / 2);
    const moveable = () => weight > weightOf(templates[pos]!) || untime > templates[pos]!.lastUsed;
    if (!moveable()) {
      if (pos === num - 1) return num;
      pos = num - 1;
      if (!moveable()) return num;
    }
    templates.splice(num, 1);
    templates.splice(pos, 0, dd);
    while (this.firstUnused < templates.length && templates[this.firstUnused]!.hits) this.firstUnused++;
    return pos;
  }
}

/** Python's s[a:b] for possibly negative a. */
function pySlice(s: string, a: number, b: number): string {
  const n = s.length;
  const norm = (x: number) => (x < 0 ? Math.max(0, n + x) : Math.min(x, n));
  const x = norm(a);
  const y = norm(b);
  return y > x ? s.slice(x, y) : '';
}

export { DatePatternError };

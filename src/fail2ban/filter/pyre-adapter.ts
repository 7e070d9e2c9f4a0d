/**
 * The one door from the filter engine to Python `re` (../pyre): translate a pattern as fail2ban
 * compiles it (a str pattern, so re.UNICODE; re.MULTILINE for a multi-line failregex) and search it
 * as `re.search(pattern, string, pos, endpos)` does. A pattern pyre cannot translate exactly comes
 * back without a RegExp and with its diagnostics: the engine reports it, never runs something else.
 *
 * pyre's RegExp carries the `d` flag for group spans; the engine needs spans only for a date
 * template's first group, so the searches here run a copy without `d` unless asked, reading group
 * texts from pyre's named captures (`g1`, `g2`, ...).
 */
import { isAscii, PY_MULTILINE, search as pySearch, translate as pyTranslate, type Translation as PyTranslation } from '../pyre/index.js';

export interface PyreDiagnostic {
  /** 0-based UTF-16 offset in the pattern. */
  offset: number;
  length: number;
  code: string;
  message: string;
}

export interface Translation {
  /** undefined when the pattern cannot be translated exactly (see diagnostics). */
  regexp: RegExp | undefined;
  /** @internal the same for pure-ASCII subjects (pyre's asciiRegexp) */
  asciiRegexp: RegExp | undefined;
  /** Whether the pattern translated exactly (then `regexp` is defined). */
  ok: boolean;
  /** @internal JS group index of each Python group (index[g]) in regexp, and in asciiRegexp */
  index: number[];
  asciiIndex: number[];
  /** @internal pyre's asciiLineRegexp (flag m), for ASCII subjects without \r, and its group indexes */
  asciiLineRegexp: RegExp | undefined;
  asciiLineIndex: number[];
  /** @internal groupdict() of a match of either RegExp, given its index */
  named: (m: RegExpExecArray, index: number[]) => Record<string, string | undefined>;
  /** Group names by group number - 1 ('' for an unnamed group). */
  groupNames: string[];
  diagnostics: PyreDiagnostic[];
  /** @internal */
  py: PyTranslation;
  /** @internal name → group number */
  numbers: [string, number][];
  /** @internal pyre's capture names by group number (`g1`...), and [name, capture] pairs */
  keys: string[];
  namedKeys: [string, string][];
  indices: boolean;
}

export interface PyMatch {
  start: number;
  end: number;
  /** Group texts by number (0 is the whole match); undefined = did not take part (Python's None). */
  groups: (string | undefined)[];
  /** [start, end] of each group ([-1, -1]: did not take part); only [0] unless translated with indices. */
  spans: [number, number][];
  /** Named groups (Python's groupdict()). */
  named: Record<string, string | undefined>;
  /** The subject searched. */
  subject: string;
}

const BACKREF_IC = 'a backreference under IGNORECASE';
/** A set of characters that have no case: what `(?P<_sep>[-/.])` of fail2ban's date templates holds. */
const CASELESS_SET = /^\[(?:\\[-/.:,_ ]|[-/.:,_ ])+\]$/;

/**
 * pyre refuses a backreference under IGNORECASE (sre compares lower cases, JS its own folding). When
 * every backreferenced group can match only characters without case, both compare the same: the
 * translation is exact, as fail2ban's `%d(?P<_sep>[-/])%b(?P=_sep)...` date template needs.
 */
function caselessBackrefs(pattern: string, ds: PyreDiagnostic[]): boolean {
  if (!ds.length || !ds.every((d) => d.message.startsWith(BACKREF_IC))) return false;
  for (const d of ds) {
    const ref = /^\(\?P=([^)]+)\)/.exec(pattern.slice(d.offset));
    if (!ref) return false;
    const open = pattern.indexOf(`(?P<${ref[1]}>`);
    if (open < 0) return false;
    const from = open + ref[1]!.length + 5;
    const m = /^\[(?:\\.|[^\]\\])+\]\)/.exec(pattern.slice(from));
    if (!m || !CASELESS_SET.test(m[0].slice(0, -1))) return false;
  }
  return true;
}

/**
 * The full translation, made on the first non-ASCII subject, refused by the JavaScript engine (its
 * ASCII twin compiled): the line cannot be searched exactly, so it fails as a line fail2ban could not
 * process (the engine reports it), never a different regex.
 */
export class LateTranslationError extends Error {}

/** Python `re.compile(pattern, re.MULTILINE if multiline else 0)`. */
export function translate(pattern: string, options: { multiline?: boolean; indices?: boolean } = {}): Translation {
  const py = pyTranslate(pattern, { flags: options.multiline ? PY_MULTILINE : 0 });
  const groupNames: string[] = new Array<string>(py.groups).fill('');
  const numbers = Object.entries(py.groupNames);
  for (const [name, n] of numbers) groupNames[n - 1] = name;
  let diagnostics = py.diagnostics.map((d) => ({ offset: d.offset, length: d.length, code: d.code, message: d.message }));
  // A pattern with diagnostics that caselessBackrefs clears still has pyre's sources.
  const ok = py.ok || (py.asciiSource !== null && caselessBackrefs(pattern, diagnostics));
  if (ok) diagnostics = [];
  const jsFlags = options.indices ? 'dgu' : 'gu';
  const n = py.groups;
  const ascii = ok && py.asciiSource !== null ? plainGroups(py.asciiSource, n) : undefined;
  const asciiRegexp = ascii ? new RegExp(ascii.source, jsFlags) : undefined;
  // (?m) anchors: pyre's translation with JS's own line anchors, for ASCII subjects without \r
  const line = ok && ascii && py.asciiLineSource !== null ? plainGroups(py.asciiLineSource, n) : undefined;
  const asciiLineRegexp = line ? new RegExp(line.source, jsFlags + 'm') : undefined;
  // the full translation (Python's Unicode tables) only when a non-ASCII subject needs it
  let full: { re: RegExp; index: number[] } | undefined;
  const unicode = () => {
    if (!full) {
      const f = plainGroups(py.source!, n);
      try {
        full = { re: new RegExp(f.source, jsFlags), index: f.index };
      } catch (e) {
        throw new LateTranslationError(`the JavaScript engine refuses the translation of '${pattern}' for non-ASCII text: ${(e as Error).message}`);
      }
    }
    return full;
  };
  const keys = groupNames.map((_n, i) => `g${i + 1}`);
  const namedKeys = numbers.map(([name, n]): [string, string] => [name, `g${n}`]);
  return {
    get regexp() {
      return ok ? unicode().re : undefined;
    },
    asciiRegexp,
    asciiIndex: ascii?.index ?? [],
    asciiLineRegexp,
    asciiLineIndex: line?.index ?? [],
    get index() {
      return unicode().index;
    },
    get named() {
      // made on first use (many date templates never match): a property of its own from then on
      const f = namedMaker(numbers);
      Object.defineProperty(this, 'named', { value: f });
      return f;
    },
    ok,
    groupNames,
    diagnostics,
    py,
    numbers,
    keys,
    namedKeys,
    indices: !!options.indices,
  };
}

/**
 * pyre's source with every named group made a plain one (`(?<g2>` → `(`, `\k<g2>` → `\N`): V8
 * builds no `groups` object for each match then, and the groups are read by index. Returns the JS
 * index of each Python group (index[g], g = 1..n).
 */
function plainGroups(src: string, n: number): { source: string; index: number[] } {
  const at = new Map<string, number>();
  const walk = (emit: boolean): string => {
    let out = '';
    let cap = 0;
    for (let i = 0; i < src.length; ) {
      const c = src[i]!;
      if (c === '\\') {
        if (src[i + 1] === 'k' && src[i + 2] === '<') {
          const e = src.indexOf('>', i);
          if (emit) out += `(?:\\${at.get(src.slice(i + 3, e))})`;
          i = e + 1;
          continue;
        }
        if (emit) out += src.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '[') {
        // pyre's classes escape every ']' they hold: the first one closes ([] is the empty class)
        let j = i + 1;
        if (src[j] === '^') j++;
        while (src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
        if (emit) out += src.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === '(' && src[i + 1] === '?' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
        const e = src.indexOf('>', i);
        cap++;
        if (!emit) at.set(src.slice(i + 3, e), cap);
        else out += '(';
        i = e + 1;
        continue;
      }
      if (c === '(' && src[i + 1] !== '?') cap++;
      if (emit) out += c;
      i++;
    }
    return out;
  };
  walk(false);
  const source = walk(true);
  const index = [0];
  for (let g = 1; g <= n; g++) index.push(at.get(`g${g}`) ?? -1);
  return { source, index };
}

/** A function building groupdict() from a match array, as one object literal (one shape, fast). */
function namedMaker(numbers: [string, number][]): (m: RegExpExecArray, index: number[]) => Record<string, string | undefined> {
  // a computed key for __proto__, which a plain one would take as the prototype
  const body = numbers.map(([name, g]) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: m[x[${g}]]`).join(', ');
  return new Function('m', 'x', `return { ${body} };`) as (m: RegExpExecArray, index: number[]) => Record<string, string | undefined>;
}

/**
 * `compiled.search(subject, pos, endpos)`: the first match at or after pos, or null. `ascii`: the
 * caller knows whether the subject is pure ASCII (a whole decoded chunk was); tested when absent.
 */
export function search(t: Translation, subject: string, pos = 0, endpos?: number, ascii?: boolean): PyMatch | null {
  if (!t.ok) throw new TypeError('search on an untranslated pattern');
  const s = endpos !== undefined && endpos < subject.length ? subject.slice(0, Math.max(endpos, 0)) : subject;
  const a = t.asciiRegexp !== undefined && (ascii ?? isAscii(s));
  const l = a && t.asciiLineRegexp !== undefined && !s.includes('\r');
  const re = l ? t.asciiLineRegexp! : a ? t.asciiRegexp! : t.regexp!;
  if (s === '') return fromPyre(t, pySearch(t.py, s, pos), subject);
  re.lastIndex = Math.max(0, Math.min(pos, s.length));
  const m = re.exec(s);
  if (!m) return null;
  const index = l ? t.asciiLineIndex : a ? t.asciiIndex : t.index;
  const n = t.keys.length;
  const groups: (string | undefined)[] = new Array<string | undefined>(n + 1);
  groups[0] = m[0];
  for (let g = 1; g <= n; g++) groups[g] = m[index[g]!];
  const end = m.index + m[0].length;
  const spans: [number, number][] = [[m.index, end]];
  if (m.indices) {
    const ix = m.indices;
    for (let g = 1; g <= n; g++) {
      const x = ix[index[g]!];
      spans.push(x ? [x[0], x[1]] : [-1, -1]);
    }
  }
  return new JsMatch(m.index, end, groups, spans, subject, t, m, index);
}

/** A match of a translated RegExp; groupdict() is made when first read (a date template reads groups by number). */
class JsMatch implements PyMatch {
  private dict: Record<string, string | undefined> | undefined;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly groups: (string | undefined)[],
    readonly spans: [number, number][],
    readonly subject: string,
    private readonly t: Translation,
    private readonly m: RegExpExecArray,
    private readonly index: number[],
  ) {}
  get named(): Record<string, string | undefined> {
    return (this.dict ??= this.t.named(this.m, this.index));
  }
}

function fromPyre(t: Translation, m: ReturnType<typeof pySearch>, subject: string): PyMatch | null {
  if (!m) return null;
  const groups: (string | undefined)[] = [];
  const spans: [number, number][] = [];
  for (let g = 0; g <= t.groupNames.length; g++) {
    groups.push(m.group(g));
    const s = m.spans[g];
    spans.push(s ? [s[0], s[1]] : [-1, -1]);
  }
  return { start: m.start, end: m.end, groups, spans, named: m.groupdict(), subject };
}

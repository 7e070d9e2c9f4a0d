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

/** Python `re.compile(pattern, re.MULTILINE if multiline else 0)`. */
export function translate(pattern: string, options: { multiline?: boolean; indices?: boolean } = {}): Translation {
  const py = pyTranslate(pattern, { flags: options.multiline ? PY_MULTILINE : 0 });
  const groupNames: string[] = new Array<string>(py.groups).fill('');
  const numbers = Object.entries(py.groupNames);
  for (const [name, n] of numbers) groupNames[n - 1] = name;
  let diagnostics = py.diagnostics.map((d) => ({ offset: d.offset, length: d.length, code: d.code, message: d.message }));
  let source = py.regexp?.source;
  let asciiSource = py.asciiRegexp?.source;
  if (!source && py.source && caselessBackrefs(pattern, diagnostics)) {
    source = py.source;
    asciiSource = py.asciiSource ?? undefined;
    diagnostics = [];
  }
  const jsFlags = options.indices ? 'dgu' : 'gu';
  const regexp = source ? new RegExp(source, jsFlags) : undefined;
  const asciiRegexp = source && asciiSource ? new RegExp(asciiSource, jsFlags) : undefined;
  const keys = groupNames.map((_n, i) => `g${i + 1}`);
  const namedKeys = numbers.map(([name, n]): [string, string] => [name, `g${n}`]);
  return { regexp, asciiRegexp, groupNames, diagnostics, py, numbers, keys, namedKeys, indices: !!options.indices };
}

/** `compiled.search(subject, pos, endpos)`: the first match at or after pos, or null. */
export function search(t: Translation, subject: string, pos = 0, endpos?: number): PyMatch | null {
  if (!t.regexp) throw new TypeError('search on an untranslated pattern');
  const s = endpos !== undefined && endpos < subject.length ? subject.slice(0, Math.max(endpos, 0)) : subject;
  const re = t.asciiRegexp && isAscii(s) ? t.asciiRegexp : t.regexp;
  if (s === '') return fromPyre(t, pySearch(t.py, s, pos), subject);
  re.lastIndex = Math.max(0, Math.min(pos, s.length));
  const m = re.exec(s);
  if (!m) return null;
  const caps = m.groups ?? {};
  const n = t.keys.length;
  const groups: (string | undefined)[] = new Array<string | undefined>(n + 1);
  groups[0] = m[0];
  for (let g = 1; g <= n; g++) groups[g] = caps[t.keys[g - 1]!];
  const named: Record<string, string | undefined> = {};
  for (let k = 0; k < t.namedKeys.length; k++) {
    const nk = t.namedKeys[k]!;
    named[nk[0]] = caps[nk[1]];
  }
  const end = m.index + m[0].length;
  let spans: [number, number][];
  if (m.indices) {
    const ig = m.indices.groups ?? {};
    spans = [[m.index, end]];
    for (let g = 1; g <= n; g++) {
      const x = ig[t.keys[g - 1]!];
      spans.push(x ? [x[0], x[1]] : [-1, -1]);
    }
  } else spans = [[m.index, end]];
  return { start: m.index, end, groups, spans, named, subject };
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

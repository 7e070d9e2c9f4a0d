/**
 * Python `re` in JavaScript: patterns as fail2ban compiles them (str patterns, Unicode, CPython
 * 3.11's `re`), translated to a JS RegExp that matches exactly what Python matches — or a
 * diagnostic saying why it cannot.
 *
 * ```ts
 * import { translate, search } from './pyre/index.js';
 * const t = translate('^Failed (?P<user>\\S+) from (?P<host>\\S+)$', { flags: PY_MULTILINE });
 * if (t.regexp) {
 *   const m = search(t, 'Failed root from 10.0.0.1');
 *   m?.span;                 // [0, 25]
 *   m?.groupdict().host;     // '10.0.0.1'
 *   m?.spans[2];             // [17, 25]  (group 2 = host; null when the group did not take part)
 * }
 * ```
 *
 * Stable API (the filter layer builds on it):
 * - `translate(pattern, { flags?, charName? })` → {@link Translation}: `regexp` (null when there
 *   is any diagnostic), `groups` (Python's group count, without group 0), `groupNames` (name →
 *   number), `diagnostics` ({@link PyreDiagnostic}: `pyre/syntax` where Python raises re.error,
 *   with Python's message; `pyre/unsupported`, `pyre/empty-loop`, `pyre/repeat-capture` where an
 *   exact translation is not possible), each with a UTF-16 `offset`/`length` into the pattern so
 *   callers map it to file:line:col.
 * - `search(t, subject, pos = 0)`, `match(t, subject, pos = 0)`, `fullmatch(t, subject, pos = 0)` →
 *   {@link PyMatch} or null, as `re.Pattern.search/match/fullmatch(subject, pos)`.
 * - Offsets everywhere are JS string indices (UTF-16 code units), not Python's code point indices.
 * - Flags: the numbers of Python's `re` module (`PY_IGNORECASE` = re.I = 2, `PY_MULTILINE` = 8,
 *   `PY_DOTALL` = 16, `PY_UNICODE` = 32, `PY_VERBOSE` = 64, `PY_ASCII` = 256).
 *
 * What is exact: Python's `\d \w \s \b \B` with Python's own Unicode tables (Unicode 14 of Python
 * 3.11, not the JS engine's), `.` excluding only `\n`, `$` before a final newline, `(?m)` anchors at
 * `\n` only, IGNORECASE by sre's lower-case rules and its extra case table, scoped flags, `\A \Z`,
 * conditionals, named groups and backreferences (which fail on unset groups, as in Python),
 * atomic groups and possessive repeats, lookbehind (fixed width, as Python requires), Python's
 * escapes. What is reported instead of translated: a repeat whose body can match empty (sre ends
 * the loop after one empty iteration; JS refuses that iteration), a group that an iteration of a
 * repeat may skip (sre keeps its old value, JS clears it), a backreference under IGNORECASE,
 * case-insensitive classes with characters beyond U+FFFF, and `\N{name}` without a name table.
 */
import { FLAG_ASCII, FLAG_DOTALL, FLAG_IGNORECASE, FLAG_MULTILINE, FLAG_UNICODE, FLAG_VERBOSE, parsePattern, PyReError, UnsupportedEscape, type Node, type Sub } from './parse.js';
import { combineFlags, Translator, type LoopFixup } from './translate.js';
import { MAXREPEAT } from './parse.js';

export const PY_IGNORECASE = FLAG_IGNORECASE;
export const PY_MULTILINE = FLAG_MULTILINE;
export const PY_DOTALL = FLAG_DOTALL;
export const PY_UNICODE = FLAG_UNICODE;
export const PY_VERBOSE = FLAG_VERBOSE;
export const PY_ASCII = FLAG_ASCII;

export type PyreCode = 'pyre/syntax' | 'pyre/unsupported' | 'pyre/empty-loop' | 'pyre/repeat-capture';

export interface PyreDiagnostic {
  readonly code: PyreCode;
  readonly severity: 'error';
  readonly message: string;
  /** UTF-16 offset into the pattern. */
  readonly offset: number;
  readonly length: number;
}

export interface TranslateOptions {
  /** Python `re` flags, as numbers of Python's `re` module. */
  flags?: number;
  /** Resolves `\N{name}` (Python's unicodedata.lookup); without it `\N{…}` is reported. */
  charName?: (name: string) => number | undefined;
}

export interface Translation {
  readonly pattern: string;
  /** The JS source (flags `u`), also when diagnostics make it unusable. */
  readonly source: string | null;
  /** Null when there is any diagnostic. */
  readonly regexp: RegExp | null;
  /** Number of Python groups (group 0 not counted). */
  readonly groups: number;
  readonly groupNames: Readonly<Record<string, number>>;
  readonly diagnostics: readonly PyreDiagnostic[];
  /** Python's final flags (inline global flags and UNICODE included). */
  readonly flags: number;
  /** @internal */
  readonly tree: Sub | null;
  /** @internal groups whose taking part the pattern tests */
  readonly tracked: ReadonlySet<number>;
  /** @internal */
  readonly loops: readonly LoopFixup[];
  /**
   * The translation for pure-ASCII subjects (every class cut down to its ASCII part: compact and
   * fast), used by search/match/fullmatch whenever the subject is ASCII. Null with diagnostics.
   */
  readonly asciiRegexp: RegExp | null;
  /** @internal the source of asciiRegexp, also when diagnostics make it unusable (as `source`). */
  readonly asciiSource: string | null;
  /** @internal the loop fix-ups of the ASCII translation (their bodies are ASCII sources). */
  readonly asciiLoops: readonly LoopFixup[];
  /** Whether the pattern translated (no diagnostics): `regexp` is then not null. */
  readonly ok: boolean;
  /**
   * @internal for a pattern with (?m) anchors: the ASCII translation with JS's own `^`/`$` (flag `m`),
   * used on ASCII subjects without `\r` (where JS's and Python's line ends agree); null otherwise.
   */
  readonly asciiLineRegexp: RegExp | null;
  readonly asciiLineSource: string | null;
  readonly asciiLineLoops: readonly LoopFixup[];
}

export type Span = readonly [start: number, end: number];

export interface PyMatch {
  readonly string: string;
  /** Span of the whole match. */
  readonly span: Span;
  readonly start: number;
  readonly end: number;
  /** spans[0] is the whole match; spans[i] group i, null when the group did not take part. */
  readonly spans: readonly (Span | null)[];
  /** Text of group i (or name), undefined when it did not take part (Python's None). */
  group(g: number | string): string | undefined;
  /** Python's m.groupdict(): every named group, undefined for unset ones. */
  groupdict(): Record<string, string | undefined>;
  /** Python's m.lastindex. */
  readonly lastindex: number | null;
}

function codeToUnit(pattern: string, cp: number): number {
  let units = 0;
  let i = 0;
  for (const ch of pattern) {
    if (i++ >= cp) break;
    units += ch.length;
  }
  return units;
}

/** Translates a Python pattern. Never throws on bad patterns: see `diagnostics`. */
export function translate(pattern: string, options: TranslateOptions = {}): Translation {
  if (typeof pattern !== 'string') throw new TypeError('pattern must be a string');
  const flags = options.flags ?? 0;
  const fail = (code: PyreCode, message: string, cp: number, lengthCp = 1): Translation => {
    const offset = codeToUnit(pattern, Math.min(cp, [...pattern].length));
    const end = codeToUnit(pattern, cp + lengthCp);
    return { pattern, source: null, regexp: null, groups: 0, groupNames: {}, diagnostics: [{ code, severity: 'error', message, offset, length: Math.max(0, end - offset) }], flags, tree: null, tracked: new Set(), loops: [], asciiRegexp: null, asciiSource: null, asciiLoops: [], ok: false, asciiLineRegexp: null, asciiLineSource: null, asciiLineLoops: [] };
  };
  let tree: Sub;
  try {
    tree = parsePattern(pattern, flags, options.charName);
  } catch (e) {
    if (e instanceof PyReError) return fail('pyre/syntax', e.msg, e.pos ?? 0, 1);
    if (e instanceof UnsupportedEscape) return fail('pyre/unsupported', e.message, e.pos, e.length);
    throw e;
  }
  const state = tree.state;
  // sre_compile: a lookbehind must have a fixed width
  const lb = variableLookbehind(tree.data);
  if (lb) return fail('pyre/syntax', 'look-behind requires fixed-width pattern', lb.pos, 1);
  // sre_compile's _compile_info: a pattern that starts with a character set (through groups with
  // scoped flags) gets that set as a first-character filter, compiled with the OUTER flags. Where a
  // scoped (?a:) changes what a category (\w \W \d ...) means, Python skips positions the set itself
  // would match: a quirk a JS RegExp cannot follow, so it is declined.
  const quirk = outerFlagsPrefix(tree.data, state.flags);
  if (quirk) return fail('pyre/unsupported', "a pattern that starts with a character set with \\w, \\d or \\s under a scoped (?a:) flag: CPython 3.11 tests its first character with the outer flags", quirk.pos, 1);
  // The ASCII translation first: it reports the same problems as the full one (what is declined
  // does not depend on the classes' contents) and is all an ASCII log needs. The full translation,
  // which renders Python's big Unicode tables, is made on first use.
  const tr = new Translator(tree, state.groups, true);
  const asciiSource = tr.translate(state.flags);
  const diagnostics: PyreDiagnostic[] = tr.problems.map((p) => {
    const offset = codeToUnit(pattern, p.pos);
    return { code: p.code as PyreCode, severity: 'error', message: p.message, offset, length: Math.max(1, codeToUnit(pattern, p.pos + p.length) - offset) };
  });
  let asciiRegexp: RegExp | null = null;
  if (!diagnostics.length) {
    try {
      asciiRegexp = new RegExp(asciiSource, 'dgu');
    } catch (e) {
      diagnostics.push({ code: 'pyre/unsupported', severity: 'error', message: `the JavaScript engine refuses the translation: ${(e as Error).message}`, offset: 0, length: pattern.length });
    }
  }
  // (?m) anchors: a third translation with native line anchors
  const lt = tr.usedLineAnchor ? new Translator(tree, state.groups, true, true) : undefined;
  const asciiLineSource = lt ? lt.translate(state.flags) : null;
  let asciiLineRegexp: RegExp | null = null;
  if (asciiLineSource !== null && asciiRegexp) asciiLineRegexp = new RegExp(asciiLineSource, 'dgmu');
  const groupNames: Record<string, number> = {};
  for (const [k, v] of state.groupdict) groupNames[k] = v;
  let full: { source: string; loops: LoopFixup[]; regexp: RegExp | null } | undefined;
  const unicode = () => {
    if (!full) {
      const ut = new Translator(tree, state.groups);
      const source = ut.translate(state.flags);
      // the same constructs as the ASCII translation, which the engine took: only classes differ
      full = { source, loops: ut.loops, regexp: diagnostics.length ? null : new RegExp(source, 'dgu') };
    }
    return full;
  };
  return {
    pattern,
    get source() {
      return unicode().source;
    },
    get regexp() {
      return unicode().regexp;
    },
    groups: state.groups - 1,
    groupNames,
    diagnostics,
    flags: state.flags,
    tree,
    tracked: tr.tracked,
    get loops() {
      return unicode().loops;
    },
    asciiLoops: tr.loops,
    ok: !diagnostics.length,
    asciiRegexp: diagnostics.length ? null : asciiRegexp,
    asciiSource,
    asciiLineRegexp: diagnostics.length ? null : asciiLineRegexp,
    asciiLineSource,
    asciiLineLoops: lt?.loops ?? [],
  };
}

function variableLookbehind(nodes: Node[]): Node | null {
  for (const n of nodes) {
    if (n.op === 'assert' && n.dir < 0) {
      const [lo, hi] = n.body.getwidth();
      if (lo !== hi) return n;
    }
    const subs: Sub[] = n.op === 'branch' ? n.alts : n.op === 'groupref_exists' ? (n.no ? [n.yes, n.no] : [n.yes]) : 'body' in n ? [n.body] : [];
    for (const s of subs) {
      const r = variableLookbehind(s.data);
      if (r) return r;
    }
  }
  return null;
}

const sticky = new WeakMap<RegExp, RegExp>();
const full = new WeakMap<RegExp, RegExp>();

const NON_ASCII = /[^\0-\x7f]/;
let lastSubject = '';
let lastAscii = true;
/** Whether a subject is pure ASCII (the last answer kept: one line is searched by many patterns). */
export function isAscii(subject: string): boolean {
  if (subject !== lastSubject) {
    lastSubject = subject;
    lastAscii = !NON_ASCII.test(subject);
  }
  return lastAscii;
}

/** Which translation `subject` gets: 0 the full one, 1 the ASCII one, 2 the ASCII one with native line anchors. */
type Variant = 0 | 1 | 2;
function variantFor(t: Translation, subject: string): Variant {
  if (!t.ok) throw new TypeError(`pattern ${JSON.stringify(t.pattern)} has no translation: ${t.diagnostics[0]?.message ?? ''}`);
  if (t.asciiRegexp === null || !isAscii(subject)) return 0;
  return t.asciiLineRegexp !== null && !subject.includes('\r') ? 2 : 1;
}
const regexpOf = (t: Translation, v: Variant): RegExp => (v === 2 ? t.asciiLineRegexp! : v === 1 ? t.asciiRegexp! : t.regexp!);

const isLead = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isTrail = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

function run(t: Translation, re: RegExp, subject: string, pos: number, mode: 'search' | 'match' | 'full', v: Variant): PyMatch | null {
  pos = Math.max(0, Math.min(pos, subject.length));
  if (subject === '' && t.tracked.size) return emptyMatch(t);
  re.lastIndex = pos;
  let m = re.exec(subject);
  // V8 may report a zero-width match between the two halves of a surrogate pair: no position for
  // Python (whose strings are code points); the search goes on after it
  while (m && m.index > 0 && isTrail(subject.charCodeAt(m.index)) && isLead(subject.charCodeAt(m.index - 1))) {
    if (mode !== 'search') return null;
    re.lastIndex = m.index + 1;
    m = re.exec(subject);
  }
  if (!m) return null;
  const spans: (Span | null)[] = [[m.index, m.index + m[0].length]];
  const ig = m.indices!.groups!;
  for (let g = 1; g <= t.groups; g++) {
    const s = ig[`g${g}`];
    spans.push(s ? [s[0], s[1]] : null);
  }
  for (const loop of v === 2 ? t.asciiLineLoops : v === 1 ? t.asciiLoops : t.loops) recoverLoop(loop, ig, subject, spans, v === 2);
  return makeMatch(t, subject, spans);
}

/** Fills the groups a repeat's last iteration skipped from the earlier iterations (see LoopFixup). */
function recoverLoop(loop: LoopFixup, ig: Record<string, [number, number] | undefined>, subject: string, spans: (Span | null)[], lineAnchors: boolean): void {
  const whole = ig[`r${loop.k}`];
  let last: [number, number] | undefined = ig[`i${loop.k}`];
  if (!whole || !last) return;
  const needed = loop.loose.filter((g) => spans[g] === null);
  for (let j = 1; needed.length && last && last[0] > whole[0]; j++) {
    const lo = Math.max(0, loop.min - j);
    const hi = loop.max === MAXREPEAT ? '' : String(loop.max - j);
    if (hi !== '' && Number(hi) < 1) break;
    const rest: number = [...subject.slice(last[0])].length;
    const end = lineAnchors ? '(?![^])' : '$';
    const helper: RegExp = new RegExp(`(?:(?<i${loop.k}>${loop.body})){${lo},${hi}}${loop.lazy ? '?' : ''}(?=[^]{${rest}}${end})`, lineAnchors ? 'dmyu' : 'dyu');
    helper.lastIndex = whole[0];
    const m: RegExpExecArray | null = helper.exec(subject);
    if (!m) throw new Error(`pyre: internal error replaying a repeat (${helper.source})`);
    const hg: Record<string, [number, number] | undefined> = m.indices!.groups!;
    for (let x = needed.length - 1; x >= 0; x--) {
      const s = hg[`g${needed[x]}`];
      if (s) {
        spans[needed[x]!] = [s[0], s[1]];
        needed.splice(x, 1);
      }
    }
    last = hg[`i${loop.k}`];
  }
}

export function search(t: Translation, subject: string, pos = 0): PyMatch | null {
  const v = variantFor(t, subject);
  return run(t, regexpOf(t, v), subject, pos, 'search', v);
}

export function match(t: Translation, subject: string, pos = 0): PyMatch | null {
  const v = variantFor(t, subject);
  const re = regexpOf(t, v);
  let y = sticky.get(re);
  if (!y) sticky.set(re, (y = new RegExp(re.source, v === 2 ? 'dmyu' : 'dyu')));
  return run(t, y, subject, pos, 'match', v);
}

export function fullmatch(t: Translation, subject: string, pos = 0): PyMatch | null {
  const v = variantFor(t, subject);
  const re = regexpOf(t, v);
  let f = full.get(re);
  if (!f) full.set(re, (f = v === 2 ? new RegExp(`(?:${re.source})(?![^])`, 'dmyu') : new RegExp(`(?:${re.source})$`, 'dyu')));
  return run(t, f, subject, pos, 'full', v);
}

function makeMatch(t: Translation, subject: string, spans: (Span | null)[]): PyMatch {
  let lastindex: number | null = null;
  let lastEnd = -1;
  // Python's lastindex: the group that closed last, the outermost on ties
  for (let g = 1; g < spans.length; g++) {
    const s = spans[g];
    if (s && s[1] >= lastEnd) {
      if (s[1] > lastEnd || lastindex === null) lastindex = g;
      lastEnd = Math.max(lastEnd, s[1]);
    }
  }
  const num = (g: number | string): number => (typeof g === 'number' ? g : (t.groupNames[g] ?? -1));
  return {
    string: subject,
    span: spans[0]!,
    start: spans[0]![0],
    end: spans[0]![1],
    spans,
    lastindex,
    group(g) {
      const i = num(g);
      if (i < 0 || i >= spans.length) throw new RangeError(`no such group: ${String(g)}`);
      const s = spans[i];
      return s ? subject.slice(s[0], s[1]) : undefined;
    },
    groupdict() {
      const out: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(t.groupNames)) {
        const s = spans[v];
        out[k] = s ? subject.slice(s[0], s[1]) : undefined;
      }
      return out;
    },
  };
}

/**
 * The pattern against the empty subject, walked over the tree with sre's rules: the group markers
 * of the translation need one character of subject to tell a set group from an unset one.
 */
function emptyMatch(t: Translation): PyMatch | null {
  let result: Set<number> | null = null;
  const ok = walk(t.tree!.data, 0, new Set(), (c) => ((result = c), true));
  if (!ok || !result) return null;
  const final: Set<number> = result;
  const spans: (Span | null)[] = [[0, 0]];
  for (let g = 1; g <= t.groups; g++) spans.push(final.has(g) ? [0, 0] : null);
  return makeMatch(t, '', spans);
}

type Caps = Set<number>;
type K = (caps: Caps) => boolean;

/** First success of `nodes` (atomic): the captures it leaves, or null. */
function first(nodes: Node[], caps: Caps): Caps | null {
  const box: { c: Caps | null } = { c: null };
  walk(nodes, 0, caps, (c) => ((box.c = c), true));
  return box.c;
}

function walk(nodes: Node[], i: number, caps: Caps, k: K): boolean {
  if (i === nodes.length) return k(caps);
  const n = nodes[i]!;
  const next: K = (c) => walk(nodes, i + 1, c, k);
  switch (n.op) {
    case 'literal':
    case 'not_literal':
    case 'in':
    case 'any':
      return false;
    case 'at':
      // sre: \b and \B never match in an empty subject
      return n.at === 'boundary' || n.at === 'non_boundary' ? false : next(caps);
    case 'branch':
      return n.alts.some((a) => walk(a.data, 0, caps, next));
    case 'subpattern':
      return walk(n.body.data, 0, caps, (c) => next(n.group !== null ? new Set([...c, n.group]) : c));
    case 'atomic': {
      const got = first(n.body.data, caps);
      return got !== null && next(got);
    }
    case 'assert': {
      const w = n.body.getwidth();
      const got = n.dir > 0 || w[0] === 0 ? first(n.body.data, caps) : null;
      if (n.neg) return got === null && next(caps);
      return got !== null && next(got);
    }
    case 'groupref':
      return caps.has(n.group) && next(caps);
    case 'groupref_exists':
      return caps.has(n.group) ? walk(n.yes.data, 0, caps, next) : n.no ? walk(n.no.data, 0, caps, next) : next(caps);
    case 'repeat': {
      // over the empty subject a body can only match empty: the loops that could repeat an empty
      // body more than once past their minimum are reported by the translator, so at most one extra
      const iterate = (count: number, c: Caps, kk: K): boolean => (count === 0 ? kk(c) : walk(n.body.data, 0, c, (c2) => iterate(count - 1, c2, kk)));
      const extra = (c: Caps, kk: K): boolean => n.max > n.min && walk(n.body.data, 0, c, kk);
      if (n.kind === 'possessive') {
        const box: { c: Caps | null } = { c: null };
        const keep: K = (c) => ((box.c = c), true);
        iterate(n.min, caps, (c) => extra(c, keep) || keep(c));
        return box.c !== null && next(box.c);
      }
      return iterate(n.min, caps, (c) => (n.kind === 'min' ? next(c) || extra(c, next) : extra(c, next) || next(c)));
    }
  }
}

/** The leading character set whose categories a scoped type flag changes (see translate), if any. */
function outerFlagsPrefix(data: readonly Node[], outer: number): Node | undefined {
  const TYPE = FLAG_ASCII | FLAG_UNICODE;
  let flags = outer;
  let first = data[0];
  while (first && first.op === 'subpattern') {
    flags = combineFlags(flags, first.add, first.del);
    first = first.body.data[0];
  }
  if (!first || first.op !== 'in' || (flags & TYPE) === (outer & TYPE)) return undefined;
  return first.items.some((i) => i.op === 'category') ? first : undefined;
}

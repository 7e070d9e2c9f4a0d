/**
 * One wildcard matcher for every daemon's file-name globs, linear in the name: `*`, `?`, `[...]`,
 * `[!...]` in two dialects —
 *
 * - `fnmatch`: Python's fnmatch.fnmatch (fail2ban's glob.glob): characters are code points, no
 *   escapes (a backslash is an ordinary character), `[seq]` as fnmatch.translate builds it (ranges
 *   whose ends are reversed are dropped with both ends, `[!]` is not a set, `^` first is literal).
 * - `glob3`: glibc's fnmatch(3) as glob(3) calls it in the C locale (sshd's Include: sshd never sets a
 *   locale): characters are the bytes of the UTF-8 text, a backslash quotes the next character
 *   (inside brackets too), `[!...]` and `[^...]` negate, `[:alpha:]` and the other POSIX classes,
 *   `[=c=]` and `[.c.]` for one character, a trailing backslash matches nothing.
 *
 * In both, an unterminated `[` is an ordinary character, and `period: true` (what both globs do
 * unless the pattern starts with a dot) makes a name that starts with a dot match only a pattern
 * whose first character is a literal dot.
 *
 * No backtracking and no regular expression: the pattern is cut at its stars into runs of
 * one-character tests; the first run must match at the start of the name, the last at its end, and
 * every run between is taken at its leftmost place after the previous one (for `*` that choice is
 * never wrong). Each start position is tried by one run at most, so a match costs at most
 * O(name length × longest run), whatever the number of stars — where a backtracking regex costs
 * exponentially many steps in the stars (`*a*a*a…*b` against `aaaa…`).
 */

export type GlobDialect = 'fnmatch' | 'glob3';

/** One-character test. `lit`: that character; `any`: `?`; `set`: a bracket expression. */
type CharTest =
  | { readonly kind: 'lit'; readonly c: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'set'; readonly negate: boolean; readonly ranges: readonly number[]; readonly classes: readonly ((c: number) => boolean)[] };

type Token = CharTest | { readonly kind: 'star' };

/** A pattern, compiled. */
export interface GlobMatcher {
  (name: string): boolean;
}

const NEVER: CharTest = { kind: 'set', negate: false, ranges: [], classes: [] };
const ANY: CharTest = { kind: 'any' };
const STAR: Token = { kind: 'star' };
/** One shared token per literal character: a long pattern allocates no object per character. */
const LITERALS = new Map<number, CharTest>();
function lit(c: number): CharTest {
  let t = LITERALS.get(c);
  if (!t) LITERALS.set(c, (t = { kind: 'lit', c }));
  return t;
}

function testChar(t: CharTest, c: number): boolean {
  if (t.kind === 'lit') return t.c === c;
  if (t.kind === 'any') return true;
  let hit = false;
  const r = t.ranges;
  for (let i = 0; i < r.length && !hit; i += 2) hit = r[i]! <= c && c <= r[i + 1]!;
  for (let i = 0; i < t.classes.length && !hit; i++) hit = t.classes[i]!(c);
  return hit !== t.negate;
}

/** The code points of a string (a lone surrogate stands for itself, as in Python's surrogateescape). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    out.push(c);
  }
  return out;
}
const utf8 = (s: string): ArrayLike<number> => Buffer.from(s, 'utf8');

/**
 * The tokens of a Python fnmatch pattern: fnmatch.translate (Python 3.8–3.13) builds a regular
 * expression class for each `[...]`; this builds the same class text and reads it as Python's re does.
 */
function fnmatchTokens(pattern: string): Token[] {
  const pat = Array.from(pattern);
  const out: Token[] = [];
  const n = pat.length;
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push(STAR);
    } else if (c === '?') out.push(ANY);
    else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out.push(lit(0x5b));
        continue;
      }
      const escape = (s: string[]) => s.flatMap((x) => (x === '\\' || x === '-' ? ['\\', x] : [x]));
      let stuff: string[];
      if (!pat.slice(i, j).includes('-')) stuff = pat.slice(i, j).flatMap((x) => (x === '\\' ? ['\\', x] : [x]));
      else {
        const chunks: string[][] = [];
        let k = pat[i] === '!' ? i + 2 : i + 1;
        for (;;) {
          k = pat.indexOf('-', k);
          if (k < 0 || k >= j) break;
          chunks.push(pat.slice(i, k));
          i = k + 1;
          k = k + 3;
        }
        const chunk = pat.slice(i, j);
        if (chunk.length) chunks.push(chunk);
        else chunks[chunks.length - 1]!.push('-');
        // Ranges with reversed ends are removed, with both ends.
        for (let m = chunks.length - 1; m > 0; m--) {
          const a = chunks[m - 1]!;
          const b = chunks[m]!;
          if (b.length > 0 && a[a.length - 1]! > b[0]!) {
            chunks[m - 1] = [...a.slice(0, -1), ...b.slice(1)];
            chunks.splice(m, 1);
          }
        }
        stuff = chunks.flatMap((ch, m) => (m === 0 ? escape(ch) : ['-', ...escape(ch)]));
      }
      i = j + 1;
      if (stuff.length === 0) out.push(NEVER);
      else if (stuff.length === 1 && stuff[0] === '!') out.push(ANY);
      else out.push(reClass(stuff));
    } else out.push(lit(c.codePointAt(0)!));
  }
  return out;
}

/**
 * A class body as fnmatch.translate writes it (`!` first for negation, `\\` quoting), read as Python's
 * re reads `[...]`: a `-` between two items makes a range, a `-` first or last is literal, `]` first
 * is literal (translate quotes `^` and `[` when first, so only `!` negates).
 */
function reClass(stuff: readonly string[]): CharTest {
  let i = 0;
  const negate = stuff[0] === '!';
  if (negate) i++;
  const ranges: number[] = [];
  const item = (): number => {
    const x = stuff[i++]!;
    return (x === '\\' && i < stuff.length ? stuff[i++]! : x).codePointAt(0)!;
  };
  while (i < stuff.length) {
    const lo = item();
    if (stuff[i] === '-' && i + 1 < stuff.length) {
      i++;
      const hi = item();
      ranges.push(lo, hi);
    } else ranges.push(lo, lo);
  }
  return { kind: 'set', negate, ranges, classes: [] };
}

/** The POSIX classes of the C locale. */
const POSIX_CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  alpha: (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !POSIX_CLASSES.alnum!(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

/** The tokens of a glob(3) pattern (glibc fnmatch, C locale, escapes on), over UTF-8 bytes. */
function glob3Tokens(pattern: string): Token[] {
  const pat = Array.from(utf8(pattern));
  const n = pat.length;
  const out: Token[] = [];
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === 0x2a) {
      if (out[out.length - 1]?.kind !== 'star') out.push(STAR);
    } else if (c === 0x3f) out.push(ANY);
    else if (c === 0x5c) {
      // A trailing backslash matches nothing.
      out.push(i < n ? lit(pat[i++]!) : NEVER);
    } else if (c === 0x5b) {
      const set = glob3Set(pat, i);
      out.push(set.test);
      i = set.end;
    } else out.push(lit(c));
  }
  return out;
}

/**
 * What glibc's fnmatch does with the bracket expression whose `[` is just before `start`, for the
 * byte `fn` (a port of its loop in fnmatch_loop.c, C locale, without FNM_NOESCAPE): matched, with
 * the offset after the expression; not matched; or unterminated (then `[` is an ordinary character).
 * glibc reads the expression as it goes and stops early when a byte matches, so a malformed one can
 * end in different places for different bytes.
 */
function glibcBracket(pat: readonly number[], start: number, fn: number): { match: boolean; end: number } | 'unterminated' {
  const at = (k: number): number => (k < pat.length ? pat[k]! : 0);
  const LB = 0x5b, RB = 0x5d, COLON = 0x3a, EQ = 0x3d, DOT = 0x2e, DASH = 0x2d, BS = 0x5c;
  const NOMATCH = { match: false, end: pat.length };
  /** The offset of the `.` of the `.]` that closes a `[.` whose `.` is at `q`, or -1. */
  const collatingEnd = (q: number): number => {
    for (let k = q + 1; k < pat.length; k++) if (pat[k] === DOT && pat[k + 1] === RB) return k;
    return -1;
  };
  let p = start;
  const not = at(p) === 0x21 || at(p) === 0x5e;
  if (not) p++;
  let c = at(p++);
  let matched = false;
  let failed = false;
  outer: for (;;) {
    let cold: number;
    let normal = false;
    if (c === BS) {
      if (at(p) === 0) return NOMATCH;
      c = at(p++);
      normal = true;
    } else if (c === LB && at(p) === COLON) {
      const startp = p;
      let name = '';
      let isName = true;
      for (;;) {
        if (name.length === 256) return NOMATCH;
        c = at(++p);
        if (c === COLON && at(p + 1) === RB) {
          p += 2;
          break;
        }
        if (c < 0x61 || c >= 0x7a) {
          isName = false;
          break;
        }
        name += String.fromCharCode(c);
      }
      if (!isName) {
        p = startp;
        c = LB;
        normal = true;
      } else {
        const f = POSIX_CLASSES[name];
        if (!f) return NOMATCH;
        if (f(fn)) {
          matched = true;
          break outer;
        }
        c = at(p++);
      }
    } else if (c === LB && at(p) === EQ) {
      const startp = p;
      const str = at(++p);
      if (str === 0 || at(p + 1) !== EQ || at(p + 2) !== RB) {
        p = startp;
        c = LB;
        normal = true;
      } else {
        p += 3;
        if (fn === str) {
          matched = true;
          break outer;
        }
        c = at(p++);
      }
    } else if (c === 0) {
      return 'unterminated';
    } else if (c === LB && at(p) === DOT) {
      // A collating symbol with no `.]` after it fails the whole match (glibc 2.36 runs into the end).
      if (collatingEnd(p) < 0) return NOMATCH;
      const startp = p;
      const c1 = collatingEnd(p) - p - 1;
      p = collatingEnd(p) + 2;
      const isRange = at(p) === DASH && at(p + 1) !== 0;
      if (c1 !== 1) return NOMATCH;
      if (!isRange && fn === at(startp + 1)) {
        matched = true;
        break outer;
      }
      cold = at(startp + 1);
      c = at(p++);
      if (rangeStep()) {
        matched = true;
        break outer;
      }
      if (c === RB) break;
      continue;
    } else normal = true;
    if (normal) {
      const isRange = at(p) === DASH && at(p + 1) !== 0 && at(p + 1) !== RB;
      if (!isRange && c === fn) {
        matched = true;
        break outer;
      }
      cold = c;
      c = at(p++);
      if (rangeStep()) {
        matched = true;
        break outer;
      }
    }
    if (failed) return NOMATCH;
    if (c === RB) break;

    /** The `c-d` step after a bracket element: true when `fn` is in the range. */
    function rangeStep(): boolean {
      if (!(c === DASH && at(p) !== RB)) return false;
      let cend = at(p++);
      if (cend === LB && at(p) === DOT) {
        const startp = p;
        let c1 = 0;
        for (;;) {
          const x = at(++p);
          if (x === DOT && at(p + 1) === RB) {
            p += 2;
            break;
          }
          if (x === 0) {
            failed = true;
            return false;
          }
          c1++;
        }
        if (c1 !== 1) {
          failed = true;
          return false;
        }
        cend = at(startp + 1);
      } else {
        if (cend === BS) cend = at(p++);
        if (cend === 0) {
          failed = true;
          return false;
        }
      }
      if (cold! <= fn && fn <= cend) return true;
      c = at(p++);
      return false;
    }
  }
  if (!matched) return { match: not, end: p };
  // Skip the rest of the expression that already matched.
  for (;;) {
    c = at(p++);
    if (c === 0) return NOMATCH;
    if (c === BS) {
      if (at(p) === 0) return NOMATCH;
      p++;
    } else if (c === LB && at(p) === COLON) {
      const startp = p;
      let c1 = 0;
      let restart = false;
      for (;;) {
        const x = at(++p);
        if (++c1 === 256) return NOMATCH;
        if (x === COLON && at(p + 1) === RB) break;
        if (x < 0x61 || x >= 0x7a) {
          p = startp;
          restart = true;
          break;
        }
      }
      if (restart) continue;
      p += 2;
      c = COLON; // glibc 2.36 reads the next byte at the loop's top, so `[:x:][:y:]` are two classes
    } else if (c === LB && at(p) === EQ) {
      if (at(++p) === 0) return NOMATCH;
      if (at(++p) !== EQ || at(p + 1) !== RB) return NOMATCH;
      p += 2;
      c = EQ;
    } else if (c === LB && at(p) === DOT) {
      for (;;) {
        const x = at(++p);
        if (x === 0) return NOMATCH;
        if (x === DOT && at(p + 1) === RB) break;
      }
      p += 2;
      c = DOT;
    }
    if (c === RB) break;
  }
  return { match: !not, end: p };
}

/**
 * A bracket expression as one test: glibc's outcome for every byte, tabulated. Where a malformed
 * expression would end at another place for the bytes it matches than where it ends for the others,
 * those bytes do not match (a difference from glibc, on patterns no configuration holds).
 */
function glob3Set(pat: readonly number[], start: number): { test: CharTest; end: number } {
  const outcomes = Array.from({ length: 256 }, (_, fn) => glibcBracket(pat, start, fn));
  if (outcomes.some((o) => o === 'unterminated')) {
    // `[` then stands for itself; other bytes either hit the same end or an early failure.
    const o = outcomes[0x5b];
    return { test: o === 'unterminated' ? { kind: 'lit', c: 0x5b } : NEVER, end: start };
  }
  const resolved = outcomes as Array<{ match: boolean; end: number }>;
  const ends = resolved.filter((o) => o.match).map((o) => o.end);
  const end = ends.length > 0 ? mostCommonNumber(ends) : pat.length;
  const ranges: number[] = [];
  resolved.forEach((o, fn) => {
    if (o.match && o.end === end) ranges.push(fn, fn);
  });
  return { test: { kind: 'set', negate: false, ranges: mergeRanges(ranges), classes: [] }, end };
}

function mostCommonNumber(xs: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = xs[0]!;
  for (const x of xs) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
    if (c > counts.get(best)!) best = x;
  }
  return best;
}

/** Adjacent single-byte ranges joined: [0x61,0x61, 0x62,0x62] → [0x61,0x62]. */
function mergeRanges(r: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.length; i += 2) {
    if (out.length > 0 && out[out.length - 1]! + 1 === r[i]!) out[out.length - 1] = r[i + 1]!;
    else out.push(r[i]!, r[i + 1]!);
  }
  return out;
}

/**
 * Compiles a pattern. `period`: a name starting with `.` matches only when the pattern starts with
 * a literal `.` (glob(3) without GLOB_PERIOD, Python's glob without include_hidden).
 */
export function compileGlob(pattern: string, dialect: GlobDialect, options: { period?: boolean } = {}): GlobMatcher {
  const tokens = dialect === 'fnmatch' ? fnmatchTokens(pattern) : glob3Tokens(pattern);
  const toChars = dialect === 'fnmatch' ? codePoints : utf8;
  const runs: CharTest[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'star') runs.push([]);
    else runs[runs.length - 1]!.push(t);
  }
  const head = tokens[0];
  const dotOk = head !== undefined && head.kind === 'lit' && head.c === 0x2e;
  const period = options.period === true;
  const runAt = (run: readonly CharTest[], s: ArrayLike<number>, at: number): boolean => {
    for (let k = 0; k < run.length; k++) if (!testChar(run[k]!, s[at + k]!)) return false;
    return true;
  };
  return (name: string): boolean => {
    if (period && name.startsWith('.') && !dotOk) return false;
    const s = toChars(name);
    const first = runs[0]!;
    if (runs.length === 1) return s.length === first.length && runAt(first, s, 0);
    const last = runs[runs.length - 1]!;
    const end = s.length - last.length;
    if (end < first.length || !runAt(first, s, 0) || !runAt(last, s, end)) return false;
    let at = first.length;
    for (let r = 1; r < runs.length - 1; r++) {
      const run = runs[r]!;
      let found = -1;
      for (let p = at; p + run.length <= end; p++) {
        if (runAt(run, s, p)) {
          found = p;
          break;
        }
      }
      if (found < 0) return false;
      at = found + run.length;
    }
    return true;
  };
}

/** Whether a path segment has a wildcard in a dialect (for glob3, one that no backslash quotes). */
export function hasWildcard(segment: string, dialect: GlobDialect): boolean {
  if (dialect === 'fnmatch') return /[*?[]/.test(segment);
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

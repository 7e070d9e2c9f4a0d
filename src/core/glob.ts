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

/**
 * A compiled pattern is a program of one-character tests in one typed array, cut by the stars into
 * runs: a test `>= 0` is that character, {@link ANY} is `?`, and `SET0 - k` is the bracket
 * expression `sets[k]`. The compile allocates a fixed number of arrays (plus one set per bracket
 * expression), so its cost is linear in the pattern whatever the number of stars.
 */
const ANY = -1;
const SET0 = -2;

/** A bracket expression: `ranges` holds inclusive `[lo, hi]` pairs; `negate` inverts the result. */
interface CharSet {
  readonly negate: boolean;
  readonly ranges: readonly number[];
}

/** A pattern, compiled. */
export interface GlobMatcher {
  (name: string): boolean;
}

/** The program a tokenizer writes: tests, run bounds (`bounds[r]` is where run `r` starts), sets. */
class Program {
  readonly ops: Int32Array;
  size = 0;
  readonly bounds: Int32Array;
  runs = 1;
  readonly sets: CharSet[] = [];
  /** Whether the last token was a star (consecutive stars are one). */
  private star = false;
  /** The first token, when it is a test (for `period`): otherwise undefined. */
  head: number | undefined;
  private tokens = 0;
  /** A test that matches no character was written: no name matches. */
  never = false;

  constructor(maxTokens: number) {
    this.ops = new Int32Array(maxTokens);
    this.bounds = new Int32Array(maxTokens + 2);
  }

  test(op: number): void {
    if (this.tokens++ === 0) this.head = op;
    this.ops[this.size++] = op;
    this.star = false;
  }

  set(s: CharSet): void {
    if (!s.negate && s.ranges.length === 0) this.never = true;
    this.sets.push(s);
    this.test(SET0 - (this.sets.length - 1));
  }

  starToken(): void {
    this.tokens++;
    if (this.star) return;
    this.bounds[this.runs++] = this.size;
    this.star = true;
  }

  /** Closes the last run. */
  finish(): this {
    this.bounds[this.runs] = this.size;
    return this;
  }
}

const NEVER: CharSet = { negate: false, ranges: [] };

function inSet(t: CharSet, c: number): boolean {
  const r = t.ranges;
  let hit = false;
  for (let i = 0; i < r.length && !hit; i += 2) hit = r[i]! <= c && c <= r[i + 1]!;
  return hit !== t.negate;
}

/** The code points of a string (a lone surrogate stands for itself, as in Python's surrogateescape), and how many. */
function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    out[n++] = c;
  }
  return out.subarray(0, n);
}
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

const BANG = 0x21, DASH = 0x2d, LBRACKET = 0x5b, BACKSLASH = 0x5c, RBRACKET = 0x5d;

/**
 * The program of a Python fnmatch pattern: fnmatch.translate (Python 3.8–3.13) builds a regular
 * expression class for each `[...]`; this builds the same class text and reads it as Python's re does.
 * Its scan for the `]` of a `[` stops at once when no `]` follows (translate scans to the end each
 * time, quadratic in a pattern of `[`s).
 */
function fnmatchProgram(pattern: string): Program {
  const pat = codePoints(pattern);
  const n = pat.length;
  const out = new Program(n);
  const lastClose = pat.lastIndexOf(RBRACKET);
  let i = 0;
  while (i < n && !out.never) {
    const c = pat[i++]!;
    if (c === 0x2a) out.starToken();
    else if (c === 0x3f) out.test(ANY);
    else if (c === LBRACKET) {
      let j = i;
      if (j < n && pat[j] === BANG) j++;
      if (j < n && pat[j] === RBRACKET) j++;
      if (j > lastClose) j = n;
      else while (j < n && pat[j] !== RBRACKET) j++;
      if (j >= n) {
        out.test(LBRACKET);
        continue;
      }
      const stuff = classText(pat, i, j);
      i = j + 1;
      if (stuff.length === 0) out.set(NEVER);
      else if (stuff.length === 1 && stuff[0] === BANG) out.test(ANY);
      else out.set(reClass(stuff));
    } else out.test(c);
  }
  return out.finish();
}

/** The text fnmatch.translate puts between `[` and `]` for the pattern's `[pat[i] … pat[j-1]]`, as code points. */
function classText(pat: Int32Array, i: number, j: number): number[] {
  const stuff: number[] = [];
  /** `chunk`, its backslashes doubled and, when `dash`, its `-` quoted. */
  const put = (chunk: ArrayLike<number>, dash: boolean): void => {
    for (let k = 0; k < chunk.length; k++) {
      const x = chunk[k]!;
      if (x === BACKSLASH || (dash && x === DASH)) stuff.push(BACKSLASH);
      stuff.push(x);
    }
  };
  const dashAt = (from: number): number => {
    for (let k = from; k < j; k++) if (pat[k] === DASH) return k;
    return -1;
  };
  if (dashAt(i) < 0) {
    put(pat.subarray(i, j), false);
    return stuff;
  }
  const chunks: number[][] = [];
  let k = pat[i] === BANG ? i + 2 : i + 1;
  for (;;) {
    k = dashAt(k);
    if (k < 0) break;
    chunks.push(Array.from(pat.subarray(i, k)));
    i = k + 1;
    k = k + 3;
  }
  if (i < j) chunks.push(Array.from(pat.subarray(i, j)));
  else chunks[chunks.length - 1]!.push(DASH);
  // Ranges with reversed ends are removed, with both ends: from the last chunk back, chunk m-1 takes
  // in chunk m (its last character and m's first dropped) while their ends are reversed. The chunk
  // being grown is a stack holding its characters last-first, so each character moves once.
  const kept: number[][] = [];
  let cur = chunks[chunks.length - 1]!.slice().reverse();
  for (let m = chunks.length - 1; m > 0; m--) {
    const a = chunks[m - 1]!;
    if (cur.length > 0 && a.length > 0 && a[a.length - 1]! > cur[cur.length - 1]!) {
      cur.pop();
      for (let q = a.length - 2; q >= 0; q--) cur.push(a[q]!);
    } else {
      kept.push(cur.reverse());
      cur = a.slice().reverse();
    }
  }
  kept.push(cur.reverse());
  for (let m = kept.length - 1; m >= 0; m--) {
    if (m < kept.length - 1) stuff.push(DASH);
    put(kept[m]!, true);
  }
  return stuff;
}

/**
 * A class body as fnmatch.translate writes it (`!` first for negation, `\\` quoting), read as Python's
 * re reads `[...]`: a `-` between two items makes a range, a `-` first or last is literal, `]` first
 * is literal (translate quotes `^` and `[` when first, so only `!` negates).
 */
function reClass(stuff: readonly number[]): CharSet {
  let i = 0;
  const negate = stuff[0] === BANG;
  if (negate) i++;
  const ranges: number[] = [];
  const item = (): number => {
    const x = stuff[i++]!;
    return x === BACKSLASH && i < stuff.length ? stuff[i++]! : x;
  };
  while (i < stuff.length) {
    const lo = item();
    if (stuff[i] === DASH && i + 1 < stuff.length) {
      i++;
      const hi = item();
      ranges.push(lo, hi);
    } else ranges.push(lo, lo);
  }
  return { negate, ranges };
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

/** The program of a glob(3) pattern (glibc fnmatch, C locale, escapes on), over UTF-8 bytes. */
function glob3Program(pattern: string): Program {
  const pat = utf8(pattern);
  const n = pat.length;
  const out = new Program(n);
  let i = 0;
  while (i < n && !out.never) {
    const c = pat[i++]!;
    if (c === 0x2a) out.starToken();
    else if (c === 0x3f) out.test(ANY);
    else if (c === BACKSLASH) {
      // A trailing backslash matches nothing.
      if (i < n) out.test(pat[i++]!);
      else out.set(NEVER);
    } else if (c === LBRACKET) {
      const set = glob3Set(pat, i);
      if (set.test === LBRACKET) out.test(LBRACKET);
      else out.set(set.test);
      i = set.end;
    } else out.test(c);
  }
  return out.finish();
}

/**
 * What glibc's fnmatch does with the bracket expression whose `[` is just before `start`, for the
 * byte `fn` (a port of its loop in fnmatch_loop.c, C locale, without FNM_NOESCAPE): matched, with
 * the offset after the expression; not matched; or unterminated (then `[` is an ordinary character).
 * glibc reads the expression as it goes and stops early when a byte matches, so a malformed one can
 * end in different places for different bytes.
 */
function glibcBracket(pat: Uint8Array, start: number, fn: number): { match: boolean; end: number } | 'unterminated' {
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
function glob3Set(pat: Uint8Array, start: number): { test: CharSet | typeof LBRACKET; end: number } {
  const outcomes = Array.from({ length: 256 }, (_, fn) => glibcBracket(pat, start, fn));
  if (outcomes.some((o) => o === 'unterminated')) {
    // `[` then stands for itself; other bytes either hit the same end or an early failure.
    const o = outcomes[0x5b];
    return { test: o === 'unterminated' ? LBRACKET : NEVER, end: start };
  }
  const resolved = outcomes as Array<{ match: boolean; end: number }>;
  const ends = resolved.filter((o) => o.match).map((o) => o.end);
  const end = ends.length > 0 ? mostCommonNumber(ends) : pat.length;
  const ranges: number[] = [];
  resolved.forEach((o, fn) => {
    if (o.match && o.end === end) ranges.push(fn, fn);
  });
  return { test: { negate: false, ranges: mergeRanges(ranges) }, end };
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
  const prog = dialect === 'fnmatch' ? fnmatchProgram(pattern) : glob3Program(pattern);
  if (prog.never) return () => false;
  const toChars: (s: string) => ArrayLike<number> = dialect === 'fnmatch' ? codePoints : utf8;
  const { ops, bounds, sets, runs } = prog;
  const dotOk = prog.head === 0x2e;
  const period = options.period === true;
  /** Whether run `r` matches `s` from `at`. */
  const runAt = (r: number, s: ArrayLike<number>, at: number): boolean => {
    const lo = bounds[r]!;
    const hi = bounds[r + 1]!;
    for (let k = lo, p = at; k < hi; k++, p++) {
      const op = ops[k]!;
      const c = s[p]!;
      if (op >= 0 ? op !== c : op !== ANY && !inSet(sets[SET0 - op]!, c)) return false;
    }
    return true;
  };
  const len = (r: number): number => bounds[r + 1]! - bounds[r]!;
  return (name: string): boolean => {
    if (period && name.startsWith('.') && !dotOk) return false;
    const s = toChars(name);
    if (runs === 1) return s.length === len(0) && runAt(0, s, 0);
    const last = runs - 1;
    const end = s.length - len(last);
    if (end < len(0) || !runAt(0, s, 0) || !runAt(last, s, end)) return false;
    let at = len(0);
    for (let r = 1; r < last; r++) {
      const n = len(r);
      let found = -1;
      for (let p = at; p + n <= end; p++) {
        if (runAt(r, s, p)) {
          found = p;
          break;
        }
      }
      if (found < 0) return false;
      at = found + n;
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

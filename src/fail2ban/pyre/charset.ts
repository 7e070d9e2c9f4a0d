/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges, and their
 * rendering as a JavaScript `u`-mode character class. Python's classes are built here from
 * Python's own tables (unicode-data.ts), never from the JavaScript engine's `\p{…}`.
 */
import { ASCII_DIGIT, ASCII_SPACE, ASCII_WORD, CASED, DIGIT, EXTRA_CASES, LOWER, PRINTABLE, SPACE, WORD } from './unicode-data.js';

export const MAX_CODE = 0x10ffff;

export class CodeSet {
  /** Flat [first0, last0, first1, last1, …], sorted, disjoint, non-adjacent. */
  readonly r: readonly number[];
  constructor(r: readonly number[]) {
    this.r = r;
  }
  static of(...codes: number[]): CodeSet {
    return CodeSet.fromPairs(codes.map((c) => [c, c]));
  }
  static range(a: number, b: number): CodeSet {
    return new CodeSet(a <= b ? [a, b] : []);
  }
  static readonly EMPTY = new CodeSet([]);
  static readonly ALL = new CodeSet([0, MAX_CODE]);
  static fromPairs(pairs: [number, number][]): CodeSet {
    const s = pairs.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
    const out: number[] = [];
    for (const [a, b] of s) {
      const n = out.length;
      if (n && a <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, b);
      else out.push(a, b);
    }
    return new CodeSet(out);
  }
  get empty(): boolean {
    return this.r.length === 0;
  }
  has(c: number): boolean {
    const r = this.r;
    let lo = 0;
    let hi = r.length / 2 - 1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (c < r[2 * m]!) hi = m - 1;
      else if (c > r[2 * m + 1]!) lo = m + 1;
      else return true;
    }
    return false;
  }
  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.r.length; i += 2) out.push([this.r[i]!, this.r[i + 1]!]);
    return out;
  }
  union(o: CodeSet): CodeSet {
    if (o.empty) return this;
    if (this.empty) return o;
    return CodeSet.fromPairs([...this.pairs(), ...o.pairs()]);
  }
  complement(): CodeSet {
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < this.r.length; i += 2) {
      if (this.r[i]! > next) out.push(next, this.r[i]! - 1);
      next = this.r[i + 1]! + 1;
    }
    if (next <= MAX_CODE) out.push(next, MAX_CODE);
    return new CodeSet(out);
  }
  intersect(o: CodeSet): CodeSet {
    const a = this.r;
    const b = o.r;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = Math.max(a[i]!, b[j]!);
      const hi = Math.min(a[i + 1]!, b[j + 1]!);
      if (lo <= hi) out.push(lo, hi);
      if (a[i + 1]! < b[j + 1]!) i += 2;
      else j += 2;
    }
    return new CodeSet(out);
  }
  minus(o: CodeSet): CodeSet {
    return this.intersect(o.complement());
  }
  /** Codes of the set, when it is small (for the case tables). */
  *codes(): Generator<number> {
    for (let i = 0; i < this.r.length; i += 2) for (let c = this.r[i]!; c <= this.r[i + 1]!; c++) yield c;
  }
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.r.length; i += 2) n += this.r[i + 1]! - this.r[i]! + 1;
    return n;
  }
  equals(o: CodeSet): boolean {
    return this.r.length === o.r.length && this.r.every((v, i) => v === o.r[i]);
  }
}

function decodeRanges(s: string): CodeSet {
  const out: number[] = [];
  let prev = -1;
  for (const part of s.split(',')) {
    if (!part) continue;
    const [g, l] = part.split(' ');
    const a = prev + 1 + parseInt(g!, 16);
    const b = a + parseInt(l!, 16);
    out.push(a, b);
    prev = b;
  }
  return new CodeSet(out);
}

let tables: Tables | undefined;
interface Tables {
  word: CodeSet;
  digit: CodeSet;
  space: CodeSet;
  cased: CodeSet;
  /** str.isprintable(), for repr() in error messages. */
  printable: CodeSet;
  asciiWord: CodeSet;
  asciiDigit: CodeSet;
  asciiSpace: CodeSet;
  /** _sre.unicode_tolower where it is not the identity. */
  lower: Map<number, number>;
  /** Codes whose lower case is the key (the key itself excluded). */
  upperOf: Map<number, number[]>;
  /** The changed codes as a set. */
  lowerDomain: CodeSet;
  /** The lower cases of the changed codes as a set. */
  lowerRange: CodeSet;
  extra: Map<number, number[]>;
}

export function pyTables(): Tables {
  if (tables) return tables;
  const lower = new Map<number, number>();
  const upperOf = new Map<number, number[]>();
  let prev = 0;
  for (const part of LOWER.split(',')) {
    const [d, off] = part.split(':');
    const c = prev + parseInt(d!, 16);
    const l = off!.startsWith('-') ? c - parseInt(off!.slice(1), 16) : c + parseInt(off!, 16);
    lower.set(c, l);
    const u = upperOf.get(l);
    if (u) u.push(c);
    else upperOf.set(l, [c]);
    prev = c;
  }
  const extra = new Map<number, number[]>();
  for (const part of EXTRA_CASES.split(',')) {
    const [k, v] = part.split(':');
    extra.set(parseInt(k!, 16), v!.split(' ').map((x) => parseInt(x, 16)));
  }
  tables = {
    word: decodeRanges(WORD),
    digit: decodeRanges(DIGIT),
    space: decodeRanges(SPACE),
    cased: decodeRanges(CASED),
    printable: decodeRanges(PRINTABLE),
    asciiWord: decodeRanges(ASCII_WORD),
    asciiDigit: decodeRanges(ASCII_DIGIT),
    asciiSpace: decodeRanges(ASCII_SPACE),
    lower,
    upperOf,
    lowerDomain: CodeSet.fromPairs([...lower.keys()].map((c) => [c, c])),
    lowerRange: CodeSet.fromPairs([...lower.values()].map((c) => [c, c])),
    extra,
  };
  return tables;
}

/** The codes c with lower(c) in s: `{c : lower(c) ∈ s}`, lower being _sre.unicode_tolower. */
export function lowerPreimage(s: CodeSet): CodeSet {
  return memo(preimages, s, lowerPreimage1);
}

// Both maps of a set are pure functions of it and walk the whole case table: memoized by the set's
// ranges (date templates under (?i) ask for the same few classes many times), a bounded number kept.
const images = new Map<string, CodeSet>();
const preimages = new Map<string, CodeSet>();
function memo(cache: Map<string, CodeSet>, s: CodeSet, f: (s: CodeSet) => CodeSet): CodeSet {
  if (s.r.length > 64) return f(s);
  const key = s.r.join(',');
  let v = cache.get(key);
  if (!v) {
    if (cache.size >= 4096) cache.clear();
    cache.set(key, (v = f(s)));
  }
  return v;
}

function lowerPreimage1(s: CodeSet): CodeSet {
  const t = pyTables();
  const add: [number, number][] = [];
  const inter = s.intersect(t.lowerRange);
  // a small set: the codes whose lower case it holds, through upperOf; else a walk of the table
  if (inter.size < t.lower.size) {
    for (const l of inter.codes()) for (const c of t.upperOf.get(l) ?? []) add.push([c, c]);
  } else for (const [c, l] of t.lower) if (s.has(l)) add.push([c, c]);
  return s.minus(t.lowerDomain).union(CodeSet.fromPairs(add));
}

/** `{lower(c) : c ∈ s}` plus the extra cases of each lowered code (re._casefix._EXTRA_CASES). */
export function lowerImage(s: CodeSet): CodeSet {
  return memo(images, s, lowerImage1);
}
function lowerImage1(s: CodeSet): CodeSet {
  const t = pyTables();
  const add: [number, number][] = [];
  const inter = s.intersect(t.lowerDomain);
  // a small set: the lower cases of its own codes; else a walk of the table
  if (inter.size < t.lower.size) {
    for (const c of inter.codes()) add.push([t.lower.get(c)!, t.lower.get(c)!]);
  } else for (const [c, l] of t.lower) if (s.has(c)) add.push([l, l]);
  let img = s.minus(t.lowerDomain).union(CodeSet.fromPairs(add));
  const extra: [number, number][] = [];
  for (const [k, v] of t.extra) if (img.has(k)) for (const x of v) extra.push([x, x]);
  if (extra.length) img = img.union(CodeSet.fromPairs(extra));
  return img;
}

export function pyLower(c: number): number {
  return pyTables().lower.get(c) ?? c;
}

const SYNTAX = new Set('\\^$.*+?()[]{}|/-'.split('').map((c) => c.codePointAt(0)!));

function codeText(c: number, inClass: boolean): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) return String.fromCharCode(c);
  if (c > 0x20 && c < 0x7f && !inClass && !SYNTAX.has(c)) return String.fromCharCode(c);
  if (c > 0x20 && c < 0x7f && c !== 0x2d && !inClass) return '\\' + String.fromCharCode(c);
  return `\\u{${c.toString(16)}}`;
}

export const ASCII = CodeSet.range(0, 0x7f);

/**
 * A class for a subject known to be pure ASCII: only `s ∩ ASCII` matters, so the class is rendered
 * from that, as a positive class or as the complement of its ASCII complement, whichever is shorter
 * (the latter also matches non-ASCII characters, which such a subject does not hold).
 */
export function asciiClassSource(s0: CodeSet): string {
  const s = s0.intersect(ASCII);
  if (s.empty) return '[]';
  if (s.r.length === 2 && s.r[0] === s.r[1]) return codeText(s.r[0]!, false);
  if (s.equals(ASCII)) return '[^]';
  const body = (x: CodeSet) => {
    let out = '';
    for (let i = 0; i < x.r.length; i += 2) {
      const a = x.r[i]!;
      const b = x.r[i + 1]!;
      out += codeText(a, true);
      if (b > a + 1) out += '-';
      if (b > a) out += codeText(b, true);
    }
    return out;
  };
  const pos = `[${body(s)}]`;
  const neg = `[^${body(ASCII.minus(s))}]`;
  return neg.length < pos.length ? neg : pos;
}

/** A single code point as a JS `u`-mode atom. */
export function literalSource(c: number): string {
  return codeText(c, false);
}

// ---- compact classes: Python's big tables as a JS property class plus/minus small differences.
// The property classes are measured in this very engine (its Unicode version, whatever it is), so
// the result is exact wherever it runs.

const BASES = ['\\p{L}\\p{N}', '\\p{Nd}'];
const measured = new Map<string, CodeSet>();

/** The code points a JS `u`-mode class body matches here. */
export function measureClass(body: string): CodeSet {
  let s = measured.get(body);
  if (s) return s;
  // every code point but the surrogates, in order; UTF-16 offset → code point is arithmetic
  if (!allCodes) {
    const parts: string[] = [];
    for (let c = 0; c <= MAX_CODE; c += 0x1000) {
      const chunk: number[] = [];
      for (let x = c; x < c + 0x1000 && x <= MAX_CODE; x++) if (x < 0xd800 || x > 0xdfff) chunk.push(x);
      parts.push(String.fromCodePoint(...chunk));
    }
    allCodes = parts.join('');
  }
  const cp = (i: number): number => (i < 0xd800 ? i : i < 0xf800 ? i + 0x800 : 0x10000 + (i - 0xf800) / 2);
  const pairs: [number, number][] = [];
  const re = new RegExp(`[${body}]+`, 'gu');
  for (let m = re.exec(allCodes); m; m = re.exec(allCodes)) pairs.push([cp(m.index), cp(m.index + m[0].length) - 1]);
  const one = new RegExp(`^[${body}]$`, 'u');
  for (let x = 0xd800; x <= 0xdfff; x++) if (one.test(String.fromCharCode(x))) pairs.push([x, x]);
  s = CodeSet.fromPairs(pairs);
  measured.set(body, s);
  return s;
}
let allCodes: string | undefined;

/** Small sets are written out; a big one is tried against the property classes. */
export function classSource(s: CodeSet): string {
  const plain = plainClassSource(s);
  if (plain.length < 200) return plain;
  let best = plain;
  const key = s.r.join(',');
  const known = compactCache.get(key);
  if (known !== undefined) return known;
  for (const b of BASES) {
    const base = measureClass(b);
    // S = (B ∪ Y) ∖ X
    const y = s.minus(base);
    const x = base.minus(s);
    const pos = (x.empty ? '' : `(?!${plainClassSource(x)})`) + `[${b}${classBody(y)}]`;
    const cand = x.empty ? pos : `(?:${pos})`;
    if (cand.length < best.length) best = cand;
    // S = (¬B ∖ X) ∪ Y
    const y2 = s.intersect(base);
    const x2 = base.complement().minus(s);
    const neg = (x2.empty ? '' : `(?!${plainClassSource(x2)})`) + `[^${b}]`;
    const cand2 = y2.empty ? (x2.empty ? neg : `(?:${neg})`) : `(?:${neg}|${plainClassSource(y2)})`;
    if (cand2.length < best.length) best = cand2;
  }
  if (compactCache.size > 1000) compactCache.clear();
  compactCache.set(key, best);
  return best;
}
const compactCache = new Map<string, string>();

/** The ranges of a set as the inside of a class. */
function classBody(s: CodeSet): string {
  let out = '';
  for (let i = 0; i < s.r.length; i += 2) {
    const a = s.r[i]!;
    const b = s.r[i + 1]!;
    out += codeText(a, true);
    if (b > a + 1) out += '-';
    if (b > a) out += codeText(b, true);
  }
  return out;
}

/** The set as a JS `u`-mode atom: a class, `[^]` for all, `[]` for none. */
function plainClassSource(s: CodeSet): string {
  if (s.r.length === 2 && s.r[0] === s.r[1]) return codeText(s.r[0]!, false);
  if (s.r.length === 2 && s.r[0] === 0 && s.r[1] === MAX_CODE) return '[^]';
  const comp = s.complement();
  const [body, neg] = comp.r.length < s.r.length ? [comp, '^'] : [s, ''];
  let out = '[' + neg;
  for (let i = 0; i < body.r.length; i += 2) {
    const a = body.r[i]!;
    const b = body.r[i + 1]!;
    out += codeText(a, true);
    if (b > a + 1) out += '-';
    if (b > a) out += codeText(b, true);
  }
  return out + ']';
}

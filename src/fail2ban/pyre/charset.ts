/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges, and their
 * rendering as a JavaScript `u`-mode character class. Python's classes are built here from
 * Python's own tables (unicode-data.ts), never from the JavaScript engine's `\p{…}`.
 */
import { ASCII_DIGIT, ASCII_SPACE, ASCII_WORD, CASED, DIGIT, EXTRA_CASES, LOWER, SPACE, WORD } from './unicode-data.js';

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
    return this.complement().union(o.complement()).complement();
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
  asciiWord: CodeSet;
  asciiDigit: CodeSet;
  asciiSpace: CodeSet;
  /** _sre.unicode_tolower where it is not the identity. */
  lower: Map<number, number>;
  /** Codes whose lower case is the key (the key itself excluded). */
  upperOf: Map<number, number[]>;
  /** The changed codes as a set. */
  lowerDomain: CodeSet;
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
    asciiWord: decodeRanges(ASCII_WORD),
    asciiDigit: decodeRanges(ASCII_DIGIT),
    asciiSpace: decodeRanges(ASCII_SPACE),
    lower,
    upperOf,
    lowerDomain: CodeSet.fromPairs([...lower.keys()].map((c) => [c, c])),
    extra,
  };
  return tables;
}

/** The codes c with lower(c) in s: `{c : lower(c) ∈ s}`, lower being _sre.unicode_tolower. */
export function lowerPreimage(s: CodeSet): CodeSet {
  const t = pyTables();
  const add: [number, number][] = [];
  for (const [c, l] of t.lower) if (s.has(l)) add.push([c, c]);
  return s.minus(t.lowerDomain).union(CodeSet.fromPairs(add));
}

/** `{lower(c) : c ∈ s}` plus the extra cases of each lowered code (re._casefix._EXTRA_CASES). */
export function lowerImage(s: CodeSet): CodeSet {
  const t = pyTables();
  const add: [number, number][] = [];
  for (const [c, l] of t.lower) if (s.has(c)) add.push([l, l]);
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

/** A single code point as a JS `u`-mode atom. */
export function literalSource(c: number): string {
  return codeText(c, false);
}

/** The set as a JS `u`-mode atom: a class, `[^]` for all, `[]` for none. */
export function classSource(s: CodeSet): string {
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

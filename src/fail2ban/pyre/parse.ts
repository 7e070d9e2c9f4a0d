/**
 * A port of CPython 3.11's `re/_parser.py` for str patterns: the same syntax tree (`op, av` items
 * of a SubPattern), the same errors with the same messages and positions (code point offsets), so
 * whether a pattern compiles is decided as Python decides it.
 */

import { pyTables } from './charset.js';

/**
 * Python's str.isalpha() of one character (sre_parse's choice between "unknown flag" and "missing
 * ..."): a letter (category L*) that Python's Unicode also knows, i.e. one in its \w table. Not JS's
 * \p{Alphabetic}, which also holds marks such as U+0345 (seed 1543985086).
 */
function pyIsAlpha(char: string): boolean {
  return /^\p{L}$/u.test(char) && pyTables().word.has(char.codePointAt(0)!);
}

export const MAXREPEAT = 4294967295;
export const MAXGROUPS = 1073741823;

export const FLAG_TEMPLATE = 1;
export const FLAG_IGNORECASE = 2;
export const FLAG_LOCALE = 4;
export const FLAG_MULTILINE = 8;
export const FLAG_DOTALL = 16;
export const FLAG_UNICODE = 32;
export const FLAG_VERBOSE = 64;
export const FLAG_DEBUG = 128;
export const FLAG_ASCII = 256;

const FLAGS: Record<string, number> = { i: FLAG_IGNORECASE, L: FLAG_LOCALE, m: FLAG_MULTILINE, s: FLAG_DOTALL, x: FLAG_VERBOSE, a: FLAG_ASCII, t: FLAG_TEMPLATE, u: FLAG_UNICODE };
const TYPE_FLAGS = FLAG_ASCII | FLAG_LOCALE | FLAG_UNICODE;
const GLOBAL_FLAGS = FLAG_DEBUG | FLAG_TEMPLATE;

export type Category = 'digit' | 'notdigit' | 'space' | 'notspace' | 'word' | 'notword';
export type At = 'beginning' | 'beginning_string' | 'end' | 'end_string' | 'boundary' | 'non_boundary';
export type SetItem = { op: 'literal'; c: number } | { op: 'range'; lo: number; hi: number } | { op: 'category'; cat: Category } | { op: 'negate' };

/** One item of a SubPattern; `pos` is the code point offset where it starts in the pattern. */
export type Node =
  | { op: 'literal' | 'not_literal'; c: number; pos: number }
  | { op: 'in'; items: SetItem[]; pos: number }
  | { op: 'any'; pos: number }
  | { op: 'at'; at: At; pos: number }
  | { op: 'branch'; alts: Sub[]; pos: number }
  | { op: 'subpattern'; group: number | null; add: number; del: number; body: Sub; pos: number }
  | { op: 'atomic'; body: Sub; pos: number }
  | { op: 'repeat'; kind: 'max' | 'min' | 'possessive'; min: number; max: number; body: Sub; pos: number }
  | { op: 'assert'; neg: boolean; dir: 1 | -1; body: Sub; pos: number }
  | { op: 'groupref'; group: number; pos: number }
  | { op: 'groupref_exists'; group: number; yes: Sub; no: Sub | null; pos: number };

export class PyReError extends Error {
  constructor(
    readonly msg: string,
    readonly pos: number | null,
  ) {
    super(msg);
  }
}

export class State {
  flags = 0;
  groupdict = new Map<string, number>();
  groupwidths: ([number, number] | null)[] = [null];
  lookbehindgroups: number | null = null;
  grouprefpos = new Map<number, number>();
  get groups(): number {
    return this.groupwidths.length;
  }
  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    if (this.groups > MAXGROUPS) throw new PyReError('too many groups', null);
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) throw new PyReError(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${ogid}`, null);
      this.groupdict.set(name, gid);
    }
    return gid;
  }
  closegroup(gid: number, p: Sub): void {
    this.groupwidths[gid] = p.getwidth();
  }
  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }
  checklookbehindgroup(gid: number, source: Tokenizer): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error('cannot refer to an open group');
      if (gid >= this.lookbehindgroups) throw source.error('cannot refer to group defined in the same lookbehind subpattern');
    }
  }
}

export class Sub {
  width: [number, number] | null = null;
  constructor(
    readonly state: State,
    public data: Node[] = [],
  ) {}
  getwidth(): [number, number] {
    if (this.width) return this.width;
    let lo = 0;
    let hi = 0;
    for (const n of this.data) {
      if (n.op === 'branch') {
        let i = MAXREPEAT - 1;
        let j = 0;
        for (const a of n.alts) {
          const [l, h] = a.getwidth();
          i = Math.min(i, l);
          j = Math.max(j, h);
        }
        lo += i;
        hi += j;
      } else if (n.op === 'atomic' || n.op === 'subpattern') {
        const [i, j] = n.body.getwidth();
        lo += i;
        hi += j;
      } else if (n.op === 'repeat') {
        const [i, j] = n.body.getwidth();
        lo += i * n.min;
        hi += j * n.max;
      } else if (n.op === 'any' || n.op === 'in' || n.op === 'literal' || n.op === 'not_literal') {
        lo += 1;
        hi += 1;
      } else if (n.op === 'groupref') {
        const [i, j] = this.state.groupwidths[n.group]!;
        lo += i;
        hi += j;
      } else if (n.op === 'groupref_exists') {
        let [i, j] = n.yes.getwidth();
        if (n.no !== null) {
          const [l, h] = n.no.getwidth();
          i = Math.min(i, l);
          j = Math.max(j, h);
        } else i = 0;
        lo += i;
        hi += j;
      }
    }
    this.width = [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
    return this.width;
  }
}

/** Python's repr() of a str, enough for error messages. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (!pyTables().printable.has(c)) {
      // str.isprintable() false: \xhh, \uhhhh or \Uhhhhhhhh
      out += c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : c < 0x10000 ? '\\u' + c.toString(16).padStart(4, '0') : '\\U' + c.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + q;
}

const isDigit = (c: string | null): boolean => c !== null && c.length === 1 && c >= '0' && c <= '9';
const OCT = '01234567';
const HEX = '0123456789abcdefABCDEF';
const isAsciiLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
const WHITESPACE = ' \t\n\r\v\f';
const SPECIAL_CHARS = '.\\[{()*+?^$|';
const REPEAT_CHARS = '*+?{';

/** Python's str.isidentifier(), approximated by the Unicode XID classes of the JS engine. */
function isIdentifier(s: string): boolean {
  return /^[\p{XID_Start}_][\p{XID_Continue}]*$/u.test(s);
}

export class Tokenizer {
  readonly chars: string[];
  index = 0;
  next: string | null = null;
  constructor(
    readonly string: string,
    readonly charName?: (name: string) => number | undefined,
  ) {
    this.chars = Array.from(string);
    this.advance();
  }
  private advance(): void {
    let index = this.index;
    if (index >= this.chars.length) {
      this.next = null;
      return;
    }
    let ch = this.chars[index]!;
    if (ch === '\\') {
      index++;
      if (index >= this.chars.length) throw new PyReError('bad escape (end of pattern)', this.chars.length - 1);
      ch += this.chars[index]!;
    }
    this.index = index + 1;
    this.next = ch;
  }
  match(ch: string): boolean {
    if (ch === this.next) {
      this.advance();
      return true;
    }
    return false;
  }
  get(): string | null {
    const t = this.next;
    this.advance();
    return t;
  }
  getwhile(n: number, charset: string): string {
    let result = '';
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || c.length !== 1 || !charset.includes(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }
  getuntil(terminator: string, name: string): string {
    let result = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!result) throw this.error('missing ' + name);
        throw this.error(`missing ${terminator}, unterminated name`, Array.from(result).length);
      }
      if (c === terminator) {
        if (!result) throw this.error('missing ' + name, 1);
        break;
      }
      result += c;
    }
    return result;
  }
  tell(): number {
    return this.index - (this.next === null ? 0 : len(this.next));
  }
  seek(index: number): void {
    this.index = index;
    this.advance();
  }
  error(msg: string, offset = 0): PyReError {
    return new PyReError(msg, this.tell() - offset);
  }
  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) throw this.error(`bad character in group name ${pyRepr(name)}`, Array.from(name).length + offset);
  }
}

const ESCAPES: Record<string, number> = { '\\a': 7, '\\b': 8, '\\f': 12, '\\n': 10, '\\r': 13, '\\t': 9, '\\v': 11, '\\\\': 92 };
const CATEGORIES: Record<string, Node | SetItem> = {
  '\\A': { op: 'at', at: 'beginning_string', pos: 0 },
  '\\b': { op: 'at', at: 'boundary', pos: 0 },
  '\\B': { op: 'at', at: 'non_boundary', pos: 0 },
  '\\d': { op: 'category', cat: 'digit' },
  '\\D': { op: 'category', cat: 'notdigit' },
  '\\s': { op: 'category', cat: 'space' },
  '\\S': { op: 'category', cat: 'notspace' },
  '\\w': { op: 'category', cat: 'word' },
  '\\W': { op: 'category', cat: 'notword' },
  '\\Z': { op: 'at', at: 'end_string', pos: 0 },
};

type ClassCode = { op: 'literal'; c: number } | { op: 'category'; cat: Category };

function len(s: string): number {
  return Array.from(s).length;
}

/** \x \u \U \N{} escapes shared by both contexts; undefined when not one of them. */
function commonEscape(source: Tokenizer, escape: string): number | undefined {
  const c = escape.slice(1);
  if (c === 'x') {
    escape += source.getwhile(2, HEX);
    if (escape.length !== 4) throw source.error(`incomplete escape ${escape}`, escape.length);
    return parseInt(escape.slice(2), 16);
  }
  if (c === 'u') {
    escape += source.getwhile(4, HEX);
    if (escape.length !== 6) throw source.error(`incomplete escape ${escape}`, escape.length);
    return parseInt(escape.slice(2), 16);
  }
  if (c === 'U') {
    escape += source.getwhile(8, HEX);
    if (escape.length !== 10) throw source.error(`incomplete escape ${escape}`, escape.length);
    const v = parseInt(escape.slice(2), 16);
    if (v > 0x10ffff) throw source.error(`bad escape ${escape}`, escape.length);
    return v;
  }
  if (c === 'N') {
    if (!source.match('{')) throw source.error('missing {');
    const charname = source.getuntil('}', 'character name');
    const v = source.charName ? source.charName(charname) : undefined;
    if (v === undefined) {
      if (!source.charName) throw new UnsupportedEscape(source.tell() - len(charname) - 4, len(charname) + 4);
      throw source.error(`undefined character name ${pyRepr(charname)}`, len(charname) + 4);
    }
    return v;
  }
  return undefined;
}

/** `\N{…}` without a name table: the translator reports it instead of guessing. */
export class UnsupportedEscape extends Error {
  constructor(
    readonly pos: number,
    readonly length: number,
  ) {
    super('\\N{...} needs a Unicode character name table (pass options.charName)');
  }
}

function classEscape(source: Tokenizer, escape: string): ClassCode {
  const e = ESCAPES[escape];
  if (e !== undefined) return { op: 'literal', c: e };
  const cat = CATEGORIES[escape];
  if (cat && cat.op === 'category') return cat;
  const c = escape.slice(1);
  const v = commonEscape(source, escape);
  if (v !== undefined) return { op: 'literal', c: v };
  if (c.length === 1 && OCT.includes(c)) {
    escape += source.getwhile(2, OCT);
    const n = parseInt(escape.slice(1), 8);
    if (n > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
    return { op: 'literal', c: n };
  }
  if (isDigit(c)) throw source.error(`bad escape ${escape}`, len(escape));
  if (len(escape) === 2) {
    if (isAsciiLetter(c)) throw source.error(`bad escape ${escape}`, len(escape));
    return { op: 'literal', c: c.codePointAt(0)! };
  }
  throw source.error(`bad escape ${escape}`, len(escape));
}

function escapeNode(source: Tokenizer, escape: string, state: State, pos: number): Node {
  const cat = CATEGORIES[escape];
  if (cat) return cat.op === 'category' ? { op: 'in', items: [cat], pos } : { ...(cat as Node), pos };
  const e = ESCAPES[escape];
  if (e !== undefined) return { op: 'literal', c: e, pos };
  const c = escape.slice(1);
  const v = commonEscape(source, escape);
  if (v !== undefined) return { op: 'literal', c: v, pos };
  if (c === '0') {
    escape += source.getwhile(2, OCT);
    return { op: 'literal', c: parseInt(escape.slice(1), 8), pos };
  }
  if (isDigit(c)) {
    if (isDigit(source.next)) {
      escape += source.get()!;
      if (OCT.includes(escape[1]!) && OCT.includes(escape[2]!) && source.next !== null && source.next.length === 1 && OCT.includes(source.next)) {
        escape += source.get()!;
        const n = parseInt(escape.slice(1), 8);
        if (n > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
        return { op: 'literal', c: n, pos };
      }
    }
    const group = parseInt(escape.slice(1), 10);
    if (group < state.groups) {
      if (!state.checkgroup(group)) throw source.error('cannot refer to an open group', escape.length);
      state.checklookbehindgroup(group, source);
      return { op: 'groupref', group, pos };
    }
    throw source.error(`invalid group reference ${group}`, escape.length - 1);
  }
  if (len(escape) === 2) {
    if (isAsciiLetter(c)) throw source.error(`bad escape ${escape}`, len(escape));
    return { op: 'literal', c: c.codePointAt(0)!, pos };
  }
  throw source.error(`bad escape ${escape}`, len(escape));
}

function sameNode(a: Node, b: Node): boolean {
  // Python compares the (op, av) tuples; SubPatterns compare by identity, so only plain items match.
  if (a.op !== b.op) return false;
  if ((a.op === 'literal' || a.op === 'not_literal') && (b.op === 'literal' || b.op === 'not_literal')) return a.c === b.c;
  if (a.op === 'any') return true;
  if (a.op === 'at' && b.op === 'at') return a.at === b.at;
  if (a.op === 'groupref' && b.op === 'groupref') return a.group === b.group;
  if (a.op === 'in' && b.op === 'in') return JSON.stringify(a.items) === JSON.stringify(b.items);
  return false;
}

function uniq(items: SetItem[]): SetItem[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function parseSub(source: Tokenizer, state: State, verbose: boolean, nested: number): Sub {
  const items: Sub[] = [];
  const start = source.tell();
  for (;;) {
    items.push(parse(source, state, verbose, nested + 1, !nested && !items.length));
    if (!source.match('|')) break;
    if (!nested) verbose = !!(state.flags & FLAG_VERBOSE);
  }
  if (items.length === 1) return items[0]!;
  const subpattern = new Sub(state);
  // common prefix
  for (;;) {
    let prefix: Node | null = null;
    let all = true;
    for (const item of items) {
      if (!item.data.length) {
        all = false;
        break;
      }
      if (prefix === null) prefix = item.data[0]!;
      else if (!sameNode(item.data[0]!, prefix)) {
        all = false;
        break;
      }
    }
    if (!all || prefix === null) break;
    for (const item of items) item.data.shift();
    subpattern.data.push(prefix);
  }
  // branch of single characters → set
  const set: SetItem[] = [];
  let asSet = true;
  for (const item of items) {
    if (item.data.length !== 1) {
      asSet = false;
      break;
    }
    const n = item.data[0]!;
    if (n.op === 'literal') set.push({ op: 'literal', c: n.c });
    else if (n.op === 'in' && n.items[0]!.op !== 'negate') set.push(...n.items);
    else {
      asSet = false;
      break;
    }
  }
  if (asSet) {
    subpattern.data.push({ op: 'in', items: uniq(set), pos: start });
    return subpattern;
  }
  subpattern.data.push({ op: 'branch', alts: items, pos: start });
  return subpattern;
}

function parse(source: Tokenizer, state: State, verbose: boolean, nested: number, first = false): Sub {
  const subpattern = new Sub(state);
  const data = subpattern.data;
  for (;;) {
    let t = source.next;
    if (t === null) break;
    if (t === '|' || t === ')') break;
    const pos = source.tell();
    source.get();
    if (verbose) {
      if (WHITESPACE.includes(t)) continue;
      if (t === '#') {
        for (;;) {
          t = source.get();
          if (t === null || t === '\n') break;
        }
        continue;
      }
    }
    if (t[0] === '\\') {
      data.push(escapeNode(source, t, state, pos));
    } else if (!SPECIAL_CHARS.includes(t)) {
      data.push({ op: 'literal', c: t.codePointAt(0)!, pos });
    } else if (t === '[') {
      const here = source.tell() - 1;
      let set: SetItem[] = [];
      const negate = source.match('^');
      for (;;) {
        t = source.get();
        if (t === null) throw source.error('unterminated character set', source.tell() - here);
        if (t === ']' && set.length) break;
        let code1: ClassCode;
        if (t[0] === '\\') code1 = classEscape(source, t);
        else code1 = { op: 'literal', c: t.codePointAt(0)! };
        if (source.match('-')) {
          const that = source.get();
          if (that === null) throw source.error('unterminated character set', source.tell() - here);
          if (that === ']') {
            set.push(code1);
            set.push({ op: 'literal', c: 45 });
            break;
          }
          let code2: ClassCode;
          if (that[0] === '\\') code2 = classEscape(source, that);
          else code2 = { op: 'literal', c: that.codePointAt(0)! };
          if (code1.op !== 'literal' || code2.op !== 'literal') throw source.error(`bad character range ${t}-${that}`, len(t) + 1 + len(that));
          if (code2.c < code1.c) throw source.error(`bad character range ${t}-${that}`, len(t) + 1 + len(that));
          set.push({ op: 'range', lo: code1.c, hi: code2.c });
        } else set.push(code1);
      }
      set = uniq(set);
      if (set.length === 1 && set[0]!.op === 'literal') {
        data.push({ op: negate ? 'not_literal' : 'literal', c: set[0]!.c, pos: here });
      } else {
        if (negate) set.unshift({ op: 'negate' });
        data.push({ op: 'in', items: set, pos: here });
      }
    } else if (REPEAT_CHARS.includes(t)) {
      const here = source.tell();
      let min = 0;
      let max = MAXREPEAT;
      if (t === '?') max = 1;
      else if (t === '+') min = 1;
      else if (t === '{') {
        if (source.next === '}') {
          data.push({ op: 'literal', c: 123, pos });
          continue;
        }
        let lo = '';
        let hi = '';
        while (isDigit(source.next)) lo += source.get();
        if (source.match(',')) {
          while (isDigit(source.next)) hi += source.get();
        } else hi = lo;
        if (!source.match('}')) {
          data.push({ op: 'literal', c: 123, pos });
          source.seek(here);
          continue;
        }
        if (lo) {
          min = Number(lo);
          if (min >= MAXREPEAT) throw new PyReError('the repetition number is too large', pos);
        }
        if (hi) {
          max = Number(hi);
          if (max >= MAXREPEAT) throw new PyReError('the repetition number is too large', pos);
          if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
        }
      }
      const last = data[data.length - 1];
      if (!last || last.op === 'at') throw source.error('nothing to repeat', source.tell() - here + len(t));
      if (last.op === 'repeat') throw source.error('multiple repeat', source.tell() - here + len(t));
      let body: Sub;
      if (last.op === 'subpattern' && last.group === null && !last.add && !last.del) body = last.body;
      else body = new Sub(state, [last]);
      const kind = source.match('?') ? 'min' : source.match('+') ? 'possessive' : 'max';
      data[data.length - 1] = { op: 'repeat', kind, min, max, body, pos: last.pos };
    } else if (t === '.') {
      data.push({ op: 'any', pos });
    } else if (t === '(') {
      const start = source.tell() - 1;
      let capture = true;
      let atomic = false;
      let name: string | null = null;
      let add = 0;
      let del = 0;
      if (source.match('?')) {
        let ch = source.get();
        if (ch === null) throw source.error('unexpected end of pattern');
        if (ch === 'P') {
          if (source.match('<')) {
            name = source.getuntil('>', 'group name');
            source.checkgroupname(name, 1);
          } else if (source.match('=')) {
            const nm = source.getuntil(')', 'group name');
            source.checkgroupname(nm, 1);
            const gid = state.groupdict.get(nm);
            if (gid === undefined) throw source.error(`unknown group name ${pyRepr(nm)}`, len(nm) + 1);
            if (!state.checkgroup(gid)) throw source.error('cannot refer to an open group', len(nm) + 1);
            state.checklookbehindgroup(gid, source);
            data.push({ op: 'groupref', group: gid, pos: start });
            continue;
          } else {
            ch = source.get();
            if (ch === null) throw source.error('unexpected end of pattern');
            throw source.error('unknown extension ?P' + ch, len(ch) + 2);
          }
        } else if (ch === ':') {
          capture = false;
        } else if (ch === '#') {
          for (;;) {
            if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
            if (source.get() === ')') break;
          }
          continue;
        } else if (ch === '=' || ch === '!' || ch === '<') {
          let dir: 1 | -1 = 1;
          let lookbehindgroups: number | null = null;
          if (ch === '<') {
            ch = source.get();
            if (ch === null) throw source.error('unexpected end of pattern');
            if (ch !== '=' && ch !== '!') throw source.error('unknown extension ?<' + ch, len(ch) + 2);
            dir = -1;
            lookbehindgroups = state.lookbehindgroups;
            if (lookbehindgroups === null) state.lookbehindgroups = state.groups;
          }
          const p = parseSub(source, state, verbose, nested + 1);
          if (dir < 0 && lookbehindgroups === null) state.lookbehindgroups = null;
          if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
          data.push({ op: 'assert', neg: ch === '!', dir, body: p, pos: start });
          continue;
        } else if (ch === '(') {
          const condname = source.getuntil(')', 'group name');
          let condgroup: number;
          if (isIdentifier(condname)) {
            source.checkgroupname(condname, 1);
            const g = state.groupdict.get(condname);
            if (g === undefined) throw source.error(`unknown group name ${pyRepr(condname)}`, len(condname) + 1);
            condgroup = g;
          } else {
            // int(): ASCII or Unicode decimal digits, surrounding whitespace and '_' separators allowed
            const n = pyInt(condname);
            if (n === null || n < 0) throw source.error(`bad character in group name ${pyRepr(condname)}`, len(condname) + 1);
            condgroup = n;
            if (!condgroup) throw source.error('bad group number', len(condname) + 1);
            if (condgroup >= MAXGROUPS) throw source.error(`invalid group reference ${condgroup}`, len(condname) + 1);
            if (!state.grouprefpos.has(condgroup)) state.grouprefpos.set(condgroup, source.tell() - len(condname) - 1);
          }
          state.checklookbehindgroup(condgroup, source);
          const yes = parse(source, state, verbose, nested + 1);
          let no: Sub | null = null;
          if (source.match('|')) {
            no = parse(source, state, verbose, nested + 1);
            if (source.next === '|') throw source.error('conditional backref with more than two branches');
          }
          if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
          data.push({ op: 'groupref_exists', group: condgroup, yes, no, pos: start });
          continue;
        } else if (ch === '>') {
          capture = false;
          atomic = true;
        } else if (Object.hasOwn(FLAGS, ch) || ch === '-') {
          const flags = parseFlags(source, state, ch);
          if (flags === null) {
            if (!first || data.length) throw source.error('global flags not at the start of the expression', source.tell() - start);
            verbose = !!(state.flags & FLAG_VERBOSE);
            continue;
          }
          [add, del] = flags;
          capture = false;
        } else {
          throw source.error('unknown extension ?' + ch, len(ch) + 1);
        }
      }
      let group: number | null = null;
      if (capture) {
        try {
          group = state.opengroup(name);
        } catch (e) {
          if (e instanceof PyReError) throw source.error(e.msg, len(name ?? '') + 1);
          throw e;
        }
      }
      const subVerbose = (verbose || !!(add & FLAG_VERBOSE)) && !(del & FLAG_VERBOSE);
      const p = parseSub(source, state, subVerbose, nested + 1);
      if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
      if (group !== null) state.closegroup(group, p);
      if (atomic) data.push({ op: 'atomic', body: p, pos: start });
      else data.push({ op: 'subpattern', group, add, del, body: p, pos: start });
    } else if (t === '^') {
      data.push({ op: 'at', at: 'beginning', pos });
    } else if (t === '$') {
      data.push({ op: 'at', at: 'end', pos });
    }
  }
  // unpack non-capturing groups
  for (let i = data.length - 1; i >= 0; i--) {
    const n = data[i]!;
    if (n.op === 'subpattern' && n.group === null && !n.add && !n.del) data.splice(i, 1, ...n.body.data);
  }
  return subpattern;
}

/** Python's int(str) for what a conditional's group number may be. */
function pyInt(s: string): number | null {
  const t = s.replace(/^[\s]+|[\s]+$/gu, '');
  if (!/^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u.test(t)) return null;
  let n = 0;
  for (const ch of t) {
    if (ch === '_' || ch === '+' || ch === '-') continue;
    n = n * 10 + digitValue(ch);
  }
  return t.startsWith('-') ? -n : n;
}

function digitValue(ch: string): number {
  // Unicode Nd characters come in contiguous runs of whole decades starting at a zero.
  const c = ch.codePointAt(0)!;
  let start = c;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (c - start) % 10;
}

function parseFlags(source: Tokenizer, state: State, ch: string): [number, number] | null {
  let add = 0;
  let del = 0;
  let char: string | null = ch;
  if (char !== '-') {
    for (;;) {
      const flag = FLAGS[char!]!;
      if (char === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      char = source.get();
      if (char === null) throw source.error('missing -, : or )');
      if (')-:'.includes(char)) break;
      if (!Object.hasOwn(FLAGS, char)) throw source.error(pyIsAlpha(char) ? 'unknown flag' : 'missing -, : or )', len(char));
    }
  }
  if (char === ')') {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (char === '-') {
    char = source.get();
    if (char === null) throw source.error('missing flag');
    if (!Object.hasOwn(FLAGS, char)) throw source.error(pyIsAlpha(char) ? 'unknown flag' : 'missing flag', len(char));
    for (;;) {
      const flag = FLAGS[char!]!;
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      char = source.get();
      if (char === null) throw source.error('missing :');
      if (char === ':') break;
      if (!Object.hasOwn(FLAGS, char)) throw source.error(pyIsAlpha(char) ? 'unknown flag' : 'missing :', len(char));
    }
  }
  if (del & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (add & del) throw source.error('bad inline flags: flag turned on and off', 1);
  return [add, del];
}

/** re._parser.parse(str, flags): the tree, the final flags and the group table; throws PyReError. */
export function parsePattern(pattern: string, flags = 0, charName?: (name: string) => number | undefined): Sub {
  const source = new Tokenizer(pattern, charName);
  const state = new State();
  state.flags = flags;
  const p = parseSub(source, state, !!(flags & FLAG_VERBOSE), 0);
  // fix_flags for str
  if (p.state.flags & FLAG_LOCALE) throw new PyReError('cannot use LOCALE flag with a str pattern', null);
  if (!(p.state.flags & FLAG_ASCII)) p.state.flags |= FLAG_UNICODE;
  else if (p.state.flags & FLAG_UNICODE) throw new PyReError('ASCII and UNICODE flags are incompatible', null);
  if (source.next !== null) throw source.error('unbalanced parenthesis');
  for (const [g, pos] of p.state.grouprefpos) if (g >= p.state.groups) throw new PyReError(`invalid group reference ${g}`, pos);
  return p;
}

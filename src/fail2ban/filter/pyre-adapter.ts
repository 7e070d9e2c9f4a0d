/**
 * The one door from the filter engine to Python `re`: translate a pattern as fail2ban compiles it
 * (a str pattern, so re.UNICODE; re.MULTILINE for fail- and ignore-regexes) and search it as
 * `re.search(pattern, string, pos, endpos)` does.
 *
 * The complete translator lives in ../pyre (its own branch); until it lands, this file carries a
 * small translator for the constructs whose meaning it can spell exactly in a JS RegExp, and refuses
 * the rest (conditional groups, atomic groups, possessive quantifiers, `\W` `\S` `\D` inside a set)
 * with a diagnostic instead of a different regex.
 */

/** Placeholders, resolved per variant: Unicode classes, or ASCII ones for ASCII subjects. */
const WORD = '\u0000w\u0000';
const DIGIT = '\u0000d\u0000';
const U_WORD = '\\p{L}\\p{N}_';
/** Python's str.isspace characters (what `\s` matches in a str pattern). */
const SPACE = '\u0000s\u0000';
const U_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const ASCII_WORD = 'a-zA-Z0-9_';
const ASCII_SPACE = '\\t\\n\\x0b\\x0c\\r ';

export interface PyreDiagnostic {
  /** 0-based offset in the pattern. */
  offset: number;
  message: string;
}

export interface Translation {
  /** undefined when the pattern cannot be translated exactly (see diagnostics). */
  regexp: RegExp | undefined;
  /** Named groups in the order of their numbers. */
  groupNames: string[];
  /** The same with native `.` `^` `$`: equal on subjects without \r, U+2028, U+2029. */
  fast?: RegExp;
  /** The fast variant with ASCII classes: equal on ASCII subjects without \r. */
  ascii?: RegExp;
  diagnostics: PyreDiagnostic[];
}

export interface PyMatch {
  start: number;
  end: number;
  /** Group texts by number (0 is the whole match); undefined = did not take part (Python's None). */
  groups: (string | undefined)[];
  /** [start, end] of each group, [-1, -1] when it did not take part. */
  spans: [number, number][];
  /** Named groups. */
  named: Record<string, string | undefined>;
  /** The subject searched. */
  subject: string;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

class Untranslatable extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/');

function hex(n: number): string {
  return '\\u{' + n.toString(16) + '}';
}

/** Python `re.compile(pattern, flags)` as a JS RegExp (flags: 'm' for re.MULTILINE). */
/**
 * Conditionals of fail2ban's own Epoch templates that can never fail (the alternative, or the
 * optional group before them, always lets the empty "no" branch match): dropping them leaves the
 * same language and the same spans.
 */
const NOOP_CONDITIONALS = ['(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))', '(?(square)(?=\\]))'];

export function translate(pattern0: string, options: { multiline?: boolean; indices?: boolean } = {}): Translation {
  let pattern = pattern0;
  if (pattern.includes('(?(s')) for (const c of NOOP_CONDITIONALS) pattern = pattern.replace(c, '');
  const diagnostics: PyreDiagnostic[] = [];
  const groupNames: string[] = [];
  try {
    const flags: Flags = { i: false, m: !!options.multiline, s: false, x: false, a: false };
    // Global flags: Python 3.11 accepts them only at the start.
    let pos = 0;
    for (;;) {
      const g = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(pos));
      if (!g) break;
      for (const f of g[1]!) {
        if (f === 'L') throw new Untranslatable(pos, 'the L (locale) flag is not valid for a str pattern');
        if (f !== 'u') (flags as unknown as Record<string, boolean>)[f] = true;
      }
      pos += g[0].length;
    }
    const t = new Translator(pattern, pos, flags, groupNames);
    const body = t.run();
    const classes = (src: string, ascii: boolean) => src.replace(/\u0000([wsd])\u0000/g, (_m, k: string) => (k === 'w' ? (ascii ? ASCII_WORD : U_WORD) : k === 'd' ? (ascii ? '0-9' : '\\p{Nd}') : ascii ? PY_ASCII_ISSPACE : U_SPACE));
    const exact = classes(body.replace(/\u0000(\.|\^m?|\$m)\u0000/g, (_m, k: string) => (k === '.' ? '[^\\n]' : k === '^' ? '(?<![\\s\\S])' : k === '^m' ? '(?<![^\\n])' : '(?![^\\n])')), false);
    const native = body.replace(/\u0000(\.|\^m?|\$m)\u0000/g, (_m, k: string) => (k === '.' ? '.' : k[0]!));
    const fast = classes(native, false);
    const ascii = classes(native, true);
    const jsFlags = 'gu' + (flags.i ? 'i' : '') + (options.indices ? 'd' : '');
    let regexp: RegExp;
    let fastRe: RegExp | undefined;
    let asciiRe: RegExp | undefined;
    try {
      regexp = new RegExp(exact, jsFlags);
      if (t.fastOk && fast !== exact) fastRe = new RegExp(fast, jsFlags + (flags.m ? 'm' : ''));
      if (t.fastOk && ascii !== fast) asciiRe = new RegExp(ascii, jsFlags + (flags.m ? 'm' : ''));
    } catch (e) {
      throw new Untranslatable(0, `translated pattern does not compile: ${(e as Error).message}`);
    }
    return { regexp, groupNames, diagnostics, ...(fastRe ? { fast: fastRe } : {}), ...(asciiRe ? { ascii: asciiRe } : {}) };
  } catch (e) {
    if (e instanceof Untranslatable) {
      diagnostics.push({ offset: e.offset, message: e.message });
      return { regexp: undefined, groupNames, diagnostics };
    }
    throw e;
  }
}

class Translator {
  private i: number;
  private flagStack: Flags[];
  private groupCount = 0;
  /** The fast variant (native `.` `^` `$`) is valid for subjects without \r, U+2028, U+2029. */
  fastOk = true;
  constructor(
    private readonly p: string,
    start: number,
    flags: Flags,
    private readonly names: string[],
  ) {
    this.i = start;
    this.flagStack = [flags];
  }
  private get flags(): Flags {
    return this.flagStack[this.flagStack.length - 1]!;
  }

  run(): string {
    let out = '';
    // Each open group remembers whether it pushed flags.
    const opened: boolean[] = [];
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i]!;
      const f = this.flags;
      if (f.x && /[ \t\n\r\x0b\x0c]/.test(c)) {
        this.i++;
        continue;
      }
      if (f.x && c === '#') {
        const nl = p.indexOf('\n', this.i);
        this.i = nl < 0 ? p.length : nl + 1;
        continue;
      }
      if (c === '\\') {
        out += this.escape(false);
        continue;
      }
      if (c === '[') {
        out += this.set();
        continue;
      }
      if (c === '(') {
        const rest = p.slice(this.i);
        let m: RegExpExecArray | null;
        if (rest.startsWith('(?#')) {
          const e = p.indexOf(')', this.i);
          if (e < 0) throw new Untranslatable(this.i, 'missing ), unterminated comment');
          this.i = e + 1;
          continue;
        }
        if ((m = /^\(\?P<([^>]*)>/.exec(rest))) {
          const name = m[1]!;
          if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) throw new Untranslatable(this.i, `bad character in group name '${name}'`);
          if (this.names.includes(name)) throw new Untranslatable(this.i, `redefinition of group name '${name}'`);
          this.names.push(name);
          this.groupCount++;
          out += `(?<${name}>`;
          opened.push(false);
          this.i += m[0].length;
          continue;
        }
        if ((m = /^\(\?P=([^)]*)\)/.exec(rest))) {
          if (!this.names.includes(m[1]!)) throw new Untranslatable(this.i, `unknown group name '${m[1]}'`);
          out += `\\k<${m[1]}>`;
          this.i += m[0].length;
          continue;
        }
        if ((m = /^\(\?([aimsux]*)(?:-([imsx]+))?:/.exec(rest)) && (m[1] || m[2])) {
          const nf = { ...this.flags };
          for (const x of m[1]!) if (x !== 'u') (nf as unknown as Record<string, boolean>)[x] = true;
          for (const x of m[2] ?? '') (nf as unknown as Record<string, boolean>)[x] = false;
          if (nf.i !== this.flagStack[0]!.i && this.flagStack[0]!.i) throw new Untranslatable(this.i, 'turning case-insensitivity off in a group is not translated');
          this.flagStack.push(nf);
          opened.push(true);
          out += '(?:';
          this.i += m[0].length;
          continue;
        }
        if (/^\(\?(?:[:=!]|<=|<!)/.test(rest)) {
          const len = rest[2] === '<' ? 4 : 3;
          out += rest.slice(0, len);
          opened.push(false);
          this.i += len;
          continue;
        }
        if (rest.startsWith('(?(')) throw new Untranslatable(this.i, 'conditional group (?(id)yes|no) needs the full translator');
        if (rest.startsWith('(?>')) throw new Untranslatable(this.i, 'atomic group (?>...) has no JS equivalent here');
        if (rest.startsWith('(?')) throw new Untranslatable(this.i, `unknown extension ${rest.slice(0, 3)}`);
        this.groupCount++;
        this.names.push('');
        out += '(';
        opened.push(false);
        this.i++;
        continue;
      }
      if (c === ')') {
        if (!opened.length) throw new Untranslatable(this.i, 'unbalanced parenthesis');
        if (opened.pop()) this.flagStack.pop();
        out += ')';
        this.i++;
        continue;
      }
      if (c === '.') {
        out += f.s ? '[\\s\\S]' : '\u0000.\u0000';
        this.i++;
        continue;
      }
      if (c === '^') {
        if (f.m !== this.flagStack[0]!.m) this.fastOk = false;
        out += f.m ? '\u0000^m\u0000' : '\u0000^\u0000';
        this.i++;
        continue;
      }
      if (c === '$') {
        if (f.m !== this.flagStack[0]!.m) this.fastOk = false;
        out += f.m ? '\u0000$m\u0000' : '(?=\\n?(?![\\s\\S]))';
        this.i++;
        continue;
      }
      if (c === '{') {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(p.slice(this.i));
        if (m && (m[1] || m[2])) {
          out += `{${m[1] || '0'}${m[2] ? ',' + m[3] : ''}}`;
          this.i += m[0].length;
          if (p[this.i] === '+') throw new Untranslatable(this.i, 'possessive quantifier has no JS equivalent');
          continue;
        }
        out += '\\{';
        this.i++;
        continue;
      }
      if (c === '*' || c === '+' || c === '?') {
        out += c;
        this.i++;
        if (p[this.i] === '+') throw new Untranslatable(this.i, 'possessive quantifier has no JS equivalent');
        continue;
      }
      if (c === '}') {
        out += '\\}';
        this.i++;
        continue;
      }
      if (c === '|') {
        out += '|';
        this.i++;
        continue;
      }
      this.i += c.length;
      out += this.literal(c);
    }
    if (opened.length) throw new Untranslatable(p.length, 'missing ), unterminated subpattern');
    return out;
  }

  /** A literal character, case-expanded under a scoped (?i:). */
 private literal(c: string, inSet = false): string {
    if (c === '\0') return '\\x00';
    const e = SYNTAX.has(c) || (inSet && c === '-') ? '\\' + c : c;
    const f = this.flags;
    if (f.i && !this.flagStack[0]!.i) {
      const lo = c.toLowerCase();
      const up = c.toUpperCase();
      if (lo !== up && [...lo].length === 1 && [...up].length === 1) return inSet ? lo + up : `[${lo}${up}]`;
    }
    return e;
  }

  private escape(inSet: boolean): string {
    const p = this.p;
    const start = this.i;
    const c = p[this.i + 1];
    if (c === undefined) throw new Untranslatable(start, 'bad escape (end of pattern)');
    this.i += 2;
    const a = this.flags.a;
    const word = a ? ASCII_WORD : WORD;
    const space = a ? ASCII_SPACE : SPACE;
    switch (c) {
      case 'd':
        return inSet ? (a ? '0-9' : DIGIT) : a ? '[0-9]' : `[${DIGIT}]`;
      case 'w':
        return inSet ? word : `[${word}]`;
      case 's':
        return inSet ? space : `[${space}]`;
      case 'D':
      case 'W':
      case 'S':
        // Inside a set: a marker the set turns into an alternation.
        if (inSet) return `\u0000NEG${c}\u0000`;
        return c === 'D' ? (a ? '[^0-9]' : `[^${DIGIT}]`) : c === 'W' ? `[^${word}]` : `[^${space}]`;
      case 'b':
        if (inSet) return '\\x08';
        return `(?:(?<=[${word}])(?![${word}])|(?<![${word}])(?=[${word}]))`;
      case 'B':
        if (inSet) throw new Untranslatable(start, 'bad escape \\B');
        return `(?:(?<=[${word}])(?=[${word}])|(?<![${word}])(?![${word}]))`;
      case 'A':
        if (inSet) throw new Untranslatable(start, 'bad escape \\A');
        return '(?<![\\s\\S])';
      case 'Z':
        if (inSet) throw new Untranslatable(start, 'bad escape \\Z');
        return '(?![\\s\\S])';
      case 'n':
        return '\\n';
      case 't':
        return '\\t';
      case 'r':
        return '\\r';
      case 'f':
        return '\\f';
      case 'v':
        return '\\x0b';
      case 'a':
        return '\\x07';
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(p.slice(this.i));
        if (!m) throw new Untranslatable(start, 'incomplete escape \\x');
        this.i += 2;
        return this.literalCode(parseInt(m[0], 16), inSet);
      }
      case 'u':
      case 'U': {
        const n = c === 'u' ? 4 : 8;
        const m = new RegExp(`^[0-9a-fA-F]{${n}}`).exec(p.slice(this.i));
        if (!m) throw new Untranslatable(start, `incomplete escape \\${c}`);
        this.i += n;
        const code = parseInt(m[0], 16);
        if (code > 0x10ffff) throw new Untranslatable(start, 'bad escape: code point out of range');
        return this.literalCode(code, inSet);
      }
      case 'N':
        throw new Untranslatable(start, '\\N{...} is not translated');
    }
    if (c >= '0' && c <= '9') {
      const rest = p.slice(start + 1);
      const oct = /^(?:0[0-7]{0,2}|[0-7]{3})/.exec(rest);
      if (oct && (c === '0' || oct[0].length === 3)) {
        this.i = start + 1 + oct[0].length;
        return this.literalCode(parseInt(oct[0], 8), inSet);
      }
      if (inSet) throw new Untranslatable(start, `bad escape \\${c}`);
      const m = /^[0-9]{1,2}/.exec(rest)!;
      const n = Number(m[0]);
      this.i = start + 1 + m[0].length;
      if (n > this.groupCount) throw new Untranslatable(start, `invalid group reference ${n}`);
      return `(?:\\${n})`;
    }
    if (/[\p{L}\p{N}]/u.test(c) && c.charCodeAt(0) < 128) throw new Untranslatable(start, `bad escape \\${c}`);
    // An escaped non-alphanumeric character is itself.
    const cp = p.codePointAt(start + 1)!;
    this.i = start + 1 + String.fromCodePoint(cp).length;
    return this.literal(String.fromCodePoint(cp), inSet);
  }

  private literalCode(code: number, inSet: boolean): string {
    const ch = String.fromCodePoint(code);
    if (this.flags.i && !this.flagStack[0]!.i && ch.toLowerCase() !== ch.toUpperCase()) return this.literal(ch, inSet);
    return hex(code);
  }

  private set(): string {
    const p = this.p;
    const start = this.i;
    this.i++;
    let out = '[';
    if (p[this.i] === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    for (;;) {
      if (this.i >= p.length) throw new Untranslatable(start, 'unterminated character set');
      const c = p[this.i]!;
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '\\') {
        out += this.escape(true);
        continue;
      }
      if (c === '-') {
        out += '-';
        this.i++;
        continue;
      }
      if (c === '[' && (p[this.i + 1] === ':' || p[this.i + 1] === '=' || p[this.i + 1] === '.')) {
        // Python reads these literally (with a FutureWarning).
      }
      const cp = p.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      this.i += ch.length;
      if (this.flags.i && !this.flagStack[0]!.i && p[this.i] === '-') throw new Untranslatable(this.i, 'a range under a scoped (?i:) is not translated');
      out += this.literal(ch, true);
    }
    // \D \W \S inside a set: [x\S] is (?:[x]|[^space]); [^x\S] is (?![x])[space].
    const negs: string[] = [];
    out = out.replace(/\u0000NEG([DWS])\u0000/g, (_m, c: string) => {
      negs.push(c);
      return '';
    });
    if (!negs.length) return out + ']';
    const a = this.flags.a;
    const inner = (c: string) => (c === 'D' ? (a ? '0-9' : DIGIT) : c === 'W' ? (a ? ASCII_WORD : WORD) : a ? ASCII_SPACE : SPACE);
    const negated = out.startsWith('[^');
    const rest = negated ? out.slice(2) : out.slice(1);
    if (!negated) return '(?:' + (rest ? `[${rest}]|` : '') + negs.map((c) => `[^${inner(c)}]`).join('|') + ')';
    // not (rest or not-X1 or not-X2) = X1 and X2 and not rest
    return (rest ? `(?![${rest}])` : '') + negs.slice(1).map((c) => `(?=[${inner(c)}])`).join('') + `[${inner(negs[0]!)}]`;
  }
}

const JS_LINE_BREAKS = /[\r\u2028\u2029]/;
const ASCII_NO_CR = /^[\0-\x0c\x0e-\x7f]*$/;
/** Python's str.isspace() over ASCII. */
const PY_ASCII_ISSPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ';
let lastSubject: string | undefined;
let lastKind = 0;

/** `compiled.search(subject, pos, endpos)`: the first match at or after pos, or null. */
export function search(t: Translation, subject: string, pos = 0, endpos?: number): PyMatch | null {
  if (!t.regexp) throw new TypeError('search on an untranslated pattern');
  if (subject !== lastSubject) {
    lastSubject = subject;
    lastKind = ASCII_NO_CR.test(subject) ? 2 : JS_LINE_BREAKS.test(subject) ? 0 : 1;
  }
  const re = lastKind === 2 ? (t.ascii ?? t.fast ?? t.regexp) : lastKind === 1 ? (t.fast ?? t.regexp) : t.regexp;
  const s = endpos !== undefined && endpos < subject.length ? subject.slice(0, Math.max(endpos, 0)) : subject;
  re.lastIndex = pos;
  const m = re.exec(s);
  if (!m) return null;
  return toMatch(t, m, subject);
}

function toMatch(t: Translation, m: RegExpExecArray, subject: string): PyMatch {
  // Group spans need the `d` flag (translate(..., { indices: true })); otherwise only the match's.
  const end = m.index + m[0].length;
  const spans: [number, number][] = m.indices ? m.indices.map((x) => (x ? [x[0], x[1]] : [-1, -1])) : [[m.index, end]];
  return { start: m.index, end, groups: m, spans, named: (m.groups ?? {}) as Record<string, string | undefined>, subject };
}

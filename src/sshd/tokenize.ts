/**
 * A hand-written line scanner for sshd_config, for the parse path. grammars/sshd.peggy is the
 * specification: each function here returns exactly what the grammar rule of the same name returns
 * (a property test checks it on arbitrary lines), in one pass over the characters, and line.ts's
 * reader gives the same lines through either (test/sshd/tokenize.test.ts, on every fixture line).
 *
 * Why not the grammar itself: bench/sshd.bench.mjs's "parse + toJSON" (8,400 lines) takes about 7×
 * as long when line.ts reads through the generated parser (the benchmarks may lose at most 10%). Even
 * a one-rule grammar (`$[^\n]*`) costs more per line than this whole scanner: a generated parser pays
 * a fixed set-up on every call and a regex test per character.
 */

/** Grammar rule `Line`. */
export interface LineParts {
  indent: string;
  body: string;
  trailing: string;
}

/** Grammar rule `Statement`. Offsets are relative to the body. */
export type StatementParts =
  | { kind: 'comment'; lead: string }
  | { kind: 'ignored'; reason: 'unterminated-quote'; lead: string }
  | {
      kind: 'directive';
      keyword: string;
      keywordStart: number;
      keywordEnd: number;
      separator: string;
      rest: string | null;
      restStart: number;
      lead: string;
    };

/** One strdelim() token (grammar rules `MidToken`, `EndToken`, `UnterminatedToken`). */
export interface StrdelimToken {
  value: string | null;
  start: number;
  end: number;
  sep: string;
  atEnd: boolean;
  unterminated?: true;
}

/** Grammar rule `Args`. */
export interface ArgsParts {
  args: { value: string; raw: string; start: number; end: number; quoted: boolean; error: boolean }[];
  comment: { text: string; start: number } | null;
  error: 'invalid-quotes' | null;
}

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const FF = 12;
const DQ = 34;
const SQ = 39;
const EQ = 61;
const BS = 92;
const HASH = 35;

/** [ \t\r\n] */
const isWS = (c: number) => c === SP || c === TAB || c === CR || c === LF;
/** Characters a strdelim() token prefix may hold: [^ \t\r\n"=]. */
const isPlain = (c: number) => c !== SP && c !== TAB && c !== CR && c !== LF && c !== DQ && c !== EQ;
const isTrailing = (c: number) => c === SP || c === TAB || c === CR || c === LF || c === FF;

/** `Line`: leading [ \t\r], the body (its first character is never stripped), trailing [ \t\r\n\f]. */
export function scanLine(s: string): LineParts {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== SP && c !== TAB && c !== CR) break;
    i++;
  }
  if (i === n) return { indent: s, body: '', trailing: '' };
  let j = n;
  while (j > i + 1 && isTrailing(s.charCodeAt(j - 1))) j--;
  return { indent: s.slice(0, i), body: s.slice(i, j), trailing: s.slice(j) };
}

/** Index after a run of [ \t\r\n] from `i`. */
function skipWS(s: string, i: number): number {
  while (i < s.length && isWS(s.charCodeAt(i))) i++;
  return i;
}

/** Index after a run of token-prefix characters from `i`. */
function skipPlain(s: string, i: number): number {
  while (i < s.length && isPlain(s.charCodeAt(i))) i++;
  return i;
}

/** `MidToken` at `i`, or undefined when it does not match. */
function midToken(s: string, i: number): StrdelimToken | undefined {
  const p = skipPlain(s, i);
  const c = s.charCodeAt(p);
  if (c === DQ) {
    const close = s.indexOf('"', p + 1);
    if (close < 0) return undefined;
    const e = skipWS(s, close + 1);
    return { value: s.slice(i, p) + s.slice(p + 1, close), start: i, end: close + 1, sep: s.slice(close + 1, e), atEnd: false };
  }
  if (c === EQ) {
    const e = skipWS(s, p + 1);
    return { value: s.slice(i, p), start: i, end: p, sep: s.slice(p, e), atEnd: false };
  }
  if (p < s.length && isWS(c)) {
    let e = skipWS(s, p);
    if (s.charCodeAt(e) === EQ) e = skipWS(s, e + 1);
    return { value: s.slice(i, p), start: i, end: p, sep: s.slice(p, e), atEnd: false };
  }
  return undefined;
}

/** `Token` (MidToken / EndToken) at `i`. */
function token(s: string, i: number): StrdelimToken | undefined {
  const t = midToken(s, i);
  if (t) return t;
  const p = skipPlain(s, i);
  if (p === s.length) return { value: s.slice(i), start: i, end: p, sep: '', atEnd: true };
  return undefined;
}

/** `Statement`: the keyword as strdelim() cuts it, after at most one skipped empty token. */
export function scanStatement(s: string): StatementParts {
  let lead = '';
  let at = 0;
  // EmptyToken: ('=' WS* / '""' WS*) followed by at least one character.
  if (s.charCodeAt(0) === EQ) {
    const e = skipWS(s, 1);
    if (e < s.length) lead = s.slice(0, e);
  } else if (s.charCodeAt(0) === DQ && s.charCodeAt(1) === DQ) {
    const e = skipWS(s, 2);
    if (e < s.length) lead = s.slice(0, e);
  }
  at = lead.length;
  // Unterminated: a prefix, a quote, and no other quote to the end.
  const p = skipPlain(s, at);
  if (s.charCodeAt(p) === DQ && s.indexOf('"', p + 1) < 0) return { kind: 'ignored', reason: 'unterminated-quote', lead };
  const t = token(s, at)!;
  const v = t.value!;
  if (v === '' || v.charCodeAt(0) === HASH) return { kind: 'comment', lead };
  const restStart = t.end + t.sep.length;
  return {
    kind: 'directive',
    keyword: v,
    keywordStart: t.start,
    keywordEnd: t.end,
    separator: t.sep,
    rest: t.atEnd ? null : s.slice(restStart),
    restStart: t.atEnd ? s.length : restStart,
    lead,
  };
}

/** `Tokens`: strdelim() after strdelim() until the text runs out. */
export function scanTokens(s: string): StrdelimToken[] {
  const out: StrdelimToken[] = [];
  let i = 0;
  for (;;) {
    const t = midToken(s, i);
    if (t) {
      out.push(t);
      i = t.end + t.sep.length;
      if (i === s.length) return out;
      continue;
    }
    const p = skipPlain(s, i);
    if (p === s.length) {
      out.push({ value: s.slice(i), start: i, end: p, sep: '', atEnd: true });
      return out;
    }
    // A quote with no closing quote (any other character would have made a token).
    out.push({ value: null, start: i, end: s.length, sep: '', atEnd: true, unterminated: true });
    return out;
  }
}

/** `Args`: argv_split(s, …, terminate_on_comment=1). */
export function scanArgs(s: string): ArgsParts {
  const n = s.length;
  const args: ArgsParts['args'] = [];
  let comment: ArgsParts['comment'] = null;
  let error = false;
  let i = 0;
  while (i < n && (s.charCodeAt(i) === SP || s.charCodeAt(i) === TAB)) i++;
  while (i < n) {
    const c0 = s.charCodeAt(i);
    if (c0 === HASH) {
      comment = { text: s.slice(i), start: i };
      break;
    }
    const start = i;
    // Fast path: an argument without quotes or backslashes is its own value.
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === SP || c === TAB || c === BS || c === DQ || c === SQ) break;
      i++;
    }
    let value = s.slice(start, i);
    let quoted = false;
    let bad = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === SP || c === TAB) break;
      if (c === BS) {
        const d = s.charCodeAt(i + 1);
        if (d === SQ || d === DQ || d === BS || d === SP) {
          value += s[i + 1];
          i += 2;
        } else {
          value += '\\';
          i++;
        }
      } else if (c === DQ || c === SQ) {
        quoted = true;
        i++;
        for (;;) {
          if (i >= n) {
            bad = true;
            break;
          }
          const d = s.charCodeAt(i);
          if (d === c) {
            i++;
            break;
          }
          if (d === BS) {
            const e = s.charCodeAt(i + 1);
            if (e === SQ || e === DQ || e === BS) {
              value += s[i + 1];
              i += 2;
              continue;
            }
          }
          value += s[i];
          i++;
        }
      } else {
        value += s[i];
        i++;
      }
    }
    args.push({ value, raw: s.slice(start, i), start, end: i, quoted, error: bad });
    if (bad) error = true;
    while (i < n && (s.charCodeAt(i) === SP || s.charCodeAt(i) === TAB)) i++;
  }
  return { args, comment, error: error ? 'invalid-quotes' : null };
}

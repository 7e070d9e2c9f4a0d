/**
 * One line of sshd_config, read exactly as sshd 9.2 does, as grammars/sshd.peggy specifies it. The
 * Document reads its lines with the hand-written scanner in tokenize.ts; `readLine` takes the line
 * readers as an argument so that a test can run this very function on the grammar's start rules and
 * compare every field (test/sshd/tokenize.test.ts).
 */
import { lookupKeyword, type KeywordInfo } from './keywords.js';
import type { SshdArgument } from './model.js';
import { scanArgs, scanLine, scanStatement, scanTokens, type ArgsParts, type LineParts, type StatementParts, type StrdelimToken } from './tokenize.js';

/**
 * What a line is read with: grammars/sshd.peggy's start rules `Line`, `Statement`, `Args` and
 * `Tokens`, or the scanner functions that return the same values.
 */
export interface LineReaders {
  line(s: string): LineParts;
  statement(s: string): StatementParts;
  args(s: string): ArgsParts;
  tokens(s: string): StrdelimToken[];
}

/** The Document's readers: the scanner (tokenize.ts). */
export const SCANNER: LineReaders = { line: scanLine, statement: scanStatement, args: scanArgs, tokens: scanTokens };

/** One token of a Match line as strdelim() cuts it. `value` null: unterminated quote. */
export interface SshdToken {
  value: string | null;
  /** 0-based offsets in the line. */
  start: number;
  end: number;
}

/** Parsed view of one physical line; columns are 0-based offsets into the line. */
export type SshdLine =
  | { kind: 'blank' }
  | { kind: 'comment' }
  /** The keyword has an unterminated quote: sshd ignores the line without a word. */
  | { kind: 'ignored' }
  | SshdDirectiveLine;

/** A directive line as read: its keyword, separator and arguments, with their offsets in the line. */
export interface SshdDirectiveLine {
  kind: 'directive';
  indent: string;
  keyword: string;
  keywordStart: number;
  keywordEnd: number;
  /** Table entry (aliases resolved), undefined when unknown. */
  info: KeywordInfo | undefined;
  /** The keyword was written as an alias that Match allows or not. */
  matchAllowed: boolean;
  separator: string;
  /** Text after the separator (trailing blanks stripped); null when nothing followed the keyword. */
  rest: string | null;
  restStart: number;
  args: (SshdArgument & { start: number; end: number })[];
  comment: string | null;
  /** argv_split() failed: unbalanced quotes. */
  invalidQuotes: boolean;
  /** For Match lines: strdelim tokens of the rest. */
  tokens: SshdToken[] | null;
  /** Offset of the first NUL byte, when the line has one (sshd drops what follows). */
  nul: number | null;
}

/** Reads one line (its raw text, line ending included). Never throws. */
export function parseLine(raw: string): SshdLine {
  return readLine(raw, SCANNER);
}

/** `parseLine` with the given line readers. */
export function readLine(raw: string, read: LineReaders): SshdLine {
  let content = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  const nulAt = content.indexOf('\0');
  if (nulAt >= 0) content = content.slice(0, nulAt);
  const line = read.line(content);
  if (line.body === '') return { kind: 'blank' };
  const base = line.indent.length;
  const st = read.statement(line.body);
  if (st.kind === 'comment') return { kind: 'comment' };
  if (st.kind === 'ignored') return { kind: 'ignored' };
  const look = lookupKeyword(st.keyword);
  const restStart = base + st.restStart;
  let args: SshdDirectiveLine['args'] = [];
  let comment: string | null = null;
  let invalidQuotes = false;
  let tokens: SshdToken[] | null = null;
  if (st.rest !== null && st.rest !== '') {
    const a = read.args(st.rest);
    args = a.args.map((g) => ({ value: g.value, raw: g.raw, quoted: g.quoted, column: restStart + g.start + 1, start: restStart + g.start, end: restStart + g.end }));
    comment = a.comment ? a.comment.text : null;
    invalidQuotes = a.error !== null;
    if (look?.info.kind === 'match') {
      const ts = read.tokens(st.rest);
      tokens = ts.map((t) => ({ value: t.value, start: restStart + t.start, end: restStart + t.end }));
    }
  }
  return {
    kind: 'directive',
    indent: line.indent,
    keyword: st.keyword,
    keywordStart: base + st.keywordStart,
    keywordEnd: base + st.keywordEnd,
    info: look?.info,
    matchAllowed: look?.match ?? false,
    separator: st.separator,
    rest: st.rest,
    restStart,
    args,
    comment,
    invalidQuotes,
    tokens,
    nul: nulAt >= 0 ? nulAt : null,
  };
}

/**
 * One line of sshd_config, read exactly as sshd 9.2 does, through grammars/sshd.peggy: its `Content`
 * rule reads the whole line in one call, and a Match line's rest is cut into strdelim() tokens by
 * `Tokens`.
 */
import { parse as parseGrammar } from '../../grammars/sshd.peggy';
import { lookupKeyword, type KeywordInfo } from './keywords.js';
import type { SshdArgument } from './model.js';

/** One strdelim() token as grammars/sshd.peggy's `Tokens` gives it; offsets in the rest. */
interface StrdelimToken {
  value: string | null;
  start: number;
  end: number;
}

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

/** What grammars/sshd.peggy's `Content` rule gives for a line's content; offsets are in the content. */
type ContentRead =
  | { kind: 'blank' | 'comment' | 'ignored'; indent: string }
  | {
      kind: 'directive';
      indent: string;
      keyword: string;
      keywordStart: number;
      keywordEnd: number;
      separator: string;
      rest: string | null;
      restStart: number;
      args: { value: string; raw: string; start: number; end: number; quoted: boolean; error: boolean }[];
      comment: string | null;
      error: 'invalid-quotes' | null;
    };

/**
 * Reads one line (its raw text, line ending included). Never throws. The line ends at its first
 * `\n` (what follows it is not read: sshd reads a file line by line) or NUL.
 */
export function parseLine(raw: string): SshdLine {
  const lf = raw.indexOf('\n');
  let content = lf >= 0 ? raw.slice(0, lf) : raw;
  const nulAt = content.indexOf('\0');
  if (nulAt >= 0) content = content.slice(0, nulAt);
  return toLine(parseGrammar(content, { startRule: 'Content' }) as ContentRead, nulAt >= 0 ? nulAt : null);
}

/** Every line of a text (split after each `\n`), each as `parseLine` reads it, in one parser call. */
export function parseLines(text: string): SshdLine[] {
  const read = parseGrammar(text, { startRule: 'File' }) as (ContentRead & { nul: number | null })[];
  // A text ending in "\n" has no line after it: the File rule reads an empty one there.
  if (text.endsWith('\n') || text === '') read.pop();
  return read.map((r) => toLine(r, r.nul));
}

function toLine(r: ContentRead, nul: number | null): SshdLine {
  if (r.kind !== 'directive') return { kind: r.kind };
  const look = lookupKeyword(r.keyword);
  const restStart = r.restStart;
  const hasRest = r.rest !== null && r.rest !== '';
  let tokens: SshdToken[] | null = null;
  if (look?.info.kind === 'match' && hasRest) {
    const ts = parseGrammar(r.rest!, { startRule: 'Tokens' }) as StrdelimToken[];
    tokens = ts.map((t) => ({ value: t.value, start: restStart + t.start, end: restStart + t.end }));
  }
  return {
    kind: 'directive',
    indent: r.indent,
    keyword: r.keyword,
    keywordStart: r.keywordStart,
    keywordEnd: r.keywordEnd,
    info: look?.info,
    matchAllowed: look?.match ?? false,
    separator: r.separator,
    rest: r.rest,
    restStart,
    args: hasRest ? r.args.map((g) => ({ value: g.value, raw: g.raw, quoted: g.quoted, column: g.start + 1, start: g.start, end: g.end })) : [],
    comment: hasRest ? r.comment : null,
    invalidQuotes: hasRest && r.error !== null,
    tokens,
    nul,
  };
}

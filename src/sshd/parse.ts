/**
 * sshd_config text → SshdDocument. Each physical line becomes one node that owns its raw text; the
 * grammar (grammars/sshd.peggy) reads the line exactly as sshd 9.2 does.
 */
import { parse as parseGrammar } from '../../grammars/sshd.peggy';
import type { ParseOptions } from '../core/format.js';
import { rawLines } from '../core/text.js';
import { SshdDocument } from './document.js';
import { lookupKeyword, type KeywordInfo } from './keywords.js';
import type { SshdArgument } from './model.js';

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

interface GrammarArg {
  value: string;
  raw: string;
  start: number;
  end: number;
  quoted: boolean;
  error: boolean;
}

/** Reads one line (its raw text, line ending included). Never throws. */
export function parseLine(raw: string): SshdLine {
  let content = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  const nulAt = content.indexOf('\0');
  if (nulAt >= 0) content = content.slice(0, nulAt);
  const line = parseGrammar(content, { startRule: 'Line' }) as { indent: string; body: string; trailing: string };
  if (line.body === '') return { kind: 'blank' };
  const base = line.indent.length;
  const st = parseGrammar(line.body, { startRule: 'Statement' }) as {
    kind: 'comment' | 'ignored' | 'directive';
    keyword: string;
    keywordStart: number;
    keywordEnd: number;
    separator: string;
    rest: string | null;
    restStart: number;
    lead: string;
  };
  if (st.kind === 'comment') return { kind: 'comment' };
  if (st.kind === 'ignored') return { kind: 'ignored' };
  const look = lookupKeyword(st.keyword);
  const restStart = base + st.restStart;
  let args: SshdDirectiveLine['args'] = [];
  let comment: string | null = null;
  let invalidQuotes = false;
  let tokens: SshdToken[] | null = null;
  if (st.rest !== null && st.rest !== '') {
    const a = parseGrammar(st.rest, { startRule: 'Args' }) as { args: GrammarArg[]; comment: { text: string } | null; error: string | null };
    args = a.args.map((g) => ({ value: g.value, raw: g.raw, quoted: g.quoted, column: restStart + g.start + 1, start: restStart + g.start, end: restStart + g.end }));
    comment = a.comment ? a.comment.text : null;
    invalidQuotes = a.error !== null;
    if (look?.info.kind === 'match') {
      const ts = parseGrammar(st.rest, { startRule: 'Tokens' }) as { value: string | null; start: number; end: number }[];
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

/** Parses sshd_config text. Never throws on bad input; `doc.toString() === text` for every input. */
export function parse(text: string, options: ParseOptions = {}): SshdDocument {
  if (typeof text !== 'string') throw new TypeError(`sshd.parse: expected a string, got ${typeof text}`);
  return new SshdDocument(rawLines(text), text, options.file);
}

/** One line of `ufw status` output, read on its own (the document decides the mode). */
import { splitRuleLine, type RuleColumns } from './columns.js';
import { matchHeaderLine, type HeaderMatch } from './locale.js';

/** What a line is, before the document decides the mode. */
export type UfwLine =
  | { kind: 'blank' }
  | HeaderMatch
  | { kind: 'rule'; columns: RuleColumns }
  | { kind: 'unknown'; error: string; offset: number };

/** Reads one line (content without its line ending). */
export function parseLine(content: string): UfwLine {
  if (content.trim() === '') return { kind: 'blank' };
  // Rule lines first: they are most of the text, and no header line has an upper-case action word.
  const rule = / (?:ALLOW|DENY|REJECT|LIMIT)(?: |$)/.test(content);
  if (rule) {
    const r = splitRuleLine(content);
    if (!('error' in r)) return { kind: 'rule', columns: r };
  }
  const h = matchHeaderLine(content);
  if (h) return h;
  const r = splitRuleLine(content);
  if ('error' in r) return { kind: 'unknown', error: r.error, offset: r.offset };
  return { kind: 'rule', columns: r };
}

/** Text → XinetdDocument. Never throws on bad input: what xinetd would reject is in `doc.diagnostics`. */
import type { ParseOptions } from '../core/format.js';
import { dominantEol, rawLines } from '../core/text.js';
import { XinetdDocument } from './document.js';
import { readLines } from './line.js';

/**
 * Parses an xinetd.conf or xinetd.d file. `parse(text).toString() === text` for every string.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/xinetd';
 * const doc = parse('service echo\n{\n\tport = 7\n\tdisable = yes\n}\n', { file: '/etc/xinetd.d/echo' });
 * doc.services().map((s) => s.name); // ['echo']
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): XinetdDocument {
  if (typeof text !== 'string') throw new TypeError(`xinetd.parse: expected the file's text as a string, got ${typeof text}`);
  const lines = readLines(text, rawLines(text));
  return new XinetdDocument(lines, { eol: dominantEol(text), ...(options.file !== undefined ? { file: options.file } : {}) });
}

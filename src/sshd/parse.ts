/**
 * sshd_config text → SshdDocument. Each physical line becomes one node that owns its raw text; the
 * line is read by line.ts.
 */
import type { ParseOptions } from '../core/format.js';
import { rawLines } from '../core/text.js';
import { SshdDocument } from './document.js';

export { parseLine, type SshdDirectiveLine, type SshdLine, type SshdToken } from './line.js';

/**
 * Parses sshd_config text. Never throws on bad input; `doc.toString() === text` for every input.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/sshd';
 * const doc = parse('Port 22\nPermitRootLogin yes\n', { file: 'sshd_config' });
 * doc.set('PermitRootLogin', 'no'); // rewrites that line only, in the file's style
 * doc.toString(); // 'Port 22\nPermitRootLogin no\n'
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): SshdDocument {
  if (typeof text !== 'string') throw new TypeError(`sshd.parse: expected a string, got ${typeof text}`);
  return new SshdDocument(rawLines(text), text, options.file);
}

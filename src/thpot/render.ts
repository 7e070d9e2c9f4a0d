/**
 * Typed model → text, in thpot's own layout (what `clcaplog()` prints), and a fresh CaptureLog from
 * records (what the builder calls).
 */
import type { CaptureLog } from './document.js';
import { type CaptureInput, renderCapture } from './line.js';
import { parse } from './parse.js';

export { formatDuration, renderCapture, renderRecord, type CaptureInput } from './line.js';

/** A fresh log of single-line captures, LF line endings, one line each. */
export function render(records: readonly CaptureInput[], options: { eol?: '\n' | '\r\n' } = {}): CaptureLog {
  const eol = options.eol ?? '\n';
  return parse(records.map((r) => renderCapture(r) + eol).join(''));
}

/** `--format F` or detection, shared by parse, roundtrip and check. */
import type { Format } from '../core/format.js';
import { FORMAT_NAMES } from '../core/format.js';
import { detectFormat, formats, isFormatName } from '../formats.js';
import { UsageError } from './io.js';

/** Validates `--format`; throws a UsageError for an unknown name. */
export function namedFormat(name: string | undefined): Format | undefined {
  if (name === undefined) return undefined;
  if (!isFormatName(name)) throw new UsageError(`unknown format '${name}' (one of ${FORMAT_NAMES.join(', ')})`);
  return formats[name];
}

/** The named format, or the detected one; a string when neither works. */
export function formatFor(named: Format | undefined, file: string, text: string): Format | string {
  if (named) return named;
  const d = detectFormat(file === '<stdin>' ? undefined : file, text);
  return 'format' in d ? d.format : d.error;
}

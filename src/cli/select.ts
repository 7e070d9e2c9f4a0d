/** `--format F` or detection, shared by parse, roundtrip and check. */
import type { Format } from '../core/format.js';
import { FORMAT_NAMES } from '../core/format.js';
import { detectFormat, formats, isFormatName } from '../formats.js';
import { inputError, UsageError } from './io.js';

/** Validates `--format`; throws a UsageError for an unknown name. */
export function namedFormat(name: string | undefined): Format | undefined {
  if (name === undefined) return undefined;
  if (!isFormatName(name)) throw new UsageError(`unknown format '${name}' (one of ${FORMAT_NAMES.join(', ')})`);
  return formats[name];
}

/** The named format, or the detected one; when neither works, a diagnostic line saying why. */
export function formatFor(named: Format | undefined, file: string, text: string): Format | string {
  if (named) return named;
  const d = detectFormat(file === '<stdin>' ? undefined : file, text);
  return 'format' in d ? d.format : inputError(file, 'fwconf/unknown-format', d.error);
}

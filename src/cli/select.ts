/** `--format F` or detection, shared by parse, roundtrip and check. */
import type { Format, FormatName } from '../core/format.js';
import { FORMAT_NAMES } from '../core/format.js';
import { detectFormat, formats, isFormatName } from '../formats.js';
import { inputError, UsageError } from './io.js';

/** The subpath names (`fwconf/iptables`, `fwconf/ufw`), accepted for the formats they hold. */
export const FORMAT_ALIASES: Readonly<Record<string, FormatName>> = { iptables: 'iptables-save', ufw: 'ufw-status' };

/** Validates `--format` (a format's name or its alias); throws a UsageError for an unknown name. */
export function namedFormat(name: string | undefined): Format | undefined {
  if (name === undefined) return undefined;
  const canonical = Object.hasOwn(FORMAT_ALIASES, name) ? FORMAT_ALIASES[name]! : name;
  if (!isFormatName(canonical)) {
    const aliases = Object.entries(FORMAT_ALIASES).map(([a, f]) => `${a} for ${f}`);
    throw new UsageError(`unknown format '${name}' (one of ${FORMAT_NAMES.join(', ')}; or ${aliases.join(', ')})`);
  }
  return formats[canonical];
}

/** The named format, or the detected one; when neither works, a diagnostic line saying why. */
export function formatFor(named: Format | undefined, file: string, text: string): Format | string {
  if (named) return named;
  const d = detectFormat(file === '<stdin>' ? undefined : file, text);
  return 'format' in d ? d.format : inputError(file, 'fwconf/unknown-format', d.error);
}

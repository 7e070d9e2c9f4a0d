/** What every format offers, so the CLI and callers can treat every format alike. */
import type { Diagnostic } from './diagnostics.js';
import type { FileSource } from './files.js';

/** Format names, as in `--format`. */
export type FormatName = 'sshd' | 'xinetd' | 'fail2ban' | 'iptables-save' | 'ufw-status' | 'thpot' | 'ufw-rules' | 'ufw-conf' | 'ufw-app' | 'fail2ban-log';

/** The name of every format, as `--format` and `detectFormat` use them. */
export const FORMAT_NAMES: readonly FormatName[] = ['sshd', 'xinetd', 'fail2ban', 'iptables-save', 'ufw-status', 'thpot', 'ufw-rules', 'ufw-conf', 'ufw-app', 'fail2ban-log'];

/** Options of every format's `parse`. */
export interface ParseOptions {
  /** File name used in diagnostics. */
  file?: string;
}

/** Options of every format's `check`: where the files a configuration includes or names are read. */
export interface CheckOptions {
  /** Where included or referenced files are read from. */
  files?: FileSource;
  /** Directory of the checked file, for references relative to it. */
  baseDir?: string;
}

/** A parsed file: prints back byte for byte, and turns into its typed model. */
export interface FormatDocument {
  /** The text, byte-identical to the input when no edit was made. */
  toString(): string;
  /** The typed model as plain data (what `fwconf parse` prints). */
  toJSON(): unknown;
  /** Syntax diagnostics found while parsing. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A format: its name, its parser, its checks, and how it recognises a file (what `fwconf check` and `detectFormat` use). */
export interface Format<D extends FormatDocument = FormatDocument> {
  readonly name: FormatName;
  /** Never throws on bad input; problems are in `doc.diagnostics`. */
  parse(text: string, options?: ParseOptions): D;
  /** Every diagnostic: the parse's plus the format's own checks. */
  check(doc: D, options?: CheckOptions): Diagnostic[];
  /**
   * How sure we are that a file is of this format: 0 not at all, 1 the content looks like it,
   * 2 the name says so, 3 both.
   */
  detect(file: string | undefined, text: string): number;
}

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

/**
 * One format, every verb the same shape: `parse` → Document, `check`, `detect`, `render` (typed input →
 * Document, in the daemon's own style) and `semantics` (Document → what the daemon computes from it).
 *
 * | format | `render` input | `semantics` (`semanticsVerb`) |
 * |---|---|---|
 * | sshd | `SshdRenderSpec` | `effective`: the `sshd -T [-C]` lines |
 * | xinetd | a service or config spec | `effective`: the services xinetd runs |
 * | fail2ban | `RenderSpec` (sections) | `resolve`: the jails `fail2ban-client -d` starts, the document read in its tree |
 * | iptables-save | tables and chains | `rules`: every rule as typed data |
 * | ufw-status | `UfwState` | `state`: the firewall state the status shows |
 * | thpot | capture records | `summary`: captures per address, port and day |
 * | ufw-rules | `UfwState` (the file from `options.file`) | `rules`: the rules ufw reads from the tuples |
 * | ufw-conf | key/value settings | `settings`: each key as ufw reads it |
 * | ufw-app | application profiles | `profiles`: the profiles ufw reads |
 * | fail2ban-log | log records | `summary`: bans, unbans and failures per jail and address |
 */
export interface Format<D extends FormatDocument = FormatDocument, R = unknown, S = unknown, RO = unknown, SO = unknown> {
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
  /** A new Document from typed input, written as the daemon (or its tool) writes the file. */
  render(input: R, options?: RO): D;
  /** The name of the format's semantics verb, as the library and the CLI call it. */
  readonly semanticsVerb: string;
  /** What the daemon computes from the Document as it stands (edits included); plain data or a typed result. */
  semantics(doc: D, options?: SO): S;
}

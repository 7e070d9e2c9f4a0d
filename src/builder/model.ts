/**
 * What rendering a host spec produces, and what `apply` consumes: a set of files, each with the
 * absolute path it is meant for on the host, the daemon it belongs to and the format it is in.
 */
import type { FormatName } from '../core/format.js';

/** The daemons whose files fwconf renders and applies. */
export type Service = 'sshd' | 'xinetd' | 'fail2ban' | 'ufw';

/** One rendered file: where it goes on the host, its text, its format, the service that reads it and its mode. */
export interface RenderedFile {
  /** Absolute path on the target host, e.g. `/etc/ssh/sshd_config.d/00-fwconf.conf`. */
  readonly path: string;
  /** The file's text, as the format's printer wrote it. */
  readonly content: string;
  /** Its format (`shell` for the ufw script). */
  readonly format: FormatName | 'shell';
  /** The daemon that reads it. */
  readonly service: Service;
  /** File mode for a new file (an existing file keeps its own), e.g. 0o644; 0o755 for scripts. */
  readonly mode: number;
}

/** What `render` gives: the files of the hardening setup, and notes on what they do. */
export interface RenderResult {
  readonly files: readonly RenderedFile[];
  /** Human-readable statements about choices made on the user's behalf (e.g. hardening defaults added). */
  readonly notes: readonly string[];
}

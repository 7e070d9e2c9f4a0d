/** The line node of fail2ban's INI files: one physical line as configparser reads it. */

/**
 * What a physical line is. `unknown`: a line configparser cannot read (kept verbatim, with a
 * diagnostic) — the name every format uses for it. `error` is its former name, kept in the type so
 * code comparing with it still compiles; it is deprecated and no longer produced.
 */
export type LineKind = 'header' | 'option' | 'continuation' | 'blank' | 'comment' | 'unknown' | 'error';

/** One physical line. `raw` is its exact text, line ending included (Python's universal newlines: `\n`, `\r\n`, `\r`). */
export interface IniLine {
  readonly raw: string;
  kind: LineKind;
  /** The line without its ending. */
  content: string;
  /** Column (0-based) of the first non-blank character, -1 for a blank line. */
  indent: number;
  /** Offset in `content` where an inline `;` comment starts (0 for a full-line comment), or null. */
  commentStart: number | null;
  /** Header: the section name. Option: the value on the key line. Continuation: the stripped line. */
  value?: string;
  /** Option: the key as written (before lower-casing). */
  rawKey?: string;
  /** Option: offsets in `content` of the key, and of the value's start and end. */
  keyStart?: number;
  keyEnd?: number;
  valueStart?: number;
  valueEnd?: number;
}

/**
 * The typed model of an sshd_config file: what `SshdDocument.toJSON()` returns and `fwconf parse`
 * prints. Plain data; its shape is public API.
 */

/** One argument of a directive, as argv_split() reads it. */
export interface SshdArgument {
  /** The value sshd sees: quotes removed, escapes applied. */
  value: string;
  /** The argument as written in the file. */
  raw: string;
  /** Written with quotes (`"…"` or `'…'`) somewhere in it. */
  quoted: boolean;
  /** 1-based column of the argument's first character. */
  column: number;
}

/** A `Keyword value…` line. */
export interface SshdDirective {
  type: 'directive';
  /** 1-based line number. */
  line: number;
  /** Leading blanks as written. */
  indent: string;
  /** The keyword as sshd reads it (quotes removed), in the file's spelling. */
  keyword: string;
  /** Canonical spelling (aliases resolved: `ChallengeResponseAuthentication` → `KbdInteractiveAuthentication`); null when sshd does not know the keyword. */
  canonical: string | null;
  /** What separates the keyword from its value as written: `' '`, `'='`, `' = '`, `'\t'`… */
  separator: string;
  /** Arguments as argv_split() splits them. A trailing `# comment` is not an argument. */
  args: SshdArgument[];
  /**
   * The value as written: the text after the separator, trailing blanks removed. This is the value
   * of the rest-of-line keywords (ForceCommand, AuthorizedKeysCommand, AuthorizedPrincipalsCommand,
   * VersionAddendum), comments and quotes included.
   */
  value: string;
  /** A trailing `# comment` (not for rest-of-line keywords, whose value keeps it). */
  comment: string | null;
}

/** One `criterion pattern` pair of a Match line. */
export interface SshdMatchCriterion {
  /** Lowercase criterion: `user`, `group`, `host`, `localaddress`, `localport`, `address`, `rdomain`, `all`, or what was written when unknown. */
  criterion: string;
  /** The criterion as written. */
  written: string;
  /** The pattern list as sshd reads it (`alice,!bob`); null for `all`. */
  patterns: string | null;
}

/** A `Match …` line; its body is the entries up to the next Match line or the end of the file. */
export interface SshdMatch {
  type: 'match';
  line: number;
  indent: string;
  keyword: string;
  separator: string;
  /** The criteria as written after the keyword. */
  value: string;
  criteria: SshdMatchCriterion[];
  comment: string | null;
  /** The lines of the block. */
  body: SshdEntry[];
}

/** A comment line (`# …`), or a line sshd reads as one (its keyword token is empty or starts with `#`). */
export interface SshdComment {
  type: 'comment';
  line: number;
  text: string;
}

/** An empty or whitespace-only line. */
export interface SshdBlank {
  type: 'blank';
  line: number;
  text: string;
}

/** A line sshd skips without a word (a keyword with an unterminated quote), or one with a NUL byte. */
export interface SshdUnknown {
  type: 'unknown';
  line: number;
  text: string;
}

/** An entry of the file's model: a directive, a comment, a blank line, or a line sshd cannot read. */
export type SshdEntry = SshdDirective | SshdComment | SshdBlank | SshdUnknown;

/** The whole file. */
export interface SshdModel {
  format: 'sshd';
  file?: string;
  /** Line endings: `lf`, `crlf`, `mixed` or `none`. */
  eol: 'lf' | 'crlf' | 'mixed' | 'none';
  bom: boolean;
  finalNewline: boolean;
  /** Lines before the first Match line. */
  global: SshdEntry[];
  /** Match blocks in file order. */
  matches: SshdMatch[];
  /** Arguments of every Include directive, in file order (paths and globs as written). */
  includes: string[];
}

/** A connection as `sshd -C` describes it, for Match evaluation. */
export interface SshdConnection {
  user?: string;
  host?: string;
  addr?: string;
  laddr?: string;
  lport?: number | string;
  rdomain?: string;
}

/** Criteria for finding or creating a Match block: `{ user: 'alice' }`, `{ address: '10.0.0.0/8' }`, `{ all: true }`. */
export interface SshdMatchSpec {
  user?: string;
  group?: string;
  host?: string;
  address?: string;
  localAddress?: string;
  localPort?: string | number;
  rdomain?: string;
  all?: boolean;
}

/** A value for set/add: a string is one argument (quoted when it needs it), an array several, booleans yes/no. */
export type SshdValue = string | number | boolean | readonly (string | number)[];

/** POSIX shell quoting, for the commands fwconf prints (rebuild scripts, plans, unban commands). */

/** A word as a POSIX shell reads it back: bare when it has only safe characters, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one shell command line. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

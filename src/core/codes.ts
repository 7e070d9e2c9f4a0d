/** The codes of every command (input, usage, --root), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const FWCONF_CODES = {
  'fwconf/cannot-read': 'the file cannot be read (missing, a directory, permission denied).',
  'fwconf/error': 'with `--json`, an error the command printed as plain text (no place in a file), carried in the JSON as it was printed.',
  'fwconf/invalid-utf8': 'the file is not UTF-8; fwconf refuses it at its first bad byte rather than read it with U+FFFD, which it could not write back.',
  'fwconf/input': "in `check`'s JSON or SARIF, a problem with a whole input that has no code of its own.",
  'fwconf/note': '(info) with `--json`, a note the command printed (`note: ...`): a choice made for you, not a problem.',
  'fwconf/symlink-loop': 'below `--root`, symbolic links lead into a loop.',
  'fwconf/symlink-outside-root': 'below `--root`, a symbolic link points out of the root and names nothing below it, so it reads as missing (as for a chrooted daemon).',
  'fwconf/unknown-format': "without `--format`, the file's name and content do not tell which format it is.",
  'fwconf/usage': 'with `--json`, a usage error (exit 2): an unknown option, a missing argument, options that exclude each other.',
} as const;

/** A diagnostic code of fwconf itself (`fwconf/...`: usage, input, JSON output), listed in DIAGNOSTICS.md. */
export type FwconfCode = keyof typeof FWCONF_CODES;

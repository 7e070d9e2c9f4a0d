/** The codes of fail2ban configuration, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const FAIL2BAN_CODES = {
  'fail2ban/bad-allowipv6': '`allowipv6` in fail2ban.conf is neither `auto` nor a boolean, and fail2ban reads it as no.',
  'fail2ban/bantime-extra': "`fail2ban test --jail`: a `bantime.formula` or `bantime.factor` outside the Python expressions evaluated (the construct and its offset are named), `bantime.multipliers` that fail2ban's `int()` rejects, or a `bantime.maxtime`/`rndtime` that is not a time; no ban timeline is predicted from it.",
  'fail2ban/bad-int': '`dbmaxmatches` or `[Thread] stacksize` in fail2ban.conf is not a whole number; fail2ban-client passes None instead, and the server refuses the whole start stream (no jail starts).',
  'fail2ban/bad-stacksize': "`[Thread] stacksize` below 32 KiB (and not 0), which Python's threading refuses: the server then refuses the whole start stream and no jail starts.",
  'fail2ban/bad-time': "a time option (`bantime`, `findtime`, ..., fail2ban.conf's `dbpurgeage`) that is not a fail2ban time value.",
  'fail2ban/bad-loglevel': '`loglevel` in fail2ban.conf is not a log level, and fail2ban-client stops.',
  'fail2ban/db-bad-data': "(warning) a ban's `data` in the ban database is not the JSON object fail2ban writes; its matches and failures are left out.",
  'fail2ban/db-changing': 'the ban database kept changing while it was read (its change counter or write-ahead log moved on every try).',
  'fail2ban/db-hot-journal': 'a rollback journal (`FILE-journal`) stays next to the ban database: a write is under way, or one was interrupted and the file may be half-written.',
  'fail2ban/db-missing-table': 'the ban database lacks a table fail2ban creates (`fail2banDb`, `jails`, `bans`): not a fail2ban database, or one not finished.',
  'fail2ban/db-unreadable': 'the ban database is not a SQLite 3 file, or its pages contradict each other (cut short, a b-tree that loops, an unsupported table).',
  'fail2ban/db-version': "(warning) the ban database's version is newer than the 4 fail2ban 0.11–1.1 write; it is read as version 4.",
  'fail2ban/duplicate-option': "an option twice in one section of one file (configparser's DuplicateOptionError).",
  'fail2ban/duplicate-section': "a section twice in one file (configparser's DuplicateSectionError).",
  'fail2ban/empty-key': 'an option line without a key.',
  'fail2ban/interpolation': 'an `[INCLUDES]` value whose `%(name)s` interpolation fails.',
  'fail2ban/interpolation-depth': '`%(name)s` references nested too deeply (a loop, or longer than configparser allows).',
  'fail2ban/interpolation-missing': 'a `%(name)s` reference to an option that does not exist; the message gives the chain of names that led there.',
  'fail2ban/interpolation-syntax': 'a `%` that is not a valid `%(name)s` or `%%`.',
  'fail2ban/interpolation-size': '`%(name)s` references that expand to a value too large to build (fail2ban-client would run out of memory).',
  'fail2ban/invalid-utf8': 'a configuration file that is not UTF-8: fail2ban-client ignores it whole, with all its sections, jails and includes.',
  'fail2ban/jail-definition': 'fail2ban would skip the jail for another reason, given in the message.',
  'fail2ban/logpath-no-file': "a jail's `logpath` matches no file, so fail2ban would not start it.",
  'fail2ban/missing-action': 'a jail names an action file that does not exist in `action.d/`.',
  'fail2ban/missing-delimiter': 'a line that is neither `key = value` nor a section header.',
  'fail2ban/missing-filter': 'a jail names a filter file that does not exist in `filter.d/`.',
  'fail2ban/missing-section-header': 'text before the first `[section]` (or a byte-order mark before it).',
  'fail2ban/no-conf-dir': 'the configuration directory does not exist.',
  'fail2ban/no-jail-conf': 'the configuration directory holds no readable `jail.conf`.',
  'fail2ban/no-jail-starts': 'every enabled jail is skipped for an error, so fail2ban-client refuses to start at all.',
  'fail2ban/relative-path': "a socket, pidfile, logtarget, syslogsocket or dbfile in fail2ban.conf given as a relative path, read from the server's working directory.",
  'fail2ban/status-title': '`fail2ban-client status` output whose first line is neither `Status` nor `Status for the jail: NAME`.',
  'fail2ban/status-unknown-line': 'a line of `fail2ban-client status` output that is not an item of its tree.',
  'fail2ban/tag-recursion': '`<tag>` substitution in an action or filter refers back to itself.',
  'fail2ban/unknown-jail-option': 'an option fail2ban does not read in a jail (usable only as a `%(name)s` variable); the message suggests the option you may have meant.',
} as const;

/** A diagnostic code of the fail2ban format (`fail2ban/...`), listed with a sentence in DIAGNOSTICS.md. */
export type Fail2banCode = keyof typeof FAIL2BAN_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    fail2ban: Fail2banCode;
  }
}

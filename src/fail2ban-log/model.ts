/** The typed model of fail2ban.log: records (a header line and its continuation lines) and the events they say. */

/** What a record says (fail2ban 1.0.2's messages, and 0.8's where they differ). */
export type LogEvent =
  /** `Creating new jail 'NAME'` (server/jail.py). */
  | { type: 'jail-created'; jail: string }
  /** `Jail 'NAME' started` / `stopped`. */
  | { type: 'jail-started' | 'jail-stopped'; jail: string }
  /** `[JAIL] Found IP - YYYY-MM-DD HH:MM:SS` (filter.py: a failure; `time` is the failure's, null in 0.8's form). */
  | { type: 'found'; jail: string; ip: string; time: string | null }
  /** `[JAIL] Ban IP`, `[JAIL] Restore Ban IP` (actions.py; restored from the database at start). */
  | { type: 'ban' | 'restore-ban'; jail: string; ip: string }
  /** `[JAIL] Unban IP`. */
  | { type: 'unban'; jail: string; ip: string }
  /** `[JAIL] IP already banned` (a failure found for a banned address). */
  | { type: 'already-banned'; jail: string; ip: string }
  /** `[JAIL] Reban IP` (the consistency check re-adds a ban the action lost). */
  | { type: 'reban'; jail: string; ip: string }
  /** `[JAIL] Found IP, bad - TIME, BANCOUNT # -> RETRY[, Ban]` (observer.py: a known address fails again; not a second failure). */
  | { type: 'found-bad'; jail: string; ip: string; time: string; banCount: number; retry: string; ban: boolean }
  /** `[JAIL] Increase Ban IP (BANCOUNT # BANTIME -> UNTIL)` (bantime.increment: the ban's new length and end). */
  | { type: 'increase-ban'; jail: string; ip: string; banCount: number; bantime: string; until: string }
  /** `[JAIL] Ignore IP by SOURCE` (ignoreip, ignorecommand, …). */
  | { type: 'ignore'; jail: string; ip: string; by: string }
  /** `Starting Fail2ban vX` / `Exiting Fail2ban` (server.py). */
  | { type: 'server-started'; version: string }
  | { type: 'server-exited' }
  /** Any other message at ERROR or CRITICAL, or at WARNING. */
  | { type: 'error' | 'warning' }
  | { type: 'other' };

/** The kind of event a record says (`ban`, `found`, `jail-started`, ...). */
export type LogEventType = LogEvent['type'];

/** A record: one header line and the lines that continue its message (a traceback, …). */
export interface LogRecord {
  kind: 'record';
  /** 1-based line of the header. */
  line: number;
  /** 1-based last line (the last continuation line, or `line`). */
  endLine: number;
  /** As written: `2016-02-29 13:54:06,915` (local time of the server). */
  timestamp: string;
  /** The logger: `fail2ban.actions`, … */
  logger: string;
  /** The server's pid, null where the format has none (0.8). */
  pid: number | null;
  /** `INFO`, `NOTICE`, `ERROR`, … as written. */
  level: string;
  /** The message on the header line (the padding after the level not included). */
  message: string;
  /** The lines that continue it, without their endings. */
  continuation: string[];
  /** Set (by the stream only) when more continuation lines followed than it keeps. */
  truncated?: true;
  event: LogEvent;
}

/** A line before the first record that has no header: kept verbatim. */
export interface UnknownLine {
  kind: 'unknown';
  line: number;
  text: string;
}

/** An entry of the log: a record, or a line that is not part of one. */
export type Entry = LogRecord | UnknownLine;

/** The log as plain data (what `fwconf parse` prints). */
export interface Fail2banLogJSON {
  entries: Entry[];
}

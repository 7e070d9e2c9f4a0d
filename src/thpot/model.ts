/**
 * The typed model of a tinyhoneypot capture log: one entry per physical line. This is what
 * `doc.toJSON()`, `fwconf parse --format thpot` and the streaming `records()` give; its shape is
 * public API.
 */
import type { Diagnostic } from '../core/diagnostics.js';

/** The date thpot wrote: `strftime("%b %d %T", localtime)` at session start. No year, local time. */
export interface Timestamped {
  /** The month exactly as `%b` printed it: `Feb` in the C locale, ` 2月` (padded) under ja_JP.UTF-8. */
  month: string;
  /** 1..12 when the month name is known (C locale, or unambiguous in a known locale), else null. */
  monthNumber: number | null;
  /** Day of the month (`%d`, written zero-padded). */
  day: number;
  /** `HH:MM:SS` as written. */
  time: string;
  /** The whole date as written, e.g. `Feb 29 13:02:10`. */
  timestamp: string;
}

/**
 * One session of the single-line layout (logtype "single", the default):
 * `Mon DD HH:MM:SS SID=<sid> PID=<pid> SRC=<ip> SPT=<port>[ ET=HH:MM:SS][ BYTES=<n>]`.
 */
export interface Capture extends Timestamped {
  kind: 'capture';
  /** 1-based line number. */
  line: number;
  /** The session id without its service suffix: uppercase hex (seconds then microseconds, unpadded) or decimal `time()`. */
  sid: string;
  /** The `.<svcname>` suffix of the SID (server_args' first word); null for the silent listener. */
  service: string | null;
  /** The logging Perl process's pid. */
  pid: number;
  /** SRC as written: an IPv4 or IPv6 address, or `''` when thpot could not find the peer. */
  src: string;
  /** SPT as a port number; null when empty (or when thpot wrote something else: see `sptText`). */
  spt: number | null;
  /** Present only when SPT is neither empty nor a port number (netstat output split wrongly). */
  sptText?: string;
  /** Session length in seconds (ET, which thpot omits when 0 and which wraps after 24 h). */
  elapsed: number;
  /** Bytes the peer sent (BYTES, omitted when 0). */
  bytes: number;
}

/** Multi-line layout: `Mon DD HH:MM:SS start thp SID <sid>, UNIX pid <pid> source <ip:port>`. */
export interface SessionStart extends Timestamped {
  kind: 'start';
  line: number;
  sid: string;
  service: string | null;
  pid: number;
  /** The raw netstat `ip:port`. */
  source: string;
  /** The address part of `source` (before its last `:`), `''` when there is none. */
  src: string;
  /** The port part of `source`, null when it is not a port number. */
  spt: number | null;
}

/** Multi-line layout: `Mon DD HH:MM:SS end thp SID <sid>[ - timeout]`. */
export interface SessionEnd extends Timestamped {
  kind: 'end';
  line: number;
  sid: string;
  service: string | null;
  timeout: boolean;
}

/** Multi-line layout: `\t- elapsed time HH:MM:SS` (only when > 0). */
export interface ElapsedLine {
  kind: 'elapsed';
  line: number;
  elapsed: number;
}

/** Multi-line layout: `\t- total <n> bytes` (only when > 0). */
export interface TotalLine {
  kind: 'total';
  line: number;
  bytes: number;
}

/** Multi-line layout: the blank line thpot prints before each start line. */
export interface Separator {
  kind: 'separator';
  line: number;
}

/**
 * A line of neither layout (blank lines elsewhere included), kept as it is: the format's unknown line.
 * Its `kind` stays `invalid` in the JSON (public shape; see the deprecation note on `InvalidLine`).
 */
export type UnknownLine = InvalidLine;

/** @deprecated use `UnknownLine`, the name every format gives the unreadable line. */
export interface InvalidLine {
  kind: 'invalid';
  line: number;
  /** The line without its ending (for streamed lines longer than the limit, its beginning). */
  text: string;
  /** Set when a streamed line was longer than `maxLineLength` and `text` holds only its start. */
  truncated?: boolean;
}

/** A well-formed line. */
export type CaptureRecord = Capture | SessionStart | SessionEnd | ElapsedLine | TotalLine | Separator;

/** One line of a capture log. */
export type Entry = CaptureRecord | InvalidLine;

/** What the streaming API yields: an entry plus the diagnostics about its line, if any. */
export type StreamEntry = Entry & { diagnostics?: Diagnostic[] };

/** Which layout a log uses, judged by its well-formed lines. */
export type Layout = 'single' | 'multi' | 'mixed' | 'none';

/** `doc.toJSON()`. */
export interface CaptureLogJSON {
  layout: Layout;
  /** Every line in order: well-formed lines and invalid ones. */
  entries: Entry[];
}

/** A session, where the log tells one: single-line captures and multi-line start lines. */
export function isSession(e: Entry): e is Capture | SessionStart {
  return e.kind === 'capture' || e.kind === 'start';
}

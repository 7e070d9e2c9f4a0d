/**
 * One line of fail2ban.log: its header and what its message says.
 *
 * fail2ban-server logs with `%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s %(message)s`
 * (helpers.getVerbosityFormat, fail2ban 0.9–1.1; 0.8 wrote `%(name)-16s: %(levelname)-6s`, without
 * the pid). asctime is Python logging's `YYYY-MM-DD HH:MM:SS,mmm`, in local time. A message holding
 * line breaks (a traceback logged with exc_info, an exception text) continues on the next lines, which
 * have no header: they belong to the record above.
 */
import type { LogEvent } from './model.js';

/** The header: timestamp, logger name (padded), optional `[pid]`, `:`, level name. */
const HEADER = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ([^\s[:]+) *(?:\[(\d+)\])?: (CRITICAL|ERROR|WARNING|NOTICE|INFO|MSG|DEBUG|TRACE|HEAVY|#\d\d-Lev\.|Level \d+)(?= |$)/;

/** The header of a record line: timestamp, logger, `[pid]` and level, as fail2ban-server writes them. */
export interface Header {
  timestamp: string;
  logger: string;
  pid: number | null;
  level: string;
  message: string;
  /** 1-based column of the message's first character. */
  messageColumn: number;
}

/** The header of a line (without its ending), or null when the line has none. */
export function parseHeader(text: string): Header | null {
  const m = HEADER.exec(text);
  if (!m) return null;
  const level = m[4]!;
  // The level is padded to 7 (6 before 0.9, when there is no pid), then one space.
  const width = m[3] === undefined ? 6 : 7;
  let at = m[0].length;
  const pad = Math.max(0, width - level.length) + 1;
  let skipped = 0;
  while (skipped < pad && text.charCodeAt(at) === 32) {
    at++;
    skipped++;
  }
  return { timestamp: m[1]!, logger: m[2]!, pid: m[3] === undefined ? null : Number(m[3]), level, message: text.slice(at), messageColumn: at + 1 };
}

/** True when a line starts with a log header (what a continuation line never does). */
export function isHeader(text: string): boolean {
  return HEADER.test(text);
}

/** Python's repr of a str, as `%r` writes a jail name: `'sshd'`, `"it's"`. */
const REPR = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
const JAIL_STATE = new RegExp(`^Jail ${REPR} (started|stopped)$`);
const CREATING = /^Creating new jail '(.*)'$/;
/** After `[JAIL] ` (jail names hold no `]`: configparser's section headers cannot). */
const ALREADY = /^(\S+) already banned$/;
const REBAN = /^Reban (\S+)(?:, action '.*')?$/;
const INCREASE = /^Increase Ban (\S+) \((\d+) # (.*) -> (.*)\)$/;
/** `Found IP - YYYY-MM-DD HH:MM:SS` (0.9+), `Found IP` (0.8). */
const FOUND = /^Found ([^\s,]+)(?: - (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d))?$/;
/** The observer's `Found IP, bad - TIME, BANCOUNT # -> RETRY[, Ban]`. */
const FOUND_BAD = /^Found (\S+), bad - (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (\d+) # -> (\S+?)(, Ban)?$/;
const IGNORE = /^Ignore (\S+) by (.*)$/;
const ONE_WORD = /^\S+$/;
const STARTING = /^Starting Fail2ban v(\S+)$/;

function unrepr(r: string): string {
  return r.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** What a record says, from its level and message (its first line). */
export function classify(level: string, message: string): LogEvent {
  let m: RegExpExecArray | null;
  const c = message.charCodeAt(0);
  if (c === 91 /* [ */) {
    const close = message.indexOf('] ', 1);
    if (close > 1) {
      const jail = message.slice(1, close);
      const rest = message.slice(close + 2);
      const word = (prefix: string) => (rest.startsWith(prefix) && ONE_WORD.test(rest.slice(prefix.length)) ? rest.slice(prefix.length) : null);
      let ip: string | null;
      if (rest.startsWith('Found ')) {
        if ((m = FOUND.exec(rest))) return { type: 'found', jail, ip: m[1]!, time: m[2] ?? null };
        if ((m = FOUND_BAD.exec(rest))) return { type: 'found-bad', jail, ip: m[1]!, time: m[2]!, banCount: Number(m[3]), retry: m[4]!, ban: m[5] !== undefined };
      }
      if ((ip = word('Ban '))) return { type: 'ban', jail, ip };
      if ((ip = word('Unban '))) return { type: 'unban', jail, ip };
      if ((ip = word('Restore Ban '))) return { type: 'restore-ban', jail, ip };
      if ((m = ALREADY.exec(rest))) return { type: 'already-banned', jail, ip: m[1]! };
      if ((m = INCREASE.exec(rest))) return { type: 'increase-ban', jail, ip: m[1]!, banCount: Number(m[2]), bantime: m[3]!, until: m[4]! };
      if ((m = REBAN.exec(rest))) return { type: 'reban', jail, ip: m[1]! };
      if ((m = IGNORE.exec(rest))) return { type: 'ignore', jail, ip: m[1]!, by: m[2]! };
    }
  } else if (c === 74 /* J */) {
    if ((m = JAIL_STATE.exec(message))) return { type: m[2] === 'started' ? 'jail-started' : 'jail-stopped', jail: unrepr(m[1]!) };
  } else if (c === 67 /* C */) {
    if ((m = CREATING.exec(message))) return { type: 'jail-created', jail: m[1]! };
  } else if (c === 83 /* S */) {
    if ((m = STARTING.exec(message))) return { type: 'server-started', version: m[1]! };
  } else if (message === 'Exiting Fail2ban') return { type: 'server-exited' };
  if (level === 'ERROR' || level === 'CRITICAL') return { type: 'error' };
  if (level === 'WARNING') return { type: 'warning' };
  return { type: 'other' };
}

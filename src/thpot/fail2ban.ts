/**
 * What fail2ban makes of a capture line with the usual thpot filter, `failregex = SRC=<HOST>`:
 * the host it extracts, and whether its date detector reads the timestamp (without a date, fail2ban
 * logs "Found a match … but no valid date/time found" and bans nothing).
 *
 * The expression is fail2ban 1.0's own `<HOST>`, searched as fail2ban's Filter does (a line
 * and its newline, re.MULTILINE off for a one-line buffer).
 */
import { FailRegex } from '../fail2ban/filter/failregex.js';
import { FAM_IPV4, FAM_IPV6, ipAddr, ipText } from '../fail2ban/filter/ipaddr.js';
import { monthInfo } from '../core/months.js';

/** What `SRC=<HOST>` takes from a line. */
export interface FailregexHost {
  /** The text the `<HOST>` group matched. */
  match: string;
  /** Which of `<HOST>`'s groups matched. */
  kind: 'ip4' | 'ip6' | 'dns';
  /**
   * The host as fail2ban bans it (what `fail2ban-regex -o row` prints): a valid IPv6 address in
   * inet_ntop's form, an IPv4-mapped one as IPv4; anything else as matched.
   */
  host: string;
}

const compiled = new Map<string, FailRegex>();

/**
 * The host a failregex (default `SRC=<HOST>`) extracts from a line, through fail2ban's regex layer
 * (src/fail2ban/filter); undefined when it does not match or matches no host group.
 */
export function failregexHost(line: string, failregex = 'SRC=<HOST>'): FailregexHost | undefined {
  let re = compiled.get(failregex);
  if (!re) compiled.set(failregex, (re = new FailRegex(failregex, { multiline: false })));
  re.search(line + '\n', [['', '', line]]);
  if (!re.hasMatched()) return undefined;
  const g = re.getGroups();
  if (typeof g.ip4 === 'string') return { match: g.ip4, kind: 'ip4', host: ipText(ipAddr(g.ip4, FAM_IPV4)) };
  if (typeof g.ip6 === 'string') return { match: g.ip6, kind: 'ip6', host: ipText(ipAddr(g.ip6, FAM_IPV6)) };
  if (typeof g.dns === 'string') return { match: g.dns, kind: 'dns', host: g.dns };
  return undefined;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * fail2ban reads the record's date: the month is an English `%b` name (case-insensitively, as its
 * `(?iu)` date templates match) and the day exists in `year` — fail2ban gives a date without a year
 * the current one, so `Feb 29` is unreadable in a common year.
 */
export function fail2banReadsDate(rec: { month: string; day: number }, year: number = new Date().getFullYear()): boolean {
  const info = monthInfo(rec.month);
  if (!info.fail2ban || info.number === null) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = info.number === 2 && leap ? 29 : DAYS[info.number - 1]!;
  return rec.day >= 1 && rec.day <= max;
}

/** The date fields of a capture line, as the thpot parser reads them. */
export interface DatedFields {
  month: string;
  day: number;
  /** `HH:MM:SS` */
  time: string;
}

/** What fail2ban dates a line with. */
export interface Fail2banDate {
  /** Seconds since the epoch (the log's time zone taken as UTC). */
  time: number;
  /** The line's own date was unreadable and fail2ban took the last date it read (see fail2banLogDates). */
  reused: boolean;
}

/**
 * The time fail2ban reads from a line's own date at clock `now`, or undefined when it cannot: the date
 * is unreadable (fail2banReadsDate), or the time is out of range. A date without a year gets `now`'s year,
 * and the year before when that puts it more than a day after `now` (strptime.py's assume_year; a Feb 29
 * that moves to a common year is then unreadable too). The log's time zone is taken as UTC.
 */
export function fail2banOwnDate(rec: DatedFields, now: Date): number | undefined {
  const t = /^(\d\d):(\d\d):(\d\d)$/.exec(rec.time);
  if (!t || +t[1]! > 23 || +t[2]! > 59 || +t[3]! > 59) return undefined;
  const month = monthInfo(rec.month).number;
  const at = (year: number) => (month !== null && fail2banReadsDate(rec, year) ? Date.UTC(year, month - 1, rec.day, +t[1]!, +t[2]!, +t[3]!) / 1000 : undefined);
  const year = now.getUTCFullYear();
  const time = at(year);
  if (time === undefined) return undefined;
  return time > now.getTime() / 1000 + 86400 ? at(year - 1) : time;
}

/**
 * How fail2ban dates the lines of a log, read in order at clock `now` (filter.py processLine, with
 * checkFindTime off as in fail2ban-regex): a line takes its own date when fail2ban can read it, and the
 * reading becomes the "last date". A line whose date it cannot read — a German `Mai`, a `Feb 29` of a
 * common year, no date at all — takes the last date instead, if that is no more than 60 s before `now`
 * (a date up to a day ahead of `now` counts); otherwise it has no date (null), and fail2ban logs "Found
 * a match … but no valid date/time found". fail2ban-regex prints such a reused-date line (`-o msg`) with
 * the last date's text in front of it. `records[i]` is undefined for a line with no date fields.
 */
export function fail2banLogDates(records: readonly (DatedFields | undefined)[], now: Date): (Fail2banDate | null)[] {
  const limit = now.getTime() / 1000 - 60;
  let last: number | undefined;
  return records.map((rec) => {
    const own = rec && fail2banOwnDate(rec, now);
    if (own !== undefined) {
      last = own;
      return { time: own, reused: false };
    }
    return last !== undefined && last > limit ? { time: last, reused: true } : null;
  });
}

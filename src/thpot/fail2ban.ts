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
import { monthInfo } from './months.js';

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

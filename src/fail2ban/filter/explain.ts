/**
 * Why a line was missed, in words: no date found (with the other-locale month trap spelled out),
 * a date text fail2ban cannot turn into a time, or no failregex matching.
 */
import { LOCALE_MONTHS } from '../../core/months.js';
import type { LineResult } from './engine.js';

const FOREIGN = (() => {
  const m = new Map<string, string[]>();
  const english = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
  for (const [loc, names] of Object.entries(LOCALE_MONTHS))
    for (const n of names) {
      const k = n.trim();
      if (english.has(k.toLowerCase())) continue;
      m.set(k, [...(m.get(k) ?? []), loc]);
    }
  return m;
})();

/** A month name of another locale at a date's place: `Mai 14 11:00:00`, ` 2月 14 ...`, `14/Okt/2026:...`. */
export function foreignMonth(line: string): { name: string; locales: string[] } | undefined {
  const re = /(?:^|[\s[/(-])(\S{1,8}?)(?:[\s/-]{1,2}\d{1,2}(?:,? \d{4})?[\s:T]\d{1,2}:\d\d|[/-]\d{4}[: ]\d{1,2}:\d\d)/gu;
  for (const m of line.matchAll(re)) {
    const name = m[1]!.replace(/^[\s[(]+/, '');
    const locales = FOREIGN.get(name);
    if (locales) return { name, locales };
  }
  return undefined;
}

/** Why a line gave no failure, in one sentence (no date found, no failregex matched, an ignoreregex matched, ...). */
export function missReason(r: LineResult): string {
  if (r.exception) return `fail2ban fails on this line: ${r.exception}`;
  const d = r.date;
  if (d.template === undefined || d.noDate) {
    const f = foreignMonth(r.line);
    const what = d.error ? `the date '${d.text}' gives no time (${d.error})` : 'no date found';
    if (f)
      return `${what}: '${f.name}' is a month name of ${f.locales.join(', ')}, not English; fail2ban reads %b/%B in the C locale only, whatever LC_TIME the writer had. Run the program that writes this log with LC_TIME=POSIX (or C.UTF-8), or use a numeric datepattern.`;
    if (d.error) return `${what}${d.reused ? '; the last date was used instead' : ''}`;
    return `no valid date/time found${d.reused ? ' (the last date, from the line before, was used)' : ''}`;
  }
  if (r.ignored.length) return `ignored by ignoreregex ${r.ignored.map((i) => i + 1).join(', ')}`;
  return 'no failregex matched';
}

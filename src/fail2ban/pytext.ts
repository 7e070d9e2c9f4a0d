/**
 * Python's `str` whitespace and case rules, which fail2ban's configparser applies (str.strip(),
 * str.isspace(), str.lower(), and the `\s` / `\w` classes of `re` on str). JavaScript's `\s` and
 * `trim()` differ (they include U+FEFF, exclude U+001C..U+001F and U+0085).
 */

/** Characters for which Python's str.isspace() is true, as a regex class body. */
export const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `\w` on str: letters, digits of every kind, underscore. */
export const PY_WORD = '\\p{L}\\p{N}_';

const WS_RE = new RegExp(`[${PY_WS}]`, 'u');
const LEAD_RE = new RegExp(`^[${PY_WS}]+`, 'u');
const TRAIL_RE = new RegExp(`[${PY_WS}]+$`, 'u');
const NONSPACE_RE = new RegExp(`[^${PY_WS}]`, 'u');

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && WS_RE.test(ch);
}

export function pyStrip(s: string): string {
  return s.replace(LEAD_RE, '').replace(TRAIL_RE, '');
}

export function pyLstrip(s: string): string {
  return s.replace(LEAD_RE, '');
}

export function pyRstrip(s: string): string {
  return s.replace(TRAIL_RE, '');
}

/** Index of the first non-whitespace character (`NONSPACECRE.search(line).start()`), -1 if none. */
export function firstNonSpace(s: string): number {
  const m = NONSPACE_RE.exec(s);
  return m ? m.index : -1;
}

/** str.lower(), which configparser's optionxform applies to keys. */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** A Python value as fail2ban's readers hold it: strings, ints, bools, None. */
export type PyValue = string | number | boolean | null;

/** `str(value)` in Python. */
export function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/**
 * Python's `str` whitespace and case rules, which fail2ban's configparser applies (str.strip(),
 * str.isspace(), str.lower(), and the `\s` / `\w` classes of `re` on str). JavaScript's `\s` and
 * `trim()` differ (they include U+FEFF, exclude U+001C..U+001F and U+0085).
 */

/** Characters for which Python's str.isspace() is true, as a regex class body. */
export const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `\w` on str: letters, digits of every kind, underscore. */
export const PY_WORD = '\\p{L}\\p{N}_';


/** str.isspace() for one UTF-16 code unit. */
export function spaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && spaceCode(ch.charCodeAt(0));
}

export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && spaceCode(s.charCodeAt(a))) a++;
  while (b > a && spaceCode(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function pyLstrip(s: string): string {
  let a = 0;
  while (a < s.length && spaceCode(s.charCodeAt(a))) a++;
  return a === 0 ? s : s.slice(a);
}

export function pyRstrip(s: string): string {
  let b = s.length;
  while (b > 0 && spaceCode(s.charCodeAt(b - 1))) b--;
  return b === s.length ? s : s.slice(0, b);
}

/** Index of the first non-whitespace character (`NONSPACECRE.search(line).start()`), -1 if none. */
export function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) if (!spaceCode(s.charCodeAt(i))) return i;
  return -1;
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

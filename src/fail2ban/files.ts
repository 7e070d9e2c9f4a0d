/**
 * Python's glob.glob over any FileSource (fnmatch rules, which are fail2ban's: `*`, `?`, `[seq]`,
 * `[!seq]`, no escapes, hidden names matched only by a pattern starting with a dot).
 */
import { compareCodePoints, hasMagic, type FileSource } from '../core/files.js';
import { compileGlob, type GlobMatcher } from '../core/glob.js';

/** A literal character outside a class. `-` is not escaped: `\-` outside a class is a syntax error under the `u` flag. */
function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? '\\' + c : c;
}

/**
 * fnmatch.translate (Python 3.11) as a JavaScript RegExp source, anchored: the reference the tests
 * hold {@link compileGlob}'s `fnmatch` dialect to. Not for matching: the regex backtracks
 * exponentially in the number of `*` (`*a*a*a…*b`); pyGlob matches with compileGlob.
 */
export function fnmatchSource(pat: string): string {
  let res = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      if (!res.endsWith('[^]*')) res += '[^]*';
    } else if (c === '?') res += '[^]';
    else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        res += '\\[';
        continue;
      }
      let stuff = pat.slice(i, j);
      if (!stuff.includes('-')) stuff = stuff.replace(/\\/g, '\\\\');
      else {
        const chunks: string[] = [];
        let k = pat[i] === '!' ? i + 2 : i + 1;
        for (;;) {
          k = pat.indexOf('-', k);
          if (k < 0 || k >= j) break;
          chunks.push(pat.slice(i, k));
          i = k + 1;
          k = k + 3;
        }
        const chunk = pat.slice(i, j);
        if (chunk) chunks.push(chunk);
        else chunks[chunks.length - 1] += '-';
        for (let m = chunks.length - 1; m > 0; m--) {
          if (chunks[m - 1]!.slice(-1) > chunks[m]![0]!) {
            chunks[m - 1] = chunks[m - 1]!.slice(0, -1) + chunks[m]!.slice(1);
            chunks.splice(m, 1);
          }
        }
        stuff = chunks.map((s) => s.replace(/\\/g, '\\\\').replace(/-/g, '\\-')).join('-');
      }
      i = j + 1;
      if (!stuff) res += '(?!)';
      else if (stuff === '!') res += '[^]';
      else {
        // In a JavaScript class, `[` and `]` need escaping where Python's do not (Python escapes `&~|`).
        let body = stuff.replace(/[[\]]/g, '\\$&');
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        res += '[' + body + ']';
      }
    } else res += reEscape(c);
  }
  return '^(?:' + res + ')$';
}

/** os.path.join for two parts: no normalisation. */
function osJoin(a: string, b: string): string {
  return a.endsWith('/') ? a + b : a + '/' + b;
}

const matchers = new Map<string, GlobMatcher>();
function fnmatch(name: string, pat: string): boolean {
  let m = matchers.get(pat);
  if (!m) matchers.set(pat, (m = compileGlob(pat, 'fnmatch')));
  return m(name);
}

/**
 * Python's glob.glob(pattern) (not recursive), sorted. Listed names that are dangling links are kept
 * as Python keeps them; a pattern without wildcards is checked with `stat` (a FileSource has no
 * lstat), so there a dangling link is dropped — fail2ban drops them all afterwards anyway.
 */
export function pyGlob(files: FileSource, pattern: string): string[] {
  if (!hasMagic(pattern)) return files.stat(pattern) !== undefined ? [pattern] : [];
  const slash = pattern.lastIndexOf('/');
  const dirname = slash < 0 ? '' : pattern.slice(0, slash + 1).replace(/\/+$/, '') || pattern.slice(0, slash + 1);
  const basename = pattern.slice(slash + 1);
  const dirs = dirname === '' ? [''] : hasMagic(dirname) ? pyGlob(files, dirname) : [dirname];
  const out: string[] = [];
  for (const d of dirs) {
    if (hasMagic(basename)) {
      const names = files.list(d === '' ? '.' : d);
      if (!names) continue;
      const hidden = basename.startsWith('.');
      for (const name of names) {
        if (!hidden && name.startsWith('.')) continue;
        if (fnmatch(name, basename)) out.push(d === '' ? name : osJoin(d, name));
      }
    } else if (basename === '') {
      if (files.stat(d) === 'dir') out.push(osJoin(d, ''));
    } else {
      const p = d === '' ? basename : osJoin(d, basename);
      if (files.stat(p) !== undefined) out.push(p);
    }
  }
  return out.sort(compareCodePoints);
}

/**
 * Python's glob.glob over any FileSource (fnmatch rules, which are fail2ban's: `*`, `?`, `[seq]`,
 * `[!seq]`, no escapes, hidden names matched only by a pattern starting with a dot).
 */
import { compareCodePoints, hasMagic, type FileSource } from '../core/files.js';
import { compileGlob, type GlobMatcher } from '../core/glob.js';

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

/**
 * FileSource: the only way semantics reach files. Parsers stay pure; includes, overlays and globs go
 * through a FileSource, so tests run on an in-memory tree and callers can re-root (`--root DIR`).
 * Paths are POSIX paths as the daemon sees them (`/etc/ssh/sshd_config`), whatever the root.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';

// picomatch is loaded on the first glob with a wildcard: most commands never glob, and loading it costs
// several milliseconds of start-up.
let picomatchModule: typeof import('picomatch') | undefined;
function picomatch(): typeof import('picomatch') {
  return (picomatchModule ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch'));
}

export type FileKind = 'file' | 'dir' | 'other';

export interface FileSource {
  /** The file's text (UTF-8), or undefined when it does not exist or is not a readable file. */
  read(path: string): string | undefined;
  /** Names of a directory's entries (unsorted), or undefined when it is not a directory. */
  list(dir: string): string[] | undefined;
  /** What a path is (symlinks followed), or undefined when it does not exist. */
  stat(path: string): FileKind | undefined;
}

const posix = nodePath.posix;

/** Byte-order (strcmp) comparison, the order of glob(3), sorted() in Python and xinetd's includedir. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function hasMagic(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/**
 * glob(3) over a FileSource: `*`, `?` and `[...]` within one path segment, no brace or tilde
 * expansion, dot-files matched only by a pattern that starts with a dot, results sorted in
 * code-point order. A relative pattern is taken relative to `cwd` (default `/`).
 */
export function glob(files: FileSource, pattern: string, cwd = '/'): string[] {
  const abs = posix.isAbsolute(pattern) ? pattern : posix.join(cwd, pattern);
  const segments = abs.split('/').filter((s, i) => i === 0 || s !== '');
  let current = ['/'];
  for (const seg of segments.slice(1)) {
    const next: string[] = [];
    if (!hasMagic(seg)) {
      for (const dir of current) next.push(posix.join(dir, seg));
    } else {
      const isMatch = picomatch()(seg, { dot: seg.startsWith('.'), nobrace: true, noextglob: true, posix: true });
      for (const dir of current) {
        const names = files.list(dir);
        if (!names) continue;
        for (const name of [...names].sort(compareCodePoints)) if (isMatch(name)) next.push(posix.join(dir, name));
      }
    }
    current = next;
  }
  return current.filter((p) => files.stat(p) !== undefined).sort(compareCodePoints);
}

/** Reads the real file system; with `root`, every absolute path is taken below it. */
export class NodeFileSource implements FileSource {
  readonly root: string;

  constructor(options: { root?: string } = {}) {
    this.root = nodePath.resolve(options.root ?? '/');
  }

  /** The real path of a daemon-visible path. */
  real(path: string): string {
    // A clean absolute path (the common case) needs no normalising.
    const abs = path.startsWith('/') && !/\/\.\.?(?:\/|$)|\/\//.test(path) ? path : posix.resolve('/', path);
    return this.root === '/' ? abs : nodePath.join(this.root, abs);
  }

  read(path: string): string | undefined {
    try {
      return fs.readFileSync(this.real(path), 'utf8');
    } catch {
      return undefined;
    }
  }

  list(dir: string): string[] | undefined {
    try {
      return fs.readdirSync(this.real(dir));
    } catch {
      return undefined;
    }
  }

  stat(path: string): FileKind | undefined {
    try {
      const s = fs.statSync(this.real(path), { throwIfNoEntry: false });
      if (!s) return undefined;
      return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
    } catch {
      return undefined;
    }
  }
}

/** An in-memory tree: `{ '/etc/ssh/sshd_config': 'Port 22\n' }`. Directories are implied by paths. */
export class MemoryFileSource implements FileSource {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [p, text] of Object.entries(files)) this.write(p, text);
  }

  write(path: string, text: string): void {
    this.files.set(posix.resolve('/', path), text);
  }

  read(path: string): string | undefined {
    return this.files.get(posix.resolve('/', path));
  }

  list(dir: string): string[] | undefined {
    const d = posix.resolve('/', dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of this.files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    return names.size > 0 || d === '/' ? [...names] : undefined;
  }

  stat(path: string): FileKind | undefined {
    const p = posix.resolve('/', path);
    if (this.files.has(p)) return 'file';
    return this.list(p) ? 'dir' : undefined;
  }
}

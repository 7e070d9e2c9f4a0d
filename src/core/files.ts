/**
 * FileSource: the only way semantics reach files. Parsers stay pure; includes, overlays and globs go
 * through a FileSource, so tests run on an in-memory tree and callers can re-root (`--root DIR`).
 * Paths are POSIX paths as the daemon sees them (`/etc/ssh/sshd_config`), whatever the root.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { compileGlob, hasWildcard } from './glob.js';
import type { FwconfCode } from './codes.js';
import { encodeText } from './text.js';

/** What a path is, as FileSource.stat tells it. */
export type FileKind = 'file' | 'dir' | 'other';

/** Where files are read from: the real file system (NodeFileSource, optionally below a root), or files held in memory (MemoryFileSource). */
export interface FileSource {
  /** The file's text (UTF-8), or undefined when it does not exist or is not a readable file. */
  read(path: string): string | undefined;
  /**
   * The file's bytes, or undefined as for `read`. Optional: a source without it holds text, where a
   * byte that is not UTF-8 can only be a lone surrogate U+DC80..U+DCFF (core/text.ts decodeBytes).
   */
  readBytes?(path: string): Uint8Array | undefined;
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

/** True when a path segment holds a glob character (`*`, `?` or `[`). */
export function hasMagic(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/**
 * glob(3) over a FileSource, as glibc's glob(pattern, 0) in the C locale: `*`, `?` and `[...]` within
 * one path segment (matched by {@link compileGlob}'s `glob3` dialect: bytes, backslash quoting, in
 * time linear in the name), no brace or tilde expansion, dot-files matched only by a pattern that
 * starts with a dot, results sorted in code-point order. A segment without wildcards is taken as it is,
 * its backslashes removed. A relative pattern is taken relative to `cwd` (default `/`).
 */
export function glob(files: FileSource, pattern: string, cwd = '/'): string[] {
  const abs = posix.isAbsolute(pattern) ? pattern : posix.join(cwd, pattern);
  const segments = abs.split('/').filter((s, i) => i === 0 || s !== '');
  let current = ['/'];
  for (const seg of segments.slice(1)) {
    const next: string[] = [];
    if (!hasWildcard(seg, 'glob3')) {
      const literal = seg.replace(/\\(.)/g, '$1');
      for (const dir of current) next.push(posix.join(dir, literal));
    } else {
      const isMatch = compileGlob(seg, 'glob3', { period: true });
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

/** Thrown when a path cannot be followed without leaving a root (a symbolic-link loop, a dangling link to write through). */
export class PathEscapeError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: refusing to touch it: ${detail}`);
  }
}

/** Symbolic links one resolution follows at most: Linux's MAXSYMLINKS, after which open(2) fails with ELOOP. */
const MAX_LINKS = 40;

/** A daemon path resolved below a root, as the daemon would resolve it chrooted there. */
export interface RootedPath {
  /**
   * The host path: the existing components resolved (no symbolic link left in them), below the root;
   * from the first component that does not exist on, the rest appended as it is, so that opening it
   * fails as it would in the chroot.
   */
  readonly real: string;
  /** `real` as the daemon names it (relative to the root, `/` first). */
  readonly daemon: string;
  /** Whether every component exists (`real` is then the file itself). */
  readonly exists: boolean;
  /**
   * The symbolic link whose target, taken below the root, does not exist (a dangling link), when that
   * is why the path does not exist: its daemon path, its target as written, and whether following it
   * took an absolute target or a `..` above the root back to the root — where the host would have
   * left it (the link's own target: the `..`s of a relative one counted from the link's directory).
   */
  readonly dangling?: { readonly link: string; readonly target: string; readonly rerooted: boolean };
}

interface Pending {
  readonly name: string;
  /** The link this component comes from (its target's components), if any. */
  readonly link?: { readonly path: string; readonly target: string; readonly rerooted: boolean };
}

function pushComponents(todo: Pending[], path: string, link?: Pending['link']): void {
  const names = path.split('/');
  // A trailing slash asks for a directory, as `.` after the last component does.
  if (names.length > 1 && names[names.length - 1] === '') names[names.length - 1] = '.';
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    if (name !== '') todo.push(link ? { name, link } : { name });
  }
}

/**
 * Resolves a daemon path below `root` the way the kernel would with `root` as the process's root
 * directory (chroot(2)): each component is looked up with lstat, a symbolic link's target replaces it
 * — an absolute target starting again at `root`, a relative one at the link's directory — and `..`
 * never climbs above `root`. So no symbolic link, however written, leads out of `root`. `root` must be
 * an absolute path without symbolic links (`fs.realpathSync`). More than 40 links (a loop) throw a
 * PathEscapeError naming them; every other failure (missing, not a directory, no permission) is left
 * to the caller's open(2) on `real`.
 *
 * Options: `followLast: false` leaves a link at the last component unresolved (as lstat, rename and
 * unlink take it); `onLink` sees every link before it is followed, with `leaves` true where this host,
 * resolving the same path without the chroot, would leave the root (an absolute target, or more `..`
 * than the link is deep) — a caller that must agree with programs running on host paths throws there.
 */
export function resolveBelowRoot(
  root: string,
  path: string,
  options: { followLast?: boolean; onLink?: (link: { path: string; target: string; leaves: boolean }) => void } = {},
): RootedPath {
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  const todo: Pending[] = [];
  pushComponents(todo, path);
  const done: string[] = [];
  const links: string[] = [];
  const joined = (names: readonly string[]) => '/' + names.join('/');
  const remaining = () => todo.reduceRight<string[]>((a, t) => (a.push(t.name), a), []);
  while (todo.length > 0) {
    const { name, link } = todo.pop()!;
    if (name === '.') continue;
    if (name === '..') {
      done.pop(); // at the root, `..` is the root
      continue;
    }
    done.push(name);
    const host = base + joined(done);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(host, { throwIfNoEntry: false });
    } catch {
      st = undefined; // no permission, not a directory: open(2) on the same path says which
    }
    if (!st || (!st.isDirectory() && !st.isSymbolicLink() && todo.length > 0)) {
      // Missing, or a file with more components after it: the rest, unresolved, fails to open as it would in the chroot.
      const rest = remaining();
      const all = [...done, ...rest];
      return {
        real: base + joined(all),
        daemon: joined(all),
        exists: false,
        ...(!st && link ? { dangling: { link: link.path, target: link.target, rerooted: link.rerooted } } : {}),
      };
    }
    if (!st.isSymbolicLink() || (todo.length === 0 && options.followLast === false)) continue;
    const at = joined(done);
    done.pop();
    const target = fs.readlinkSync(host);
    links.push(`${at} -> ${target}`);
    if (links.length > MAX_LINKS) {
      const shown = [...new Set(links)].slice(0, 4).join(', ');
      throw new PathEscapeError(path, `too many levels of symbolic links (a loop: ${shown}${new Set(links).size > 4 ? ', ...' : ''})`);
    }
    // Where the host would have left the root: an absolute target, or more `..`s than the link is deep.
    let depth = done.length;
    let leaves = target.startsWith('/');
    for (const part of target.split('/')) {
      if (part === '..') leaves ||= --depth < 0;
      else if (part !== '' && part !== '.') depth++;
    }
    options.onLink?.({ path: at, target, leaves });
    if (target.startsWith('/')) done.length = 0;
    pushComponents(todo, target, { path: at, target, rerooted: leaves && base !== '' });
  }
  return { real: done.length > 0 ? base + joined(done) : base || '/', daemon: joined(done), exists: true };
}

/**
 * Reads the real file system; with `root`, every absolute path is taken below it and every symbolic
 * link is resolved as a process chrooted there would resolve it ({@link resolveBelowRoot}): nothing
 * outside the root is ever read. What the resolution meets (a loop, a link whose target is missing
 * below the root) is kept in {@link NodeFileSource.problems}, and the path reads as missing.
 */
export class NodeFileSource implements FileSource {
  readonly root: string;
  private readonly realRoot: string;
  private readonly found = new Map<string, Diagnostic>();

  constructor(options: { root?: string } = {}) {
    this.root = nodePath.resolve(options.root ?? '/');
    let real = this.root;
    try {
      real = fs.realpathSync(this.root);
    } catch {
      /* a missing root: every path reads as missing */
    }
    this.realRoot = real;
  }

  /**
   * What resolving paths met, one diagnostic per path and kind, at line 1 of the daemon path: a loop of
   * symbolic links (an error: the path is not read), a link that leaves the root and whose target below
   * it does not exist (a warning: read as missing, as the daemon chrooted there would).
   */
  get problems(): Diagnostic[] {
    return [...this.found.values()];
  }

  /** The real path of a daemon-visible path (below the root, symbolic links resolved inside it). */
  real(path: string): string {
    // Not normalised: `..` after a symbolic link is its target's parent, as open(2) takes it.
    const abs = path.startsWith('/') ? path : posix.resolve('/', path);
    // Without a root the kernel resolves links the same way; loops are looked at when an open fails.
    if (this.realRoot === '/') return abs;
    const r = this.resolveOrReport(abs);
    if (!r.exists && r.dangling?.rerooted) {
      const { link, target } = r.dangling;
      this.report(link, 'fwconf/symlink-outside-root', 'warning', `symbolic link to ${target}, which is taken below the root ${this.root} (as the daemon chrooted there would): that file does not exist there, so it is read as missing`);
    }
    return r.real;
  }

  private resolveOrReport(abs: string): RootedPath {
    try {
      return resolveBelowRoot(this.realRoot, abs);
    } catch (e) {
      if (e instanceof PathEscapeError) this.report(abs, 'fwconf/symlink-loop', 'error', `cannot read: ${e.detail}`);
      throw e;
    }
  }

  private report(file: string, code: FwconfCode, severity: 'error' | 'warning', message: string): void {
    const key = `${code}|${file}`;
    if (!this.found.has(key)) this.found.set(key, diagnostic(code, severity, message, { line: 1, column: 1 }, file));
  }

  /** After a failed call without a root: ELOOP is reported (with the links, as resolved once more). */
  private failed(path: string, e: unknown): undefined {
    if (this.realRoot === '/' && (e as NodeJS.ErrnoException).code === 'ELOOP') {
      try {
        this.resolveOrReport(path.startsWith('/') ? path : posix.resolve('/', path));
      } catch {
        /* reported */
      }
    }
    return undefined;
  }

  read(path: string): string | undefined {
    try {
      return fs.readFileSync(this.real(path), 'utf8');
    } catch (e) {
      return this.failed(path, e);
    }
  }

  readBytes(path: string): Uint8Array | undefined {
    try {
      return fs.readFileSync(this.real(path));
    } catch (e) {
      return this.failed(path, e);
    }
  }

  list(dir: string): string[] | undefined {
    try {
      return fs.readdirSync(this.real(dir));
    } catch (e) {
      return this.failed(dir, e);
    }
  }

  stat(path: string): FileKind | undefined {
    try {
      const s = fs.statSync(this.real(path), { throwIfNoEntry: false });
      if (!s) return undefined;
      return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      return this.failed(path, e);
    }
  }
}

/** An in-memory tree: `{ '/etc/ssh/sshd_config': 'Port 22\n' }`. Directories are implied by paths. */
export class MemoryFileSource implements FileSource {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [p, text] of Object.entries(files)) this.write(p, text);
  }

  /** Adds or replaces a file (the path is made absolute). */
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

/**
 * Another source with some files' text replaced (or added): what a daemon would read once edited
 * Documents are written out. `new OverlayFileSource(new NodeFileSource(), { [doc.file]: doc.toString() })`.
 */
export class OverlayFileSource implements FileSource {
  private readonly files = new Map<string, string>();
  readonly readBytes: (path: string) => Uint8Array | undefined;

  constructor(
    private readonly inner: FileSource,
    files: Record<string, string>,
  ) {
    for (const [p, text] of Object.entries(files)) this.files.set(posix.resolve('/', p), text);
    const bytes = inner.readBytes?.bind(inner);
    this.readBytes = (path) => {
      const own = this.files.get(posix.resolve('/', path));
      if (own !== undefined) return encodeText(own);
      if (bytes) return bytes(path);
      const text = this.inner.read(path);
      return text === undefined ? undefined : encodeText(text);
    };
  }

  read(path: string): string | undefined {
    return this.files.get(posix.resolve('/', path)) ?? this.inner.read(path);
  }

  list(dir: string): string[] | undefined {
    const d = posix.resolve('/', dir);
    const prefix = d === '/' ? '/' : d + '/';
    const own = [...this.files.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]!);
    const inner = this.inner.list(dir);
    if (inner === undefined && own.length === 0) return undefined;
    return [...new Set([...(inner ?? []), ...own])];
  }

  stat(path: string): FileKind | undefined {
    const p = posix.resolve('/', path);
    if (this.files.has(p)) return 'file';
    const kind = this.inner.stat(path);
    if (kind !== undefined) return kind;
    const prefix = p === '/' ? '/' : p + '/';
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return 'dir';
    return undefined;
  }
}

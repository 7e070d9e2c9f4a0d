/**
 * Executors: where a plan's reads, writes and commands happen. Paths given to an executor are always
 * the paths the daemons see (`/etc/ssh/sshd_config`); an executor maps them to real files (a root
 * prefix, an in-memory tree, a remote host). Programs are run with an argument list, never through a
 * shell.
 */
import { PathEscapeError, resolveBelowRoot } from '../core/files.js';
import { shellJoin } from '../core/shell.js';
import { LockFile, syncDir, type ApplyLock, type LockOwner } from './lock.js';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

const posix = nodePath.posix;

export type FileKind = 'file' | 'dir' | 'other';

export interface FileInfo {
  readonly kind: FileKind;
  /** Permission bits (`0o644`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface RunResult {
  /** Exit status; 127 when the program could not be started, 124 after a timeout. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Kill the program after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface WriteOptions {
  mode: number;
  uid?: number;
  gid?: number;
}

/** Everything a plan needs from the machine it changes. */
export interface Executor {
  /** One line for the plan's header, e.g. `local, root /tmp/x`. */
  readonly description: string;
  /**
   * Whether this executor acts on the live system: reloads, restarts and post-checks run only then.
   * A root-prefixed executor is not live: its reloads are skipped and reported.
   */
  readonly live: boolean;
  /** False for a dry run: nothing it is told to do changes anything. */
  readonly mutates: boolean;
  /** File content, or undefined when the file does not exist. Symlinks are followed (within the root). */
  read(path: string): Promise<Uint8Array | undefined>;
  /** What the path is (symlinks followed), or undefined when it does not exist. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Names in a directory, or undefined when it is not one. */
  list(dir: string): Promise<string[] | undefined>;
  /**
   * Creates or truncates the file, writes the data, sets mode (and owner when given) and fsyncs it.
   * Callers install atomically by writing a temporary file in the same directory and renaming it.
   * Writes, renames and removals never follow a symbolic link at the path itself: a write or a rename
   * onto one is refused (PathEscapeError).
   */
  write(path: string, data: Uint8Array, options: WriteOptions): Promise<void>;
  /** Atomic rename within one directory tree; the directory is fsynced afterwards. Renaming a file onto another name of itself changes nothing (rename(2)). */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or an empty directory; a missing path is not an error. A symbolic link is removed itself. */
  remove(path: string): Promise<void>;
  /**
   * Keeps the existing file `from` under the new name `to` (which must not exist), as it is: a second
   * hard link, so the kept file is the original itself (content, mode, owner, times, extended
   * attributes) and renaming it back restores all of it. Where the file system refuses hard links, a
   * copy written through `temp` keeping mode, owner and modification time. Says which it made.
   * Optional: without it, callers copy the content.
   */
  preserve?(from: string, to: string, temp: string): Promise<'link' | 'copy'>;
  /**
   * The target of the symbolic link at `path` (the last component not followed), or undefined when
   * the path is not one. Throws PathEscapeError when a directory on the way may not be followed.
   * Optional: executors without symbolic links do not have it.
   */
  readlink?(path: string): Promise<string | undefined>;
  /** Creates a directory and its missing parents; returns the directories it created, outermost first. */
  mkdir(path: string, mode: number): Promise<string[]>;
  /** Runs a program with an argument list (never a shell string). `argv[0]` is found on PATH. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /**
   * Runs a program that only reads the system's state (`nft list tables`), even in a dry run, where
   * `run` runs nothing. Optional: callers fall back to `run` when an executor does not have it.
   */
  query?(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** The path a program run by this executor must be given to reach a daemon path (the root prefix). */
  hostPath(path: string): string;
  /** The absolute path of a program on PATH, or undefined. */
  which(program: string): Promise<string | undefined>;
  /**
   * Takes the tree's apply lock (one apply at a time), waiting up to `waitMs` while another live
   * process holds it; throws LockBusyError when it stays held. A lock whose owner is gone is taken
   * over. Optional: executors without it (in memory, dry runs) run unlocked.
   */
  lock?(options?: { waitMs?: number }): Promise<TreeLock>;
  /** The live process holding the apply lock, if one does (nothing is changed). */
  lockHolder?(): LockOwner | undefined;
}

/** A held apply lock (lock.ts's ApplyLock) whose directories, given and adopted, are daemon paths. */
export type TreeLock = ApplyLock;

export { PathEscapeError };

function toDaemonPath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`expected an absolute path, got ${JSON.stringify(path)}`);
  return posix.resolve('/', path);
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Errors of link(2) that mean "this file system (or policy) gives no hard link here", not "no such file". */
const NO_HARD_LINK = new Set(['EPERM', 'EXDEV', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Runs everything on this machine. With `root`, every daemon path is taken below that directory and
 * no file outside it is ever read or written: a symbolic link on the way is followed only where a
 * chroot into the root and this host (where the validators run) resolve it the same way — a relative
 * link that stays below the root; an absolute link, or one climbing above the root, is refused
 * (PathEscapeError). Writes never go through a link at the path itself. Validators are given the
 * root's files, and reloads are skipped (the executor is not live).
 */
export class LocalExecutor implements Executor {
  readonly root: string;
  readonly live: boolean;
  readonly mutates = true;
  readonly description: string;
  private readonly realRoot: string;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(options: { root?: string; env?: Readonly<Record<string, string | undefined>> } = {}) {
    this.root = nodePath.resolve(options.root ?? '/');
    let real: string;
    try {
      real = fs.realpathSync(this.root);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(err.code === 'ENOENT' ? 'no such directory' : err.message);
    }
    // A file as the root would only fail later, half-way through the writes.
    if (!fs.statSync(real).isDirectory()) throw new Error('not a directory');
    this.realRoot = real;
    this.live = this.realRoot === '/';
    this.env = options.env ?? process.env;
    this.description = this.live ? 'local system' : `local, root ${this.root}`;
  }

  hostPath(path: string): string {
    const p = toDaemonPath(path);
    return this.realRoot === '/' ? p : nodePath.join(this.realRoot, p);
  }

  /**
   * The real path for a daemon path. Components are walked one by one (lstat): a symbolic link is
   * followed the way the kernel would inside a chroot into the root — and only when this host would
   * reach the same file (so a relative link that stays below the root; under a root other than `/`,
   * an absolute link or a `..` above the root is refused). The last component is not followed when
   * `followLast` is false (writes, renames, removals). Components that do not exist are appended as
   * they are.
   */
  private resolve(path: string, followLast = true): string {
    const p = toDaemonPath(path);
    const r = resolveBelowRoot(this.realRoot, p, {
      followLast,
      onLink: ({ path: at, target, leaves }) => {
        if (!leaves || this.realRoot === '/') return;
        throw new PathEscapeError(
          p,
          target.startsWith('/')
            ? `${this.hostPath(at)} is a symbolic link to the absolute path ${target}: on this host it leaves the root ${this.realRoot}`
            : `${this.hostPath(at)} is a symbolic link to ${target}, which climbs above the root ${this.realRoot}`,
        );
      },
    });
    // A dangling link leaves `real` at its (missing) target: reads find nothing there, writes fail.
    return r.real;
  }

  /** resolve() without following the last component, which must not be a symbolic link. */
  private resolveForWrite(path: string): string {
    const real = this.resolve(path, false);
    let target: string | undefined;
    try {
      if (fs.lstatSync(real).isSymbolicLink()) target = fs.readlinkSync(real);
    } catch (e) {
      if (errCode(e) !== 'ENOENT' && errCode(e) !== 'ENOTDIR') throw e;
    }
    if (target !== undefined) throw new PathEscapeError(toDaemonPath(path), `it is a symbolic link (-> ${target}): fwconf neither writes through a link nor replaces one`);
    return real;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return fs.readFileSync(this.resolve(path));
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    try {
      const s = fs.statSync(this.resolve(path));
      return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other', mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async readlink(path: string): Promise<string | undefined> {
    const real = this.resolve(path, false);
    try {
      return fs.lstatSync(real).isSymbolicLink() ? fs.readlinkSync(real) : undefined;
    } catch (e) {
      if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async list(dir: string): Promise<string[] | undefined> {
    try {
      return fs.readdirSync(this.resolve(dir));
    } catch {
      return undefined;
    }
  }

  async write(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    const real = this.resolveForWrite(path);
    writeFileAt(real, path, data, options, fs.constants.O_TRUNC);
  }

  async rename(from: string, to: string): Promise<void> {
    const a = this.resolve(from, false);
    const b = this.resolveForWrite(to);
    fs.renameSync(a, b);
    syncDir(nodePath.dirname(b));
  }

  async preserve(from: string, to: string, temp: string): Promise<'link' | 'copy'> {
    const a = this.resolveForWrite(from);
    const b = this.resolveForWrite(to);
    try {
      fs.linkSync(a, b);
      syncDir(nodePath.dirname(b));
      return 'link';
    } catch (e) {
      if (!NO_HARD_LINK.has(errCode(e) ?? '')) throw e;
    }
    const t = this.resolveForWrite(temp);
    const s = fs.statSync(a, { bigint: true });
    try {
      writeFileAt(t, temp, fs.readFileSync(a), { mode: Number(s.mode & 0o7777n), uid: Number(s.uid), gid: Number(s.gid) }, fs.constants.O_EXCL, {
        atime: Number(s.atimeNs) / 1e9,
        mtime: Number(s.mtimeNs) / 1e9,
      });
      // rename(2) would replace an existing `to`; the name must still be free.
      if (fs.existsSync(b) || isLink(b)) throw Object.assign(new Error(`EEXIST: file already exists, ${b}`), { code: 'EEXIST' });
      fs.renameSync(t, b);
    } catch (e) {
      fs.rmSync(t, { force: true });
      throw e;
    }
    syncDir(nodePath.dirname(b));
    return 'copy';
  }

  async remove(path: string): Promise<void> {
    const real = this.resolve(path, false);
    try {
      const s = fs.lstatSync(real);
      if (s.isDirectory()) fs.rmdirSync(real);
      else fs.unlinkSync(real);
      syncDir(nodePath.dirname(real));
    } catch (e) {
      if (errCode(e) !== 'ENOENT' && errCode(e) !== 'ENOTDIR') throw e;
    }
  }

  async mkdir(path: string, mode: number): Promise<string[]> {
    const p = toDaemonPath(path);
    const created: string[] = [];
    let cur = '/';
    for (const part of p.split('/').filter(Boolean)) {
      cur = posix.join(cur, part);
      // As mkdir(2): a symbolic link there (even a dangling one) is "exists"; the next component follows it.
      const real = this.resolve(cur, false);
      try {
        fs.mkdirSync(real, { mode });
        created.push(cur);
      } catch (e) {
        if (errCode(e) !== 'EEXIST') throw e;
      }
    }
    return created;
  }

  /**
   * The apply lock: /run/fwconf/apply.lock for the live system, the root's var/lib/fwconf/apply.lock
   * below a root.
   */
  private lockFile(): LockFile {
    // By the root, not by `live` (a test may make a scratch root act live): the lock belongs to the tree.
    if (this.realRoot === '/') return new LockFile('/run/fwconf/apply.lock', '/');
    return new LockFile(nodePath.join(this.resolve('/var/lib/fwconf'), 'apply.lock'), this.realRoot);
  }

  lockHolder(): LockOwner | undefined {
    return this.lockFile().holder();
  }

  async lock(options: { waitMs?: number } = {}): Promise<TreeLock> {
    const held = await this.lockFile().acquire(options);
    const toDaemon = (h: string) => (this.realRoot === '/' ? h : h.startsWith(this.realRoot + '/') ? h.slice(this.realRoot.length) : undefined);
    return {
      file: held.file,
      owner: held.owner,
      tookOver: held.tookOver,
      get dirs() {
        return held.dirs.flatMap((d) => toDaemon(d) ?? []);
      },
      adopt: (dirs) => held.adopt(dirs.map((d) => this.hostPath(d))),
      release: () => held.release(),
    };
  }

  async which(program: string): Promise<string | undefined> {
    if (program.includes('/')) return fs.existsSync(program) ? program : undefined;
    for (const dir of (this.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
      if (!dir) continue;
      const cand = nodePath.join(dir, program);
      try {
        fs.accessSync(cand, fs.constants.X_OK);
        if (fs.statSync(cand).isFile()) return cand;
      } catch {
        /* next */
      }
    }
    return undefined;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return runProgram(argv, this.env, options);
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Opens `real` (never through a symbolic link: O_NOFOLLOW), writes the data, sets mode, owner and
 * (when given) times, fsyncs. `flag` is O_TRUNC (replace the content) or O_EXCL (a new file only).
 */
function writeFileAt(real: string, path: string, data: Uint8Array, options: WriteOptions, flag: number, times?: { atime: number; mtime: number }): void {
  const fd = fs.openSync(real, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | flag, options.mode);
  try {
    fs.fchmodSync(fd, options.mode);
    if (options.uid !== undefined && options.gid !== undefined) {
      try {
        fs.fchownSync(fd, options.uid, options.gid);
      } catch (e) {
        // Not root: a file we create is ours; keeping another owner is impossible, say so.
        if (errCode(e) !== 'EPERM') throw e;
        const s = fs.fstatSync(fd);
        if (s.uid !== options.uid || s.gid !== options.gid) throw new Error(`${path}: cannot keep owner ${options.uid}:${options.gid} (not permitted)`);
      }
    }
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
    if (times) fs.futimesSync(fd, times.atime, times.mtime);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}


/** Spawns a program without a shell and collects its output. */
export function runProgram(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, options: RunOptions = {}): Promise<RunResult> {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) throw new TypeError('argv must be a non-empty array of strings');
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout: '', stderr: `${argv[0]}: ${e.message}\n` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (timedOut ? `${argv[0]}: timed out\n` : ''),
      });
    });
  });
}

/** One thing an executor was asked to do, as the recording executor logs it. */
export type RecordedOp =
  | { op: 'write'; path: string; data: string; mode: number }
  | { op: 'rename'; from: string; to: string }
  | { op: 'preserve'; from: string; to: string }
  | { op: 'remove'; path: string }
  | { op: 'mkdir'; path: string }
  | { op: 'run'; argv: string[] };

/** A file held by a RecordingExecutor: its bytes, mode and owner. */
export interface MemFile {
  data: Uint8Array;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * An in-memory machine for tests: a file tree, a log of every operation, and programs answered by a
 * handler (default: every program succeeds silently). Set `failAt` to make an operation throw.
 */
export class RecordingExecutor implements Executor {
  readonly description = 'recording';
  readonly live: boolean;
  readonly mutates = true;
  readonly ops: RecordedOp[] = [];
  readonly files = new Map<string, MemFile>();
  readonly dirs = new Set<string>(['/']);
  /** Answers `run`; gets the argv, returns the result. */
  handler: (argv: readonly string[]) => RunResult | Promise<RunResult>;
  /** Called before each mutating operation; throw from it to simulate a crash or an I/O error. */
  beforeOp?: (op: RecordedOp) => void;

  constructor(options: { files?: Record<string, string | Uint8Array>; live?: boolean; handler?: (argv: readonly string[]) => RunResult | Promise<RunResult> } = {}) {
    this.live = options.live ?? true;
    this.handler = options.handler ?? (() => ({ code: 0, stdout: '', stderr: '' }));
    for (const [p, d] of Object.entries(options.files ?? {})) this.put(p, d);
  }

  /** Puts a file in the tree without logging it. */
  put(path: string, data: string | Uint8Array, mode = 0o644, uid = 0, gid = 0): void {
    const p = toDaemonPath(path);
    this.files.set(p, { data: typeof data === 'string' ? Buffer.from(data) : data, mode, uid, gid });
    for (let d = posix.dirname(p); ; d = posix.dirname(d)) {
      this.dirs.add(d);
      if (d === '/') break;
    }
  }

  /** The tree as text, for comparisons. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [p, f] of [...this.files].sort(([a], [b]) => (a < b ? -1 : 1))) out[p] = Buffer.from(f.data).toString('utf8');
    return out;
  }

  /** A held file's text (UTF-8), or undefined when there is none. */
  text(path: string): string | undefined {
    const f = this.files.get(toDaemonPath(path));
    return f ? Buffer.from(f.data).toString('utf8') : undefined;
  }

  /** The argv of every program run, in order. */
  runs(): string[][] {
    return this.ops.flatMap((o) => (o.op === 'run' ? [o.argv] : []));
  }

  private log(op: RecordedOp): void {
    this.beforeOp?.(op);
    this.ops.push(op);
  }

  hostPath(path: string): string {
    return toDaemonPath(path);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return this.files.get(toDaemonPath(path))?.data;
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    const p = toDaemonPath(path);
    const f = this.files.get(p);
    if (f) return { kind: 'file', mode: f.mode, uid: f.uid, gid: f.gid };
    return this.dirs.has(p) ? { kind: 'dir', mode: 0o755, uid: 0, gid: 0 } : undefined;
  }

  async list(dir: string): Promise<string[] | undefined> {
    const d = toDaemonPath(dir);
    if (!this.dirs.has(d)) return undefined;
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) if (p.startsWith(prefix) && p !== d) names.add(p.slice(prefix.length).split('/')[0]!);
    return [...names];
  }

  async write(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    const p = toDaemonPath(path);
    this.log({ op: 'write', path: p, data: Buffer.from(data).toString('utf8'), mode: options.mode });
    if (!this.dirs.has(posix.dirname(p))) throw Object.assign(new Error(`ENOENT: ${posix.dirname(p)}`), { code: 'ENOENT' });
    this.files.set(p, { data: Uint8Array.from(data), mode: options.mode, uid: options.uid ?? 0, gid: options.gid ?? 0 });
  }

  async rename(from: string, to: string): Promise<void> {
    const a = toDaemonPath(from);
    const b = toDaemonPath(to);
    this.log({ op: 'rename', from: a, to: b });
    const f = this.files.get(a);
    if (!f) throw Object.assign(new Error(`ENOENT: ${a}`), { code: 'ENOENT' });
    if (this.files.get(b) === f) return; // two names of one file: rename(2) leaves both
    this.files.delete(a);
    this.files.set(b, f);
  }

  /** A second name for the same file (a hard link): both names share one MemFile. */
  async preserve(from: string, to: string, _temp: string): Promise<'link' | 'copy'> {
    const a = toDaemonPath(from);
    const b = toDaemonPath(to);
    this.log({ op: 'preserve', from: a, to: b });
    const f = this.files.get(a);
    if (!f) throw Object.assign(new Error(`ENOENT: ${a}`), { code: 'ENOENT' });
    if (this.files.has(b) || this.dirs.has(b)) throw Object.assign(new Error(`EEXIST: ${b}`), { code: 'EEXIST' });
    this.files.set(b, f);
    return 'link';
  }

  async remove(path: string): Promise<void> {
    const p = toDaemonPath(path);
    this.log({ op: 'remove', path: p });
    if (!this.files.delete(p) && this.dirs.has(p) && (await this.list(p))?.length === 0) this.dirs.delete(p);
  }

  async mkdir(path: string, _mode: number): Promise<string[]> {
    const p = toDaemonPath(path);
    const created: string[] = [];
    let cur = '/';
    for (const part of p.split('/').filter(Boolean)) {
      cur = posix.join(cur, part);
      if (!this.dirs.has(cur)) {
        this.log({ op: 'mkdir', path: cur });
        this.dirs.add(cur);
        created.push(cur);
      }
    }
    return created;
  }

  async which(program: string): Promise<string | undefined> {
    return program.includes('/') ? program : `/usr/sbin/${program}`;
  }

  async run(argv: readonly string[]): Promise<RunResult> {
    this.log({ op: 'run', argv: [...argv] });
    return this.handler(argv);
  }
}

/**
 * A dry run over another executor: reads go to it, writes land in an overlay nobody else sees, and
 * programs are not run (each is logged and reported as successful). `log` lists what would happen.
 */
export class DryRunExecutor implements Executor {
  readonly mutates = false;
  readonly live: boolean;
  readonly description: string;
  readonly log: string[] = [];
  private readonly overlay = new Map<string, Uint8Array | null>();
  /** Directories the run would have created. */
  private readonly dirs = new Set<string>();

  constructor(private readonly base: Executor) {
    this.live = base.live;
    this.description = `dry run (${base.description})`;
  }

  hostPath(path: string): string {
    return this.base.hostPath(path);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const p = toDaemonPath(path);
    if (this.overlay.has(p)) return this.overlay.get(p) ?? undefined;
    return this.base.read(p);
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    const p = toDaemonPath(path);
    if (this.overlay.has(p)) return this.overlay.get(p) ? { kind: 'file', mode: 0o644, uid: 0, gid: 0 } : undefined;
    if (this.dirs.has(p)) return { kind: 'dir', mode: 0o755, uid: 0, gid: 0 };
    return this.base.stat(p);
  }

  async readlink(path: string): Promise<string | undefined> {
    const p = toDaemonPath(path);
    if (this.overlay.has(p) || this.dirs.has(p)) return undefined;
    return this.base.readlink?.(p);
  }

  /** The base's names with the overlay's files and directories added and its removals taken away. */
  async list(dir: string): Promise<string[] | undefined> {
    const d = toDaemonPath(dir);
    const names = new Set((await this.base.list(d)) ?? []);
    let seen = this.dirs.has(d) || (await this.base.stat(d))?.kind === 'dir';
    for (const [p, data] of this.overlay) {
      if (posix.dirname(p) !== d || p === d) continue;
      if (data) {
        names.add(posix.basename(p));
        seen = true;
      } else names.delete(posix.basename(p));
    }
    for (const p of this.dirs) if (posix.dirname(p) === d && p !== d) names.add(posix.basename(p));
    return seen ? [...names] : undefined;
  }

  async write(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    this.overlay.set(toDaemonPath(path), data);
    this.log.push(`would write ${path} (${data.length} bytes, mode ${options.mode.toString(8).padStart(4, '0')})`);
  }

  async rename(from: string, to: string): Promise<void> {
    const a = toDaemonPath(from);
    this.overlay.set(toDaemonPath(to), (await this.read(a)) ?? new Uint8Array());
    this.overlay.set(a, null);
    this.log.push(`would rename ${from} -> ${to}`);
  }

  async preserve(from: string, to: string): Promise<'link' | 'copy'> {
    this.overlay.set(toDaemonPath(to), (await this.read(from)) ?? new Uint8Array());
    this.log.push(`would keep the original ${from} as ${to} (a second name for the same file)`);
    return 'link';
  }

  async remove(path: string): Promise<void> {
    const p = toDaemonPath(path);
    this.overlay.set(p, null);
    this.dirs.delete(p);
    this.log.push(`would remove ${path}`);
  }

  /** Logs (and returns) only the directories that are missing: the ones mkdir would really create. */
  async mkdir(path: string): Promise<string[]> {
    const created: string[] = [];
    let cur = '/';
    for (const part of toDaemonPath(path).split('/').filter(Boolean)) {
      cur = posix.join(cur, part);
      if (await this.stat(cur)) continue;
      this.dirs.add(cur);
      created.push(cur);
      this.log.push(`would create directory ${cur}`);
    }
    return created;
  }

  async which(program: string): Promise<string | undefined> {
    return this.base.which(program);
  }

  async run(argv: readonly string[]): Promise<RunResult> {
    this.log.push(`would run: ${formatArgv(argv)}`);
    return { code: 0, stdout: '', stderr: '' };
  }

  /** Read-only programs do run: through the base executor, and not logged as something that would happen. */
  async query(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.base.query ? this.base.query(argv, options) : this.base.run(argv, options);
  }
}

/** An argv shown the way a POSIX shell would need it quoted (for display only; nothing runs a shell). */
export const formatArgv = shellJoin;

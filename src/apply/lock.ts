/**
 * The apply lock: one apply at a time on a tree. It is a file (`apply.lock`) that appears atomically
 * with its whole content — written as a temporary file, then hard-linked to the lock's name, which
 * link(2) refuses when the name is taken — and names its owner: pid, the process's start time (from
 * /proc/PID/stat, so a reused pid is not taken for the owner) and the boot id. A lock whose owner is
 * gone (no such process, another start time, another boot) is stale and is taken over.
 *
 * Taking over is serialised without a compare-and-delete: to succeed the stale lock X, a process
 * must first create the claim `apply.lock.next-X` (link(2) again: one winner), check that the lock is
 * still X, and only then rename its own lock onto the name. A lock's id never comes back, so a claim
 * made late finds the lock moved on and steps back. A claim whose maker died is succeeded the same
 * way (`apply.lock.next-X-Y`).
 *
 * Nothing is left behind: every directory made for the lock is named, before it exists, in the
 * temporary file (kept in the deepest directory that already exists) and then in the lock itself;
 * the lock's owner removes them again (when empty) as it releases it, after naming them once more in
 * a temporary file above them, so a kill at any point leaves only files an owner-gone check
 * identifies. Each attempt first removes those left by processes that are gone (and the empty
 * directories they name).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

/** Who holds an apply lock: the process, and enough of its identity to tell a stale lock from a live one. */
export interface LockOwner {
  readonly pid: number;
  /** The process's start time in clock ticks after boot (field 22 of /proc/PID/stat), when known. */
  readonly start?: string;
  /** /proc/sys/kernel/random/boot_id, when known. */
  readonly boot?: string;
  /** When the lock was taken (ISO 8601). */
  readonly since: string;
}

interface LockRecord extends LockOwner {
  readonly version: 1;
  /** Unique to one taking of the lock: a lock's id never comes back. */
  readonly id: string;
  /** Directories (host paths) made for the lock or the run under it: removed, when empty, at release. */
  readonly dirs: string[];
}

/** The lock is held by a live process (or one is taking over a stale lock right now). */
export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockOwner | undefined,
    waitedMs: number,
  ) {
    super(
      `another apply holds the lock ${file}${holder ? ` (pid ${holder.pid}, since ${holder.since})` : ''}${waitedMs > 0 ? `, still after waiting ${Math.round(waitedMs / 100) / 10} s` : ''}`,
    );
  }
}

/** The lock one apply holds on a host (one at a time), released when the apply ends. */
export interface ApplyLock {
  /** The lock file (host path). */
  readonly file: string;
  readonly owner: LockOwner;
  /** The owner of the stale lock this one took over, if it did. */
  readonly tookOver?: LockOwner;
  /** Directories (host paths) that release removes when they are empty. */
  readonly dirs: readonly string[];
  /** Adds directories for release to remove (recorded in the lock file before this returns, so before they are made). */
  adopt(dirs: readonly string[]): void;
  /** Removes the lock and then the directories it names, when empty. Idempotent. */
  release(): void;
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

let bootCache: string | undefined | null = null;
function bootId(): string | undefined {
  if (bootCache === null) {
    try {
      bootCache = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      bootCache = undefined;
    }
  }
  return bootCache;
}

/** Field 22 of /proc/PID/stat (start time in ticks after boot); undefined when there is no such process or no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) is in parentheses and may hold spaces and parentheses: fields 3.. follow the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const hasProc = () => fs.existsSync('/proc/self/stat');

/** Whether the process an owner names still runs (the same process: same boot, same start time). */
export function ownerAlive(owner: Pick<LockOwner, 'pid' | 'start' | 'boot'>): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false;
  const start = hasProc() ? processStart(owner.pid) : undefined;
  if (start !== undefined) return owner.start === undefined || owner.start === start;
  // No /proc entry to read (none, or hidden from this user): whether the pid exists at all.
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/** This process as an owner. */
export function currentOwner(): LockOwner {
  return { pid: process.pid, start: processStart(process.pid), boot: bootId(), since: new Date().toISOString() };
}

function readRecord(file: string): { record?: LockRecord; ino: bigint } | undefined {
  let text: string;
  let ino: bigint;
  try {
    ino = fs.statSync(file, { bigint: true }).ino;
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
  try {
    const r = JSON.parse(text) as LockRecord;
    if (r && r.version === 1 && typeof r.id === 'string' && Number.isInteger(r.pid) && Array.isArray(r.dirs)) return { record: r, ino };
  } catch {
    /* not a record */
  }
  return { ino };
}

/** The id a lock file is known by: its record's, or (unreadable) its inode's. */
const idOf = (r: { record?: LockRecord; ino: bigint }) => r.record?.id ?? `ino${r.ino}`;

/** Writes a new file with the data and fsyncs it (O_EXCL: never an existing file or a link). */
function writeNew(file: string, data: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** writeNew, or false when the directory it goes in is gone (removed by another apply's release). */
function writeNewOrGone(file: string, data: string): boolean {
  try {
    writeNew(file, data);
    return true;
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return false;
    throw e;
  }
}

function unlinkQuiet(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if (errCode(e) !== 'ENOENT' && errCode(e) !== 'ENOTDIR') throw e;
  }
}

/** Removes the directories that are empty, innermost first; the others stay. */
function removeEmptyDirs(dirs: readonly string[]): void {
  for (const d of [...new Set(dirs)].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty, gone, or not ours to remove: stays */
    }
  }
}

const TEMP = /^\.fwconf-lock\.(\d+)-(\d+|x)-[0-9a-f]+\.\d+\.tmp$/;

/**
 * One lock file and the directory tree it lives in. `base` is the directory the lock may not climb
 * above (the root); every directory from it down to the lock's is searched for leftovers.
 */
export class LockFile {
  readonly dir: string;
  readonly ancestors: readonly string[];
  private counter = 0;

  constructor(
    readonly file: string,
    readonly base: string,
  ) {
    this.dir = nodePath.dirname(file);
    const out: string[] = [];
    for (let d = this.dir; ; d = nodePath.dirname(d)) {
      out.unshift(d);
      if (d === base || d === nodePath.dirname(d)) break;
    }
    this.ancestors = out;
  }

  /** The live owner of the lock, if it is held. */
  holder(): LockOwner | undefined {
    const r = readRecord(this.file);
    return r?.record && ownerAlive(r.record) ? r.record : undefined;
  }

  /**
   * Takes the lock, waiting up to `waitMs` (polling, with a delay doubling from 10 ms to 250 ms) while
   * a live process holds it. Throws LockBusyError when it stays held.
   */
  async acquire(options: { waitMs?: number } = {}): Promise<ApplyLock> {
    const waitMs = Math.max(0, options.waitMs ?? 0);
    const began = Date.now();
    const me = currentOwner();
    const seenDirs = new Set<string>();
    for (let delay = 10, retries = 0; ; delay = Math.min(delay * 2, 250)) {
      const got = this.attempt(me, seenDirs);
      if ('lock' in got) return got.lock;
      if ('retry' in got && ++retries > 1000) throw new Error(`${this.file}: the lock's directory keeps changing; giving up`);
      const waited = Date.now() - began;
      if ('busy' in got) {
        if (waited >= waitMs) throw new LockBusyError(this.file, got.busy, waited);
        await new Promise((r) => setTimeout(r, Math.min(delay, waitMs - waited)));
      }
    }
  }

  private tempName(dir: string, id: string): string {
    return nodePath.join(dir, `.fwconf-lock.${id}.${this.counter++}.tmp`);
  }

  private newRecord(me: LockOwner, dirs: Iterable<string>): LockRecord {
    return { version: 1, ...me, since: new Date().toISOString(), id: `${me.pid}-${me.start ?? 'x'}-${randomBytes(6).toString('hex')}`, dirs: [...new Set(dirs)] };
  }

  /** One try: the lock, or its live holder (busy), or `retry` (the tree changed under the try). */
  private attempt(me: LockOwner, seenDirs: Set<string>): { lock: ApplyLock } | { busy: LockOwner | undefined } | { retry: true } {
    this.removeLeftovers();
    const current = readRecord(this.file);
    if (current) {
      if (current.record && ownerAlive(current.record)) {
        for (const d of current.record.dirs) seenDirs.add(d);
        return { busy: current.record };
      }
      return this.takeOver(me, current, seenDirs);
    }
    // No lock: a holder that just released it may still be removing the directories it made, which
    // our files would keep from being empty. Its note (written before the lock went) names them: they
    // become ours to remove too.
    this.removeLeftovers(seenDirs);
    // The directories missing on the way, outermost first; the temporary file goes in the deepest one there.
    const missing: string[] = [];
    let there = this.dir;
    while (!fs.existsSync(there)) {
      missing.unshift(there);
      if (there === this.base) throw new Error(`${this.base}: no such directory`);
      there = nodePath.dirname(there);
    }
    // A holder seen while waiting made directories it could not remove while this try was on its way.
    const record = this.newRecord(me, [...missing, ...[...seenDirs].filter((d) => fs.existsSync(d))]);
    const temp = this.tempName(there, record.id);
    // Another apply releasing its lock may remove the empty directories it made, `there` among them,
    // between the look above and this write: then the way is looked at again.
    if (!writeNewOrGone(temp, JSON.stringify(record))) return { retry: true };
    try {
      for (const d of missing) {
        try {
          fs.mkdirSync(d, { mode: 0o755 });
        } catch (e) {
          if (errCode(e) === 'ENOENT') return { retry: true };
          if (errCode(e) !== 'EEXIST') throw e;
        }
      }
      try {
        fs.linkSync(temp, this.file);
      } catch (e) {
        if (errCode(e) === 'EEXIST' || errCode(e) === 'ENOENT') return { retry: true };
        if (errCode(e) !== 'EXDEV') throw e;
        // The directory made is another file system (a mount point on the way): the record is written
        // again in the lock's own directory, which exists now and which the record already names.
        const near = this.tempName(this.dir, record.id);
        writeNew(near, JSON.stringify(record));
        try {
          fs.linkSync(near, this.file);
        } catch (e2) {
          if (errCode(e2) === 'EEXIST' || errCode(e2) === 'ENOENT') return { retry: true };
          throw e2;
        } finally {
          unlinkQuiet(near);
        }
      }
      syncDir(this.dir);
      return { lock: this.held(record) };
    } finally {
      unlinkQuiet(temp);
    }
  }

  /** Succeeds the stale lock `stale` through its claim (see the module's comment). */
  private takeOver(me: LockOwner, stale: { record?: LockRecord; ino: bigint }, seenDirs: Set<string>): { lock: ApplyLock } | { busy: LockOwner | undefined } | { retry: true } {
    const staleId = idOf(stale);
    // The stale lock's directories become this process's to remove, whether this try wins or not: a
    // try that loses to a taker who then releases (and cannot remove them while this try's temporary
    // file is in them) takes the lock afresh later, and must name them then.
    for (const d of stale.record?.dirs ?? []) seenDirs.add(d);
    const record = this.newRecord(me, seenDirs);
    const temp = this.tempName(this.dir, record.id);
    if (!writeNewOrGone(temp, JSON.stringify(record))) return { retry: true };
    try {
      let claim = `${this.file}.next-${staleId}`;
      for (;;) {
        try {
          fs.linkSync(temp, claim);
          break;
        } catch (e) {
          if (errCode(e) !== 'EEXIST') throw e;
        }
        const other = readRecord(claim);
        if (!other) continue; // gone meanwhile: try again
        if (other.record && ownerAlive(other.record)) return { busy: other.record };
        claim = `${claim}-${idOf(other)}`;
      }
      const now = readRecord(this.file);
      if (!now || idOf(now) !== staleId) {
        unlinkQuiet(claim);
        return { retry: true };
      }
      fs.renameSync(temp, this.file);
      syncDir(this.dir);
      for (const name of fs.readdirSync(this.dir)) if (name.startsWith(`${nodePath.basename(this.file)}.next-${staleId}`)) unlinkQuiet(nodePath.join(this.dir, name));
      return { lock: this.held(record, stale.record ?? { pid: 0, since: 'unknown' }) };
    } finally {
      unlinkQuiet(temp);
    }
  }

  /**
   * Removes what processes that are gone left: temporary files (and the empty directories they name)
   * and claims on a lock other than the current one.
   */
  private removeLeftovers(liveDirs?: Set<string>): void {
    const lockName = nodePath.basename(this.file);
    let currentId: string | undefined;
    // Deepest first, claims before temporary files: a directory a gone process named is empty only
    // once what lies in it is gone.
    for (const dir of [...this.ancestors].reverse()) {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      names.sort((a, b) => Number(TEMP.test(a)) - Number(TEMP.test(b)));
      for (const name of names) {
        const m = TEMP.exec(name);
        const path = nodePath.join(dir, name);
        if (m) {
          const r = readRecord(path);
          const owner = r?.record ?? { pid: Number(m[1]), start: m[2] === 'x' ? undefined : m[2] };
          if (ownerAlive(owner)) {
            // A live process's record of directories it made (a releasing holder's note, a try's temp).
            if (liveDirs && r?.record) for (const d of r.record.dirs) liveDirs.add(d);
            continue;
          }
          unlinkQuiet(path);
          if (r?.record) removeEmptyDirs(r.record.dirs);
        } else if (dir === this.dir && name.startsWith(`${lockName}.next-`)) {
          currentId ??= (() => {
            const c = readRecord(this.file);
            return c ? idOf(c) : '';
          })();
          if (currentId && name.startsWith(`${lockName}.next-${currentId}`)) continue;
          const r = readRecord(path);
          if (r?.record && ownerAlive(r.record)) continue;
          unlinkQuiet(path);
        }
      }
    }
  }

  private held(initial: LockRecord, tookOver?: LockOwner): ApplyLock {
    let record = initial;
    let released = false;
    const self = this;
    return {
      file: this.file,
      owner: initial,
      tookOver,
      get dirs() {
        return record.dirs;
      },
      adopt(dirs: readonly string[]) {
        if (released) throw new Error('the lock was released');
        const more = dirs.filter((d) => !record.dirs.includes(d));
        if (more.length === 0) return;
        record = { ...record, dirs: [...record.dirs, ...more] };
        const temp = self.tempName(self.dir, record.id);
        writeNew(temp, JSON.stringify(record));
        try {
          fs.renameSync(temp, self.file);
        } finally {
          unlinkQuiet(temp);
        }
      },
      release() {
        if (released) return;
        released = true;
        const now = readRecord(self.file);
        if (!now || idOf(now) !== record.id) return; // not ours any more: never remove another's lock
        // The directories to remove, named once more above the highest of them, for a kill in between.
        const dirs = record.dirs.filter((d) => fs.existsSync(d));
        let note: string | undefined;
        if (dirs.length > 0) {
          // In the deepest directory on the lock's way that stays (the leftover search looks there).
          const stays = [...self.ancestors].reverse().find((a) => !dirs.some((d) => a === d || a.startsWith(d + '/')));
          note = self.tempName(stays ?? self.base, record.id);
          writeNew(note, JSON.stringify({ ...record, dirs }));
        }
        unlinkQuiet(self.file);
        removeEmptyDirs(dirs);
        if (note) unlinkQuiet(note);
      },
    };
  }
}

/** fsync of a directory, so a rename or link in it is on disk; where the file system refuses, a no-op. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some file systems refuse fsync on directories */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Reading a live ban database from disk, consistently: fail2ban-server may write while fwconf reads
 * (without a lock: Node has no fcntl locks). The file and its -wal are read twice; when the two reads
 * differ — the file change counter (header offset 24, which every write transaction increments) first
 * of all — the read is retried. A write whose pages all land between the two reads is caught; one
 * torn across both reads the same way (page 1 written, the rest not yet, in the microseconds of a
 * commit to the page cache) is not, which is why SQLite itself takes a lock.
 * A rollback journal that is present (`FILE-journal`, with its magic number) means a write is under way,
 * or one was interrupted and the file may be half-written: that read is retried too, and reported when
 * the journal stays. (fail2ban itself keeps its journal in memory, `PRAGMA journal_mode = MEMORY`.)
 */
import { open, readFile } from 'node:fs/promises';
import { diagnostic, type DiagnosticCode } from '../../core/diagnostics.js';
import { banDatabaseFromBytes, type BanDatabase } from './bans.js';

const JOURNAL_MAGIC = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/** Options of `readBanDatabase`. */
export interface ReadDatabaseOptions {
  /** Tries before giving up on a file that keeps changing (default 5). */
  tries?: number;
  /** The name diagnostics give the file (default `path`). */
  file?: string;
}

async function head(path: string, length: number): Promise<Uint8Array | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const b = new Uint8Array(length);
    const { bytesRead } = await fh.read(b, 0, length, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function maybe(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function same(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const hotJournal = (j: Uint8Array | undefined) => j !== undefined && j.length >= 8 && JOURNAL_MAGIC.every((x, i) => j[i] === x);

/** Reads the ban database at `path` (a real path on this host) with its -wal file. Never throws on a bad file: problems are diagnostics. */
export async function readBanDatabase(path: string, options: ReadDatabaseOptions = {}): Promise<BanDatabase> {
  const file = options.file ?? path;
  const tries = Math.max(1, options.tries ?? 5);
  const fail = (code: DiagnosticCode, message: string): BanDatabase => ({ file, jails: [], logs: [], bans: [], bips: [], diagnostics: [diagnostic(code, 'error', message, { line: 1, column: 1 }, file)] });
  let why = '';
  for (let attempt = 0; attempt < tries; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 20 * attempt));
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return fail('fwconf/cannot-read', err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message);
    }
    const journal = await head(`${path}-journal`, 8);
    if (hotJournal(journal)) {
      why = `a rollback journal ${path}-journal is present: a write is under way, or one was interrupted and the file may be half-written (opening it once with sqlite3 rolls the journal back)`;
      continue;
    }
    const wal = await maybe(`${path}-wal`);
    // Read again: a write between the two reads (or under way during the first) shows as different
    // bytes — the change counter at offset 24 first of all, which every write transaction moves.
    const again = await maybe(path);
    const walAgain = await maybe(`${path}-wal`);
    if (!again || !same(bytes, again) || !same(wal, walAgain)) {
      why = 'the file kept changing while it was read (its change counter or write-ahead log moved)';
      continue;
    }
    return banDatabaseFromBytes(bytes, { file, ...(wal && wal.length ? { wal } : {}) });
  }
  return fail(why.startsWith('a rollback') ? 'fail2ban/db-hot-journal' : 'fail2ban/db-changing', `${why}; tried ${tries} times`);
}

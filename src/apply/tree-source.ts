/**
 * The tree as it will be after the apply, as a core FileSource, so the formats' pure semantics (fail2ban's
 * resolve and check) can run on it: the planned files over whatever the executor reads. A FileSource is
 * synchronous and an executor is not, so the computation runs in rounds: what a round asked for and did
 * not have is fetched through the executor, and the computation runs again until it asks for nothing new.
 */
import * as nodePath from 'node:path';
import type { FileKind, FileSource } from '../core/files.js';
import { decodeBytes } from '../core/text.js';
import type { Executor } from './executor.js';

const posix = nodePath.posix;

export class PlannedTreeSource implements FileSource {
  private readonly texts = new Map<string, string | undefined>();
  private readonly lists = new Map<string, string[] | undefined>();
  private readonly kinds = new Map<string, FileKind | undefined>();
  /** Requests a round could not answer: `r:`, `l:` or `s:` and the path. */
  readonly misses = new Set<string>();

  /** `overlay`: the planned files (daemon path → new content); they hide what is on the host. */
  constructor(private readonly overlay: ReadonlyMap<string, string>) {}

  read(path: string): string | undefined {
    const p = posix.resolve('/', path);
    if (this.overlay.has(p)) return this.overlay.get(p);
    if (this.texts.has(p)) return this.texts.get(p);
    this.misses.add(`r:${p}`);
    return undefined;
  }

  list(dir: string): string[] | undefined {
    const d = posix.resolve('/', dir);
    const mine = [...this.overlay.keys()].filter((p) => posix.dirname(p) === d).map((p) => posix.basename(p));
    if (!this.lists.has(d)) {
      this.misses.add(`l:${d}`);
      return mine.length ? mine : undefined;
    }
    const there = this.lists.get(d);
    if (!there && !mine.length) return undefined;
    return [...new Set([...(there ?? []), ...mine])];
  }

  stat(path: string): FileKind | undefined {
    const p = posix.resolve('/', path);
    if (this.overlay.has(p)) return 'file';
    if (this.kinds.has(p)) return this.kinds.get(p);
    const prefix = p === '/' ? '/' : `${p}/`;
    if ([...this.overlay.keys()].some((k) => k.startsWith(prefix))) return 'dir';
    this.misses.add(`s:${p}`);
    return undefined;
  }

  /** Fetches what the last round missed; returns how many requests it answered. */
  async fill(exec: Executor): Promise<number> {
    const todo = [...this.misses];
    this.misses.clear();
    for (const m of todo) {
      const p = m.slice(2);
      // A path the executor refuses (a symlink out of the root) reads as missing, as for the daemon's checker.
      const safe = async <T>(f: () => Promise<T>): Promise<T | undefined> => f().catch(() => undefined);
      if (m.startsWith('r:')) {
        const b = await safe(() => exec.read(p));
        this.texts.set(p, b === undefined ? undefined : decodeBytes(b));
      } else if (m.startsWith('l:')) this.lists.set(p, await safe(() => exec.list(p)));
      else this.kinds.set(p, (await safe(() => exec.stat(p)))?.kind);
    }
    return todo.length;
  }
}

/**
 * Runs a pure computation over the planned tree, fetching through the executor what it reads, until it
 * reads nothing new (at most `rounds` times).
 */
export async function overPlannedTree<T>(exec: Executor, overlay: ReadonlyMap<string, string>, compute: (files: FileSource) => T, rounds = 24): Promise<T> {
  const source = new PlannedTreeSource(overlay);
  let result = compute(source);
  for (let i = 0; i < rounds && source.misses.size > 0; i++) {
    await source.fill(exec);
    result = compute(source);
  }
  return result;
}

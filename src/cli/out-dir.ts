/**
 * Writing generated files into `--out DIR` (render, export ansible): through the apply adapter's
 * executor confined to DIR (no path or symlink leaves it; each file installed atomically: a temporary
 * file in the same directory, then rename), refusing to overwrite a file fwconf did not write unless
 * `--force`, and saying per file whether it was written or unchanged.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LocalExecutor } from '../apply/executor.js';
import { EXIT_FINDINGS, type Io } from './io.js';

export interface OutFile {
  /** Path below DIR (a leading `/` or none). */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

export interface OutDirOptions {
  /** Overwrite files fwconf did not write. */
  force: boolean;
  /** Print nothing per file (the caller prints JSON). */
  quiet: boolean;
  /** Whether an existing file's text is fwconf's own output, which may be replaced. */
  ours(text: string): boolean;
  /** Who would have written it, for the refusal: `fwconf render`. */
  writer: string;
}

/** Writes the files below `out` (relative to the working directory); EXIT_FINDINGS after a message when one cannot be. */
export async function writeOutDir(io: Io, out: string, files: readonly OutFile[], options: OutDirOptions): Promise<number | undefined> {
  const root = resolve(io.cwd, out);
  let exec: LocalExecutor;
  try {
    mkdirSync(root, { recursive: true });
    exec = new LocalExecutor({ root });
  } catch (e) {
    io.stderr(`${root}: cannot write: ${(e as Error).message}\n`);
    return EXIT_FINDINGS;
  }
  const targets = files.map((file) => ({ file, path: file.path.startsWith('/') ? file.path : `/${file.path}`, target: join(root, file.path) }));
  const current = new Map<string, string | undefined>();
  for (const { path, target } of targets) {
    try {
      const bytes = await exec.read(path);
      current.set(path, bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));
    } catch (e) {
      io.stderr(`${target}: cannot write: ${(e as Error).message}\n`);
      return EXIT_FINDINGS;
    }
  }
  const refused = targets.filter(({ file, path }) => {
    const text = current.get(path);
    return text !== undefined && text !== file.content && !options.ours(text) && !options.force;
  });
  if (refused.length > 0) {
    for (const { target } of refused) io.stderr(`${target}: exists and was not written by ${options.writer}; not overwritten (use --force)\n`);
    return EXIT_FINDINGS;
  }
  for (const { file, path, target } of targets) {
    const same = current.get(path) === file.content;
    try {
      if (!same) {
        await exec.mkdir(dirname(path), 0o755);
        const temp = `${path}.fwconf-${process.pid}.tmp`;
        await exec.write(temp, Buffer.from(file.content, 'utf8'), { mode: file.mode });
        await exec.rename(temp, path);
      }
    } catch (e) {
      // A path under DIR that is a file, a symlink leaving DIR, no permission: say which and stop.
      const err = e as NodeJS.ErrnoException;
      io.stderr(`${target}: cannot write: ${err.code ? `${err.code}: ` : ''}${err.message}\n`);
      return EXIT_FINDINGS;
    }
    if (!options.quiet) io.stdout(`${same ? 'unchanged' : 'wrote'} ${target}\n`);
  }
  return undefined;
}

/**
 * A dry run's validation: the validator runs for real, read-only, on a staged copy of the tree as the
 * apply would leave it — the files it reads copied (through the dry run's executor, which already
 * holds the new files) into a temporary directory on this machine, its paths pointed there — and
 * reports what it says, as Ansible's check mode does. Nothing of the target is written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import type { Executor, RunResult } from './executor.js';

const posix = nodePath.posix;

/** How a validation runs on a staged copy. */
export interface StagedValidation {
  /** The daemon paths (files or directories, copied whole) the validator reads. */
  readonly reads: readonly string[];
  /** Its argv on the copy below `stage`. */
  readonly argv: (stage: string) => readonly string[];
  /** Files of the copy to rewrite (daemon path → new text from the copied one), e.g. Includes pointed into the copy. */
  readonly edits?: Readonly<Record<string, (text: string, stage: string) => string>>;
}

async function copyOut(exec: Executor, path: string, stage: string, depth = 0): Promise<void> {
  if (depth > 12) return;
  const info = await exec.stat(path);
  if (!info) return;
  const dest = nodePath.join(stage, path);
  if (info.kind === 'dir') {
    fs.mkdirSync(dest, { recursive: true });
    for (const name of (await exec.list(path)) ?? []) await copyOut(exec, posix.join(path, name), stage, depth + 1);
  } else if (info.kind === 'file') {
    const data = await exec.read(path);
    if (data === undefined) return;
    fs.mkdirSync(nodePath.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, data, { mode: 0o600 });
  }
}

/** Runs the validator on a staged copy; its output shows daemon paths (the stage's prefix removed). */
export async function runStaged(exec: Executor, v: StagedValidation): Promise<{ argv: readonly string[]; result: RunResult }> {
  const stage = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'fwconf-dry-run-'));
  try {
    for (const p of v.reads) await copyOut(exec, p, stage);
    for (const [p, edit] of Object.entries(v.edits ?? {})) {
      const file = nodePath.join(stage, p);
      if (fs.existsSync(file)) fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8'), stage));
    }
    const argv = v.argv(stage);
    const prog = await exec.which(argv[0]!);
    const raw: RunResult = prog ? await (exec.query ?? exec.run).call(exec, [prog, ...argv.slice(1)]) : { code: 127, stdout: '', stderr: `${argv[0]}: not found on PATH` };
    const unstage = (t: string) => t.split(stage).join('');
    return { argv: argv.map(unstage), result: { ...raw, stdout: unstage(raw.stdout), stderr: unstage(raw.stderr) } };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Carrying out a plan: stage every new file next to its target, save the originals, record a journal,
 * install by rename, validate the tree in place with the daemons' own checkers, reload, verify — and
 * on any failure put every original back, re-run the reloads already done, and say what happened.
 */
import * as nodePath from 'node:path';
import type { Service } from '../builder/model.js';
import { decodeBytes, encodeText } from '../core/text.js';
import { formatArgv, PathEscapeError, type Executor, type RunResult, type TreeLock } from './executor.js';
import { LockBusyError, ownerAlive, type LockOwner } from './lock.js';
import { runStaged } from './staged-validation.js';
import { changes, JOURNAL, readText, type Plan, type PlannedCommand, type PlannedFile } from './plan.js';

const posix = nodePath.posix;
const encoder = new TextEncoder();

/** The kinds of step an apply takes, in the order it takes them. */
export type StepKind = 'recover' | 'mkdir' | 'stage' | 'backup' | 'install' | 'validate' | 'snapshot' | 'reload' | 'verify' | 'rollback' | 'skip';

/** One step an apply took: what, whether it succeeded, and details. */
export interface StepRecord {
  readonly kind: StepKind;
  readonly ok: boolean;
  readonly what: string;
  readonly detail?: string;
}

/** How an apply ended: nothing to do, applied, refused before any change, or rolled back after a failed check. */
export type ApplyStatus = 'unchanged' | 'applied' | 'refused' | 'rolled-back';

/** How an apply ended: its status, every step it took, and the files it installed or put back. */
export interface ApplyResult {
  readonly status: ApplyStatus;
  readonly steps: readonly StepRecord[];
  /** Files installed (applied) or put back (rolled back). */
  readonly files: readonly string[];
  /** Why it was refused or rolled back. */
  readonly reason?: string;
  /** Problems met while rolling back (files that could not be restored): empty when all is back. */
  readonly rollbackProblems: readonly string[];
}

/** Options of carrying out a plan. */
export interface ExecuteOptions {
  /** Apply even when the plan would lock the operator out. */
  allowLockout?: boolean;
  /** Attempts and delay for post-checks (daemons take a moment after a reload). */
  verifyAttempts?: number;
  verifyDelayMs?: number;
  /**
   * The apply lock, when the caller holds it (the CLI takes it for the whole apply: recovery, plan
   * and run). Without it, an executor that has a lock is locked for the run, and a lock another
   * live process holds makes the run 'refused'.
   */
  lock?: TreeLock;
}

/**
 * Runs `body` holding the executor's apply lock: the caller's when given, else one taken here (and
 * released after). Gives `busy` when another live process holds it. Executors without a lock run
 * `body` unlocked.
 */
async function withLock<T>(exec: Executor, given: TreeLock | undefined, body: (lock: TreeLock | undefined) => Promise<T>): Promise<T | { busy: string }> {
  if (given || !exec.lock || !exec.mutates) return body(given);
  let lock: TreeLock;
  try {
    lock = await exec.lock();
  } catch (e) {
    if (e instanceof LockBusyError) return { busy: e.message };
    throw e;
  }
  try {
    return await body(lock);
  } finally {
    lock.release();
  }
}

/**
 * The journal an apply keeps while files are in flux. It is written before anything else and names
 * every file and directory the run may create before it creates it, so that recovery can undo a run
 * killed at any point and leave nothing behind.
 */
export interface Journal {
  readonly version: 1;
  readonly started: string;
  /**
   * The files the run changes. An entry's staging file (`temp`) exists from staging until the install
   * renames it onto `path`, and its `backup` is made (a second name for the original) before any
   * install: so a backup without its staging file means the new file is in place.
   */
  readonly entries: ReadonlyArray<{ path: string; temp: string; backup?: string; created: boolean }>;
  readonly dirs: readonly string[];
  /** Scripts that put a service's live state back (saved before the reloads; absent in older journals). */
  readonly restores?: ReadonlyArray<{ service: Service; script: string }>;
  /**
   * Every other file the run may create and removes again (validation copies, copies made on the way
   * to a backup, the restore scripts and their staging files), listed before any of them is created;
   * absent in older journals.
   */
  readonly temps?: readonly string[];
  /** The process that wrote the journal (absent in older journals): recovery acts only once it is gone. */
  readonly owner?: Pick<LockOwner, 'pid' | 'start' | 'boot'>;
}

/** The journal's own staging file (it cannot be listed in the journal it becomes). */
const JOURNAL_TEMP = `${JOURNAL}.tmp`;

/** Where the state saved before a service's reload goes. */
const restoreScript = (service: Service) => posix.join(posix.dirname(JOURNAL), `restore-${service}.sh`);

/** The staging name of a backup copy, used where the file system gives no hard link. */
const backupTemp = (backup: string) => `${backup}.fwconf-tmp`;

class Run {
  readonly steps: StepRecord[] = [];
  constructor(readonly exec: Executor) {}
  step(kind: StepKind, ok: boolean, what: string, detail?: string): void {
    this.steps.push({ kind, ok, what, detail });
  }
}

/**
 * Every file the plan's run would write or rename onto, with the reason it may not, for each one that
 * is a symbolic link (apply neither writes through a link nor replaces one) or lies below a link that
 * may not be followed: the targets, their staging files and backups, the journal, the validation
 * copies and the saved states. Empty when the run may go ahead. Nothing is changed.
 */
export async function writeRefusals(plan: Plan, exec: Executor): Promise<string[]> {
  const todo = changes(plan);
  if (todo.length === 0) return [];
  const paths: { path: string; role: string }[] = [
    { path: JOURNAL, role: 'the journal' },
    { path: JOURNAL_TEMP, role: "the journal's staging file" },
  ];
  for (const f of todo) {
    paths.push({ path: f.path, role: f.action === 'create' ? 'a file to create' : 'a file to change' });
    paths.push({ path: f.temp, role: `the staging file of ${f.path}` });
    if (f.backup) paths.push({ path: f.backup, role: `the backup of ${f.path}` }, { path: backupTemp(f.backup), role: `the staging file of ${f.backup}` });
  }
  for (const t of temporaryFiles(plan)) if (!paths.some((p) => p.path === t)) paths.push({ path: t, role: 'a temporary file of the run' });
  const out: string[] = [];
  for (const { path, role } of paths) {
    try {
      const target = await exec.readlink?.(path);
      if (target !== undefined) {
        out.push(`${path} (${role}) is a symbolic link (-> ${target}): apply neither writes through a link nor replaces one; make it a regular file, or remove the link, and apply again`);
      }
    } catch (e) {
      if (!(e instanceof PathEscapeError)) throw e;
      out.push(`${e.message} (${role})`);
    }
  }
  return out;
}

/** The files other than staging files and backups a run of the plan may create (see Journal.temps). */
function temporaryFiles(plan: Plan): string[] {
  const out: string[] = [];
  for (const c of plan.validations) if (c.scratch) out.push(c.scratch.path);
  for (const f of changes(plan)) if (f.backup) out.push(backupTemp(f.backup));
  if (plan.live) for (const s of plan.snapshots ?? []) out.push(restoreScript(s.service), `${restoreScript(s.service)}.tmp`);
  return out;
}

/** The directories that do not exist yet on the way to `dir`, outermost first. */
async function missingDirs(exec: Executor, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; d !== '/' && !(await exec.stat(d)); d = posix.dirname(d)) out.unshift(d);
  return out;
}

/** Removes a file the run may have made, when it is there (a dry run logs only what it would really remove). */
async function removeIfPresent(exec: Executor, path: string): Promise<void> {
  if ((await exec.stat(path)) !== undefined || (await exec.readlink?.(path)) !== undefined) await exec.remove(path);
}

async function writeAtomic(exec: Executor, path: string, temp: string, data: Uint8Array, mode: number, uid?: number, gid?: number): Promise<void> {
  try {
    await exec.write(temp, data, { mode, uid, gid });
    await exec.rename(temp, path);
  } catch (e) {
    await exec.remove(temp).catch(() => undefined);
    throw e;
  }
}

function describeRun(r: RunResult): string {
  const out = (r.stderr || r.stdout).trim();
  return `exit ${r.code}${out ? `: ${out.split('\n').slice(-5).join(' | ')}` : ''}`;
}

async function runCommand(exec: Executor, c: PlannedCommand): Promise<RunResult> {
  const prog = await exec.which(c.argv[0]!);
  if (!prog) return { code: 127, stdout: '', stderr: `${c.argv[0]}: not found on PATH` };
  return exec.run([prog, ...c.argv.slice(1)]);
}

/**
 * Undoes an apply that was interrupted (the journal is still there): every file goes back to its
 * saved original, files it created are removed, and so are its backups, staging files and every
 * temporary file the journal names. Returns the steps taken ([] when there was nothing to recover).
 */
export async function recoverInterrupted(exec: Executor, options: { lock?: TreeLock } = {}): Promise<StepRecord[]> {
  const r = await withLock(exec, options.lock, (lock) => recoverLocked(exec, lock));
  return 'busy' in r ? [{ kind: 'recover', ok: false, what: JOURNAL, detail: `${r.busy}: its journal is not an interrupted apply; left in place` }] : r;
}

async function recoverLocked(exec: Executor, lock: TreeLock | undefined): Promise<StepRecord[]> {
  const link = await exec.readlink?.(JOURNAL);
  if (link !== undefined) {
    return [{ kind: 'recover', ok: false, what: JOURNAL, detail: `is a symbolic link (-> ${link}), not a journal fwconf wrote; left in place — remove the link` }];
  }
  const text = await readText(exec, JOURNAL);
  if (text === undefined) {
    // A run killed while writing its first journal leaves only the journal's staging file.
    await removeIfPresent(exec, JOURNAL_TEMP);
    return [];
  }
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    return [{ kind: 'recover', ok: false, what: JOURNAL, detail: 'unreadable journal; left in place — inspect the backups it names by hand' }];
  }
  // Its writer still running means an apply that did not take the lock (or another host's): not ours to undo.
  const owner = journal.owner;
  if (owner && owner.pid !== process.pid && ownerAlive(owner)) {
    return [{ kind: 'recover', ok: false, what: JOURNAL, detail: `the apply that wrote it (pid ${owner.pid}) is still running; left in place` }];
  }
  // The directories it made go once empty, even those its lock lives in (removed with the lock).
  lock?.adopt(journal.dirs ?? []);
  const run = new Run(exec);
  const problems = await restore(run, journal);
  // The services' live state as it was (the firewall rules), when the apply got as far as saving it.
  if (exec.live) for (const r of journal.restores ?? []) problems.push(...(await runRestore(run, r)));
  if (problems.length === 0) await finish(run, journal);
  return [{ kind: 'recover', ok: problems.length === 0, what: `interrupted apply of ${journal.started}`, detail: problems.join('; ') || undefined }, ...run.steps];
}

/**
 * Puts the originals back as the journal describes; returns the problems met. An original goes back
 * by renaming its backup onto the path — the backup is the original file itself (a second name made
 * before the install), so content, mtime, mode, owner and extended attributes all come back. Each
 * step can be repeated after an interruption of the rollback itself.
 */
async function restore(run: Run, journal: Journal): Promise<string[]> {
  const exec = run.exec;
  const problems: string[] = [];
  for (const e of [...journal.entries].reverse()) {
    try {
      // The staging file is there until the install renames it: while it is, the path holds the original.
      const installed = !(await exec.stat(e.temp));
      if (e.backup) {
        const hasBackup = (await exec.stat(e.backup)) !== undefined;
        // No backup: it was never made, so the original was never touched.
        if (hasBackup && !installed) await exec.remove(e.backup);
        else if (hasBackup) {
          await exec.rename(e.backup, e.path);
          await removeIfPresent(exec, e.backup); // still there when it was the same file (not installed after all)
          run.step('rollback', true, e.path, `the original is back (${e.backup} renamed onto it)`);
        }
      } else if (e.created && installed) {
        if (await exec.stat(e.path)) {
          await exec.remove(e.path);
          run.step('rollback', true, e.path, 'removed (it did not exist before)');
        }
      }
      if (!installed) await exec.remove(e.temp);
    } catch (err) {
      problems.push(`${e.path}: ${(err as Error).message}`);
      run.step('rollback', false, e.path, (err as Error).message);
    }
  }
  return problems;
}

/** Runs a saved restore script; returns the problems met. */
async function runRestore(run: Run, r: { service: Service; script: string }): Promise<string[]> {
  const argv = ['sh', run.exec.hostPath(r.script)];
  if (!(await run.exec.stat(r.script))) {
    run.step('rollback', false, `${r.service}: ${formatArgv(argv)}`, 'the saved state is missing');
    return [`${r.service}: the state saved in ${r.script} is missing; its live state was not restored`];
  }
  const res = await runCommand(run.exec, { service: r.service, argv, description: '' });
  run.step('rollback', res.code === 0, `${r.service}: ${formatArgv(argv)}`, res.code === 0 ? `the ${r.service} state from before the apply is back` : describeRun(res));
  return res.code === 0 ? [] : [`${r.service}: restoring the state from before the apply failed (${formatArgv(argv)}: ${describeRun(res)})`];
}

/**
 * The end of a run whose files are all in place (or all back): saved states, temporary files, the
 * journal last (so an interruption here is finished by the recovery), then the directories it made.
 */
async function finish(run: Run, journal: Journal): Promise<void> {
  for (const r of journal.restores ?? []) await run.exec.remove(r.script).catch(() => undefined);
  for (const t of [...(journal.temps ?? []), JOURNAL_TEMP]) await removeIfPresent(run.exec, t);
  await run.exec.remove(JOURNAL);
  await removeCreatedDirs(run, journal);
}

/**
 * Removes the directories this run created (innermost first) once they are empty again: the parents
 * of new files after a rollback, and the journal's own directory once the journal is gone.
 */
async function removeCreatedDirs(run: Run, journal: Journal): Promise<void> {
  for (const d of [...journal.dirs].reverse()) {
    if ((await run.exec.list(d))?.length !== 0) continue;
    try {
      await run.exec.remove(d);
      run.step('rollback', true, d, 'removed (directory created by this apply)');
    } catch {
      /* left in place: harmless */
    }
  }
}

async function writeJournal(exec: Executor, journal: Journal): Promise<void> {
  await writeAtomic(exec, JOURNAL, JOURNAL_TEMP, encoder.encode(JSON.stringify(journal, null, 2) + '\n'), 0o600);
}

/**
 * Keeps the original of `f` as its backup: a second name for the same file where the executor can
 * (so that renaming it back restores every attribute), else a copy of its content, mode and owner.
 */
async function keepOriginal(exec: Executor, f: PlannedFile & { backup: string }): Promise<'link' | 'copy'> {
  if (exec.preserve) return exec.preserve(f.path, f.backup, backupTemp(f.backup));
  const info = (await exec.stat(f.path))!;
  await writeAtomic(exec, f.backup, backupTemp(f.backup), (await exec.read(f.path))!, info.mode, info.uid, info.gid);
  return 'copy';
}

/** Carries out the plan. Never throws for a failure of the host: the result says what happened. */
export async function executePlan(plan: Plan, exec: Executor, options: ExecuteOptions = {}): Promise<ApplyResult> {
  const r = await withLock(exec, options.lock, (lock) => executeLocked(plan, exec, options, lock));
  return 'busy' in r ? { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: `${r.busy}: nothing was changed` } : r;
}

async function executeLocked(plan: Plan, exec: Executor, options: ExecuteOptions, lock: TreeLock | undefined): Promise<ApplyResult> {
  const run = new Run(exec);
  const todo = changes(plan);
  // An interrupted run first: its files may all be in place, unvalidated ("nothing to do" would hide it).
  if ((await exec.readlink?.(JOURNAL)) !== undefined || (await readText(exec, JOURNAL)) !== undefined) {
    return { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: `an earlier apply was interrupted (${JOURNAL} exists): recover it first` };
  }
  if (todo.length === 0) {
    return { status: 'unchanged', steps: [], files: [], rollbackProblems: [], reason: 'every file is already as rendered; nothing to do' };
  }
  if (plan.lockout.length > 0 && !options.allowLockout) {
    return { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: `this would lock you out: ${plan.lockout.join('; ')} (use --allow-lockout to apply anyway)` };
  }
  // Before anything is written: no write may go through a symbolic link or replace one.
  const refusals = await writeRefusals(plan, exec);
  if (refusals.length > 0) return { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: refusals.join('; ') };

  const journal: {
    version: 1;
    started: string;
    entries: Journal['entries'][number][];
    dirs: string[];
    restores: { service: Service; script: string }[];
    temps: string[];
    owner?: Journal['owner'];
  } = {
    version: 1,
    started: new Date().toISOString(),
    entries: todo.map((f) => ({ path: f.path, temp: f.temp, backup: f.backup, created: f.action === 'create' })),
    dirs: [],
    restores: [],
    temps: temporaryFiles(plan),
    owner: lock ? { pid: lock.owner.pid, start: lock.owner.start, boot: lock.owner.boot } : undefined,
  };
  const reloaded: PlannedCommand[] = [];

  const fail = async (reason: string): Promise<ApplyResult> => {
    const problems = await restore(run, journal);
    const filesBack = problems.length === 0;
    for (const c of plan.validations) if (c.scratch) await removeIfPresent(exec, c.scratch.path).catch(() => undefined);
    for (const r of reloaded) {
      const saved = journal.restores.find((x) => x.service === r.service);
      if (saved) {
        problems.push(...(await runRestore(run, saved)));
        continue;
      }
      const script = r.service === 'ufw' ? todo.find((f) => f.service === 'ufw' && f.format === 'shell') : undefined;
      if (script?.action === 'create') {
        run.step('rollback', false, `re-run: ${formatArgv(r.argv)}`, 'there was no earlier ufw script to re-run: the firewall keeps the rules the new script set');
        problems.push('ufw: the rules set by the new script stay in effect (no earlier script to restore them)');
        continue;
      }
      const again = r.undo ? { ...r, argv: r.undo } : r;
      const res = await runCommand(exec, again);
      run.step('rollback', res.code === 0, `${r.undo ? 'run' : 're-run'}: ${formatArgv(again.argv)}`, res.code === 0 ? undefined : describeRun(res));
      if (res.code !== 0) problems.push(`${formatArgv(again.argv)}: ${describeRun(res)}`);
    }
    // The journal goes once every file is back (reload problems do not keep it); with it the saved
    // states and the directories this run made.
    if (filesBack) await finish(run, journal).catch(() => undefined);
    return { status: 'rolled-back', steps: run.steps, files: todo.map((f) => f.path), reason, rollbackProblems: problems };
  };

  try {
    // The journal first: from here on, an interruption can always be undone. It names every file
    // and directory the run may create, before any is created; the journal's own directory counts
    // among them (removed again at the end when the run made it).
    await removeIfPresent(exec, JOURNAL_TEMP); // left by a run killed before its first journal
    // The lock's directories (the journal's, below a root) and the journal's own missing ones: named
    // in the lock before they are made, and in the journal, so that whoever finishes removes them.
    const journalDirs = await missingDirs(exec, posix.dirname(JOURNAL));
    lock?.adopt(journalDirs);
    journal.dirs.push(...(lock?.dirs ?? []), ...journalDirs.filter((d) => !lock?.dirs.includes(d)));
    for (const d of await exec.mkdir(posix.dirname(JOURNAL), 0o755)) if (!journal.dirs.includes(d)) journal.dirs.push(d);
    const dirsToMake: string[] = [];
    for (const f of todo) for (const d of await missingDirs(exec, posix.dirname(f.path))) if (!dirsToMake.includes(d)) dirsToMake.push(d);
    journal.dirs.push(...dirsToMake);
    await writeJournal(exec, journal);
    for (const f of todo) {
      const made = await exec.mkdir(posix.dirname(f.path), 0o755);
      const unplanned = made.filter((d) => !journal.dirs.includes(d));
      if (unplanned.length) {
        journal.dirs.push(...unplanned);
        await writeJournal(exec, journal);
      }
      if (made.length) run.step('mkdir', true, made.join(', '));
    }
    for (const f of todo) {
      await exec.write(f.temp, encodeText(f.after), { mode: f.mode, uid: f.uid, gid: f.gid });
      run.step('stage', true, f.temp);
    }
    for (const f of todo) {
      if (!f.backup) continue;
      const data = (await exec.read(f.path))!;
      if (decodeBytes(data) !== f.before) return await fail(`${f.path} changed since the plan was made`);
      const how = await keepOriginal(exec, { ...f, backup: f.backup });
      run.step('backup', true, f.path, how === 'link' ? `kept as ${f.backup} (the original file itself)` : `saved as ${f.backup} (a copy)`);
    }
    for (const f of todo) {
      await exec.rename(f.temp, f.path);
      run.step('install', true, f.path, f.action);
    }
  } catch (e) {
    run.step('install', false, 'files', (e as Error).message);
    return await fail(`writing files failed: ${(e as Error).message}`);
  }

  // Validate the new tree in place.
  for (const c of plan.validations) {
    // A dry run: the validator runs for real, read-only, on a staged copy of the tree it would leave.
    if (!exec.mutates && c.staged && exec.query) {
      const { argv, result: res } = await runStaged(exec, c.staged);
      const why = res.code === 0 ? undefined : c.explain?.(res);
      run.step('validate', res.code === 0, `${formatArgv(argv)} (on a staged copy)`, res.code === 0 ? c.description : `${describeRun(res)}${why ? ` — ${why}` : ''}`);
      if (res.code !== 0) return await fail(`${c.service} would reject the new configuration (${formatArgv(argv)} on a staged copy: ${describeRun(res)})${why ? `: ${why}` : ''}`);
      continue;
    }
    try {
      if (c.scratch) await exec.write(c.scratch.path, encodeText(c.scratch.content), { mode: 0o600 });
      const res = await runCommand(exec, c);
      const why = res.code === 0 ? undefined : c.explain?.(res);
      const said = c.show ? c.show(describeRun(res)) : describeRun(res);
      run.step('validate', res.code === 0, formatArgv(c.argv), res.code === 0 ? c.description : `${said}${why ? ` — ${why}` : ''}`);
      if (res.code !== 0) return await fail(`${c.service} rejected the new configuration (${formatArgv(c.argv)}: ${said})${why ? `: ${why}` : ''}`);
    } finally {
      if (c.scratch) await exec.remove(c.scratch.path).catch(() => undefined);
    }
  }
  for (const c of plan.libraryChecks) {
    const errors = await c.run();
    if (errors === undefined) {
      run.step('skip', true, c.description, 'the check is not available in this build');
      continue;
    }
    run.step('validate', errors.length === 0, c.description, errors.join('; ') || undefined);
    if (errors.length) return await fail(`${c.service} files have errors: ${errors.join('; ')}`);
  }

  if (!exec.live) {
    for (const r of plan.reloads) run.step('skip', true, formatArgv(r.argv), 'not the live system');
    for (const v of plan.verifications) run.step('skip', true, v.description, 'not the live system');
  } else {
    // Save what the reloads will change in the live state and cannot be put back from files (ufw's
    // rules), before any of them runs.
    for (const snap of plan.snapshots ?? []) {
      if (!exec.mutates) {
        run.step('skip', true, formatArgv(snap.argv), `dry run: would save the current ${snap.service} state`);
        continue;
      }
      const res = await runCommand(exec, snap);
      const restore = res.code === 0 ? snap.restoreScript(res) : { problem: describeRun(res) };
      if ('problem' in restore) {
        run.step('snapshot', false, formatArgv(snap.argv), restore.problem);
        return await fail(`could not save the current ${snap.service} state, so it could not be restored after a failure: ${restore.problem} (nothing was reloaded)`);
      }
      const script = restoreScript(snap.service);
      try {
        await writeAtomic(exec, script, `${script}.tmp`, encoder.encode(restore.script), 0o700);
        journal.restores.push({ service: snap.service, script });
        await writeJournal(exec, journal);
      } catch (e) {
        run.step('snapshot', false, formatArgv(snap.argv), (e as Error).message);
        return await fail(`could not save the current ${snap.service} state: ${(e as Error).message} (nothing was reloaded)`);
      }
      run.step('snapshot', true, formatArgv(snap.argv), `${snap.description}: saved as ${script}`);
    }
    for (const r of plan.reloads) {
      reloaded.push(r);
      const res = await runCommand(exec, r);
      run.step('reload', res.code === 0, formatArgv(r.argv), res.code === 0 ? r.description : describeRun(res));
      if (res.code !== 0) return await fail(`${formatArgv(r.argv)} failed (${describeRun(res)})`);
    }
    for (const v of plan.verifications) {
      if (!exec.mutates) {
        run.step('skip', true, v.description, 'dry run: nothing to check');
        continue;
      }
      let problem: string | undefined;
      for (let i = 0; i < (options.verifyAttempts ?? 5); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, options.verifyDelayMs ?? 500));
        problem = v.expect!(await runCommand(exec, v));
        if (!problem) break;
      }
      run.step('verify', !problem, v.description, problem);
      if (problem) return await fail(`after the reload, ${problem}`);
    }
  }
  await finish(new Run(exec), journal);
  return { status: 'applied', steps: run.steps, files: todo.map((f) => f.path), rollbackProblems: [] };
}

/**
 * The plan as text: the files with their diffs, then the commands in order; `refusals` (from
 * writeRefusals) are listed last, as what stops the apply.
 */
export function formatPlan(plan: Plan, refusals: readonly string[] = []): string {
  const out: string[] = [];
  const todo = changes(plan);
  out.push(`Target: ${plan.target}`);
  if (todo.length === 0) {
    out.push('Nothing to change: every file is already as rendered.');
    return out.join('\n') + '\n';
  }
  out.push('', 'Files:');
  for (const f of plan.files) {
    const mode = f.mode.toString(8).padStart(4, '0');
    out.push(`  ${f.action.padEnd(9)} ${f.path} (${mode})${f.backup ? `, original saved as ${f.backup}` : ''}${f.reason ? ` — ${f.reason}` : ''}`);
  }
  for (const f of todo) out.push('', f.diff.trimEnd());
  const section = (title: string, cmds: readonly PlannedCommand[], skipped = false) => {
    if (cmds.length === 0) return;
    out.push('', `${title}:${skipped ? ' (skipped: not the live system)' : ''}`);
    for (const c of cmds) out.push(`  ${formatArgv(c.argv)}    # ${c.description}`);
  };
  section('Validate', plan.validations);
  for (const c of plan.libraryChecks) out.push(`  (fwconf) ${c.description}`);
  if (plan.live) section('Before reloading', plan.snapshots ?? []);
  section('Reload', plan.reloads, !plan.live);
  section('Verify', plan.verifications, !plan.live);
  if (plan.notes.length) out.push('', ...plan.notes.map((n) => `Note: ${n}`));
  if (plan.lockout.length) out.push('', ...plan.lockout.map((n) => `LOCKOUT: ${n}`));
  if (refusals.length) out.push('', ...refusals.map((n) => `REFUSED: ${n}`));
  return out.join('\n') + '\n';
}

/** An apply's result as text: one line per step, then how it ended. */
export function formatResult(result: ApplyResult): string {
  const out: string[] = [];
  for (const s of result.steps) out.push(`${s.ok ? 'ok  ' : 'FAIL'} ${s.kind.padEnd(8)} ${s.what}${s.detail ? ` — ${s.detail}` : ''}`);
  switch (result.status) {
    case 'unchanged':
      out.push('Nothing changed: already applied.');
      break;
    case 'applied':
      out.push(`Applied: ${result.files.length} file(s) installed.`);
      break;
    case 'refused':
      out.push(`Refused: ${result.reason}`);
      break;
    case 'rolled-back':
      out.push(`Rolled back: ${result.reason}`);
      out.push(result.rollbackProblems.length ? `Rollback problems: ${result.rollbackProblems.join('; ')}` : 'Every original file is back in place.');
      break;
  }
  return out.join('\n') + '\n';
}

export type { PlannedFile, Service };

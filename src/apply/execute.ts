/**
 * Carrying out a plan: stage every new file next to its target, save the originals, record a journal,
 * install by rename, validate the tree in place with the daemons' own checkers, reload, verify — and
 * on any failure put every original back, re-run the reloads already done, and say what happened.
 */
import * as nodePath from 'node:path';
import type { Service } from '../builder/model.js';
import { decodeBytes, encodeText } from '../core/text.js';
import { formatArgv, type Executor, type RunResult } from './executor.js';
import { changes, JOURNAL, readText, type Plan, type PlannedCommand, type PlannedFile } from './plan.js';

const posix = nodePath.posix;
const encoder = new TextEncoder();

export type StepKind = 'recover' | 'mkdir' | 'stage' | 'backup' | 'install' | 'validate' | 'snapshot' | 'reload' | 'verify' | 'rollback' | 'skip';

export interface StepRecord {
  readonly kind: StepKind;
  readonly ok: boolean;
  readonly what: string;
  readonly detail?: string;
}

export type ApplyStatus = 'unchanged' | 'applied' | 'refused' | 'rolled-back';

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

export interface ExecuteOptions {
  /** Apply even when the plan would lock the operator out. */
  allowLockout?: boolean;
  /** Attempts and delay for post-checks (daemons take a moment after a reload). */
  verifyAttempts?: number;
  verifyDelayMs?: number;
}

/** The journal an apply keeps while files are in flux. */
export interface Journal {
  readonly version: 1;
  readonly started: string;
  readonly entries: ReadonlyArray<{ path: string; temp: string; backup?: string; created: boolean }>;
  readonly dirs: readonly string[];
  /** Scripts that put a service's live state back (saved before the reloads; absent in older journals). */
  readonly restores?: ReadonlyArray<{ service: Service; script: string }>;
}

class Run {
  readonly steps: StepRecord[] = [];
  constructor(readonly exec: Executor) {}
  step(kind: StepKind, ok: boolean, what: string, detail?: string): void {
    this.steps.push({ kind, ok, what, detail });
  }
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
 * saved original, files it created are removed, and so are its backups and staging files.
 * Returns the steps taken ([] when there was nothing to recover).
 */
export async function recoverInterrupted(exec: Executor): Promise<StepRecord[]> {
  const text = await readText(exec, JOURNAL);
  if (text === undefined) return [];
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    return [{ kind: 'recover', ok: false, what: JOURNAL, detail: 'unreadable journal; left in place — inspect the backups it names by hand' }];
  }
  const run = new Run(exec);
  const problems = await restore(run, journal);
  // The services' live state as it was (the firewall rules), when the apply got as far as saving it.
  if (exec.live) for (const r of journal.restores ?? []) problems.push(...(await runRestore(run, r)));
  if (problems.length === 0) await finish(run, journal);
  return [{ kind: 'recover', ok: problems.length === 0, what: `interrupted apply of ${journal.started}`, detail: problems.join('; ') || undefined }, ...run.steps];
}

/** Puts the originals back as the journal describes; returns the problems met. */
async function restore(run: Run, journal: Journal): Promise<string[]> {
  const exec = run.exec;
  const problems: string[] = [];
  for (const e of [...journal.entries].reverse()) {
    try {
      await exec.remove(e.temp);
      if (e.backup) {
        const info = await exec.stat(e.backup);
        if (!info) continue; // the backup was never made, so the original was never touched
        const data = (await exec.read(e.backup))!;
        const cur = await exec.read(e.path);
        if (!cur || Buffer.compare(Buffer.from(cur), Buffer.from(data)) !== 0) {
          await writeAtomic(exec, e.path, e.temp, data, info.mode, info.uid, info.gid);
          run.step('rollback', true, e.path, `restored from ${e.backup}`);
        }
        await exec.remove(e.backup);
      } else if (e.created) {
        if (await exec.stat(e.path)) {
          await exec.remove(e.path);
          run.step('rollback', true, e.path, 'removed (it did not exist before)');
        }
      }
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

/** The end of a run whose files are all in place (or all back): saved states, journal, then the directories it made. */
async function finish(run: Run, journal: Journal): Promise<void> {
  for (const r of journal.restores ?? []) await run.exec.remove(r.script).catch(() => undefined);
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
  await writeAtomic(exec, JOURNAL, `${JOURNAL}.tmp`, encoder.encode(JSON.stringify(journal, null, 2) + '\n'), 0o600);
}

/** Carries out the plan. Never throws for a failure of the host: the result says what happened. */
export async function executePlan(plan: Plan, exec: Executor, options: ExecuteOptions = {}): Promise<ApplyResult> {
  const run = new Run(exec);
  const todo = changes(plan);
  if (todo.length === 0) {
    return { status: 'unchanged', steps: [], files: [], rollbackProblems: [], reason: 'every file is already as rendered; nothing to do' };
  }
  if (plan.lockout.length > 0 && !options.allowLockout) {
    return { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: `this would lock you out: ${plan.lockout.join('; ')} (use --allow-lockout to apply anyway)` };
  }
  const interrupted = await readText(exec, JOURNAL);
  if (interrupted !== undefined) {
    return { status: 'refused', steps: [], files: [], rollbackProblems: [], reason: `an earlier apply was interrupted (${JOURNAL} exists): recover it first` };
  }

  const journal: { version: 1; started: string; entries: Journal['entries'][number][]; dirs: string[]; restores: { service: Service; script: string }[] } = {
    version: 1,
    started: new Date().toISOString(),
    entries: todo.map((f) => ({ path: f.path, temp: f.temp, backup: f.backup, created: f.action === 'create' })),
    dirs: [],
    restores: [],
  };
  const reloaded: PlannedCommand[] = [];

  const fail = async (reason: string): Promise<ApplyResult> => {
    const problems = await restore(run, journal);
    const filesBack = problems.length === 0;
    for (const c of plan.validations) if (c.scratch) await exec.remove(c.scratch.path).catch(() => undefined);
    for (const r of reloaded) {
      const saved = journal.restores.find((x) => x.service === r.service);
      if (saved) {
        problems.push(...(await runRestore(run, saved)));
        continue;
      }
      const script = r.service === 'ufw' ? todo.find((f) => f.service === 'ufw') : undefined;
      if (script?.action === 'create') {
        run.step('rollback', false, `re-run: ${formatArgv(r.argv)}`, 'there was no earlier ufw script to re-run: the firewall keeps the rules the new script set');
        problems.push('ufw: the rules set by the new script stay in effect (no earlier script to restore them)');
        continue;
      }
      const res = await runCommand(exec, r);
      run.step('rollback', res.code === 0, `re-run: ${formatArgv(r.argv)}`, res.code === 0 ? undefined : describeRun(res));
      if (res.code !== 0) problems.push(`${formatArgv(r.argv)}: ${describeRun(res)}`);
    }
    // The journal goes once every file is back (reload problems do not keep it); with it the saved
    // states and the directories this run made.
    if (filesBack) await finish(run, journal).catch(() => undefined);
    return { status: 'rolled-back', steps: run.steps, files: todo.map((f) => f.path), reason, rollbackProblems: problems };
  };

  try {
    // The journal first: from here on, an interruption can always be undone. Its directory counts
    // among the ones this run created (removed again at the end when it made them).
    journal.dirs.push(...(await exec.mkdir(posix.dirname(JOURNAL), 0o755)));
    await writeJournal(exec, journal);
    for (const f of todo) {
      const made = await exec.mkdir(posix.dirname(f.path), 0o755);
      if (made.length) {
        journal.dirs.push(...made);
        await writeJournal(exec, journal);
        run.step('mkdir', true, made.join(', '));
      }
    }
    for (const f of todo) {
      await exec.write(f.temp, encodeText(f.after), { mode: f.mode, uid: f.uid, gid: f.gid });
      run.step('stage', true, f.temp);
    }
    for (const f of todo) {
      if (!f.backup) continue;
      const info = (await exec.stat(f.path))!;
      const data = (await exec.read(f.path))!;
      if (decodeBytes(data) !== f.before) return await fail(`${f.path} changed since the plan was made`);
      await writeAtomic(exec, f.backup, `${f.backup}.fwconf-tmp`, data, info.mode, info.uid, info.gid);
      run.step('backup', true, f.path, `saved as ${f.backup}`);
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
    try {
      if (c.scratch) await exec.write(c.scratch.path, encodeText(c.scratch.content), { mode: 0o600 });
      const res = await runCommand(exec, c);
      const why = res.code === 0 ? undefined : c.explain?.(res);
      run.step('validate', res.code === 0, formatArgv(c.argv), res.code === 0 ? c.description : `${describeRun(res)}${why ? ` — ${why}` : ''}`);
      if (res.code !== 0) return await fail(`${c.service} rejected the new configuration (${formatArgv(c.argv)}: ${describeRun(res)})${why ? `: ${why}` : ''}`);
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
      const script = posix.join(posix.dirname(JOURNAL), `restore-${snap.service}.sh`);
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

/** The plan as text: the files with their diffs, then the commands in order. */
export function formatPlan(plan: Plan): string {
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
  return out.join('\n') + '\n';
}

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

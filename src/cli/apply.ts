/** `fwconf apply [SPEC]`: render the spec and put the files in place safely. */
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { createInterface } from 'node:readline';
import {
  DryRunExecutor,
  executePlan,
  formatPlan,
  formatResult,
  JOURNAL,
  LocalExecutor,
  LockBusyError,
  PathEscapeError,
  planApply,
  PlanRefusal,
  recoverInterrupted,
  writeRefusals,
  type Executor,
  type PlanOptions,
  type TreeLock,
} from '../apply/index.js';
import { changes, readText } from '../apply/plan.js';
import { tableName } from '../apply/nftables.js';
import type { RenderedFile } from '../builder/model.js';
import * as builderRender from '../builder/render.js';
import { DEFAULT_SPEC } from '../builder/default-spec.js';
import { loadSpec } from '../builder/load.js';
import { EXIT_FINDINGS, EXIT_OK, parseCommandArgs, printDiagnostics, readInput, refuseOptions, UsageError, type Command, type Io } from './io.js';

/** Exit status when another apply holds the lock (EX_TEMPFAIL: nothing was done, try again). */
export const EXIT_BUSY = 75;

const usage = `Usage: fwconf apply [SPEC] [--root DIR] [--dry-run] [--yes] [--allow-lockout]
                    [--wait SECONDS] [--ufw-files]

Renders SPEC (YAML or JSON; - reads it from standard input, and then --yes is
needed; without SPEC, the built-in spec, as fwconf render) and applies the
files: prints the plan (diffs and commands), asks for confirmation, backs up the
originals (NAME.orig, later ones timestamped), installs each file atomically,
validates the new tree with the daemons' own checkers (sshd -t,
fail2ban-client -t, ...), reloads the services and checks they took it.

A fail2ban .local you wrote yourself (no fwconf marker) is edited in place:
fwconf's sections and keys are set, every other line is kept; an edit keeps
every byte it does not touch.

With --ufw-files the ufw part is ufw's own files, rendered as fwconf render
--ufw-files does (etc/ufw/user.rules, user6.rules, ufw.conf, etc/default/ufw)
and installed like the others instead of running the ufw script: the lockout
guard reads the SSH port's rule from the planned rule files, iptables-restore
--test and ip6tables-restore --test check user.rules and user6.rules, and on
the live system ufw loads them (ufw --force enable, the files saying
ENABLED=yes; else ufw reload). A rollback puts the files back, then runs
ufw reload, or ufw disable when the original ufw.conf had ufw disabled.

Before the ufw script runs, the firewall's current rules are saved
(ufw status verbose), and nftables tables that ufw (iptables-nft) did not create
are named with a warning (nft list tables): their chains filter the same
packets, so a drop there blocks what ufw allows.

On any failure every original is put back (the original file itself: content,
mtime, owner and extended attributes), the firewall rules restored and the
other reloads re-run; the directories and temporary files the apply created are
removed. A file to change (or its backup, or the journal) that is a symbolic
link is refused before anything is written: apply never writes through a link.

One apply at a time: the whole apply (recovery, plan and run) holds a lock,
/run/fwconf/apply.lock on the live system, DIR/var/lib/fwconf/apply.lock with
--root. When another live apply holds it, apply changes nothing and exits 75
(or waits for it, with --wait); a lock or journal left by an apply that is gone
(killed, or before a reboot) is taken over and that apply rolled back.

Options:
  --root DIR        apply to a tree below DIR (validators run on it; reloads are
                    skipped)
  --dry-run         print the plan and what would run, and run the validators
                    on a staged copy of the tree (exit 1 if one refuses);
                    change nothing
  --yes, -y         do not ask (required when not on a terminal)
  --allow-lockout   apply even when the plan would lock you out of SSH
  --wait SECONDS    when another apply holds the lock, wait up to SECONDS for
                    it (default 0)
  --ufw-files       install ufw's own files instead of running the ufw script
  -h, --help        this text

Exit: 0 applied or nothing to do, 1 refused, rolled back or invalid spec, 2
usage error, 75 another apply holds the lock (nothing was changed).`;

/** The user applying: the one behind sudo when there is one. */
function operatorName(io: Io): string {
  const sudo = io.env.SUDO_USER;
  if (sudo) return sudo;
  if (io.env.USER) return io.env.USER;
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

async function confirm(io: Io, prompt: string): Promise<boolean> {
  io.stdout(prompt);
  let answer: string;
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    rl.close();
  } else {
    answer = (await io.stdin()).split('\n')[0] ?? '';
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}

async function renderedFiles(specPath: string | undefined, io: Io, options: builderRender.RenderOptions): Promise<{ files: readonly RenderedFile[]; notes: readonly string[] } | undefined> {
  let spec: unknown;
  if (specPath === undefined) {
    spec = DEFAULT_SPEC;
  } else {
    const input = await readInput(specPath === '-' ? '-' : nodePath.resolve(io.cwd, specPath), io);
    if ('error' in input) {
      io.stderr(`fwconf apply: ${input.error}\n`);
      return undefined;
    }
    const loaded = loadSpec(input.text, { file: input.file === '<stdin>' ? input.file : specPath });
    printDiagnostics(io, loaded.diagnostics, input.file === '<stdin>' ? input.file : specPath);
    if (!loaded.spec) return undefined;
    spec = loaded.spec;
  }
  try {
    return builderRender.render(spec as never, options);
  } catch (e) {
    if (e instanceof builderRender.SpecError) {
      io.stderr(`fwconf apply: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}

/** The options every command running apply's flow takes (fwconf apply, fwconf ufw restore). */
export const APPLY_OPTIONS = {
  root: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'allow-lockout': { type: 'boolean' },
  wait: { type: 'string' },
} as const;

/** Their parsed values, with --dry-run for the commands that have it. */
export type ApplyValues = {
  readonly root?: string;
  readonly yes?: boolean;
  readonly 'allow-lockout'?: boolean;
  readonly wait?: string;
  readonly 'dry-run'?: boolean;
};

/** How a command runs apply's flow: its words in the messages, its options. */
export interface ApplyRun {
  /** The command in messages: `fwconf apply`. */
  readonly name: string;
  /** The verb of its refusals: `apply` (… to apply anyway). */
  readonly verb: string;
  /** The confirmation question. */
  readonly prompt: string;
  /** Printed when no file changes. */
  readonly unchanged: string;
  readonly values: ApplyValues;
  readonly planOptions?: PlanOptions;
}

/**
 * Apply's flow, for every command that puts files in place: under the tree's lock (recovering an
 * interrupted apply first), the plan printed, refusals (links, lockout) stopping it, the confirmation,
 * the run, its result; a dry run plans, validates on a staged copy and changes nothing. Returns the exit status.
 */
export async function runApply(files: readonly RenderedFile[], io: Io, o: ApplyRun): Promise<number> {
  const dryRun = o.values['dry-run'] === true;
  const waitMs = checkApplyValues(o.values);
  const allowLockout = o.values['allow-lockout'] === true;
  let base: LocalExecutor;
  try {
    base = new LocalExecutor({ root: o.values.root === undefined ? undefined : nodePath.resolve(io.cwd, o.values.root), env: io.env as NodeJS.ProcessEnv });
  } catch (e) {
    io.stderr(`${o.name}: --root ${o.values.root}: ${(e as Error).message}\n`);
    return EXIT_FINDINGS;
  }
  const exec: Executor = dryRun ? new DryRunExecutor(base) : base;

  // The lock for the whole apply (a dry run changes nothing and takes none).
  let lock: TreeLock | undefined;
  try {
    if (!dryRun) lock = await base.lock({ waitMs });
  } catch (e) {
    if (e instanceof LockBusyError) {
      io.stderr(`${o.name}: ${e.message}: not applied, nothing was changed (try again, or give --wait SECONDS)\n`);
      return EXIT_BUSY;
    }
    if (e instanceof PathEscapeError) {
      io.stderr(`${o.name}: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  if (lock?.tookOver) io.stderr(`note: took over the lock ${lock.file} of an apply that is gone (pid ${lock.tookOver.pid}, since ${lock.tookOver.since})\n`);
  const holder = dryRun ? base.lockHolder() : undefined;
  if (holder) io.stdout(`Another apply is running (pid ${holder.pid}, since ${holder.since}): a real apply now would wait for it or be refused.\n\n`);

  try {
    if (dryRun) {
      if ((await readText(exec, JOURNAL)) !== undefined) {
        io.stdout(holder ? `Its journal is ${JOURNAL}.\n\n` : `An earlier apply was interrupted (${JOURNAL}): it would be rolled back first.\n\n`);
      }
    } else {
      // Under the lock: an interrupted apply's journal (or what a run killed before its first journal left).
      const steps = await recoverInterrupted(exec, { lock });
      if (steps.length > 0) {
        io.stdout(formatResult({ status: 'unchanged', steps, files: [], rollbackProblems: [] }).replace(/Nothing changed: already applied\.\n$/, ''));
        if (steps.some((s) => !s.ok)) {
          io.stderr(`${o.name}: could not undo the interrupted apply; fix the files named above first\n`);
          return EXIT_FINDINGS;
        }
        io.stdout('The interrupted apply was rolled back.\n\n');
      }
    }

    const plan = await planApply(files, exec, o.planOptions);
    const refusals = await writeRefusals(plan, exec);
    io.stdout(formatPlan(plan, refusals));
    const foreign = plan.foreignNftTables ?? [];
    if (foreign.length > 0 && changes(plan).length > 0) {
      io.stderr(`${o.name}: warning: ufw would run beside nftables tables it does not manage (${foreign.map((t) => `table ${tableName(t)}`).join(', ')}): see the note in the plan\n`);
    }
    if (plan.files.every((f) => f.action === 'unchanged')) {
      io.stdout(`${o.unchanged}\n`);
      return EXIT_OK;
    }
    if (refusals.length > 0) {
      io.stderr(`${o.name}: refusing, nothing was written: ${refusals.join('; ')}\n`);
      return EXIT_FINDINGS;
    }
    if (plan.lockout.length > 0 && !allowLockout) {
      io.stderr(`${o.name}: refusing: this would lock you out: ${plan.lockout.join('; ')} (use --allow-lockout to ${o.verb} anyway)\n`);
      return EXIT_FINDINGS;
    }
    if (!dryRun && o.values.yes !== true) {
      if (!io.interactive) {
        io.stderr(`${o.name}: not a terminal: give --yes to ${o.verb} without confirmation\n`);
        return EXIT_FINDINGS;
      }
      if (!(await confirm(io, o.prompt))) {
        io.stderr(`${o.name}: not applied\n`);
        return EXIT_FINDINGS;
      }
    }
    const result = await executePlan(plan, exec, { allowLockout, lock });
    io.stdout('\n' + formatResult(result));
    if (dryRun) {
      io.stdout(`\nDry run: nothing was changed. It would:\n${(exec as DryRunExecutor).log.map((l) => `  ${l}`).join('\n')}\n`);
      if (result.status === 'rolled-back' || result.status === 'refused') {
        io.stderr(`${o.name}: dry run: the ${o.verb} would be ${result.status === 'refused' ? 'refused' : 'rolled back'}: ${result.reason}\n`);
        return EXIT_FINDINGS;
      }
      return EXIT_OK;
    }
    if (result.status === 'rolled-back' || result.status === 'refused') {
      io.stderr(`${o.name}: ${result.status === 'refused' ? 'refused' : 'rolled back'}: ${result.reason}\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof PlanRefusal) {
      printDiagnostics(io, e.diagnostics);
      io.stderr(`${o.name}: refusing: a file cannot be edited safely (see above); nothing was changed\n`);
      return EXIT_FINDINGS;
    }
    if (e instanceof PathEscapeError) {
      io.stderr(`${o.name}: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  } finally {
    lock?.release();
  }
}

/** The usage errors of apply's options (call it before reading any input); returns --wait in milliseconds (0 without it). */
export function checkApplyValues(values: ApplyValues): number {
  if (values['dry-run'] === true) refuseOptions(values, ['wait'], 'has no meaning with --dry-run (a dry run takes no lock)');
  if (values.wait === undefined) return 0;
  const w = values.wait.trim();
  if (!/^\d+(\.\d+)?$/.test(w) || Number(w) > 86_400) throw new UsageError(`--wait ${values.wait}: expected a number of seconds (0 to 86400)`);
  return Math.round(Number(w) * 1000);
}

export const command: Command = {
  name: 'apply',
  summary: 'apply rendered files safely',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { ...APPLY_OPTIONS, 'dry-run': { type: 'boolean' }, 'ufw-files': { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length > 1) throw new UsageError('at most one SPEC');
    checkApplyValues(args.values);
    const rendered = await renderedFiles(args.positionals[0], io, { ufw: args.values['ufw-files'] ? 'files' : 'script' });
    if (!rendered) return EXIT_FINDINGS;
    for (const n of rendered.notes) io.stderr(`note: ${n}\n`);
    return runApply(rendered.files, io, {
      name: 'fwconf apply',
      verb: 'apply',
      prompt: 'Apply these changes? [y/N] ',
      unchanged: 'Nothing changed: already applied.',
      values: args.values,
      planOptions: { operator: { user: operatorName(io) } },
    });
  },
};

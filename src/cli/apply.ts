/** `fwconf apply [SPEC]`: render the spec and put the files in place safely. */
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { createInterface } from 'node:readline';
import {
  changes,
  DryRunExecutor,
  executePlan,
  formatPlan,
  formatResult,
  JOURNAL,
  LocalExecutor,
  PathEscapeError,
  planApply,
  PlanRefusal,
  readText,
  recoverInterrupted,
  tableName,
  writeRefusals,
  type Executor,
} from '../apply/index.js';
import type { RenderedFile } from '../builder/model.js';
import * as builderRender from '../builder/render.js';
import { DEFAULT_SPEC } from '../builder/default-spec.js';
import { loadSpec } from '../builder/load.js';
import { EXIT_FINDINGS, EXIT_OK, parseCommandArgs, printDiagnostics, readInput, UsageError, type Command, type Io } from './io.js';

const usage = `Usage: fwconf apply [SPEC] [--root DIR] [--dry-run] [--yes] [--allow-lockout]

Renders SPEC (YAML or JSON; - reads it from standard input, and then --yes is
needed; without SPEC, the built-in spec, as fwconf render) and applies the
files: prints the plan (diffs and commands), asks for confirmation, backs up the
originals (NAME.orig, later ones timestamped), installs each file atomically,
validates the new tree with the daemons' own checkers (sshd -t,
fail2ban-client -t, ...), reloads the services and checks they took it.

A fail2ban .local you wrote yourself (no fwconf marker) is edited in place:
fwconf's sections and keys are set, every other line is kept; an edit keeps
every byte it does not touch.

Before the ufw script runs, the firewall's current rules are saved
(ufw status verbose), and nftables tables that ufw (iptables-nft) did not create
are named with a warning (nft list tables): their chains filter the same
packets, so a drop there blocks what ufw allows.

On any failure every original is put back (the original file itself: content,
mtime, owner and extended attributes), the firewall rules restored and the
other reloads re-run; the directories and temporary files the apply created are
removed. A file to change (or its backup, or the journal) that is a symbolic
link is refused before anything is written: apply never writes through a link.

Options:
  --root DIR        apply to a tree below DIR (validators run on it; reloads are
                    skipped)
  --dry-run         print the plan and what would run; change nothing
  --yes, -y         do not ask (required when not on a terminal)
  --allow-lockout   apply even when the plan would lock you out of SSH
  -h, --help        this text

Exit: 0 applied or nothing to do, 1 refused, rolled back or invalid spec, 2
usage error.`;

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

async function confirm(io: Io): Promise<boolean> {
  io.stdout('Apply these changes? [y/N] ');
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

async function renderedFiles(specPath: string | undefined, io: Io): Promise<{ files: readonly RenderedFile[]; notes: readonly string[] } | undefined> {
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
    return builderRender.render(spec as never);
  } catch (e) {
    if (e instanceof builderRender.SpecError) {
      io.stderr(`fwconf apply: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}

export const command: Command = {
  name: 'apply',
  summary: 'apply rendered files safely',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      argv,
      {
        root: { type: 'string' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'allow-lockout': { type: 'boolean' },
      },
      usage,
      io,
    );
    if (!args) return EXIT_OK;
    if (args.positionals.length > 1) throw new UsageError('at most one SPEC');
    const dryRun = args.values['dry-run'] === true;

    const rendered = await renderedFiles(args.positionals[0], io);
    if (!rendered) return EXIT_FINDINGS;
    for (const n of rendered.notes) io.stderr(`note: ${n}\n`);

    let base: LocalExecutor;
    try {
      base = new LocalExecutor({ root: args.values.root === undefined ? undefined : nodePath.resolve(io.cwd, args.values.root), env: io.env as NodeJS.ProcessEnv });
    } catch (e) {
      io.stderr(`fwconf apply: --root ${args.values.root}: ${(e as Error).message}\n`);
      return EXIT_FINDINGS;
    }
    const exec: Executor = dryRun ? new DryRunExecutor(base) : base;

    try {
      if ((await readText(exec, JOURNAL)) !== undefined) {
        if (dryRun) io.stdout(`An earlier apply was interrupted (${JOURNAL}): it would be rolled back first.\n\n`);
        else {
          const steps = await recoverInterrupted(exec);
          io.stdout(formatResult({ status: 'unchanged', steps, files: [], rollbackProblems: [] }).replace(/Nothing changed: already applied\.\n$/, ''));
          if (steps.some((s) => !s.ok)) {
            io.stderr('fwconf apply: could not undo the interrupted apply; fix the files named above first\n');
            return EXIT_FINDINGS;
          }
          io.stdout('The interrupted apply was rolled back.\n\n');
        }
      }

      const plan = await planApply(rendered.files, exec, { operator: { user: operatorName(io) } });
      const refusals = await writeRefusals(plan, exec);
      io.stdout(formatPlan(plan, refusals));
      const foreign = plan.foreignNftTables ?? [];
      if (foreign.length > 0 && changes(plan).length > 0) {
        io.stderr(`fwconf apply: warning: ufw would run beside nftables tables it does not manage (${foreign.map((t) => `table ${tableName(t)}`).join(', ')}): see the note in the plan\n`);
      }
      if (plan.files.every((f) => f.action === 'unchanged')) {
        io.stdout('Nothing changed: already applied.\n');
        return EXIT_OK;
      }
      if (refusals.length > 0) {
        io.stderr(`fwconf apply: refusing, nothing was written: ${refusals.join('; ')}\n`);
        return EXIT_FINDINGS;
      }
      if (plan.lockout.length > 0 && !args.values['allow-lockout']) {
        io.stderr(`fwconf apply: refusing: this would lock you out: ${plan.lockout.join('; ')} (use --allow-lockout to apply anyway)\n`);
        return EXIT_FINDINGS;
      }
      if (!dryRun && !args.values.yes) {
        if (!io.interactive) {
          io.stderr('fwconf apply: not a terminal: give --yes to apply without confirmation\n');
          return EXIT_FINDINGS;
        }
        if (!(await confirm(io))) {
          io.stderr('fwconf apply: not applied\n');
          return EXIT_FINDINGS;
        }
      }
      const result = await executePlan(plan, exec, { allowLockout: args.values['allow-lockout'] === true });
      io.stdout('\n' + formatResult(result));
      if (dryRun) {
        io.stdout(`\nDry run: nothing was changed. It would:\n${(exec as DryRunExecutor).log.map((l) => `  ${l}`).join('\n')}\n`);
        return EXIT_OK;
      }
      if (result.status === 'rolled-back' || result.status === 'refused') {
        io.stderr(`fwconf apply: ${result.status === 'refused' ? 'refused' : 'rolled back'}: ${result.reason}\n`);
        return EXIT_FINDINGS;
      }
      return EXIT_OK;
    } catch (e) {
      if (e instanceof PlanRefusal) {
        printDiagnostics(io, e.diagnostics);
        io.stderr('fwconf apply: refusing: a file cannot be edited safely (see above); nothing was changed\n');
        return EXIT_FINDINGS;
      }
      if (e instanceof PathEscapeError) {
        io.stderr(`fwconf apply: ${e.message}\n`);
        return EXIT_FINDINGS;
      }
      throw e;
    }
  },
};

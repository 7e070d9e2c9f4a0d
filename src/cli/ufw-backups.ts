/** `fwconf ufw backups` and `fwconf ufw restore STAMP`: the sets `ufw reset` leaves, and putting one back. */
import * as nodePath from 'node:path';
import { createInterface } from 'node:readline';
import { executePlan, formatPlan, formatResult, LocalExecutor, LockBusyError, planApply, PlanRefusal, writeRefusals } from '../apply/index.js';
import { unifiedDiff } from '../apply/plan.js';
import type { RenderedFile } from '../builder/model.js';
import { backupPath, listBackups } from '../ufw-files/index.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, printDiagnostics, rootFiles, UsageError, type Io } from './io.js';

export const backupsUsage = `Usage: fwconf ufw backups [--root DIR] [--json]

Lists the backup sets \`ufw reset\` left in DIR/etc/ufw (default /etc/ufw): the
rule files it renamed to NAME.YYYYMMDD_HHMMSS, oldest first, each with its
rules (as \`ufw show added\` prints them) and a diff against the current files.

Exit 0 ok (also when there is no backup), 2 usage error.

Options:
  --root DIR   the tree holding etc/ufw (default /)
  --json       print [{"stamp", "files", "rules": {"v4", "v6"}, "commands",
               "diffs": [{"file", "diff"}]}]
  -h, --help   this text`;

export const restoreUsage = `Usage: fwconf ufw restore STAMP [--root DIR] [--yes] [--allow-lockout]

Puts the backup set STAMP (see fwconf ufw backups) back in place of the current
rule files, through fwconf's apply: the plan with its diffs, the lockout guard
(the SSH port must stay allowed when ufw is enabled), each file installed
atomically with the file it replaces kept as NAME.orig, iptables-restore
--test of user.rules and user6.rules, then \`ufw reload\` when DIR is / (with
--root the files are only written). ufw.conf is not touched: \`ufw enable\`
turns ufw back on after a reset.

Exit 0 restored or nothing to do, 1 refused or rolled back, 2 usage error.

Options:
  --root DIR        the tree holding etc/ufw (default /)
  --yes, -y         do not ask (required when not on a terminal)
  --allow-lockout   restore even when it would lock you out of SSH
  -h, --help        this text`;

export async function backupsCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, { root: { type: 'string' }, json: { type: 'boolean' } }, backupsUsage, io);
  if (!args) return EXIT_OK;
  if (args.positionals.length) throw new UsageError('backups takes no arguments');
  const files = rootFiles(args.values.root, io);
  const sets = listBackups(files, '/').map((s) => ({
    ...s,
    diffs: s.files
      .map((f) => ({ file: `/etc/ufw/${f}`, diff: unifiedDiff(`/etc/ufw/${f}`, files.read(`/etc/ufw/${f}`), files.read(backupPath('/', f, s.stamp)) ?? '') }))
      .filter((d) => d.diff !== ''),
  }));
  if (args.values.json) {
    io.stdout(json(sets));
    return EXIT_OK;
  }
  if (sets.length === 0) io.stdout('No backups from ufw reset in /etc/ufw.\n');
  for (const s of sets) {
    io.stdout(`${s.stamp}: ${s.files.join(', ')}; ${s.rules.v4} IPv4 and ${s.rules.v6} IPv6 rules\n`);
    for (const c of s.commands) io.stdout(`  ${c}\n`);
    if (s.diffs.length === 0) io.stdout('  (the same as the current files)\n');
    for (const d of s.diffs) io.stdout(d.diff.replace(/^/gm, '  ').replace(/ +$/gm, '') + (d.diff.endsWith('\n') ? '' : '\n'));
  }
  return EXIT_OK;
}

async function confirm(io: Io): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question('Restore these files? [y/N] ', resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
  void io;
}

export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, { root: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, 'allow-lockout': { type: 'boolean' } }, restoreUsage, io);
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('restore takes one STAMP (see fwconf ufw backups)');
  const stamp = args.positionals[0]!;
  if (!/^\d{8}_\d{6}$/.test(stamp)) throw new UsageError(`'${stamp}' is not a backup stamp (YYYYMMDD_HHMMSS)`);
  const files = rootFiles(args.values.root, io);
  const set = listBackups(files, '/').find((s) => s.stamp === stamp);
  if (!set) {
    io.stderr(`fwconf ufw restore: no backup set ${stamp} in /etc/ufw (see fwconf ufw backups)\n`);
    return EXIT_FINDINGS;
  }
  const rendered: RenderedFile[] = set.files.map((f) => ({
    path: `/etc/ufw/${f}`,
    content: files.read(backupPath('/', f, stamp)) ?? '',
    format: 'ufw-rules',
    service: 'ufw',
    mode: 0o640,
  }));
  const exec = new LocalExecutor({ root: args.values.root === undefined ? undefined : nodePath.resolve(io.cwd, args.values.root), env: io.env as NodeJS.ProcessEnv });
  let lock;
  try {
    lock = await exec.lock({ waitMs: 0 });
  } catch (e) {
    if (e instanceof LockBusyError) {
      io.stderr(`fwconf ufw restore: ${e.message}: nothing was changed (try again)\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  try {
    // no operator: the restore changes no sshd setting, so only the firewall half of the lockout guard applies
    const plan = await planApply(rendered, exec);
    const refusals = await writeRefusals(plan, exec);
    io.stdout(formatPlan(plan, refusals));
    if (plan.files.every((f) => f.action === 'unchanged')) {
      io.stdout('Nothing changed: the files are already those of the backup.\n');
      return EXIT_OK;
    }
    if (refusals.length) {
      io.stderr(`fwconf ufw restore: refusing, nothing was written: ${refusals.join('; ')}\n`);
      return EXIT_FINDINGS;
    }
    if (plan.lockout.length && !args.values['allow-lockout']) {
      io.stderr(`fwconf ufw restore: refusing: this would lock you out: ${plan.lockout.join('; ')} (use --allow-lockout to restore anyway)\n`);
      return EXIT_FINDINGS;
    }
    if (!args.values.yes) {
      if (!io.interactive) {
        io.stderr('fwconf ufw restore: not a terminal: give --yes to restore without confirmation\n');
        return EXIT_FINDINGS;
      }
      if (!(await confirm(io))) return EXIT_FINDINGS;
    }
    const result = await executePlan(plan, exec, { allowLockout: args.values['allow-lockout'] === true, lock });
    io.stdout('\n' + formatResult(result));
    if (result.status === 'rolled-back' || result.status === 'refused') {
      io.stderr(`fwconf ufw restore: ${result.status === 'refused' ? 'refused' : 'rolled back'}: ${result.reason}\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof PlanRefusal) {
      printDiagnostics(io, e.diagnostics);
      return EXIT_FINDINGS;
    }
    throw e;
  } finally {
    lock.release();
  }
}

/** `fwconf ufw backups` and `fwconf ufw restore STAMP`: the sets `ufw reset` leaves, and putting one back. */
import { unifiedDiff } from '../apply/plan.js';
import type { RenderedFile } from '../builder/model.js';
import { backupPath, listBackups } from '../ufw-files/index.js';
import { APPLY_OPTIONS, checkApplyValues, runApply } from './apply.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, rootFiles, UsageError, type Io } from './io.js';

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
                          [--wait SECONDS]

Puts the backup set STAMP (see fwconf ufw backups) back in place of the current
rule files, through fwconf's apply: the plan with its diffs, the lockout guard
(the SSH port must stay allowed when ufw is enabled), each file installed
atomically with the file it replaces kept as NAME.orig, iptables-restore
--test of user.rules and user6.rules, then \`ufw reload\` when DIR is / (with
--root the files are only written). ufw.conf is not touched: \`ufw enable\`
turns ufw back on after a reset. It holds apply's lock (and first rolls back
an apply that was interrupted).

Exit 0 restored or nothing to do, 1 refused or rolled back, 2 usage error, 75
another apply holds the lock (nothing was changed).

Options:
  --root DIR        the tree holding etc/ufw (default /)
  --yes, -y         do not ask (required when not on a terminal)
  --allow-lockout   restore even when it would lock you out of SSH
  --wait SECONDS    when another apply holds the lock, wait up to SECONDS for
                    it (default 0)
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

export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, APPLY_OPTIONS, restoreUsage, io);
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('restore takes one STAMP (see fwconf ufw backups)');
  const stamp = args.positionals[0]!;
  if (!/^\d{8}_\d{6}$/.test(stamp)) throw new UsageError(`'${stamp}' is not a backup stamp (YYYYMMDD_HHMMSS)`);
  checkApplyValues(args.values);
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
  // no operator: the restore changes no sshd setting, so only the firewall half of the lockout guard applies
  const words = { name: 'fwconf ufw restore', verb: 'restore', prompt: 'Restore these files? [y/N] ' };
  return runApply(rendered, io, { ...words, unchanged: 'Nothing changed: the files are already those of the backup.', values: args.values });
}

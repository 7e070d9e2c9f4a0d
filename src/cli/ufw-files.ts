/** `fwconf ufw status|show-added|check-files|backups|restore`: ufw's own files under a root. */
import { readFileSync } from 'node:fs';
import type { UfwStatusMode } from '../ufw/model.js';
import { checkTree, forwardingFromFiles, isEnabled, readTree, showAdded, statusOutput, usesIpv6, type UfwTree } from '../ufw-files/index.js';
import { EXIT_FINDINGS, EXIT_OK, parseCommandArgs, reportDiagnostics, rootFiles, subcommandUsage, UsageError, type Io } from './io.js';
import { backupsCommand, backupsUsage, restoreCommand, restoreUsage } from './ufw-backups.js';

export const FILE_SUBCOMMANDS = ['status', 'show-added', 'check-files', 'backups', 'restore'] as const;

export const statusUsage = `Usage: fwconf ufw status [verbose|numbered] [--root DIR] [--forwarding yes|no]

Prints what \`ufw status\` (verbose, numbered) prints for ufw's files below DIR
(default /): etc/ufw/ufw.conf, etc/default/ufw, etc/ufw/user.rules and
user6.rules (when IPV6=yes), without running ufw. The rules come from the
\`### tuple ###\` lines, as ufw reads them.

While ufw is not enabled (ENABLED=no in ufw.conf) ufw itself prints only
\`Status: inactive\`; fwconf prints what ufw will print once enabled, and says
so on standard error.

verbose shows \`disabled (routed)\` unless forwarding is on: read from /proc for
the root /, else from etc/ufw/sysctl.conf, etc/sysctl.conf and etc/sysctl.d;
--forwarding says it instead.

Exit 0 ok, 1 when a file is missing or has errors, 2 usage error.

Options:
  --root DIR             the tree holding etc/ufw (default /)
  --forwarding yes|no    whether the kernel forwards packets
  -h, --help             this text`;

export const showAddedUsage = `Usage: fwconf ufw show-added [--root DIR]

Prints what \`ufw show added\` prints for ufw's files below DIR (default /): the
ufw command of each rule of user.rules and user6.rules, without running ufw.

Exit 0 ok, 1 when a file is missing or has errors, 2 usage error.

Options:
  --root DIR   the tree holding etc/ufw (default /)
  -h, --help   this text`;

export const checkFilesUsage = `Usage: fwconf ufw check-files [--root DIR] [--json]

Checks ufw's files below DIR (default /) together: their syntax, rule lines
without a \`### tuple ###\` (ufw does not show them and drops them when it next
writes the file), tuples whose iptables lines are not the ones ufw writes,
rules an earlier broader rule shadows, and rules without an address present
in only one of user.rules and user6.rules (with IPV6=yes).

Exit 0 when there is no error or warning, 1 otherwise, 2 usage error.

Options:
  --root DIR   the tree holding etc/ufw (default /)
  --json       print the diagnostics as JSON
  -h, --help   this text`;

export const FILE_USAGES: Readonly<Record<string, string>> = {
  status: statusUsage,
  'show-added': showAddedUsage,
  'check-files': checkFilesUsage,
  backups: backupsUsage,
  restore: restoreUsage,
};

function load(root: string | undefined, io: Io): { tree: UfwTree; rootDir: string } | undefined {
  const files = rootFiles(root, io);
  const tree = readTree(files, '/');
  for (const m of tree.missing) io.stderr(`${m}: error: cannot read: no such file [fwconf/cannot-read]\n`);
  if (tree.missing.length) return undefined;
  return { tree, rootDir: files.root };
}

function forwardingOnHost(ipv6: boolean): boolean {
  const on = (p: string) => {
    try {
      return readFileSync(p, 'utf8').trim() === '1';
    } catch {
      return false;
    }
  };
  return on('/proc/sys/net/ipv4/ip_forward') || (ipv6 && (on('/proc/sys/net/ipv6/conf/default/forwarding') || on('/proc/sys/net/ipv6/conf/all/forwarding')));
}

/** Runs one of FILE_SUBCOMMANDS. */
export async function runFileCommand(argv: string[], io: Io): Promise<number> {
  const own = subcommandUsage(argv, FILE_USAGES, ['root', 'forwarding']);
  if (own) {
    io.stdout(`${own}\n`);
    return EXIT_OK;
  }
  const sub = argv.find((a) => !a.startsWith('-'))!;
  if (sub === 'backups') return backupsCommand(argv.filter((a) => a !== sub), io);
  if (sub === 'restore') return restoreCommand(argv.filter((a) => a !== sub), io);
  const args = parseCommandArgs(argv, { root: { type: 'string' }, forwarding: { type: 'string' }, json: { type: 'boolean' } }, FILE_USAGES[sub]!, io);
  if (!args) return EXIT_OK;
  const [, ...rest] = args.positionals;
  if (sub !== 'status' && args.values.forwarding !== undefined) throw new UsageError('--forwarding is an option of status');
  if (sub !== 'check-files' && args.values.json) throw new UsageError('--json is an option of check-files');
  const loaded = load(args.values.root, io);
  if (!loaded) return EXIT_FINDINGS;
  const { tree, rootDir } = loaded;
  const errors = checkTree(tree).filter((d) => d.severity === 'error');
  if (sub === 'check-files') {
    if (rest.length) throw new UsageError('check-files takes no arguments');
    const ds = checkTree(tree);
    reportDiagnostics(io, ds, args.values.json);
    return ds.some((d) => d.severity !== 'info') ? EXIT_FINDINGS : EXIT_OK;
  }
  if (sub === 'show-added') {
    if (rest.length) throw new UsageError('show-added takes no arguments');
    io.stdout(showAdded(tree));
  } else {
    if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== 'verbose' && rest[0] !== 'numbered'))
      throw new UsageError(`status takes verbose or numbered, not '${rest.join(' ')}'`);
    const f = args.values.forwarding;
    if (f !== undefined && f !== 'yes' && f !== 'no') throw new UsageError('--forwarding takes yes or no');
    const forwarding = f !== undefined ? f === 'yes' : rootDir === '/' ? forwardingOnHost(usesIpv6(tree)) : forwardingFromFiles(rootFiles(args.values.root, io), '/');
    const mode: UfwStatusMode = (rest[0] as UfwStatusMode | undefined) ?? 'plain';
    io.stdout(statusOutput(tree, mode, { forwarding }));
    if (!isEnabled(tree)) io.stderr('fwconf: ufw is not enabled (ENABLED=no in etc/ufw/ufw.conf): ufw itself prints `Status: inactive`; this is what it prints once enabled\n');
  }
  // ufw skips what it cannot read: say so, as ufw warns
  reportDiagnostics(io, errors, false);
  return errors.length ? EXIT_FINDINGS : EXIT_OK;
}

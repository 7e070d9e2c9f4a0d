import { dirname } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { diagnosticsJson, diagnosticsSummary, EXIT_FINDINGS, EXIT_OK, parseCommandArgs, printDiagnostics, readInput, rootFiles, UsageError, type Command } from './io.js';
import { formatFor, namedFormat } from './select.js';

const usage = `Usage: fwconf check [--format F] [--root DIR] [--json] FILE...

Prints every diagnostic (syntax, values, references) on stderr as
file:line:col: severity: message [code], then their count
(2 errors, 1 warning in 3 files). Exit 1 when any file has an error, 0 otherwise
(warnings alone do not fail).

Options:
  --format F   sshd, xinetd, fail2ban, iptables-save (or iptables), ufw-status
               (or ufw), thpot (default: detected per file)
  --root DIR   read included and referenced files below DIR instead of /
               (symbolic links resolve inside DIR, as in a chroot)
  --json       print {"diagnostics": [{"file", "line", "column", "endLine",
               "endColumn", "severity", "code", "message"}]} on stdout instead
  -h, --help   this text`;

export const command: Command = {
  name: 'check',
  summary: 'report syntax and value errors',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' }, root: { type: 'string' }, json: { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
    const named = namedFormat(args.values.format);
    const files = rootFiles(args.values.root, io);
    let failed = false;
    const all: Diagnostic[] = [];
    for (const path of args.positionals) {
      const input = await readInput(path, io);
      if ('error' in input) {
        io.stderr(input.error + '\n');
        failed = true;
        continue;
      }
      const format = formatFor(named, input.file, input.text);
      if (typeof format === 'string') {
        io.stderr(format + '\n');
        failed = true;
        continue;
      }
      const seen = files.problems.length;
      const checked = format.check(format.parse(input.text, { file: input.file }), { files, baseDir: dirname(input.file) });
      // What this file's references met in the root's symbolic links (each reported once).
      const ds = sortDiagnostics([...checked, ...files.problems.slice(seen)]);
      // Named after their file (stdin's as <stdin>) for the closing count and the JSON.
      const located = ds.map((d) => (d.file === undefined ? { ...d, file: input.file } : d));
      if (!args.values.json) printDiagnostics(io, located);
      all.push(...located);
      if (hasErrors(ds)) failed = true;
    }
    if (args.values.json) io.stdout(diagnosticsJson(all));
    else if (all.length) io.stderr(`${diagnosticsSummary(all)}\n`);
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

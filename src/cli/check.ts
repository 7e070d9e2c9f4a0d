import { dirname } from 'node:path';
import { hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, parseCommandArgs, printDiagnostics, readInput, rootFiles, UsageError, type Command } from './io.js';
import { formatFor, namedFormat } from './select.js';

const usage = `Usage: fwconf check [--format F] [--root DIR] FILE...

Prints every diagnostic (syntax, values, references) as file:line:col: severity: message [code].
Exit 1 when any file has an error, 0 otherwise (warnings alone do not fail).

Options:
  --format F   sshd, xinetd, fail2ban, iptables-save, ufw-status, thpot (default: detected per file)
  --root DIR   read included and referenced files below DIR instead of / (symbolic links
               resolve inside DIR, as in a chroot)
  -h, --help   this text`;

export const command: Command = {
  name: 'check',
  summary: 'report syntax and value errors',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' }, root: { type: 'string' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
    const named = namedFormat(args.values.format);
    const files = rootFiles(args.values.root, io);
    let failed = false;
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
      printDiagnostics(io, ds, input.file);
      if (hasErrors(ds)) failed = true;
    }
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

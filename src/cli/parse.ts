import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, printDiagnostics, readInput, UsageError, type Command } from './io.js';
import { formatFor, namedFormat } from './select.js';

const usage = `Usage: fwconf parse [--format F] FILE|-

Prints the file's typed model as JSON on stdout; diagnostics go to stderr.
Exit 0 when the file parsed without errors, 1 when it has errors (the model is
still printed).

Options:
  --format F   sshd, xinetd, fail2ban, iptables-save (or iptables), ufw-status
               (or ufw), thpot, ufw-rules (user.rules, before.rules, ...),
               ufw-conf (ufw.conf, /etc/default/ufw), ufw-app (applications.d
               profiles), fail2ban-log (default: detected)
  -h, --help   this text`;

export const command: Command = {
  name: 'parse',
  summary: "print a file's typed model as JSON",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length !== 1) throw new UsageError('parse takes exactly one FILE (or - for stdin)');
    const named = namedFormat(args.values.format);
    const input = await readInput(args.positionals[0]!, io);
    if ('error' in input) {
      io.stderr(input.error + '\n');
      return EXIT_FINDINGS;
    }
    const format = formatFor(named, input.file, input.text);
    if (typeof format === 'string') {
      io.stderr(format + '\n');
      return EXIT_FINDINGS;
    }
    const doc = format.parse(input.text, { file: input.file });
    io.stdout(json(doc.toJSON()));
    printDiagnostics(io, doc.diagnostics, input.file);
    return doc.diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  },
};

import { firstDifferingLine } from '../core/lines.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, readInput, UsageError, type Command } from './io.js';
import { parseErrorText } from './json-errors.js';
import { formatFor, namedFormat } from './select.js';

const usage = `Usage: fwconf roundtrip [--format F] [--json] FILE...

Parses each file and prints it back. Exit 0 when every file re-prints byte for
byte (the bytes are compared); otherwise prints FILE:LINE: differs on stdout
for each file that does not, and exits 1. A file that cannot be read, whose
format cannot be told, or that is not UTF-8 (fwconf reads text:
FILE:LINE:COL: error: not UTF-8: ... [fwconf/invalid-utf8] at its first bad
byte) is reported on stderr and also gives exit 1.

Options:
  --format F   sshd, xinetd, fail2ban, iptables-save (or iptables), ufw-status
               (or ufw), thpot, ufw-rules (user.rules, before.rules, ...),
               ufw-conf (ufw.conf, /etc/default/ufw), ufw-app (applications.d
               profiles), fail2ban-log (default: detected per file)
  --json       print {"files": [{"file", "roundtrips", "line"}]} on stdout
               ("line": the first that differs, only when "roundtrips" is false)
               and "diagnostics": [...] for the files that could not be checked
  -h, --help   this text`;

export const command: Command = {
  name: 'roundtrip',
  summary: 'check that files re-print byte for byte',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' }, json: { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length === 0) throw new UsageError('roundtrip needs at least one FILE');
    const named = namedFormat(args.values.format);
    let failed = false;
    const results: { file: string; roundtrips: boolean; line?: number }[] = [];
    // The files that could not be checked (unreadable, not UTF-8, format unknown), for --json too.
    let problems = '';
    for (const path of args.positionals) {
      const input = await readInput(path, io);
      if ('error' in input) {
        io.stderr(input.error + '\n');
        problems += input.error + '\n';
        failed = true;
        continue;
      }
      const format = formatFor(named, input.file, input.text);
      if (typeof format === 'string') {
        io.stderr(format + '\n');
        problems += format + '\n';
        failed = true;
        continue;
      }
      const printed = format.parse(input.text, { file: input.file }).toString();
      if (!Buffer.from(printed, 'utf8').equals(input.bytes)) {
        // input.text is exactly the bytes' decoding, so the texts differ too: name their first differing line.
        const line = firstDifferingLine(input.text, printed) ?? 1;
        if (!args.values.json) io.stdout(`${input.file}:${line}: differs\n`);
        results.push({ file: input.file, roundtrips: false, line });
        failed = true;
      } else results.push({ file: input.file, roundtrips: true });
    }
    if (args.values.json) io.stdout(json(problems ? { files: results, diagnostics: parseErrorText(problems, false) } : { files: results }));
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

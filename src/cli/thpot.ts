/** `fwconf thpot summary`: what a tinyhoneypot capture log holds, streamed in constant memory. */
import { Readable } from 'node:stream';
import { summarize, type LogSource } from '../thpot/stream.js';
import type { Summary } from '../thpot/summary.js';
import { EXIT_FINDINGS, EXIT_OK, parseCommandArgs, refuseOptions, subcommand, summarizeStream, UsageError, type Command, type Io } from './io.js';

const usage = `Usage: fwconf thpot summary [--json] [--top N] FILE|-

Reads a tinyhoneypot capture log (/var/log/thpot/captures) as a stream, in
constant memory, and prints its sessions per source address and per service.

With --json, prints exactly:
  {"records": N, "invalid": M, "sources": {"ADDR": hits, ...},
   "services": {"NAME": hits, ...}, "first": "Mon DD HH:MM:SS" | null,
   "last": ... | null}
  records      well-formed lines (single-line captures; the multi-line
               layout's lines)
  invalid      every other line, blank lines included (records + invalid =
               lines)
  sources      sessions per SRC as written, most first ("" = thpot wrote SRC=
               empty)
  services     sessions per SID service suffix ("" = no suffix: the silent
               listener)
  first, last  the timestamps as written of the first and last session in file
               order (thpot writes a line when the session ends, stamped with
               its start)
Without --json, a table of the top sources.

Diagnostics (invalid lines, dates written under another locale that fail2ban
cannot read) go to stderr as file:line:col; the first 100 are printed, then a
count. Exit 0 ok, 1 when the log has invalid lines or error diagnostics, 2 usage
error.

Options:
  --json       the summary as JSON
  --top N      rows of the source table (default 10; 0 = all)
  -h, --help   this text`;


/** Standard input as a stream when the Io offers one, else the Io's text. */
async function stdinSource(io: Io): Promise<LogSource> {
  return io.stdinStream ? io.stdinStream() : Readable.from([await io.stdin()]);
}

function table(s: Summary, file: string, top: number): string {
  const lines: string[] = [];
  const sessions = [...s.sources.values()].reduce((a, b) => a + b, 0);
  lines.push(`${file}: ${s.records} records, ${s.invalid} invalid lines, ${sessions} sessions from ${s.sources.size} sources`);
  if (s.first !== null) lines.push(`first ${s.first.trim()}, last ${s.last!.trim()} (as written, in file order)`);
  const rows = s.topSources(top > 0 ? top : Infinity);
  if (rows.length > 0) {
    const w = Math.max(4, ...rows.map(([, n]) => String(n).length));
    lines.push('', `${'HITS'.padStart(w)}  SOURCE`);
    for (const [src, n] of rows) lines.push(`${String(n).padStart(w)}  ${src === '' ? '(empty SRC)' : src}`);
    const more = s.sources.size - rows.length;
    if (more > 0) lines.push(`${''.padStart(w)}  … ${more} more`);
  }
  const services = s.topServices();
  if (services.length > 0) lines.push('', `services: ${services.map(([k, n]) => `${k === '' ? '(none)' : k} ${n}`).join(', ')}`);
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'thpot',
  summary: 'tinyhoneypot capture logs: summary',
  usage,
  async run(argv, io) {
    const picked = subcommand(argv, ['summary'], usage, io);
    if (!picked) return EXIT_OK;
    const [, rest] = picked;
    const args = parseCommandArgs(rest, { json: { type: 'boolean' }, top: { type: 'string' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length !== 1) throw new UsageError('summary takes exactly one FILE (or - for stdin)');
    if (args.values.json) refuseOptions(args.values, ['top'], 'is an option of the table, not of --json (which has every source)');
    const top = args.values.top === undefined ? 10 : Number(args.values.top);
    if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top expects a whole number, got '${args.values.top}'`);
    const path = args.positionals[0]!;
    const file = path === '-' ? '<stdin>' : path;
    const source: LogSource = path === '-' ? await stdinSource(io) : path;
    const done = await summarizeStream<Summary>(io, file, 'thpot', (onDiagnostic) => summarize(source, { file, onDiagnostic }));
    if (!done) return EXIT_FINDINGS;
    const { summary, errors } = done;
    io.stdout(args.values.json ? summary.toJSONText() : table(summary, file, top));
    return summary.invalid > 0 || errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

/**
 * `fwconf fail2ban log`: what a fail2ban.log holds — bans per jail, per address and per hour — streamed in
 * flat memory; `fwconf fail2ban status`: fail2ban-client's status output as data.
 */
import { Readable } from 'node:stream';
import { summarizeLog, type LogSummary } from '../fail2ban-log/index.js';
import type { LogSource } from '../fail2ban-log/stream.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, printDiagnostics, readInput, refuseOptions, summarizeStream, UsageError, type Io } from './io.js';

export const logUsage = `Usage: fwconf fail2ban log [--json] [--top N] FILE|-

Reads a fail2ban.log (fail2ban-server's logtarget) as a stream, in flat memory,
and prints its bans per jail, per address and per hour.

With --json, prints {"records", "unknown", "lines", "first", "last", "events",
"jails", "addresses", "hours"}:
  records     log records (a header line and its continuation lines)
  unknown     lines without a header before the first record
  first, last timestamps as written of the first and last record
  events      records per event type (ban, restore-ban, unban, found,
              already-banned, jail-started, error, warning, other, ...)
  jails       {NAME: {found, bans, restored, unbans, alreadyBanned, banned}}
              banned: addresses still banned at the end of the log
  addresses   [{ip, bans, found, jails}], most bans first
  hours       [{hour: "YYYY-MM-DD HH", found, bans, unbans}], in time order
Without --json, a table per jail, the top addresses and the last 24 hours.

Diagnostics (lines without a log header) go to stderr; the first 100 are
printed, then a count. Exit 0 ok, 1 when the log has error records or lines
that are not fail2ban's, 2 usage error.

Options:
  --json       the summary as JSON
  --top N      rows of the address table (default 10; 0 = all)
  -h, --help   this text`;

/** Hours the table shows: the last ones with any Found, Ban or Unban. */
const HOURS = 24;

function table(s: LogSummary, file: string, top: number): string {
  const out: string[] = [`${file}: ${s.records} records, ${s.lines} lines${s.unknown ? `, ${s.unknown} unknown` : ''}`];
  if (s.first !== null) out.push(`first ${s.first}, last ${s.last}`);
  const jails = [...s.jails];
  if (jails.length) {
    const w = Math.max(4, ...jails.map(([n]) => n.length));
    out.push('', `${'JAIL'.padEnd(w)}  FOUND   BANS  RESTORED  UNBANS  BANNED`);
    for (const [n, j] of jails)
      out.push(`${n.padEnd(w)}  ${String(j.found).padStart(5)}  ${String(j.bans).padStart(5)}  ${String(j.restored).padStart(8)}  ${String(j.unbans).padStart(6)}  ${String(j.banned).padStart(6)}`);
  }
  const rows = s.topAddresses(top > 0 ? top : Infinity);
  if (rows.length) {
    out.push('', ' BANS  FOUND  ADDRESS (JAILS)');
    for (const a of rows) out.push(`${String(a.bans).padStart(5)}  ${String(a.found).padStart(5)}  ${a.ip}${a.jails.length ? ` (${a.jails.join(', ')})` : ''}`);
    const more = s.addressCount - rows.length;
    if (more > 0) out.push(`             … ${more} more`);
  }
  const hours = s.hours;
  if (hours.length) {
    const shown = hours.slice(-HOURS);
    out.push('', 'HOUR (as written)  FOUND   BANS  UNBANS');
    if (hours.length > shown.length) out.push(`… ${hours.length - shown.length} earlier hours (--json has them all)`);
    for (const h of shown) out.push(`${h.hour}:00   ${String(h.found).padStart(5)}  ${String(h.bans).padStart(5)}  ${String(h.unbans).padStart(6)}`);
  }
  const ev = s.events;
  if (ev.error || ev.warning) out.push('', `${ev.error ?? 0} errors, ${ev.warning ?? 0} warnings`);
  return out.join('\n') + '\n';
}

export async function runLog(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' }, top: { type: 'string' } }, logUsage, io);
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('log takes exactly one FILE (or - for stdin)');
  if (args.values.json) refuseOptions(args.values, ['top'], 'is an option of the table, not of --json (which has every address)');
  const top = args.values.top === undefined ? 10 : Number(args.values.top);
  if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top expects a whole number, got '${args.values.top}'`);
  const path = args.positionals[0]!;
  const file = path === '-' ? '<stdin>' : path;
  const source: LogSource = path === '-' ? (io.stdinStream ? io.stdinStream() : Readable.from([await io.stdin()])) : path;
  const done = await summarizeStream<LogSummary>(io, file, 'fail2ban-log', (onDiagnostic) => summarizeLog(source, { file, onDiagnostic }));
  if (!done) return EXIT_FINDINGS;
  const s = done.summary;
  io.stdout(args.values.json ? json(s.toJSON()) : table(s, file, top));
  return s.unknown > 0 || done.diagnostics > 0 || (s.events.error ?? 0) > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export const statusUsage = `Usage: fwconf fail2ban status [--json] FILE|-

Reads what \`fail2ban-client status\` or \`fail2ban-client status JAIL\` printed
and prints it as data: {"kind": "server", "jails", "jailList", "items"} or
{"kind": "jail", "jail", "filter": {"currentlyFailed", "totalFailed",
"fileList", "journalMatches"}, "actions": {"currentlyBanned", "totalBanned",
"bannedIPList"}, "items"} (items: the tree as printed). Without --json, one
line per jail or banned address.

Lines outside the tree go to stderr as diagnostics. Exit 0 ok, 1 when there
are some (or the file cannot be read), 2 usage error.

Options:
  --json       the data as JSON
  -h, --help   this text`;

export async function runStatus(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, statusUsage, io);
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('status takes exactly one FILE (or - for stdin)');
  const { parseStatus } = await import('../fail2ban/status.js');
  const input = await readInput(args.positionals[0]!, io);
  if ('error' in input) {
    io.stderr(input.error + '\n');
    return EXIT_FINDINGS;
  }
  const doc = parseStatus(input.text, { file: input.file });
  printDiagnostics(io, doc.diagnostics, input.file);
  const data = doc.toJSON();
  if (args.values.json) io.stdout(json(data));
  else if (data.kind === 'server') io.stdout(data.jailList.map((j) => `${j}\n`).join(''));
  else if (data.kind === 'jail') io.stdout(data.actions.bannedIPList.map((a) => `${data.jail} ${a}\n`).join(''));
  return doc.diagnostics.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

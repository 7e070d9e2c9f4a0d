/**
 * `fwconf fail2ban test LOG [FILTER [IGNOREREGEX]]`: a log read as fail2ban reads it, line by line
 * (date, failregex, host, fail dict), fail2ban-regex's report, and with --jail the bans the jail
 * would make over the log's own times.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { diagnostic, formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { resolveBelowRoot, type NodeFileSource } from '../core/files.js';
import { BanPlayer, banOptionsOf, selfAddresses } from '../fail2ban/filter/bans.js';
import { Filter, FilterSpecError, type FilterSpec, type LineResult } from '../fail2ban/filter/engine.js';
import { missReason } from '../fail2ban/filter/explain.js';
import { logLineBatches, type LineBatch } from '../fail2ban/filter/index.js';
import { loadFilter, loadJail, type LoadedFilter } from '../fail2ban/filter/load.js';
import { readBanDatabase } from '../fail2ban/db/file.js';
import type { BanDatabase } from '../fail2ban/db/bans.js';
import { parseTime } from '../fail2ban/model.js';
import { FileCache } from '../fail2ban/overlay.js';
import { pyStr } from '../fail2ban/pytext.js';
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from './io.js';

export const testUsage = `Usage: fwconf fail2ban test LOG [FILTER [IGNOREREGEX]] [options]

Reads LOG as fail2ban 1.0.2 does (its date detector, its failregex/ignoreregex/prefregex, maxlines)
and prints fail2ban-regex's report: lines matched, ignored, missed; hits per regex and per date
template; with --show-missed each missed line and why (no date, a month name of another locale,
no failregex matching).

  LOG     a file, - for standard input, or one log line
  FILTER  a filter name in --conf-dir's filter.d, with arguments: sshd[mode=aggressive]; a filter
          file's path; or a failregex
  IGNOREREGEX  an ignoreregex added to the filter's

Options:
  --conf-dir DIR  configuration directory (default /etc/fail2ban)
  --root DIR      read configuration and LOG below DIR
  --jail NAME     use the jail's filter and options, and play out its bans: maxretry, findtime,
                  bantime (bantime.increment), ignoreip, with the actions' ban/unban commands
  --db FILE       with --jail: start from this ban database (fail2ban's dbfile) as a server
                  restarted at the log's first line would: its earlier bans count for
                  bantime.increment, its bans still running are restored, and a LOG the database
                  has a read position for (same first line) is read from there on
  --now EPOCH     "now" for dates without a year and undated lines (default: the clock)
  --no-date       lines carry no date (journal entries): each line's time is now
  --show-missed   list the missed lines and the reason for each
  --json          {"lines": [...], "summary": {...}, "bans": [...]}
  --json-lines    one JSON object per line, then the summary (for big logs)
  -h, --help      this text`;

interface Args {
  log: string;
  filter?: string;
  ignore?: string;
  confDir: string;
  jail?: string;
  now?: number;
  noDate: boolean;
  showMissed: boolean;
  json: boolean;
  jsonLines: boolean;
  root?: string;
  db?: string;
}

export function parseTestArgs(positionals: string[], values: Record<string, unknown>, io: Io): Args {
  const [log, filter, ignore, ...extra] = positionals;
  if (log === undefined) throw new UsageError('name a LOG (a file, - or a line)');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (filter === undefined && values.jail === undefined) throw new UsageError('name a FILTER or a --jail');
  let now: number | undefined;
  if (values.now !== undefined) {
    now = Number(values.now);
    if (!Number.isFinite(now)) throw new UsageError(`--now wants seconds since the epoch, not '${String(values.now)}'`);
  }
  if (values.db !== undefined && values.jail === undefined) throw new UsageError('--db needs a --jail (the bans are played out for a jail)');
  if (values.db === '') throw new UsageError('--db needs a path');
  if (values.json && values['json-lines']) throw new UsageError('--json and --json-lines exclude each other');
  const root = values.root as string | undefined;
  const dir = (values['conf-dir'] as string | undefined) ?? '/etc/fail2ban';
  return {
    log,
    ...(filter !== undefined ? { filter } : {}),
    ...(ignore !== undefined ? { ignore } : {}),
    confDir: root !== undefined ? dir : resolvePath(io.cwd, dir),
    ...(values.jail !== undefined ? { jail: values.jail as string } : {}),
    ...(now !== undefined ? { now } : {}),
    noDate: !!values['no-date'],
    showMissed: !!values['show-missed'],
    json: !!values.json,
    jsonLines: !!values['json-lines'],
    ...(root !== undefined ? { root } : {}),
    ...(values.db !== undefined ? { db: resolvePath(io.cwd, values.db as string) } : {}),
  };
}

function looksLikeName(s: string): boolean {
  return /^[\w.-]+(?:\[.*\])?$/su.test(s);
}

function loadSpec(a: Args, files: NodeFileSource, io: Io): LoadedFilter {
  if (a.jail !== undefined) return loadJail(a.confDir, a.jail, { files });
  const f = a.filter!;
  const abs = a.root !== undefined ? f : resolvePath(io.cwd, f);
  if (/\.(conf|local)$/.test(f) && files.stat(abs) === 'file') return loadFilter(dirname(dirname(abs)), basename(abs).replace(/\.(conf|local)$/, ''), { files });
  if (looksLikeName(f)) {
    const name = f.replace(/\[.*$/s, '');
    if (files.stat(`${a.confDir}/filter.d/${name}.conf`) === 'file' || files.stat(`${a.confDir}/filter.d/${name}.local`) === 'file') return loadFilter(a.confDir, f, { files });
  }
  return { spec: { failregex: [f] }, diagnostics: [] };
}

/** LOG's path on this host and as the server names it (below --root: the path in the tree); undefined for - or a line. */
function logFile(a: Args, io: Io): { real: string; name: string } | undefined {
  if (a.log === '-') return undefined;
  const name = a.root !== undefined ? (isAbsolute(a.log) ? a.log : '/' + a.log) : resolvePath(io.cwd, a.log);
  const real = a.root !== undefined ? resolveBelowRoot(resolvePath(io.cwd, a.root), name).real : name;
  try {
    return statSync(real).isFile() ? { real, name } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where fail2ban continues reading a log it has a position for in its database (Filter.addLogPath,
 * Database._addLog, FileContainer.open): the jail's `logs` row for the path, if the md5 of the file's
 * first line (with its line end) is the row's, and the file is not shorter than the position.
 * Returns the byte offset and the number of lines before it.
 */
async function resumePosition(db: BanDatabase, jail: string, file: { real: string; name: string }): Promise<{ offset: number; lines: number } | undefined> {
  const row = db.logs.find((l) => l.jail === jail && l.path === file.name);
  if (!row || !row.lastFilePos || row.firstLineMd5 === null) return undefined;
  const fh = await open(file.real, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size < row.lastFilePos) return undefined;
    const head = new Uint8Array(row.lastFilePos);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const nl = head.subarray(0, bytesRead).indexOf(10);
    // the first line as fail2ban hashes it: up to its \n (a file whose first line has none is not hashed)
    let first: Uint8Array | undefined = nl >= 0 ? head.subarray(0, nl + 1) : undefined;
    if (!first) {
      const more = new Uint8Array(Math.min(size, 1 << 20));
      const r = await fh.read(more, 0, more.length, 0);
      const i = more.subarray(0, r.bytesRead).indexOf(10);
      first = i >= 0 ? more.subarray(0, i + 1) : undefined;
    }
    // fail2ban's "md5sum" is hashlib.sha1 on Python 3 (its md5 probe hashes a str and raises): by the length
    const algorithm = row.firstLineMd5.length === 40 ? 'sha1' : 'md5';
    if (!first || createHash(algorithm).update(first).digest('hex') !== row.firstLineMd5) return undefined;
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (head[i] === 10) lines++;
    return { offset: row.lastFilePos, lines };
  } finally {
    await fh.close();
  }
}

/** Lines of a file (from `offset`), standard input, or the one line given; decoded as UTF-8 (bad bytes replaced). */
async function* inputLines(a: Args, io: Io, file: { real: string } | undefined, offset = 0): AsyncGenerator<LineBatch> {
  if (a.log === '-') {
    yield* logLineBatches(io.stdinStream ? io.stdinStream() : [await io.stdin()]);
    return;
  }
  if (!file) yield [a.log];
  else yield* logLineBatches(file.real, offset ? { start: offset } : {});
}

/** fail2ban.conf's dbfile and dbpurgeage under the configuration directory (fail2ban's defaults when unset). */
function serverDatabaseOptions(confDir: string, files: NodeFileSource): { dbfile?: string; purgeAge?: number } {
  try {
    const cfg = new FileCache(files).readName(confDir, 'fail2ban');
    if (!cfg) return {};
    const out: { dbfile?: string; purgeAge?: number } = {};
    if (cfg.hasOption('Definition', 'dbfile')) out.dbfile = pyStr(cfg.get('Definition', 'dbfile'));
    if (cfg.hasOption('Definition', 'dbpurgeage')) {
      const t = parseTime(pyStr(cfg.get('Definition', 'dbpurgeage')));
      if (typeof t === 'number' && Number.isFinite(t)) out.purgeAge = t;
    }
    return out;
  } catch {
    return {};
  }
}

interface Summary {
  lines: number;
  matched: number;
  ignored: number;
  missed: number;
  failregex: number[];
  ignoreregex: number[];
  templates: Record<string, number>;
}

function lineJSON(n: number, r: LineResult): Record<string, unknown> {
  const f = r.failures.find((x) => x.fid !== null && !x.fail.nofail) ?? r.failures[0];
  const o: Record<string, unknown> = { line: n, match: !!f && f.fid !== null && !r.ignored.length, ignored: r.ignored.length > 0 };
  if (f) {
    o.regex = f.index + 1;
    o.fid = f.fid;
    o.time = f.time;
    for (const [k, v] of Object.entries(f.fail)) {
      if (v === undefined) continue;
      o[k] = v instanceof Set ? [...v].sort() : k === 'matches' || k === 'nofail-matches' ? (v as string[][]).map((t) => t.join('')) : v;
    }
  } else o.time = r.date.time;
  if (r.date.template !== undefined) o.date = { template: r.date.template, text: r.date.text };
  if (r.date.noDate) o.dateProblem = missReason({ ...r, ignored: [] }) + (r.date.reused ? ' (the last date, less than 60 s before now, was used)' : '');
  if (!o.match) o.reason = missReason(r);
  return o;
}

export async function runTest(a: Args, io: Io, files: NodeFileSource): Promise<number> {
  const loaded = loadSpec(a, files, io);
  printDiagnostics(io, loaded.diagnostics.filter((d) => d.severity === 'error'));
  if (loaded.error) {
    io.stderr(`fwconf fail2ban test: ${loaded.error}\n`);
    return EXIT_FINDINGS;
  }
  const spec: FilterSpec = { ...loaded.spec, ...(a.ignore !== undefined ? { ignoreregex: [...(loaded.spec.ignoreregex ?? []), a.ignore] } : {}) };
  const now = a.now ?? Date.now() / 1000;
  let filter: Filter;
  try {
    filter = new Filter(spec, { checkAllRegex: a.jail === undefined, returnRawHost: true, checkFindTime: false }, { now: () => now });
  } catch (e) {
    if (!(e instanceof FilterSpecError)) throw e;
    const src = loaded.resolved?.files[0] ?? '<command line>';
    io.stderr(`${src}:1:1: error: ${e.option}${spec.failregex.length > 1 || e.option !== 'failregex' ? ` #${e.index + 1}` : ''}: ${e.message} [fail2ban/untranslatable-regex]\n`);
    return EXIT_FINDINGS;
  }
  const banOpts = loaded.jail ? banOptionsOf(loaded.jail) : undefined;
  if (loaded.jail && banOpts) {
    // a bantime.* value fail2ban evaluates in a way not modelled: said, never a wrong ban time
    for (const e of banOpts.errors) {
      const p = loaded.jail.provenance[e.option];
      // the column of the construct: where the value starts on its line, plus the offset in it
      let col = 1;
      const text = p?.file && p.line ? files.read(p.file)?.split('\n')[p.line - 1] : undefined;
      if (text !== undefined && p) {
        const at = text.indexOf(p.raw.split('\n')[0]!.trim());
        if (at >= 0) col = at + 1 + (e.offset ?? 0);
      }
      const d = diagnostic('fail2ban/bantime-extra', 'error', `jail [${loaded.jail.name}]: ${e.message}`, { line: p?.line ?? 1, column: col }, p?.file);
      io.stderr(formatDiagnostic(d, `<jail ${loaded.jail.name}>`) + '\n');
    }
    if (banOpts.errors.length) return EXIT_FINDINGS;
  }
  const file = logFile(a, io);
  let player: BanPlayer | undefined;
  let database: BanDatabase | undefined;
  let resume: { offset: number; lines: number } | undefined;
  const dbNotes: string[] = [];
  if (loaded.jail && banOpts) {
    const server = serverDatabaseOptions(a.confDir, files);
    const options = { ...banOpts.options, ...(server.purgeAge !== undefined ? { purgeAge: server.purgeAge } : {}) };
    if (options.increment && a.db === undefined && server.dbfile !== undefined && server.dbfile.toLowerCase() === 'none') {
      // Jail.setBanTimeExtra: "ban time increment is not available as long jail database is not set"
      options.increment = false;
      dbNotes.push('fail2ban.conf sets dbfile = None: without a database fail2ban increments no ban time (bantime.increment has no effect)');
    }
    player = new BanPlayer(options, loaded.jail, options.ignoreself ? selfAddresses() : []);
    if (a.db !== undefined) {
      database = await readBanDatabase(a.db);
      printDiagnostics(io, database.diagnostics);
      if (hasErrors(database.diagnostics)) return EXIT_FINDINGS;
      if (!database.jails.some((j) => j.name === loaded.jail!.name)) dbNotes.push(`the database has no jail '${loaded.jail.name}'`);
      if (file) resume = await resumePosition(database, loaded.jail.name, file);
      if (resume) dbNotes.push(`the database holds a read position for ${file!.name} (byte ${resume.offset}, same first line): fail2ban continues there, lines 1-${resume.lines} are skipped`);
    }
  }
  // the database is read as the server starting at the log's first dated line reads it
  let started = database === undefined;
  const startAt = (time: number) => {
    if (started) return;
    started = true;
    player!.history(database!.bips, time);
  };
  const s: Summary = { lines: 0, matched: 0, ignored: 0, missed: 0, failregex: spec.failregex.map(() => 0), ignoreregex: (spec.ignoreregex ?? []).map(() => 0), templates: {} };
  const out: Record<string, unknown>[] = [];
  const missed: string[] = [];
  let n = resume?.lines ?? 0;
  let undated = 0;
  const undatedLines: string[] = [];
  const t0 = process.hrtime.bigint();
  for await (const batch of inputLines(a, io, file, resume?.offset))
  for (const line of batch) {
    n++;
    if (line.startsWith('#') || !line) continue;
    const r = a.noDate ? filter.processLine(['', '', line], now, batch.ascii) : filter.processLine(line, undefined, batch.ascii);
    s.lines++;
    if (r.date.template !== undefined) s.templates[r.date.template] = (s.templates[r.date.template] ?? 0) + 1;
    for (let k = 0; k < r.ignored.length; k++) if (r.ignored.indexOf(r.ignored[k]!) === k) s.ignoreregex[r.ignored[k]!]!++;
    const found = r.failures.length ? r.failures.filter((f) => f.fid !== null && !f.fail.nofail) : r.failures;
    for (let k = 0; k < found.length; k++) if (found.findIndex((f) => f.index === found[k]!.index) === k) s.failregex[found[k]!.index]!++;
    if (r.ignored.length) s.ignored++;
    else if (found.length) s.matched++;
    else {
      s.missed++;
      if (a.showMissed) missed.push(`${n}: ${line}\n    ${missReason(r)}`);
    }
    if (found.length && !r.ignored.length && found[0]!.time === null) {
      undated++;
      if (a.showMissed) undatedLines.push(`${n}: ${line}\n    ${missReason({ ...r, date: { ...r.date, noDate: true } })}`);
    }
    if (!started) {
      const t = found.length && found[0]!.time !== null ? found[0]!.time : r.date.time;
      if (t !== null && t !== undefined) startAt(t);
    }
    // The daemon drops a match without a time ("Found a match but no valid date/time found").
    if (player && found.length && !r.ignored.length && found[0]!.time !== null) {
      const f = found[0]!;
      player.failure(f.fid!, f.time!, line);
    }
    if (a.jsonLines) io.stdout(JSON.stringify(lineJSON(n, r)) + '\n');
    else if (a.json) out.push(lineJSON(n, r));
  }
  startAt(now);
  if (player) player.advance(Infinity);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const summary = { ...s, undated, seconds: Number(secs.toFixed(3)) };
  const bans = player?.events;
  if (a.jsonLines) io.stdout(JSON.stringify({ summary, ...(bans ? { bans } : {}) }) + '\n');
  else if (a.json) io.stdout(JSON.stringify({ lines: out, summary, ...(bans ? { bans, notes: [...banOpts!.notes, ...dbNotes, ...player!.historyNotes(), ...player!.notes] } : {}) }, null, 2) + '\n');
  else {
    const o: string[] = ['', 'Running tests', '============='];
    o.push(a.jail !== undefined ? `Use         jail : ${a.jail}` : `Use   failregex ${loaded.resolved ? `filter file : ${loaded.resolved.name}, basedir: ${a.confDir}` : `line : ${a.filter}`}`);
    if (a.ignore !== undefined) o.push(`Use ignoreregex line : ${a.ignore}`);
    o.push(a.log === '-' ? 'Use         log file : <stdin>' : `Use         log file : ${a.log}`, '', 'Results', '=======', '');
    const list = (title: string, regs: readonly string[], hits: number[]) => {
      o.push(`${title}: ${hits.reduce((x, y) => x + y, 0)} total`, '|-  #) [# of hits] regular expression');
      regs.forEach((r, i) => hits[i] && o.push(`|  ${String(i + 1).padStart(2)}) [${hits[i]}] ${r}`));
      o.push('`-', '');
    };
    list('Failregex', spec.failregex, s.failregex);
    list('Ignoreregex', spec.ignoreregex ?? [], s.ignoreregex);
    o.push('Date template hits:', '|- [# of hits] date format');
    for (const [t, c] of Object.entries(s.templates).sort((x, y) => y[1] - x[1])) o.push(`|  [${c}] ${t}`);
    o.push('`-', '', `Lines: ${s.lines} lines, ${s.ignored} ignored, ${s.matched} matched, ${s.missed} missed`, `[processed in ${secs.toFixed(2)} sec]`, '');
    if (undated) o.push(`Matched without a valid date: ${undated} (fail2ban-server bans nothing for them)`, ...undatedLines, '');
    if (missed.length) o.push(`Missed line(s):`, ...missed, '');
    if (bans && player) {
      o.push('Bans', '====');
      for (const note of [...banOpts!.notes, ...dbNotes, ...player.historyNotes(), ...player.notes]) o.push(`note: ${note}`);
      const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
      if (!bans.length) o.push('no address reaches maxretry');
      for (const b of bans) {
        if (b.kind === 'already-banned') {
          o.push(`${iso(b.time)}  again  ${b.id}  maxretry reached while banned ("already banned")${b.prolongedUntil === undefined ? '' : b.prolongedUntil === null ? ': the ban becomes permanent' : `: the ban is prolonged until ${iso(b.prolongedUntil)}`}`);
          continue;
        }
        if (b.kind === 'restored') o.push(`${iso(b.time)}  restored  ${b.id}  from the database (ban ${b.bancount}), for ${b.bantime} s${b.until === null ? ' (permanent)' : ` until ${iso(b.until!)}`}`);
        else o.push(b.kind === 'ban' ? `${iso(b.time)}  ban    ${b.id}  after ${b.failures} failures, for ${b.bantime} s${b.until === null ? ' (permanent)' : ` until ${iso(b.until!)}`}` : `${iso(b.time)}  unban  ${b.id}`);
        for (const c of b.commands ?? []) for (const l of c.command.split('\n')) if (l.trim()) o.push(`    ${c.action}: ${l}`);
      }
      o.push('');
    }
    io.stdout(o.join('\n'));
  }
  return hasErrors(loaded.diagnostics) ? EXIT_FINDINGS : EXIT_OK;
}

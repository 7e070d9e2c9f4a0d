/** `fwconf fail2ban bans` and `fwconf fail2ban unban`: the ban database, reconciled with the firewall; unbanning an address. Loaded only when used. */
import { resolve as resolvePath } from 'node:path';
import { hasErrors } from '../core/diagnostics.js';
import type { NodeFileSource } from '../core/files.js';
import { bansByJail, type BanDatabase, type BanView, type JailBans } from '../fail2ban/db/bans.js';
import { readBanDatabase } from '../fail2ban/db/file.js';
import { isoTime, reconcile, type Drift } from '../fail2ban/db/reconcile.js';
import { carryOutUnban, formatPlan, planUnban, readFirewall, toolFor } from '../fail2ban/db/unban.js';
import { FileCache } from '../fail2ban/overlay.js';
import { parse as parseIptables, type IptablesDocument } from '../iptables/index.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, json, loadDocument, printDiagnostics, rootFiles, UsageError, type Io } from './io.js';

export const DEFAULT_DBFILE = '/var/lib/fail2ban/fail2ban.sqlite3';

export const bansUsage = `Usage: fwconf fail2ban bans [--db PATH] [--jail NAME] [--now EPOCH] [--json]
                           [--reconcile IPTABLES_SAVE_FILE]... [--conf-dir DIR]
                           [--root DIR]

Prints fail2ban's ban database, per jail: the addresses banned now and the bans
that ended, each with its time of ban, ban time, time left, ban count, failures
and the matched lines fail2ban stored. Read without SQLite (fail2ban 0.10-1.1's
schema, versions 2-4), while fail2ban-server runs.

With --reconcile, prints only what differs from an iptables-save dump: bans the
database holds that the dump lacks (chain missing, rule deleted by hand), and
addresses in fail2ban chains with no ban, each with the command that repairs
it; exit 1 when anything differs. Give an ip6tables-save dump with a second
--reconcile for the IPv6 bans.

Options:
  --db PATH        the database (default: dbfile of fail2ban.conf/.local in the
                   --conf-dir, else ${DEFAULT_DBFILE})
  --jail NAME      only this jail
  --now EPOCH      the time left is counted to this time (default: the clock)
  --json           {"database", "version", "now", "jails": [{"jail", "current":
                   [{"jail", "ip", ...}], "past": [...]}]}; with --reconcile
                   {"differences": [{"kind", "jail", "ip", "why", "repair"}]}
  --reconcile FILE compare with this iptables-save (or ip6tables-save) dump
  --conf-dir DIR   fail2ban's configuration directory (default /etc/fail2ban)
  --root DIR       read the configuration and the database below DIR
  -h, --help       this text

Exit codes: 0 ok, 1 an unreadable database or differences, 2 usage error.`;

export const unbanUsage = `Usage: fwconf fail2ban unban ADDR [--jail NAME] [--yes] [--json] [--db PATH]
                            [--conf-dir DIR] [--socket PATH] [--now EPOCH]

Prints the plan for unbanning ADDR: the jails whose database holds a ban of it,
the fail2ban-client commands that lift them, the firewall rules that go, and
rules in fail2ban chains with no ban behind them (removed with iptables -D).
With --yes, runs it, then reads the database and the firewall back: exit 1
when either still holds the address.

Options:
  --jail NAME      only this jail
  --yes            carry the plan out
  --json           {"plan": {...}, "result": {...}}
  --db PATH        the database (default: dbfile of fail2ban.conf/.local)
  --conf-dir DIR   fail2ban's configuration directory (default /etc/fail2ban),
                   also given to fail2ban-client as -c DIR
  --socket PATH    fail2ban-server's socket, given to fail2ban-client as -s
  --now EPOCH      what counts as a current ban (default: the clock)
  -h, --help       this text

Exit codes: 0 ok, 1 the address is still banned afterwards, 2 usage error.`;

export const bansOptions = {
  db: { type: 'string' },
  jail: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  reconcile: { type: 'string', multiple: true },
  'conf-dir': { type: 'string' },
  root: { type: 'string' },
} as const;

export const unbanOptions = {
  db: { type: 'string' },
  jail: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  'conf-dir': { type: 'string' },
  socket: { type: 'string' },
} as const;

function parseNow(v: unknown): number {
  if (v === undefined) return Math.floor(Date.now() / 1000);
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--now wants seconds since the epoch, not '${String(v)}'`);
  return n;
}

/** Where the database is: --db, else fail2ban.conf's dbfile (below --root), else the default. */
function databasePath(values: { db?: string; 'conf-dir'?: string; root?: string }, io: Io, files: NodeFileSource): { path: string; file: string } {
  if (values.db !== undefined) {
    if (values.db === '') throw new UsageError('--db needs a path');
    return { path: resolvePath(io.cwd, values.db), file: values.db };
  }
  const dir = values['conf-dir'] ?? '/etc/fail2ban';
  const confDir = values.root !== undefined ? dir : resolvePath(io.cwd, dir);
  let dbfile = DEFAULT_DBFILE;
  try {
    const cfg = new FileCache(files).readName(confDir, 'fail2ban');
    if (cfg?.hasOption('Definition', 'dbfile')) dbfile = String(cfg.get('Definition', 'dbfile'));
  } catch (e) {
    throw new InputError(`cannot read dbfile from ${confDir}/fail2ban.conf: ${(e as Error).message}`);
  }
  if (dbfile === ':memory:' || dbfile.toLowerCase() === 'none') throw new InputError(`${confDir}/fail2ban.conf sets dbfile = ${dbfile}: fail2ban keeps no ban database there (give --db PATH)`);
  return { path: files.real(dbfile), file: dbfile };
}

function banJSON(b: BanView): Record<string, unknown> {
  const { data: _data, ...rest } = b;
  return rest;
}

function jailJSON(j: JailBans): Record<string, unknown> {
  return { jail: j.jail, ...(j.enabled !== undefined ? { enabled: j.enabled } : {}), current: j.current.map(banJSON), past: j.past.map(banJSON) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describeBan(b: BanView): string {
  const length = b.banTime === -1 ? 'persistent' : b.banTime === -2 ? 'for the jail\'s bantime (not stored before 0.10)' : `for ${b.banTime} s`;
  const left = b.current ? (b.timeLeft === null ? '' : `, ${b.timeLeft} s left (until ${isoTime(b.endOfBan!)})`) : b.endOfBan !== null ? `, ended ${isoTime(b.endOfBan)}` : '';
  const failures = b.failures !== undefined ? `, ${plural(b.failures, 'failure')}` : '';
  return `  ${b.ip}  banned ${isoTime(b.timeOfBan)} ${length}${left}; ban ${b.banCount}${failures}\n` + b.matches.map((m) => `    | ${m}\n`).join('');
}

function listing(jails: JailBans[]): string {
  let out = '';
  for (const j of jails) {
    out += `jail ${j.jail}${j.enabled === false ? ' (not enabled)' : ''}: ${j.current.length} banned, ${j.past.length} ended\n`;
    for (const b of j.current) out += describeBan(b);
    if (j.past.length) out += '  ended:\n';
    for (const b of j.past) out += describeBan(b);
  }
  return out;
}

function driftLine(d: Drift): string {
  const left = d.ban && d.kind !== 'no-ban' ? (d.ban.timeLeft === null ? ' (persistent)' : ` (${d.ban.timeLeft} s left)`) : '';
  return `${d.jail} ${d.ip}${left}: ${d.why}\n  ${d.repair}\n`;
}

async function loadDatabase(path: string, file: string, io: Io): Promise<BanDatabase | undefined> {
  const db = await readBanDatabase(path, { file });
  printDiagnostics(io, db.diagnostics);
  return hasErrors(db.diagnostics) && !db.bans.length && !db.bips.length ? undefined : db;
}

export async function runBans(positionals: string[], values: { db?: string; jail?: string; now?: string; json?: boolean; reconcile?: string[]; 'conf-dir'?: string; root?: string }, io: Io): Promise<number> {
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const now = parseNow(values.now);
  const files = rootFiles(values.root, io);
  const where = databasePath(values, io, files);
  printDiagnostics(io, files.problems);
  const db = await loadDatabase(where.path, where.file, io);
  if (!db) return EXIT_FINDINGS;
  const jails = bansByJail(db, now, values.jail);
  if (values.jail !== undefined && !jails.length) io.stderr(`note: the database has no jail '${values.jail}'\n`);
  const failed = hasErrors(db.diagnostics);
  if (values.reconcile?.length) {
    const dumps: IptablesDocument[] = [];
    for (const f of values.reconcile) {
      const doc = await loadDocument(f, io, (text, options) => parseIptables(text, options));
      if (!doc) return EXIT_FINDINGS;
      dumps.push(doc);
    }
    const r = reconcile(jails, dumps);
    for (const n of r.notCompared) io.stderr(`note: ${n.jail} ${n.ip} not compared: ${n.reason}\n`);
    if (values.json) io.stdout(json({ differences: r.differences.map((d) => (d.ban ? { ...d, ban: banJSON(d.ban) } : d)), notCompared: r.notCompared }));
    else io.stdout(r.differences.map(driftLine).join(''));
    return r.differences.length || failed ? EXIT_FINDINGS : EXIT_OK;
  }
  if (values.json) io.stdout(json({ database: where.file, ...(db.version !== undefined ? { version: db.version } : {}), now, jails: jails.map(jailJSON) }));
  else io.stdout(listing(jails));
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

export async function runUnban(positionals: string[], values: { db?: string; jail?: string; now?: string; json?: boolean; yes?: boolean; 'conf-dir'?: string; socket?: string }, io: Io): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `unban takes one ADDR, not '${positionals.slice(1).join(' ')}' too` : 'unban needs the ADDR to unban');
  const address = positionals[0]!;
  const tool = toolFor(address);
  if (!tool) throw new UsageError(`'${address}' is not an IPv4 or IPv6 address`);
  const now = parseNow(values.now);
  const files = rootFiles(undefined, io);
  const where = databasePath(values, io, files);
  const db = await loadDatabase(where.path, where.file, io);
  if (!db) return EXIT_FINDINGS;
  const clientArgs = [...(values['conf-dir'] !== undefined ? ['-c', resolvePath(io.cwd, values['conf-dir'])] : []), ...(values.socket !== undefined ? ['-s', resolvePath(io.cwd, values.socket)] : [])];
  const options = { now, clientArgs, ...(values.jail !== undefined ? { jail: values.jail } : {}) };
  // Loaded only here: the executor brings the apply machinery with it.
  const { LocalExecutor } = await import('../apply/executor.js');
  const executor = new LocalExecutor();
  const fw = await readFirewall(executor, tool);
  if ('error' in fw) io.stderr(`note: cannot read the firewall: ${fw.error}\n`);
  const plan = planUnban(address, db, 'doc' in fw ? fw.doc : undefined, options);
  const planJSON = { ...plan, bans: plan.bans.map(banJSON) };
  if (!values.yes) {
    if (values.json) io.stdout(json({ plan: planJSON }));
    else io.stdout(formatPlan(plan) + (plan.steps.length ? 'Run again with --yes to carry it out.\n' : ''));
    return EXIT_OK;
  }
  if ('error' in fw) throw new InputError(`cannot read the firewall (${fw.error}): the plan is not complete, nothing done`);
  const result = await carryOutUnban(plan, executor, () => readBanDatabase(where.path, { file: where.file }), options);
  if (values.json) io.stdout(json({ plan: planJSON, result }));
  else {
    let out = formatPlan(plan);
    for (const r of result.ran) out += `${r.code === 0 ? 'ok' : 'FAIL'}  ${r.argv.join(' ')}${r.stdout.trim() ? ` — ${r.stdout.trim()}` : ''}\n`;
    for (const p of result.problems) out += `problem: ${p}\n`;
    for (const j of result.stillInDatabase) out += `still banned in the database: ${j}\n`;
    for (const r of result.stillInFirewall) out += `still in the firewall: ${r.chain} -s ${r.address} (${tool}-save line ${r.line})\n`;
    if (result.ok) out += `checked: neither the database nor the firewall holds ${address}\n`;
    io.stdout(out);
  }
  return result.ok ? EXIT_OK : EXIT_FINDINGS;
}

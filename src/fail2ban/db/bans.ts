/**
 * fail2ban's ban database (`dbfile`, /var/lib/fail2ban/fail2ban.sqlite3) as fail2ban 0.10–1.1 write it
 * (server/database.py, schema version 4; versions 2 and 3 of older releases are read too):
 *
 * - `fail2banDb(version)`;
 * - `jails(name, enabled)`;
 * - `logs(jail, path, firstlinemd5, lastfilepos)`: where each jail stopped reading its logs;
 * - `bans(jail, ip, timeofban, bantime, bancount, data)`: every ban, kept `dbpurgeage` (1 day);
 * - `bips(ip, jail, timeofban, bantime, bancount, data)`: the latest ban of each address in each jail
 *   (INSERT OR REPLACE), from which a restarted server restores the bans still running.
 *
 * `data` is the ticket's data as JSON (stored as a UTF-8 BLOB by Python 3's adapter, as TEXT by older
 * ones): `{"matches": [...], "failures": N, ...}`, at most `dbmaxmatches` matched lines, each a string or
 * the list of pieces fail2ban joins.
 */
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../core/diagnostics.js';
import { SqliteDatabase, SqliteFormatError, type SqliteValue } from './sqlite.js';

/** One row of `bans` or `bips`. */
export interface BanRow {
  jail: string;
  ip: string;
  /** Unix time (seconds) of the ban. */
  timeOfBan: number;
  /** Seconds; -1 for a persistent ban; -2 when unknown (a database upgraded from version 2, before 0.10). */
  banTime: number;
  /** How many times the address was banned (bantime.increment counts with it). */
  banCount: number;
  /** `data.failures`: the failures that led to the ban. */
  failures?: number;
  /** `data.matches`: the matched log lines fail2ban kept (at most dbmaxmatches). */
  matches: string[];
  /** The whole `data` object as stored. */
  data: Record<string, unknown>;
}

export interface BanDatabase {
  file?: string;
  /** `fail2banDb.version` (4 for 0.11–1.1), undefined when the table is missing. */
  version?: number;
  jails: { name: string; enabled: boolean }[];
  logs: { jail: string; path: string | null; firstLineMd5: string | null; lastFilePos: number }[];
  /** The `bans` table: every ban still kept (the history). */
  bans: BanRow[];
  /** The `bips` table (derived from `bans` for databases older than version 4, as fail2ban's upgrade does). */
  bips: BanRow[];
  /** Problems: a file that is not a database, missing tables, rows that could not be read. */
  diagnostics: Diagnostic[];
}

/** A ban as `fwconf fail2ban bans` shows it: when, for how long, and what is left at `now`. */
export interface BanView extends BanRow {
  /** `timeofban + bantime`; null for a persistent or unknown ban time. */
  endOfBan: number | null;
  /** Seconds left at `now` (0 once ended); null when the ban does not end (or its end is unknown). */
  timeLeft: number | null;
  /** Still banned at `now`: a bips row with timeofban + bantime > now, or bantime <= -1 (fail2ban's own rule). */
  current: boolean;
}

export interface JailBans {
  jail: string;
  /** From the `jails` table; undefined for a jail that only appears in bans. */
  enabled?: boolean;
  current: BanView[];
  /** Bans of the history (`bans`) that have ended, newest first. */
  past: BanView[];
}

const problem = (file: string | undefined, code: DiagnosticCode, message: string, severity: 'error' | 'warning' = 'error') => diagnostic(code, severity, message, { line: 1, column: 1 }, file);

function num(v: SqliteValue | undefined, fallback = 0): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return fallback;
}

const UTF8 = new TextDecoder('utf-8');

function str(v: SqliteValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return UTF8.decode(v);
  return String(v);
}

/** `data` as fail2ban's JSON converter reads it (decoded as UTF-8 with replacement, then JSON). */
function decodeData(v: SqliteValue, where: string, file: string | undefined, ds: Diagnostic[]): Record<string, unknown> {
  const text = str(v);
  if (text === null || text === '') return {};
  try {
    const d = JSON.parse(text) as unknown;
    if (d && typeof d === 'object' && !Array.isArray(d)) return d as Record<string, unknown>;
    ds.push(problem(file, 'fail2ban/db-bad-data', `${where}: data is JSON but not an object: ${text.slice(0, 60)}`, 'warning'));
  } catch {
    ds.push(problem(file, 'fail2ban/db-bad-data', `${where}: data is not JSON: ${text.slice(0, 60)}`, 'warning'));
  }
  return {};
}

function banRow(o: Record<string, SqliteValue>, table: string, file: string | undefined, ds: Diagnostic[]): BanRow {
  const jail = str(o.jail) ?? '';
  const ip = str(o.ip) ?? '';
  const data = decodeData(o.data ?? null, `${table} row of ${ip} in ${jail}`, file, ds);
  const matches = Array.isArray(data.matches) ? data.matches.map((m) => (Array.isArray(m) ? m.map(String).join('') : String(m))) : [];
  const row: BanRow = {
    jail,
    ip,
    timeOfBan: num(o.timeofban),
    banTime: o.bantime === undefined ? -2 : num(o.bantime, -2),
    banCount: o.bancount === undefined ? 1 : num(o.bancount, 1),
    matches,
    data,
  };
  if (typeof data.failures === 'number') row.failures = data.failures;
  return row;
}

/** Reads a ban database from its bytes (and its -wal file's, when there is one). Never throws: problems are diagnostics. */
export function banDatabaseFromBytes(bytes: Uint8Array, options: { file?: string; wal?: Uint8Array } = {}): BanDatabase {
  const file = options.file;
  const out: BanDatabase = { ...(file !== undefined ? { file } : {}), jails: [], logs: [], bans: [], bips: [], diagnostics: [] };
  const ds = out.diagnostics;
  let db: SqliteDatabase;
  try {
    db = new SqliteDatabase(bytes, options.wal ? { wal: options.wal } : {});
    db.schema();
  } catch (e) {
    ds.push(problem(file, 'fail2ban/db-unreadable', e instanceof SqliteFormatError ? e.message : String(e)));
    return out;
  }
  const table = <T>(name: string, each: (o: Record<string, SqliteValue>) => T, required: boolean): T[] | undefined => {
    if (!db.table(name)) {
      if (required) ds.push(problem(file, 'fail2ban/db-missing-table', `no table '${name}': not a fail2ban database, or one fail2ban has not finished creating`));
      return undefined;
    }
    try {
      return [...db.objects(name)].map(each);
    } catch (e) {
      ds.push(problem(file, 'fail2ban/db-unreadable', `table '${name}': ${e instanceof Error ? e.message : String(e)}`));
      return undefined;
    }
  };
  const version = table('fail2banDb', (o) => num(o.version), true);
  if (version?.length) out.version = version[0]!;
  out.jails = table('jails', (o) => ({ name: str(o.name) ?? '', enabled: num(o.enabled, 1) !== 0 }), true) ?? [];
  out.logs = table('logs', (o) => ({ jail: str(o.jail) ?? '', path: str(o.path), firstLineMd5: str(o.firstlinemd5), lastFilePos: num(o.lastfilepos) }), false) ?? [];
  out.bans = table('bans', (o) => banRow(o, 'bans', file, ds), true) ?? [];
  const bips = table('bips', (o) => banRow(o, 'bips', file, ds), false);
  if (bips) out.bips = bips;
  else {
    // Before version 4: the latest ban of each (ip, jail), as fail2ban's upgrade fills bips.
    const latest = new Map<string, BanRow>();
    for (const b of [...out.bans].sort((a, c) => a.timeOfBan - c.timeOfBan)) latest.set(`${b.ip}\u0000${b.jail}`, b);
    out.bips = [...latest.values()];
  }
  if (out.version !== undefined && out.version > 4) ds.push(problem(file, 'fail2ban/db-version', `database version ${out.version} is newer than the 4 fail2ban 0.11–1.1 write; read as version 4`, 'warning'));
  return out;
}

function view(b: BanRow, now: number, current: boolean): BanView {
  const endOfBan = b.banTime >= 0 ? b.timeOfBan + b.banTime : null;
  // One literal (not a spread): a hundred thousand of these are made for a big database.
  const v: BanView = { jail: b.jail, ip: b.ip, timeOfBan: b.timeOfBan, banTime: b.banTime, banCount: b.banCount, matches: b.matches, data: b.data, endOfBan, timeLeft: endOfBan === null ? null : Math.max(0, endOfBan - now), current };
  if (b.failures !== undefined) v.failures = b.failures;
  return v;
}

/** Whether a bips row is still a ban at `now`, by fail2ban's own query (`timeofban + bantime > now OR bantime <= -1`). */
export function isCurrent(b: BanRow, now: number): boolean {
  return b.timeOfBan + b.banTime > now || b.banTime <= -1;
}

/** Current and past bans per jail at `now` (Unix seconds), jails in name order, addresses in order. */
export function bansByJail(db: BanDatabase, now: number, jail?: string): JailBans[] {
  const jails = new Map<string, JailBans>();
  const get = (name: string) => {
    let j = jails.get(name);
    if (!j) jails.set(name, (j = { jail: name, current: [], past: [] }));
    return j;
  };
  for (const j of db.jails) get(j.name).enabled = j.enabled;
  const currentKeys = new Set<string>();
  for (const b of db.bips) {
    if (!isCurrent(b, now)) continue;
    get(b.jail).current.push(view(b, now, true));
    currentKeys.add(`${b.jail}\u0000${b.ip}\u0000${b.timeOfBan}`);
  }
  for (const b of db.bans) {
    if (currentKeys.has(`${b.jail}\u0000${b.ip}\u0000${b.timeOfBan}`)) continue;
    // A row of the history whose ban still runs but is not the address's latest (bips) is not a ban any more.
    get(b.jail).past.push(view(b, now, false));
  }
  // Sort keys made once per address, not per comparison.
  const keys = new Map<string, string>();
  const key = (ip: string) => {
    let k = keys.get(ip);
    if (k === undefined) keys.set(ip, (k = addressKey(ip)));
    return k;
  };
  const cmp = (a: string, b: string) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const out = [...jails.values()].filter((j) => jail === undefined || j.jail === jail).sort((a, b) => (a.jail < b.jail ? -1 : a.jail > b.jail ? 1 : 0));
  for (const j of out) {
    j.current.sort((a, b) => cmp(a.ip, b.ip) || a.timeOfBan - b.timeOfBan);
    j.past.sort((a, b) => b.timeOfBan - a.timeOfBan || cmp(a.ip, b.ip));
  }
  return out;
}

/** Addresses in numeric order (IPv4 before IPv6), then as text. */
export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function addressKey(a: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (m) return '4' + m.slice(1, 5).map((x) => x.padStart(3, '0')).join('.');
  return '6' + a;
}

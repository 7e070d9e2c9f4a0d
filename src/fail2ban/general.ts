/**
 * fail2ban.conf, fail2ban.local and fail2ban.d/ typed: the server's own settings, read through the same
 * overlay as the jails (`[Definition]` and `[Thread]`), each with the file and line it comes from, and
 * diagnostics for values fail2ban reads otherwise than written or refuses. What fail2ban-client passes
 * on (`fwconf fail2ban resolve --commands`, the leading `set` lines) is resolve.ts's `general`.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { NodeFileSource, type FileSource } from '../core/files.js';
import type { Fail2banCode } from './codes.js';
import type { Origin, PyConfig } from './config.js';
import { parseTime } from './time.js';
import { pyInt } from './options.js';
import { FileCache } from './overlay.js';
import { pyStr } from './pytext.js';

/** The server's settings of fail2ban.conf's `[Definition]`: log level and target, sockets, pid file, the ban database and its limits. */
export interface GeneralSettings {
  loglevel: string;
  /** A file path, or STDOUT, STDERR, SYSLOG, SYSTEMD-JOURNAL. */
  logtarget: string;
  syslogsocket: string;
  socket: string;
  pidfile: string;
  /** `auto`, or the boolean fail2ban's `_as_bool` makes of the value. */
  allowipv6: 'auto' | boolean;
  /** A path, `:memory:`, or null for `None` (no database). */
  dbfile: string | null;
  dbmaxmatches: number | null;
  /** Seconds. null when the value is not a time. */
  dbpurgeage: number | null;
  /** `[Thread] stacksize`, KiB; null when unset. */
  stacksize: number | null;
}

/** fail2ban.conf and fail2ban.local read as fail2ban-server reads them: the settings, and where each is written. */
export interface GeneralReading {
  settings: GeneralSettings;
  /** Where each setting is written (absent: fail2ban's default). */
  origins: Partial<Record<keyof GeneralSettings, Origin>>;
  diagnostics: Diagnostic[];
}

/** fail2ban-client's defaults when fail2ban.conf does not set an option (the early reader's for the log and socket). */
const DEFAULTS: GeneralSettings = {
  loglevel: 'INFO',
  logtarget: '/var/log/fail2ban.log',
  syslogsocket: 'auto',
  socket: '/var/run/fail2ban/fail2ban.sock',
  pidfile: '/var/run/fail2ban/fail2ban.pid',
  allowipv6: 'auto',
  dbfile: '/var/lib/fail2ban/fail2ban.sqlite3',
  dbmaxmatches: null,
  dbpurgeage: 86400,
  stacksize: null,
};

const LOG_TARGETS = new Set(['STDOUT', 'STDERR', 'SYSLOG', 'SYSTEMD-JOURNAL']);
const TRUE = new Set(['1', 'on', 'true', 'yes']);
const FALSE = new Set(['0', 'off', 'false', 'no']);

/** Reads the server settings of a configuration directory (as `fail2ban-client -c DIR`). */
export function readGeneralSettings(confDir: string, options: { files?: FileSource } = {}): GeneralReading {
  const cfg = new FileCache(options.files ?? new NodeFileSource()).readName(confDir, 'fail2ban');
  return typeGeneral(cfg);
}

/** The typed settings of fail2ban's merged fail2ban.conf store (undefined: no file, all defaults). */
export function typeGeneral(cfg: PyConfig | undefined): GeneralReading {
  const settings: GeneralSettings = { ...DEFAULTS };
  const origins: GeneralReading['origins'] = {};
  const diagnostics: Diagnostic[] = [];
  const get = (section: string, key: keyof GeneralSettings): string | undefined => {
    if (!cfg) return undefined;
    try {
      const v = cfg.lookup(section, key);
      if (typeof v !== 'object' || v.value === null) return undefined;
      if (v.origin) origins[key] = v.origin;
      return pyStr(v.value);
    } catch {
      return undefined; // an interpolation error: resolve reports it (and fail2ban-client stops)
    }
  };
  const report = (key: keyof GeneralSettings, code: Fail2banCode, severity: 'error' | 'warning', message: string) => {
    const o = origins[key];
    diagnostics.push(diagnostic(code, severity, message, { line: o?.line ?? 1, column: 1 }, o?.file));
  };
  const str = (key: 'loglevel' | 'logtarget' | 'syslogsocket' | 'socket' | 'pidfile') => {
    const v = get('Definition', key);
    if (v !== undefined) settings[key] = v;
  };
  for (const k of ['loglevel', 'logtarget', 'syslogsocket', 'socket', 'pidfile'] as const) str(k);
  const relative = (key: keyof GeneralSettings, v: string, what: string) => {
    if (v !== '' && !v.startsWith('/')) report(key, 'fail2ban/relative-path', 'warning', `${key} = ${v}: a relative ${what}, read from the server's working directory (/ once it runs as a daemon)`);
  };
  if (!LOG_TARGETS.has(settings.logtarget.toUpperCase())) relative('logtarget', settings.logtarget, 'path (not STDOUT, STDERR, SYSLOG or SYSTEMD-JOURNAL)');
  if (settings.syslogsocket !== 'auto') relative('syslogsocket', settings.syslogsocket, 'socket path (not auto)');
  relative('socket', settings.socket, 'socket path');
  relative('pidfile', settings.pidfile, 'path');

  const ipv6 = get('Definition', 'allowipv6');
  if (ipv6 !== undefined) {
    const l = ipv6.toLowerCase();
    settings.allowipv6 = ipv6 === 'auto' ? 'auto' : TRUE.has(l);
    if (ipv6 !== 'auto' && !TRUE.has(l) && !FALSE.has(l))
      report('allowipv6', 'fail2ban/bad-allowipv6', 'warning', `allowipv6 = ${ipv6}: not auto or a boolean (yes, no, true, false, on, off, 1, 0); fail2ban reads it as no`);
  }
  const db = get('Definition', 'dbfile');
  if (db !== undefined) {
    settings.dbfile = db.toLowerCase() === 'none' ? null : db;
    if (settings.dbfile !== null && settings.dbfile !== ':memory:') relative('dbfile', db, 'database path (not :memory: or None)');
  }
  const int = (section: string, key: 'dbmaxmatches' | 'stacksize'): number | null | undefined => {
    const v = get(section, key);
    if (v === undefined) return undefined;
    try {
      return pyInt(v);
    } catch {
      report(key, 'fail2ban/bad-int', 'error', `${key} = ${v}: not a whole number; fail2ban-client warns "Wrong value for '${key}'" and passes None, which the server refuses with the whole start stream, so no jail starts`);
      return null;
    }
  };
  const mm = int('Definition', 'dbmaxmatches');
  if (mm !== undefined) settings.dbmaxmatches = mm;
  const age = get('Definition', 'dbpurgeage');
  if (age !== undefined) {
    const s = parseTime(age);
    settings.dbpurgeage = s ?? null;
    if (s === undefined) report('dbpurgeage', 'fail2ban/bad-time', 'error', `dbpurgeage = ${age}: not a fail2ban time value; the server refuses fail2ban-client's whole start stream, so no jail starts`);
  }
  if (cfg?.hasSection('Thread')) {
    const st = int('Thread', 'stacksize');
    if (st !== undefined) settings.stacksize = st;
    if (typeof st === 'number' && st !== 0 && st < 32)
      report('stacksize', 'fail2ban/bad-stacksize', 'error', `stacksize = ${st}: Python's threading.stack_size takes 0 (the system's) or 32 KiB and more; the server refuses fail2ban-client's whole start stream ("size not valid"), so no jail starts`);
  }
  return { settings, origins, diagnostics };
}

/**
 * Diagnostics beyond syntax: unknown jail options, bad time values, jails whose filter or action file
 * does not exist, `%()s` errors with the chain that led there, and log paths that match no file.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { editDistance } from '../core/suggest.js';
import type { CheckOptions } from '../core/format.js';
import { NodeFileSource, type FileSource } from '../core/files.js';
import { percentReferences } from './config.js';
import { Fail2banDocument } from './document.js';
import { KNOWN_JAIL_OPTIONS, STOCK_HELPER_KEYS, TIME_OPTIONS } from './keywords.js';
import { parseTime } from './time.js';
import { resolve, type Resolution, type ResolvedJail } from './resolve.js';

const posixDirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.');
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The kind of file, from its path: jail files hold jails; filter.d / action.d files hold Definition/Init. */
export function fileRole(file: string | undefined): 'jail' | 'filter' | 'action' | 'main' | 'paths' | 'unknown' {
  if (!file) return 'unknown';
  const b = basename(file);
  const dir = basename(posixDirname(file));
  if (dir === 'filter.d') return 'filter';
  if (dir === 'action.d') return 'action';
  if (dir === 'jail.d' || /^jail\.(conf|local)$/.test(b)) return 'jail';
  if (dir === 'fail2ban.d' || /^fail2ban\.(conf|local)$/.test(b)) return 'main';
  if (/^paths-/.test(b)) return 'paths';
  return 'unknown';
}

function suggestion(key: string): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of KNOWN_JAIL_OPTIONS) {
    const dd = editDistance(key, k);
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best ? `; did you mean '${best}'?` : '';
}

/** Every diagnostic of one file: syntax, unknown jail options, bad time values, and (with `files`) its directory's resolution. */
export function check(doc: Fail2banDocument, options: CheckOptions = {}): Diagnostic[] {
  return checkDocument(doc, options);
}

/** Checks of one file on its own (the generic `fwconf check`). */
export function checkDocument(doc: Fail2banDocument, options: CheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...doc.diagnostics];
  const role = fileRole(doc.file);
  const text = doc.toString();
  const referenced = new Set<string>();
  for (const m of percentReferences(text)) referenced.add(m.name.toLowerCase());
  for (const m of text.matchAll(/<([^ <>]+)>/g)) referenced.add(m[1]!.toLowerCase());
  const lines = doc.lines;
  for (const sec of doc.sectionList) {
    for (const e of sec.entries) {
      const l = lines[e.first]!;
      const at = { line: e.first + 1, column: (l.keyStart ?? 0) + 1, endColumn: (l.keyEnd ?? 0) + 1 };
      if (role === 'jail' && sec.name !== 'INCLUDES' && !KNOWN_JAIL_OPTIONS.has(e.key) && !STOCK_HELPER_KEYS.has(e.key) && !referenced.has(e.key) && !e.key.startsWith('known/')) {
        out.push(diagnostic('fail2ban/unknown-jail-option', 'warning', `'${e.key}' is not a jail option fail2ban reads (it is only usable as a %(${e.key})s variable)${suggestion(e.key)}`, at, doc.file));
      }
      if ((role === 'jail' || role === 'main') && TIME_OPTIONS.includes(e.key) && !e.value.includes('%(') && parseTime(e.value) === undefined) {
        out.push(diagnostic('fail2ban/bad-time', 'error', `${e.key} = ${e.value}: not a fail2ban time value (seconds, or 10m, 1h, 1d, 1w, -1 ...)`, { line: e.first + 1, column: (l.valueStart ?? 0) + 1, endColumn: (l.valueEnd ?? 0) + 1 }, doc.file));
      }
    }
  }
  // A jail file inside a configuration directory: resolve the directory and report what concerns this file.
  if (role === 'jail' && doc.file && options.files) {
    const dir = basename(posixDirname(doc.file)) === 'jail.d' ? posixDirname(posixDirname(doc.file)) : posixDirname(doc.file);
    const abs = dir.startsWith('/') ? dir : undefined;
    if (abs && options.files.stat(abs + '/jail.conf') !== undefined) {
      // Whether a log file exists is a fact of the machine, not of the files: the host check reports it.
      for (const d of checkConfig(abs, { files: options.files }))
        if (d.file === doc.file && d.code !== 'fail2ban/logpath-no-file' && !out.some((o) => o.code === d.code && o.line === d.line)) out.push(d);
    }
  }
  return out;
}

/** Options of `checkConfig`: where the files are read, and a resolution to reuse. */
export interface CheckConfigOptions {
  files?: FileSource;
  /** A resolution already computed for the same directory. */
  resolution?: Resolution;
}

/** The files rsyslog writes on Debian; Debian 12 installs no rsyslog, so these lines are only in the journal. */
const SYSLOG_FILES = /^\/var\/log\/(auth\.log|syslog|messages|secure|daemon\.log|kern\.log|user\.log|mail\.(log|err|warn|info)|maillog)$/;

/**
 * The backend advice when a jail's logpath matches no file: a file rsyslog would write, missing, and a
 * filter that knows how to find the lines in the journal (a journalmatch): `backend = systemd`.
 */
function journalAdvice(jail: ResolvedJail, files: FileSource): string {
  if (!jail.filter?.journalmatch.length) return '';
  const missing = jail.logpathPatterns.filter((p) => SYSLOG_FILES.test(p) && files.stat(p) === undefined);
  if (!missing.length) return '';
  return `; ${missing.join(', ')} does not exist (Debian 12 has no rsyslog: ${jail.name} logs to the systemd journal), and the filter ${jail.filter.name} reads the journal: set \`backend = systemd\` in [${jail.name}]`;
}

/** Checks a whole configuration directory, as fail2ban-client would read it. */
export function checkConfig(confDir: string, options: CheckConfigOptions = {}): Diagnostic[] {
  const files = options.files ?? new NodeFileSource();
  const r = options.resolution ?? resolve(confDir, { files });
  const out: Diagnostic[] = [...r.diagnostics, ...r.settings.diagnostics];
  // Unknown options and bad literal values in every jail file read, where they are written (with columns).
  const seen = new Set<string>();
  for (const path of r.files) {
    if (seen.has(path) || fileRole(path) !== 'jail') continue;
    seen.add(path);
    const text = files.read(path);
    if (text === undefined) continue;
    const doc = new Fail2banDocument(text, { file: path });
    for (const d of checkDocument(doc)) if (!doc.diagnostics.includes(d)) out.push(d);
  }
  // One finding per place, except that one line (a [DEFAULT] action, say) can make many jails fail: each is named.
  const push = (d: Diagnostic, jail?: string) => {
    const same = (o: Diagnostic) => o.code === d.code && o.file === d.file && o.line === d.line && (jail === undefined || o.message.startsWith(`jail [${jail}]`));
    if (!out.some(same)) out.push(d);
  };
  for (const jail of r.jails) {
    const prov = jail.provenance;
    const at = (key: string) => {
      const p = prov[key];
      return { file: p?.file, range: { line: p?.line ?? 1, column: 1 } };
    };
    if (jail.error) {
      const key = /filter/.test(jail.error) ? 'filter' : /action/.test(jail.error) ? 'action' : 'enabled';
      const code = /Unable to read the filter/.test(jail.error)
        ? 'fail2ban/missing-filter'
        : /Unable to read action/.test(jail.error)
          ? 'fail2ban/missing-action'
          : 'fail2ban/jail-definition';
      const w = at(key);
      push(diagnostic(code, 'error', `jail [${jail.name}] is skipped by fail2ban: ${jail.error}`, w.range, w.file), jail.name);
      continue;
    }
    for (const key of TIME_OPTIONS) {
      const v = jail.options[key];
      if (typeof v === 'string' && parseTime(v) === undefined) {
        const w = at(key);
        push(diagnostic('fail2ban/bad-time', 'error', `jail [${jail.name}] ${key} = ${v}: not a fail2ban time value`, w.range, w.file));
      }
    }
    if (!jail.backend.startsWith('systemd') && jail.logpathPatterns.length > 0 && jail.logpath.length === 0) {
      const w = at('logpath');
      push(
        diagnostic(
          'fail2ban/logpath-no-file',
          'error',
          `jail [${jail.name}]: logpath ${jail.logpathPatterns.map((p) => p || "''").join(', ')} matches no file, so fail2ban-client refuses the whole configuration ("Have not found any log file for ${jail.name} jail") and starts no jail at all${journalAdvice(jail, files)}`,
          w.range,
          w.file,
        ),
        jail.name,
      );
    }
  }
  return out;
}

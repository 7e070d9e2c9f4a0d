/**
 * Resolution of a fail2ban configuration directory, as fail2ban 1.0.2's client does it
 * (JailsReader, JailReader, FilterReader, ActionReader): which jails are enabled, their options after
 * `%(name)s` interpolation, their filter (`name[args]`, [Init], Definition, the jail's overrides)
 * and actions, and the exact command stream `fail2ban-client -d` prints. Pure: files come from a
 * FileSource; log paths are globbed through it.
 */
import * as nodePath from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { NodeFileSource, OverlayFileSource, type FileSource } from '../core/files.js';
import type { Fail2banDocument } from './document.js';
import { pyGlob } from './files.js';
import { InterpolationError, NoSectionError, PyConfig, type Origin, type Val, type Vars } from './config.js';
import { ACTION_OPTIONS, FILTER_OPTIONS, JAIL_OPTIONS, JAIL_OPTIONS_FIRST, type OptionSpec } from './keywords.js';
import { FileCache, MemoFileSource, pyJoin } from './overlay.js';
import { asBool, extractOptions, OptionSyntaxError, pyInt, pyJsonDumps, pyRepr, splitWithOptions, splitwords, substituteRecursiveTags, TagRecursionError } from './options.js';
import { pyStr, type PyValue } from './pytext.js';
import type { Fail2banCode } from './codes.js';
import { typeGeneral, type GeneralReading } from './general.js';

/** The fail2ban version whose reading the resolver follows. */
export const FAIL2BAN_VERSION = '1.0.2';

/** One element of a command: what `fail2ban-client -d` prints as a Python list. */
export type PyData = PyValue | PyData[] | PyDict;
/** A Python dict (`['set', 'thread', {'stacksize': 32}]`), keys in insertion order. */
export interface PyDict {
  readonly [key: string]: PyData;
}
/** One command of the server's start-up stream, as `fail2ban-client -d` prints it. */
export type Command = PyData[];

/** Options of `resolve`. */
export interface ResolveOptions {
  /** Where files are read (default: the real file system). */
  files?: FileSource;
  /** Resolve only this jail (as `fail2ban-client -d` would list it among all). */
  jail?: string;
}

/** {@link resolve} of a Document: the tree it belongs to, read with the Document's current text in its place. */
export interface ResolveDocumentOptions extends ResolveOptions {
  /**
   * The configuration directory. Default: the directory of `doc.file`, or its parent when that is
   * jail.d, filter.d, action.d or fail2ban.d.
   */
  confDir?: string;
}

const CONF_SUBDIRS = new Set(['jail.d', 'filter.d', 'action.d', 'fail2ban.d']);

/** The configuration directory a file of the tree lives in (/etc/fail2ban for /etc/fail2ban/jail.d/x.local). */
export function confDirOf(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  parts.pop();
  if (parts.length > 0 && CONF_SUBDIRS.has(parts[parts.length - 1]!)) parts.pop();
  return parts.join('/') || (file.startsWith('/') ? '/' : '.');
}

/** A resolved filter, values as the client passes them to the server. */
export interface ResolvedFilter {
  /** The filter's name (file name under filter.d), without arguments. */
  name: string;
  /** Arguments given in the jail's `filter = name[k=v]`. */
  args: Record<string, string>;
  failregex: string[];
  ignoreregex: string[];
  prefregex?: string;
  datepattern?: string;
  maxlines?: number | null;
  usedns?: string;
  journalmatch: string[][];
  /** The files read for it, in merge order. */
  files: string[];
}

/** An action of a jail, resolved: its file, its values after interpolation and its commands. */
export interface ResolvedAction {
  /** The action's name on the server (`actname`). */
  name: string;
  /** The action file's name under action.d. */
  file: string;
  /** Arguments written in the jail's action spec. */
  args: Record<string, string>;
  /** The parameters passed to the server, in fail2ban's order. `<tags>` stay as the client leaves them. */
  params: Record<string, PyValue>;
  /** Python actions (`name.py`) are passed by path with JSON arguments. */
  python?: { path: string; json: string };
  files: string[];
}

/** Where a resolved value comes from: the file and line of its raw value, the values it overrode, and the `%()s` names it used. */
export interface Provenance {
  file?: string;
  line?: number;
  /** Set by fail2ban rather than written in a file. */
  note?: string;
  /** The raw value as written. */
  raw: string;
  /** Earlier values of the same key that this one overrode (newest first). */
  overrides: { file?: string; line?: number; raw: string }[];
}

/** A jail as fail2ban-client would start it: its options, filter, actions and log paths, with where each value came from. */
export interface ResolvedJail {
  name: string;
  enabled: boolean;
  backend: string;
  /** The jail options passed to the server (`set JAIL opt value`), typed as fail2ban converts them. */
  options: Record<string, PyValue | string[]>;
  /** Log files matched (with head/tail), as `addlogpath`. */
  logpath: { path: string; tail: string }[];
  /** The logpath patterns as written (one per line). */
  logpathPatterns: string[];
  filter?: ResolvedFilter;
  actions: ResolvedAction[];
  /** Why fail2ban would skip the jail (`config-error`). */
  error?: string;
  /** Provenance of every jail option read. */
  provenance: Record<string, Provenance>;
  /** The command stream for this jail, as `fail2ban-client -d` prints it (without `start`). */
  commands: Command[];
}

/** What fail2ban-client would send the server for a configuration directory: the jails, their filters and actions, and the diagnostics. */
export interface Resolution {
  /** The jails fail2ban would add, in order (enabled ones, and those with a configuration error). */
  jails: ResolvedJail[];
  /** Every jail section seen (enabled or not), in order. */
  sections: string[];
  diagnostics: Diagnostic[];
  /**
   * fail2ban-client stops while reading, with no command stream at all (a file configparser rejects,
   * a %()s error...). Other reasons it refuses to start (every jail skipped) are error diagnostics.
   */
  fatal: boolean;
  /** The files of the jail set, in merge order. */
  files: string[];
  /** The whole command stream of the jails (adds, then starts). */
  commands: Command[];
  /** The general settings from fail2ban.conf (and .local, fail2ban.d/), which -d prints before the jails. */
  general: Command[];
  /**
   * The server's settings of fail2ban.conf (and .local, fail2ban.d/) typed, each with the file and line
   * it is written on (readGeneralSettings' reading of the same files; its diagnostics are `check`'s).
   */
  settings: GeneralReading;
}

class JailDefError extends Error {}
class FatalError extends Error {
  constructor(readonly diag: Diagnostic) {
    super(diag.message);
  }
}

function interpolationDiagnostic(e: InterpolationError, context: string): Diagnostic {
  const where = e.origin;
  const steps = e.chain.map((s) => `%(${s.name})s${s.origin ? ` (${s.origin.file}:${s.origin.line})` : ''}`);
  const chain = [`[${e.section}] ${e.option}${where ? ` (${where.file}:${where.line})` : ''}`, ...steps].join(' → ');
  const code: Fail2banCode = `fail2ban/interpolation-${e.kind}`;
  const stops = e.kind === 'size' ? 'fail2ban-client would expand it until it ran out of memory' : 'fail2ban-client stops: "Bad value substitution"';
  return diagnostic(code, 'error', `${context}${chain}: ${e.detail} (${stops})`, { line: where?.line ?? 1, column: 1, endLine: where?.endLine ?? where?.line ?? 1 }, where?.file);
}

/** Definition/[Init] reader of one filter or action file, for one jail (DefinitionInitConfigReader). */
class DefinitionReader {
  opts = new Map<string, PyValue>();
  pOpts = new Map<string, PyValue>();
  private defCache = new Map<string, PyValue | undefined>();
  constructor(
    readonly cfg: PyConfig,
    readonly initOpts: Map<string, PyValue>,
    readonly configOpts: readonly OptionSpec[],
  ) {}

  getOptions(pOpts0: Map<string, PyValue> | undefined, all = false): void {
    let pOpts = pOpts0 ?? new Map();
    if (this.initOpts.size) pOpts = new Map([...pOpts, ...this.initOpts]);
    this.opts = readOptions(this.cfg, 'Definition', this.configOpts, pOpts, false, false).values;
    this.pOpts = pOpts;
    if (this.cfg.hasSection('Init')) {
      for (const opt of this.cfg.options('Init', false)) {
        if (opt === '__name__') continue;
        let v: PyValue | undefined;
        if (!opt.startsWith('known/')) {
          v = this.cfg.get('Init', opt);
          this.initOpts.set('known/' + opt, v);
        }
        if (!this.initOpts.has(opt)) {
          if (v === undefined) v = this.cfg.get('Init', opt);
          this.initOpts.set(opt, v);
        }
      }
    }
    if (all && this.cfg.hasSection('Definition')) {
      for (const opt of this.cfg.options('Definition', false)) {
        if (opt === '__name__' || this.opts.has(opt)) continue;
        this.opts.set(opt, this.cfg.get('Definition', opt));
      }
    }
  }

  private combOption(name: string): PyValue | undefined {
    if (this.defCache.has(name)) return this.defCache.get(name);
    const found = this.cfg.lookupEx('Definition', name, { vars: this.pOpts });
    const v = typeof found === 'object' ? found.value : undefined;
    this.defCache.set(name, v);
    return v;
  }

  getCombined(ignore: Iterable<string> = []): Map<string, PyValue> {
    let combined = this.opts;
    if (this.initOpts.size) combined = new Map([...combined, ...this.initOpts]);
    if (combined.size === 0) return new Map();
    const ign = new Set(ignore);
    for (const n of combined.keys()) {
      const m = n.includes('?') ? CONDITIONAL_KEY_RE.exec(n) : null;
      if (m) ign.add(m[1]!);
    }
    const opts = substituteRecursiveTags(combined, { ignore: ign, addrepl: (t) => this.combOption(t) });
    for (const [type, name, def] of this.configOpts) {
      const v = opts.get(name);
      if (v === undefined || v === null) continue;
      if (type === 'bool') opts.set(name, asBool(v));
      else if (type === 'int') {
        try {
          opts.set(name, pyInt(v));
        } catch {
          opts.set(name, def);
        }
      }
    }
    return opts;
  }
}

const CONDITIONAL_KEY_RE = /^([\p{L}\p{N}_]+)(\?.+)$/u;

/** ConfigReaderUnshared.getOptions. */
function readOptions(
  cfg: PyConfig,
  sec: string,
  specs: readonly OptionSpec[],
  pOptions: Map<string, PyValue>,
  shouldExist: boolean,
  convert = true,
  provenance?: Map<string, Val>,
): { values: Map<string, PyValue> } {
  const values = new Map<string, PyValue>();
  for (const [type, name, def] of specs) {
    if (pOptions.has(name)) continue;
    const val = cfg.lookup(sec, name, { vars: pOptions as Vars });
    if (val === 'no-section') {
      if (shouldExist) throw new NoSectionError(sec);
      values.set(name, def);
      continue;
    }
    if (val === 'no-option') {
      if (def !== null) values.set(name, def);
      continue;
    }
    let v = val.value;
    provenance?.set(name, val);
    values.set(name, v);
    if (convert && v !== null) {
      if (type === 'bool') v = asBool(v);
      else if (type === 'int') {
        try {
          v = pyInt(v);
        } catch {
          v = def;
        }
      }
      values.set(name, v);
    }
  }
  return { values };
}

/** A jail's provenance is computed when first read: most callers never look at it. */
function lazyProvenance(jail: ResolvedJail, cfg: PyConfig, sec: string, read: Map<string, Val>): void {
  Object.defineProperty(jail, 'provenance', {
    get: () => {
      const p: Record<string, Provenance> = {};
      for (const [name, val] of read) p[name] = provenanceOf(cfg, sec, name, val);
      Object.defineProperty(jail, 'provenance', { value: p, enumerable: true, configurable: true, writable: true });
      return p;
    },
    enumerable: true,
    configurable: true,
  });
}

function provenanceOf(cfg: PyConfig, sec: string, name: string, val: Val): Provenance {
  const raw = cfg.lookup(sec, name, { raw: true });
  const src = typeof raw === 'object' ? raw : val;
  const p: Provenance = { raw: pyStr(src.value), overrides: [] };
  if (src.origin) {
    p.file = src.origin.file;
    p.line = src.origin.line;
  }
  if (src.note) p.note = src.note;
  const push = (c: Val) => p.overrides.push({ ...(c.origin ? { file: c.origin.file, line: c.origin.line } : {}), raw: pyStr(c.value) });
  for (let c = src.previous; c; c = c.previous) push(c);
  // A section's value shadows DEFAULT's.
  const dflt = cfg.defaults.get(name.toLowerCase());
  if (dflt && dflt !== src && cfg.sections.get(sec)?.get(name.toLowerCase()) === src) for (let c: Val | undefined = dflt; c; c = c.previous) push(c);
  return p;
}

function fillFilterStream(stream: Command[], opts: Map<string, PyValue>, jail: string): void {
  let prio0idx = 0;
  for (const [opt, value] of opts) {
    if (value === null || value === undefined) continue;
    if (opt === 'failregex' || opt === 'ignoreregex') {
      const multi = pyStr(value).split('\n').filter((r) => r !== '');
      if (multi.length > 1) stream.push(['multi-set', jail, 'add' + opt, multi]);
      else if (multi.length) stream.push(['set', jail, 'add' + opt, multi[0]!]);
    } else if (opt === 'usedns' || opt === 'maxlines' || opt === 'prefregex') {
      stream.splice(opt === 'usedns' ? 0 : prio0idx, 0, ['set', jail, opt, value]);
      prio0idx++;
    } else if ('datepattern'.includes(opt)) {
      // Python: `opt in ('datepattern')` is a substring test on a str.
      stream.push(['set', jail, opt, value]);
    } else if (opt === 'journalmatch') {
      for (const match of pyStr(value).split('\n')) {
        if (match === '') continue;
        stream.push(['set', jail, 'addjournalmatch', ...shlexSplit(match)]);
      }
    }
  }
}

/** Python shlex.split (POSIX mode, comments off). */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new OptionSyntaxError('No closing quotation');
      cur += s.slice(i + 1, j);
      inWord = true;
      i = j + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new OptionSyntaxError('No closing quotation');
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) {
          cur += s[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new OptionSyntaxError('No escaped character');
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (' \t\r\n'.includes(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

function record(m: Map<string, PyValue>): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of m) o[k] = pyStr(v);
  return o;
}

/**
 * Resolves a configuration directory (`fail2ban-client -c DIR -d`), or the tree a Document belongs
 * to with the Document as it stands in place of its file (so an edit is seen before it is written).
 *
 * @example
 * const doc = fail2ban.parse(readFileSync('/etc/fail2ban/jail.local', 'utf8'), { file: '/etc/fail2ban/jail.local' });
 * doc.set('sshd', 'maxretry', '3');
 * const jail = fail2ban.resolve(doc).jails.find((j) => j.name === 'sshd');
 */
export function resolve(doc: Fail2banDocument, options?: ResolveDocumentOptions): Resolution;
export function resolve(confDir: string, options?: ResolveOptions): Resolution;
export function resolve(target: string | Fail2banDocument, options: ResolveDocumentOptions = {}): Resolution {
  if (typeof target !== 'string') {
    if (target === null || typeof target !== 'object' || typeof target.toString !== 'function')
      throw new TypeError('resolve(confDir | doc): give a directory or a fail2ban Document');
    const named = target.file;
    if (named === undefined) throw new TypeError('resolve(doc): the Document has no file name; parse it with { file } to place it in its tree');
    // On the real file system a relative name is the working directory's, as fail2ban-client -c reads it.
    const file = options.files ? named : nodePath.resolve(named);
    const { confDir, ...rest } = options;
    const inner = options.files ?? new NodeFileSource();
    return resolveDir(confDir ?? confDirOf(file), { ...rest, files: new OverlayFileSource(inner, { [file]: target.toString() }) });
  }
  return resolveDir(target, options);
}

function resolveDir(confDir: string, options: ResolveOptions): Resolution {
  const files = new MemoFileSource(options.files ?? new NodeFileSource());
  const basedir = confDir.replace(/\/+$/, '') || '/';
  const cache = new FileCache(files);
  const diagnostics: Diagnostic[] = [];
  const result: Resolution = { jails: [], sections: [], diagnostics, fatal: false, files: [], commands: [], general: [], settings: typeGeneral(undefined) };
  const fatal = (d: Diagnostic) => {
    diagnostics.push(d);
    result.fatal = true;
  };
  if (files.stat(basedir) === undefined) {
    fatal(diagnostic('fail2ban/no-conf-dir', 'error', `Base configuration directory ${basedir} does not exist`, { line: 1, column: 1 }, basedir));
    return result;
  }
  const generalCfg = cache.readName(basedir, 'fail2ban');
  result.settings = typeGeneral(generalCfg);
  try {
    result.general = readGeneral(generalCfg ?? new PyConfig());
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
    fatal(e.diag);
  }
  const jailCfg = cache.readName(basedir, 'jail');
  if (!jailCfg) {
    fatal(diagnostic('fail2ban/no-jail-conf', 'error', `Found no accessible config files for 'jail' under ${basedir}`, { line: 1, column: 1 }, basedir));
    return result;
  }
  result.files = [...jailCfg.files];
  const shared = new Map<string, PyConfig | null>();
  const readShared = (name: string): PyConfig | undefined => {
    if (!shared.has(name)) shared.set(name, cache.readName(basedir, name) ?? null);
    return shared.get(name) ?? undefined;
  };

  const sections = [...jailCfg.sections.keys()].filter((n) => !n.startsWith('KNOWN/'));
  const started: ResolvedJail[] = [];
  const skipped: ResolvedJail[] = [];
  result.sections = sections.filter((s) => s !== 'INCLUDES');
  for (const sec of sections) {
    if (sec === 'INCLUDES') continue;
    if (options.jail !== undefined && sec !== options.jail) {
      // Other jails still run through getOptions in fail2ban (errors there are fatal), so read them too.
    }
    let jail: ResolvedJail | undefined;
    try {
      jail = readJail(sec, jailCfg, basedir, files, readShared);
    } catch (e) {
      if (e instanceof FatalError) {
        fatal(e.diag);
        continue;
      }
      throw e;
    }
    if (jail) (jail.error ? skipped : started).push(jail);
    if (jail && (options.jail === undefined || options.jail === sec)) result.jails.push(jail);
  }
  // JailsReader.getOptions: with some jail in error and none without, the client's read fails
  // ("Init of command line failed", `-d` exits 255 after its stream): nothing starts.
  if (skipped.length > 0 && started.length === 0 && !result.fatal && !cache.fatal) {
    const first = skipped[0]!.provenance.enabled;
    const names = skipped.map((j) => `[${j.name}]`).join(', ');
    diagnostics.push(
      diagnostic(
        'fail2ban/no-jail-starts',
        'error',
        `every enabled jail is skipped for an error (${names}), so fail2ban-client refuses to start ("Init of command line failed")`,
        { line: first?.line ?? 1, column: 1 },
        first?.file ?? basedir,
      ),
    );
  }
  diagnostics.unshift(...cache.diagnostics);
  if (cache.fatal) result.fatal = true;
  for (const j of result.jails) result.commands.push(...j.commands);
  for (const j of result.jails) if (!j.error) result.commands.push(['start', j.name]);
  return result;
}

/** Log level names str2LogLevel accepts: the upper-case attributes of Python's logging module once fail2ban has added its own levels. */
const LOG_LEVELS = new Set(['BASIC_FORMAT', 'CRITICAL', 'DEBUG', 'ERROR', 'FATAL', 'HEAVYDEBUG', 'INFO', 'MSG', 'NOTICE', 'NOTSET', 'TRACEDEBUG', 'WARN', 'WARNING', '_STYLES']);

const EARLY_OPTIONS: readonly OptionSpec[] = [
  ['string', 'socket', '/var/run/fail2ban/fail2ban.sock'],
  ['string', 'pidfile', '/var/run/fail2ban/fail2ban.pid'],
  ['string', 'loglevel', 'INFO'],
  ['string', 'logtarget', '/var/log/fail2ban.log'],
  ['string', 'syslogsocket', 'auto'],
];
const GENERAL_OPTIONS: readonly OptionSpec[] = [
  ['string', 'loglevel', 'INFO'],
  ['string', 'logtarget', 'STDERR'],
  ['string', 'syslogsocket', 'auto'],
  ['string', 'allowipv6', 'auto'],
  ['string', 'dbfile', '/var/lib/fail2ban/fail2ban.sqlite3'],
  ['int', 'dbmaxmatches', null],
  ['string', 'dbpurgeage', '1d'],
];
const GENERAL_ORDER = ['thread', 'syslogsocket', 'loglevel', 'logtarget', 'allowipv6', 'dbfile', 'dbmaxmatches', 'dbpurgeage'];

/**
 * Fail2banReader (fail2ban.conf): the early options fail2ban-client reads first (socket, pidfile and the
 * log settings, which then override the later read), the general options and [Thread], as the
 * `['set', OPT, VALUE]` commands -d prints before the jails. An interpolation error or a log level
 * Python's logging does not know stops the client (a FatalError).
 */
function readGeneral(cfg: PyConfig): Command[] {
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InterpolationError) throw new FatalError(interpolationDiagnostic(e, 'fail2ban.conf: '));
      throw e;
    }
  };
  const early = guard(() => readOptions(cfg, 'Definition', EARLY_OPTIONS, new Map(), false).values);
  const opts = guard(() => readOptions(cfg, 'Definition', GENERAL_OPTIONS, new Map(), false).values);
  for (const k of ['loglevel', 'logtarget', 'syslogsocket']) opts.set(k, early.get(k) ?? null);
  const level = pyStr(opts.get('loglevel') ?? null);
  let known = LOG_LEVELS.has(level.toUpperCase());
  if (!known && /^\p{Nd}+$/u.test(level)) {
    try {
      pyInt(level);
      known = true;
    } catch {
      /* not a number Python's int() reads */
    }
  }
  if (!known) {
    const v = cfg.lookup('Definition', 'loglevel', { raw: true });
    const o = typeof v === 'object' ? v.origin : undefined;
    throw new FatalError(
      diagnostic('fail2ban/bad-loglevel', 'error', `loglevel = ${level}: not a log level (CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG, ... or a number); fail2ban-client stops ("Invalid log level ${pyRepr(level)}")`, { line: o?.line ?? 1, column: 1 }, o?.file),
    );
  }
  const all = new Map<string, PyData>(opts);
  if (cfg.hasSection('Thread')) {
    const thread = guard(() => readOptions(cfg, 'Thread', [['int', 'stacksize', null]], new Map(), false).values);
    if (thread.size) all.set('thread', Object.fromEntries(thread));
  }
  return GENERAL_ORDER.filter((k) => all.has(k)).map((k) => ['set', k, all.get(k)!]);
}

function readJail(
  name: string,
  cfg: PyConfig,
  basedir: string,
  files: FileSource,
  readShared: (name: string) => PyConfig | undefined,
): ResolvedJail | undefined {
  cfg.defaults.set('fail2ban_version', { value: FAIL2BAN_VERSION, note: 'set by fail2ban-client' });
  cfg.defaults.set('fail2ban_confpath', { value: basedir, note: 'set by fail2ban-client (the -c directory)' });
  const provenance = new Map<string, Val>();
  const jail: ResolvedJail = { name, enabled: false, backend: 'auto', options: {}, logpath: [], logpathPatterns: [], actions: [], provenance: {}, commands: [] };
  lazyProvenance(jail, cfg, name, provenance);
  // `file`: the filter or action file whose tags are substituted, named by a tag-recursion error.
  const guard = <T>(context: string, f: () => T, file?: string): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InterpolationError) throw new FatalError(interpolationDiagnostic(e, context));
      if (e instanceof TagRecursionError) throw new FatalError(diagnostic('fail2ban/tag-recursion', 'error', `${context}${e.message}`, { line: 1, column: 1 }, file));
      throw e;
    }
  };
  let opts: Map<string, PyValue>;
  let filter: { reader: DefinitionReader; name: string; args: Map<string, string>; files: string[] } | undefined;
  const actions: ({ reader: DefinitionReader; file: string; actname: string; args: Map<string, string>; files: string[] } | { python: Command; file: string; actname: string; args: Map<string, string> })[] = [];
  try {
    opts = guard(`jail [${name}]: `, () => readOptions(cfg, name, JAIL_OPTIONS_FIRST, new Map(), true, true, provenance).values);
    jail.enabled = Boolean(opts.get('enabled'));
    if (!jail.enabled) return undefined;
    const flt = pyStr(opts.get('filter') ?? '');
    if (flt) {
      let filterName: string;
      let filterOpt: Map<string, string>;
      try {
        [filterName, filterOpt] = extractOptions(flt);
      } catch (e) {
        throw new JailDefError(`Invalid filter definition ${pyRepr(flt)}: ${(e as Error).message}`);
      }
      const fcfg = readShared(pyJoin('filter.d', filterName));
      if (!fcfg) throw new JailDefError(`Unable to read the filter ${pyRepr(filterName)}`);
      const init = new Map<string, PyValue>(filterOpt);
      const reader = new DefinitionReader(fcfg, init, FILTER_OPTIONS);
      // applyAutoOptions
      if (!init.get('logtype') && !fcfg.sections.get('Definition')?.has('logtype')) {
        init.set('logtype', pyStr(opts.get('backend') ?? '').startsWith('systemd') ? 'journal' : 'file');
      }
      guard(`filter ${filterName} of jail [${name}]: `, () => reader.getOptions(opts, true), fcfg.files[0]);
      const combined = guard(`filter ${filterName} of jail [${name}]: `, () => reader.getCombined(), fcfg.files[0]);
      const asVals = new Map<string, Val>();
      for (const [k, v] of combined) asVals.set(k, { value: v, note: `combined option ${k} of filter ${filterName}` });
      cfg.mergeSection(name, asVals, 'known/');
      filter = { reader, name: filterName, args: filterOpt, files: fcfg.files };
    }
    opts = guard(`jail [${name}]: `, () => readOptions(cfg, name, JAIL_OPTIONS, new Map(), false, true, provenance).values);
    if (filter) {
      const f = filter;
      guard(`filter ${f.name} of jail [${name}]: `, () => f.reader.getOptions(opts));
    }
    for (const act0 of splitWithOptions(pyStr(opts.get('action') ?? ''))) {
      const act = act0.trim();
      if (!act) continue;
      let actName: string;
      let actOpt: Map<string, string>;
      try {
        [actName, actOpt] = extractOptions(act);
      } catch (e) {
        throw new JailDefError(`Invalid action definition ${pyRepr(act)}: ${(e as Error).message}`);
      }
      if (actName.endsWith('.py')) {
        const actname = actOpt.get('actname') ?? actName.replace(/\.[^./]*$/, '');
        actOpt.delete('actname');
        actions.push({ python: ['set', name, 'addaction', actname, pyJoin(pyJoin(basedir, 'action.d'), actName), pyJsonDumps(actOpt)], file: actName, actname, args: actOpt });
        continue;
      }
      const init = new Map<string, PyValue>(actOpt);
      let n = init.get('name');
      if (n === undefined) init.set('name', (n = name));
      let actname = init.get('actname');
      if (actname === undefined) {
        actname = actName;
        const ns = pyStr(n);
        if (ns !== name) actname += ns.startsWith(name) ? ns.slice(name.length) : '-' + ns;
        init.set('actname', actname);
      }
      const acfg = readShared(pyJoin('action.d', actName));
      if (!acfg) throw new JailDefError(`Unable to read action ${pyRepr(actName)}`);
      const reader = new DefinitionReader(acfg, init, ACTION_OPTIONS);
      guard(`action ${actName} of jail [${name}]: `, () => reader.getOptions(opts), acfg.files[0]);
      actions.push({ reader, file: actName, actname: pyStr(actname), args: actOpt, files: acfg.files });
    }
  } catch (e) {
    if (e instanceof JailDefError) {
      jail.error = e.message;
      jail.commands = [['config-error', `Jail '${name}' skipped, because of wrong configuration: ${e.message}`]];
      return jail;
    }
    throw e;
  }

  // convert()
  const stream: Command[] = [];
  const stream2: Command[] = [];
  if (filter) {
    const f = filter;
    const fopts = guard(`filter ${f.name} of jail [${name}]: `, () => f.reader.getCombined(), f.files[0]);
    if (fopts.size) fillFilterStream(stream, fopts, name);
  }
  fillFilterStream(stream, opts, name);
  let backend: PyValue = 'auto';
  for (const [opt, value] of opts) {
    if (opt === 'logpath') {
      if (pyStr(opts.get('backend') ?? '').startsWith('systemd')) continue;
      for (const line of pyStr(value).split('\n')) {
        const sp = line.lastIndexOf(' ');
        const [path, tail] = sp >= 0 ? [line.slice(0, sp), line.slice(sp + 1)] : [line, 'head'];
        jail.logpathPatterns.push(path);
        for (const p of globLog(files, path)) {
          stream2.push(['set', name, 'addlogpath', p, tail]);
          jail.logpath.push({ path: p, tail });
        }
      }
    } else if (opt === 'backend') backend = value;
    else if (opt === 'ignoreip') {
      const words = splitwords(pyStr(value));
      stream.push(['set', name, 'addignoreip', ...words]);
      jail.options.ignoreip = words;
    } else if (!JAIL_IGNORED.has(opt)) {
      stream.push(['set', name, opt, value]);
      jail.options[opt] = value;
    }
  }
  stream.push(...stream2);
  for (const a of actions) {
    if ('python' in a) {
      stream.push(a.python);
      jail.actions.push({ name: a.actname, file: a.file, args: record(a.args), params: {}, python: { path: pyStr(a.python[4] as PyValue), json: pyStr(a.python[5] as PyValue) }, files: [] });
      continue;
    }
    const r = a.reader;
    const combined = guard(`action ${a.file} of jail [${name}]: `, () => r.getCombined(['matches', 'ipmatches', 'ipjailmatches', 'timeout', 'bantime']), a.files[0]);
    stream.push(['set', name, 'addaction', a.actname]);
    const multi: [string, PyValue][] = [];
    const actionKeys = ACTION_KEYS;
    for (const [opt, v] of combined) if (actionKeys.has(opt) && !opt.startsWith('known/')) multi.push([opt, v]);
    for (const [opt, v] of r.initOpts) if (!actionKeys.has(opt) && !opt.startsWith('known/')) multi.push([opt, v]);
    if (multi.length > 1) stream.push(['multi-set', name, 'action', a.actname, multi.map(([k, v]) => [k, v])]);
    else if (multi.length) stream.push(['set', name, 'action', a.actname, multi[0]![0], multi[0]![1]]);
    const params: Record<string, PyValue> = {};
    for (const [k, v] of multi) params[k] = v;
    jail.actions.push({ name: a.actname, file: a.file, args: record(a.args), params, files: a.files });
  }
  stream.unshift(['add', name, backend]);
  jail.backend = pyStr(backend);
  jail.commands = stream;
  if (filter) {
    const f: ResolvedFilter = { name: filter.name, args: record(filter.args), failregex: [], ignoreregex: [], journalmatch: [], files: filter.files };
    for (const c of stream) {
      if (c[0] !== 'set' && c[0] !== 'multi-set') continue;
      const op = c[2];
      const rest = c.slice(3);
      if (op === 'addfailregex') f.failregex.push(...(c[0] === 'multi-set' ? (rest[0] as string[]) : [rest[0] as string]));
      else if (op === 'addignoreregex') f.ignoreregex.push(...(c[0] === 'multi-set' ? (rest[0] as string[]) : [rest[0] as string]));
      else if (op === 'prefregex') f.prefregex = pyStr(rest[0] as PyValue);
      else if (op === 'datepattern') f.datepattern = pyStr(rest[0] as PyValue);
      else if (op === 'maxlines') f.maxlines = rest[0] as number | null;
      else if (op === 'usedns') f.usedns = pyStr(rest[0] as PyValue);
      else if (op === 'addjournalmatch') f.journalmatch.push(rest as string[]);
    }
    jail.filter = f;
  }
  return jail;
}

const ACTION_KEYS = new Set(ACTION_OPTIONS.map((o) => o[1]));
const JAIL_IGNORED = new Set(['action', 'filter', 'enabled', ...FILTER_OPTIONS.map((o) => o[1])]);

/** JailReader._glob: Python glob.glob (no sorting guarantee; we sort), dangling links dropped. */
function globLog(files: FileSource, pattern: string): string[] {
  if (pattern === '') return [];
  // glob.glob keeps dangling links (lexists); fail2ban then drops what os.path.exists rejects.
  return pyGlob(files, pattern).filter((p) => files.stat(p) !== undefined);
}

export type { Origin };

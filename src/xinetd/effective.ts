/**
 * Effective services: what xinetd 2.3.15 ends up running from a configuration — the defaults entry
 * merged in, `=`/`+=`/`-=` applied xinetd's way, `include`/`includedir` followed through a
 * FileSource in xinetd's order, then xinetd's post-processing (disabled/enabled lists, protocol and
 * port inference, required attributes). Pure: files and system databases come from the FileSource.
 */
import { posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { compareCodePoints, type FileSource } from '../core/files.js';
import {
  attributeSpec,
  hasBuiltin,
  findName,
  isModifiable,
  LOG_ON_FAILURE_FLAGS,
  LOG_ON_SUCCESS_FLAGS,
  SERVICE_FLAGS,
  SERVICE_TYPES,
  SOCKET_TYPES,
  validateValues,
  type AttributeSpec,
  type SystemLookup,
} from './attributes.js';
import type { XinetdDocument } from './document.js';
import type { Op } from './model.js';
import { parse } from './parse.js';
import { modelValues, type Entry, type SyntaxProblem } from './reader.js';
import type { XinetdCode } from './codes.js';

/** A finding while evaluating an entry's attribute lines, positioned in its file (same shape as a syntax problem). */
export type AttributeProblem = SyntaxProblem;

/** The state of one entry while xinetd reads it (its `struct service_config`). */
export interface EntryState {
  /** Final values of every attribute that was accepted (lower-case names; inherited ones included). */
  values: Map<string, string[]>;
  /** Attributes set by the entry itself (SC_SPECIFIED), with the 1-based line that set them. */
  specified: Map<string, number>;
  /** SC_DISABLE: a value error, or `disable = yes`. */
  disabled: boolean;
  /**
   * `disable = yes` (or a value error followed by a `disable` line) stops xinetd's reading of the
   * entry at this 0-based line; the lines after it are never read.
   */
  stoppedAt?: number;
}

/** Modifiable attributes the defaults entry hands to each service before it is read (get_service_entry). */
const INHERITED = ['log_on_success', 'log_on_failure', 'only_from', 'no_access', 'passenv', 'access_times', 'banner', 'banner_success', 'banner_fail'];

/**
 * Applies the attribute lines of one entry in order, the way identify_attribute() does: unknown
 * names and wrong counts are ignored with a warning, a repeated fixed attribute keeps the first
 * value, `+=`/`-=` on a fixed attribute is ignored, a value the attribute's parser rejects disables
 * the service, and `disable` on a disabled service stops the reading.
 */
export function evaluateEntry(
  doc: XinetdDocument,
  entry: Entry,
  options: { system?: SystemLookup; defaults?: EntryState; into?: EntryState; stop?: boolean } = {},
): { state: EntryState; problems: AttributeProblem[] } {
  const state: EntryState = options.into ?? { values: new Map(), specified: new Map(), disabled: false };
  const problems: AttributeProblem[] = [];
  const kind = entry.kind;
  const def = options.defaults;
  if (kind === 'service' && def) {
    for (const n of INHERITED) if (def.specified.has(n) && def.values.has(n)) state.values.set(n, [...def.values.get(n)!]);
  }
  const who = kind === 'service' ? `Service ${entry.name}` : 'defaults';
  for (const i of entry.attributes) {
    const line = doc.lines[i]!;
    const a = line.attribute;
    if (a.type !== 'attribute') continue;
    const name = a.name.text;
    const values = modelValues(a.values);
    const rawValues = a.values.map((w) => w.text);
    const vStart = a.values[0]?.start ?? a.opEnd;
    const vEnd = a.values.length ? a.values[a.values.length - 1]!.end : a.opEnd;
    const push = (start: number, end: number, code: XinetdCode, severity: 'error' | 'warning', message: string) =>
      problems.push({ line: i, start, end, code, severity, message });
    const spec: AttributeSpec | undefined = attributeSpec(kind, name);
    if (!spec) {
      const other = attributeSpec(kind === 'service' ? 'defaults' : 'service', name);
      push(a.name.start, a.name.end, 'xinetd/unknown-attribute', 'warning',
        kind === 'service'
          ? `bad service attribute: ${name}${other ? ' (valid only in defaults)' : ''}; xinetd ignores the line`
          : `attribute: ${name} should not be in default section${other ? ' (valid only in a service)' : ''}; xinetd ignores the line`);
      continue;
    }
    let op: Op = a.op;
    const key = spec.name;
    if (!isModifiable(spec)) {
      if (state.specified.has(key)) {
        push(a.name.start, a.name.end, 'xinetd/duplicate-attribute', 'warning', `${who}: attribute already set: ${name} (line ${state.specified.get(key)}); xinetd keeps the first value`);
        continue;
      }
      if (op !== '=') {
        push(a.opStart, a.opEnd, 'xinetd/operator-not-allowed', 'warning', `${who}: operator '${op}' cannot be used for attribute '${name}'; xinetd ignores the line`);
        continue;
      }
    } else if (kind === 'defaults' && op === '=') op = '+=';
    // xinetd counts and validates what it reads: a CR left by a CRLF ending is part of the last word.
    if (spec.count > 0 && rawValues.length !== spec.count) {
      push(vStart, vEnd, 'xinetd/value-count', 'warning', `attribute ${name} expects ${spec.count} value${spec.count > 1 ? 's' : ''} and ${rawValues.length} ${rawValues.length === 1 ? 'was' : 'were'} specified; xinetd ignores the line`);
      continue;
    }
    const error = validateValues(spec, rawValues, op, options.system);
    if (error === undefined) {
      applyValues(state, spec, op, values);
      state.specified.set(key, i + 1);
    } else if (kind === 'service') {
      push(vStart, vEnd, 'xinetd/bad-value', 'error', `${error}: xinetd disables service ${entry.name} (Error parsing attribute ${name} - DISABLING SERVICE)`);
      state.disabled = true;
    } else {
      push(vStart, vEnd, 'xinetd/bad-value', 'error', `${error}: a bad value in defaults makes xinetd exit ("A fatal error was encountered while parsing the default section")`);
    }
    if (key === 'disable' && state.disabled && state.stoppedAt === undefined) {
      state.stoppedAt = i;
      if (options.stop !== false) break;
    }
  }
  return { state, problems };
}

function applyValues(state: EntryState, spec: AttributeSpec, op: Op, values: string[]): void {
  const key = spec.name;
  if (key === 'disable') {
    state.disabled = /^yes$/i.test(values[0]!);
    state.values.set(key, values);
    return;
  }
  if (!isModifiable(spec)) {
    state.values.set(key, values);
    return;
  }
  const canon = (v: string): string =>
    key === 'log_on_success' ? findName(LOG_ON_SUCCESS_FLAGS, v)! : key === 'log_on_failure' ? findName(LOG_ON_FAILURE_FLAGS, v)! : v;
  const words = values.map(canon);
  if (key === 'disabled' || key === 'enabled') {
    // disabled_parser()/enabled_parser() add whatever the operator.
    state.values.set(key, [...(state.values.get(key) ?? []), ...words]);
    return;
  }
  if (key === 'env') {
    state.values.set(key, op === '=' ? words : [...(state.values.get(key) ?? []), ...words]);
    return;
  }
  if (key === 'log_type') {
    state.values.set(key, words);
    return;
  }
  const same = (a: string, b: string) => (key === 'passenv' ? a === b : a.toLowerCase() === b.toLowerCase());
  let current = op === '=' ? [] : [...(state.values.get(key) ?? [])];
  if (op === '-=') current = current.filter((c) => !words.some((w) => same(c, w)));
  else for (const w of words) if (!current.some((c) => same(c, w))) current.push(w);
  state.values.set(key, current);
}

/** The `defaults` entry as xinetd applies it. */
export interface EffectiveDefaults {
  /** Final values of each attribute set in defaults entries (all files), lower-case names. */
  attributes: Record<string, string[]>;
}

/** One service xinetd runs. */
export interface EffectiveService {
  name: string;
  /** `id`, or the name. */
  id: string;
  /** Where its entry is. */
  file: string;
  line: number;
  /** `type` words in xinetd's spelling (RPC, INTERNAL, UNLISTED, ...). */
  type: string[];
  flags: string[];
  socketType?: string;
  /** Given or inferred from socket_type. */
  protocol?: string;
  /** Given or looked up in /etc/services. */
  port?: number;
  wait?: boolean;
  user?: string;
  group?: string;
  server?: string;
  /** The argv xinetd execs: the server's basename then server_args (server_args alone with NAMEINARGS). */
  serverArgv?: string[];
  /** From the service, else from defaults; undefined = unlimited. */
  instances?: string;
  perSource?: string;
  nice?: number;
  onlyFrom?: string[];
  noAccess?: string[];
  logOnSuccess?: string[];
  logOnFailure?: string[];
  /** Final values of every attribute (own and inherited from defaults), lower-case names. */
  attributes: Record<string, string[]>;
}

/** The services xinetd would run (defaults merged, in its order), the defaults, and the diagnostics of reading them. */
export interface EffectiveConfig {
  defaults: EffectiveDefaults;
  /** Surviving services in xinetd's order. */
  services: EffectiveService[];
  /** Services read but removed, with xinetd's reason. */
  removed: { name: string; id: string; file: string; line: number; reason: string }[];
  /** Files read, in order. */
  files: string[];
  /** What xinetd would report: syntax, attribute and post-processing messages. */
  diagnostics: Diagnostic[];
}

/** Options of `effective`: where files are read, and the system databases. */
export interface EffectiveOptions {
  /** Where the configuration and its includes are read from (and /etc/passwd, /etc/services, ...). */
  files: FileSource;
  /** System databases; by default read from `files` (see {@link systemLookup}). */
  system?: SystemLookup;
  /** xinetd's startup directory, against which relative include paths resolve. Default `/`. */
  cwd?: string;
}

/** Effective services of the configuration file at `path` (e.g. /etc/xinetd.conf), read through `options.files`. */
export function effectiveFromFile(path: string, options: EffectiveOptions): EffectiveConfig {
  const text = options.files.read(path);
  const ctx = new Evaluation(options);
  if (text === undefined) {
    const kind = options.files.stat(path);
    const why = kind === undefined ? 'no such file' : kind === 'dir' ? 'is a directory' : kind === 'other' ? 'not a regular file' : 'not readable';
    ctx.diagnostics.push(diagnostic('xinetd/unreadable', 'error', `cannot read ${path}: ${why}`, { line: 1, column: 1 }, path));
    return ctx.finish();
  }
  ctx.readFile(parse(text, { file: path }), path);
  return ctx.finish();
}

/**
 * Effective services of a parsed configuration (its includes read through `options.files`; relative ones
 * against `options.cwd`). `options.path` names the file when `doc` has no `file`.
 */
export function effective(doc: XinetdDocument, options: EffectiveOptions & { path?: string }): EffectiveConfig {
  if (typeof doc === 'string') throw new TypeError('effective: expected an XinetdDocument (effectiveFromFile reads a path)');
  if (!doc || typeof doc !== 'object' || !('entries' in doc)) throw new TypeError('effective: expected an XinetdDocument');
  const ctx = new Evaluation(options);
  ctx.readFile(doc, options.path ?? doc.file ?? '<input>');
  return ctx.finish();
}

interface ReadService {
  name: string;
  file: string;
  line: number;
  state: EntryState;
  stopped?: boolean;
}

class Evaluation {
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];
  readonly defaults: EntryState = { values: new Map(), specified: new Map(), disabled: false };
  readonly services: ReadService[] = [];
  private readonly stack: string[] = [];
  private readonly system: SystemLookup;

  constructor(private readonly options: EffectiveOptions) {
    this.system = options.system ?? systemLookup(options.files);
  }

  readFile(doc: XinetdDocument, path: string): void {
    if (this.stack.includes(path)) {
      this.diagnostics.push(diagnostic('xinetd/include-loop', 'error', `${path} includes itself (through ${this.stack.join(' → ')}): xinetd has no guard and crashes`, { line: 1, column: 1 }, path));
      return;
    }
    this.stack.push(path);
    this.files.push(path);
    for (const d of doc.diagnostics) this.diagnostics.push({ ...d, file: path });
    const items: ({ line: number; entry: Entry } | { line: number; include: { kind: 'include' | 'includedir'; path: string } })[] = [
      ...doc.entries.map((entry) => ({ line: entry.header, entry })),
      ...doc.includes().map((inc) => ({ line: inc.line - 1, include: inc })),
    ].sort((a, b) => a.line - b.line);
    for (const item of items) {
      if ('include' in item) {
        const target = posix.resolve(this.options.cwd ?? '/', item.include.path);
        if (item.include.kind === 'include') this.include(target, path, item.line);
        else this.includeDir(target, path, item.line);
        continue;
      }
      const e = item.entry;
      if (e.ignored) continue;
      const toDiag = (p: AttributeProblem) => {
        this.diagnostics.push(diagnostic(p.code, p.severity, p.message, { line: p.line + 1, column: p.start + 1, endLine: p.line + 1, endColumn: p.end + 1 }, path));
      };
      if (e.kind === 'defaults') {
        const { problems } = evaluateEntry(doc, e, { system: this.system, into: this.defaults });
        problems.forEach(toDiag);
        continue;
      }
      if (e.dropped) continue;
      const { state, problems } = evaluateEntry(doc, e, { system: this.system, defaults: this.defaults });
      problems.forEach(toDiag);
      // `disable = yes` makes parse_entry() return FAILED: the entry is freed (kept here as removed).
      this.services.push({ name: e.name, file: path, line: e.header + 1, state, ...(state.stoppedAt !== undefined ? { stopped: true } : {}) });
    }
    this.stack.pop();
  }

  private include(target: string, from: string, line: number): void {
    const text = this.options.files.read(target);
    if (text === undefined) {
      this.diagnostics.push(diagnostic('xinetd/include-missing', 'error', `Unable to open included configuration file: ${target}`, { line: line + 1, column: 1 }, from));
      return;
    }
    this.readFile(parse(text, { file: target }), target);
  }

  private includeDir(dir: string, from: string, line: number): void {
    const names = this.options.files.list(dir);
    if (names === undefined) {
      this.diagnostics.push(diagnostic('xinetd/includedir-missing', 'error', `Unable to read included directory: ${dir}`, { line: line + 1, column: 1 }, from));
      return;
    }
    for (const name of [...names].sort(compareCodePoints)) {
      if (name.includes('.') || name.endsWith('~')) continue;
      const p = posix.join(dir, name);
      if (this.options.files.stat(p) !== 'file') {
        this.diagnostics.push(diagnostic('xinetd/not-a-file', 'warning', `${p} is not a regular file. It is being skipped.`, { line: line + 1, column: 1 }, from));
        continue;
      }
      const text = this.options.files.read(p);
      if (text === undefined) continue;
      this.readFile(parse(text, { file: p }), p);
    }
  }

  finish(): EffectiveConfig {
    const out: EffectiveService[] = [];
    const removed: EffectiveConfig['removed'] = [];
    const def = this.defaults.values;
    const disabledIds = (def.get('disabled') ?? []).map((s) => s.toLowerCase());
    const enabledIds = def.has('enabled') ? def.get('enabled')!.map((s) => s.toLowerCase()) : undefined;
    for (const s of this.services) {
      const v = s.state.values;
      const id = v.get('id')?.[0] ?? s.name;
      const drop = (reason: string, code?: XinetdCode) => {
        removed.push({ name: s.name, id, file: s.file, line: s.line, reason });
        if (code) this.diagnostics.push(diagnostic(code, 'error', reason, { line: s.line, column: 1 }, s.file));
      };
      if (s.stopped) {
        drop('disable = yes');
        continue;
      }
      if (s.state.disabled) {
        drop('disabled by a bad value');
        continue;
      }
      if (disabledIds.includes(id.toLowerCase())) {
        drop('listed in defaults disabled');
        continue;
      }
      if (enabledIds && !enabledIds.includes(id.toLowerCase())) {
        drop('not listed in defaults enabled');
        continue;
      }
      const problem = serviceProblem(s.name, v, this.system);
      if (problem) {
        drop(problem, 'xinetd/service-rejected');
        continue;
      }
      out.push(toEffective(s, id, v, def, this.system));
    }
    const defaults: EffectiveDefaults = { attributes: Object.fromEntries(def) };
    return { defaults, services: out, removed, files: this.files, diagnostics: this.diagnostics };
  }
}

/**
 * The kind of a service from its `type` values, and `sensor` for `flags = SENSOR`. `internal` is the
 * type as written, which service_fill() reads; check_entry() then makes every sensor INTERNAL too
 * ("steer the lost sheep home"), which `running` (what xinetd starts) tells.
 */
export function serviceKind(values: ReadonlyMap<string, string[]>): { internal: boolean; unlisted: boolean; rpc: boolean; tcpmux: boolean; sensor: boolean } {
  const t = (values.get('type') ?? []).map((x) => findName(SERVICE_TYPES, x));
  const sensor = (values.get('flags') ?? []).some((f) => findName(SERVICE_FLAGS, f) === 'SENSOR');
  return { internal: t.includes('INTERNAL'), unlisted: t.includes('UNLISTED'), rpc: t.includes('RPC'), tcpmux: t.includes('TCPMUX') || t.includes('TCPMUXPLUS'), sensor };
}

/** The order xinetd's `service_types` table lists the types in, which its dump (cnf_dump) prints them in. */
const TYPE_DUMP_ORDER = ['RPC', 'INTERNAL', 'UNLISTED', 'SPECIAL', 'TCPMUX', 'TCPMUXPLUS'] as const;

/** The `type` as xinetd holds it: a set of bits (each once, in table order), INTERNAL for every sensor. */
function dumpedTypes(values: ReadonlyMap<string, string[]>, sensor: boolean): string[] {
  const set = new Set((values.get('type') ?? []).map((t) => findName(SERVICE_TYPES, t)!));
  if (sensor) set.add('INTERNAL');
  return TYPE_DUMP_ORDER.filter((t) => set.has(t));
}

/** socket_type and protocol after service_fill()'s inference. */
export function inferred(values: ReadonlyMap<string, string[]>): { socketType?: string; protocol?: string } {
  let socketType = values.has('socket_type') ? findName(SOCKET_TYPES, values.get('socket_type')![0]!) : undefined;
  let protocol = values.get('protocol')?.[0];
  if (!protocol && socketType === 'stream') protocol = 'tcp';
  if (!protocol && socketType === 'dgram') protocol = 'udp';
  if (!socketType && protocol?.toLowerCase() === 'tcp') socketType = 'stream';
  if (!socketType && protocol?.toLowerCase() === 'udp') socketType = 'dgram';
  return { ...(socketType ? { socketType } : {}), ...(protocol ? { protocol } : {}) };
}

/**
 * Why xinetd's post-processing (service_fill, check_entry, service_attr_check) removes a service,
 * or undefined when it keeps it. Checks against /etc/services only when `system` can look ports up.
 */
export function serviceProblem(name: string, values: ReadonlyMap<string, string[]>, system: SystemLookup = {}): string | undefined {
  const kind = serviceKind(values);
  const { socketType, protocol } = inferred(values);
  const hasPort = values.has('port');
  // service_fill
  if (!hasPort && !kind.rpc && kind.unlisted && !kind.tcpmux) return `Unlisted service: ${name} must have a port entry`;
  if (!kind.internal && !values.has('server') && !values.has('redirect')) return `Must specify a server in ${name}`;
  // check_entry: a sensor is INTERNAL from here on, and runs the `sensor` builtin
  const internal = kind.internal || kind.sensor;
  if (internal) {
    const builtin = kind.sensor ? 'sensor' : name;
    if (!hasBuiltin(builtin, socketType)) return `No such internal service: ${builtin}/${socketType ?? 'Unknown socket type'} - DISABLING`;
  }
  if (kind.tcpmux && (!kind.unlisted || protocol?.toLowerCase() !== 'tcp')) return `Service ${name}: TCPMUX services must be UNLISTED and tcp`;
  if (!kind.unlisted && !kind.rpc && protocol && system.servicePort) {
    const port = system.servicePort(name, protocol.toLowerCase());
    if (port === null) return `Service ${name} is not in /etc/services for protocol ${protocol} (make it type UNLISTED or add it there)`;
    if (hasPort && Number(values.get('port')![0]) !== port) return `Service ${name} expects port ${port}, not ${values.get('port')![0]}`;
  }
  if ((values.get('log_on_success') ?? []).includes('TRAFFIC') && !values.has('redirect')) return `Service ${name}: log_on_success TRAFFIC needs redirect`;
  // service_attr_check
  const missing: string[] = [];
  if (!socketType) missing.push('socket_type');
  if (!values.has('wait')) missing.push('wait');
  if (!internal) {
    if (!values.has('user')) missing.push('user');
    if (!values.has('server') && !values.has('redirect')) missing.push('server');
  }
  if (kind.rpc) {
    if (!protocol) missing.push('protocol');
    if (!values.has('rpc_version')) missing.push('rpc_version');
    if (kind.unlisted && !values.has('rpc_number')) missing.push('rpc_number');
  } else if (kind.unlisted) {
    if (!protocol) missing.push('protocol');
    if (!kind.tcpmux && !hasPort) missing.push('port');
  }
  if (missing.length) return `Service ${name} missing attribute ${missing.join(', ')} - DISABLING`;
  return undefined;
}

function toEffective(s: ReadService, id: string, v: Map<string, string[]>, def: Map<string, string[]>, system: SystemLookup): EffectiveService {
  const kind = serviceKind(v);
  const { socketType, protocol } = inferred(v);
  const flags = (v.get('flags') ?? []).map((f) => findName(SERVICE_FLAGS, f)!);
  // A redirect service has no server: xinetd's dump shows none (`Redirect = …` alone).
  const server = v.get('server')?.[0];
  let port: number | undefined = v.has('port') ? Number(v.get('port')![0]) : undefined;
  if (port === undefined && !kind.rpc && protocol) port = system.servicePort?.(s.name, protocol.toLowerCase()) ?? undefined;
  const args = v.get('server_args');
  const serverArgv = server === undefined || kind.internal ? undefined : flags.includes('NAMEINARGS') ? (args ?? []) : [posix.basename(server), ...(args ?? [])];
  const pick = (k: string) => v.get(k)?.[0] ?? def.get(k)?.[0];
  const out: EffectiveService = {
    name: s.name,
    id,
    file: s.file,
    line: s.line,
    type: dumpedTypes(v, kind.sensor),
    flags,
    attributes: Object.fromEntries(v),
  };
  if (socketType) out.socketType = socketType;
  if (protocol) out.protocol = protocol;
  if (port !== undefined) out.port = port;
  if (v.has('wait')) out.wait = /^yes$/i.test(v.get('wait')![0]!);
  if (v.has('user')) out.user = v.get('user')![0]!;
  if (v.has('group')) out.group = v.get('group')![0]!;
  if (server !== undefined) out.server = server;
  if (serverArgv) out.serverArgv = serverArgv;
  const inst = pick('instances');
  if (inst !== undefined && !/^UNLIMITED$/i.test(inst)) out.instances = inst;
  const ps = pick('per_source');
  if (ps !== undefined && !/^UNLIMITED$/i.test(ps)) out.perSource = ps;
  if (v.has('nice')) out.nice = Number(v.get('nice')![0]);
  for (const [k, f] of [
    ['only_from', 'onlyFrom'],
    ['no_access', 'noAccess'],
    ['log_on_success', 'logOnSuccess'],
    ['log_on_failure', 'logOnFailure'],
  ] as const) {
    const val = v.get(k) ?? (k.startsWith('log') ? def.get(k) : undefined);
    if (val) out[f] = val;
  }
  return out;
}

/**
 * System databases read through a FileSource: /etc/passwd, /etc/group, /etc/protocols,
 * /etc/services, and "executable" as "is a regular file" (a FileSource cannot see modes). A database
 * that cannot be read answers undefined (unknown), so checks that need it are skipped.
 */
export function systemLookup(files: FileSource): SystemLookup & {
  /** The user's uid, when /etc/passwd has the user. */
  userId(name: string): number | undefined;
} {
  const table = (path: string) => files.read(path)?.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  let passwd: Map<string, number> | undefined | null = null;
  let groups: Set<string> | undefined | null = null;
  let protocols: Set<string> | undefined | null = null;
  let services: Map<string, number> | undefined | null = null;
  const pw = () =>
    passwd === null ? (passwd = ((t) => (t ? new Map(t.map((l) => l.split(':')).map((f) => [f[0]!, Number(f[2])] as const)) : undefined))(table('/etc/passwd'))) : passwd;
  const gr = () => (groups === null ? (groups = ((t) => (t ? new Set(t.map((l) => l.split(':')[0]!)) : undefined))(table('/etc/group'))) : groups);
  const pr = () =>
    protocols === null
      ? (protocols = ((t) => {
          if (!t) return undefined;
          const s = new Set<string>();
          for (const l of t) {
            const f = l.replace(/#.*/, '').trim().split(/\s+/);
            if (f[0]) s.add(f[0]);
            for (const alias of f.slice(2)) s.add(alias);
          }
          return s;
        })(table('/etc/protocols')))
      : protocols;
  const sv = () =>
    services === null
      ? (services = ((t) => {
          if (!t) return undefined;
          const m = new Map<string, number>();
          for (const l of t) {
            const f = l.replace(/#.*/, '').trim().split(/\s+/);
            const pp = /^(\d+)\/(\w+)$/.exec(f[1] ?? '');
            if (!f[0] || !pp) continue;
            for (const n of [f[0], ...f.slice(2)]) if (!m.has(`${n}/${pp[2]}`)) m.set(`${n}/${pp[2]}`, Number(pp[1]));
          }
          return m;
        })(table('/etc/services')))
      : services;
  return {
    user: (n) => (pw() ? pw()!.has(n) : undefined),
    userId: (n) => pw()?.get(n),
    group: (n) => (gr() ? gr()!.has(n) : undefined),
    protocol: (n) => (pr() ? pr()!.has(n) : undefined),
    servicePort: (n, p) => (sv() ? (sv()!.get(`${n}/${p}`) ?? null) : undefined),
    executable: (p) => (files.stat(p) === 'file' ? true : false),
  };
}

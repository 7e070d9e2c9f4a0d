/**
 * xinetd's attribute tables, as data: `service_attributes[]` and `default_attributes[]` of xinetd
 * 2.3.15.3 (src/parse.c, as compiled by Debian 12: with libwrap and loadavg, all rlimits, no
 * `leaky_bucket`, no `mdns`), and the value lists of src/nvlists.c.
 */

/** What a value list must look like; each kind has a validator in {@link validateValues}. */
export type ValueKind =
  | 'socket-type'
  | 'protocol'
  | 'yes-no'
  | 'user'
  | 'group'
  | 'server'
  | 'words'
  | 'instances'
  | 'log-on-success'
  | 'log-on-failure'
  | 'log-type'
  | 'addresses'
  | 'access-times'
  | 'service-type'
  | 'flags'
  | 'rpc-version'
  | 'int'
  | 'string'
  | 'env'
  | 'names'
  | 'port'
  | 'redirect'
  | 'address'
  | 'path'
  | 'cps'
  | 'float'
  | 'rlimit'
  | 'rlimit-cpu'
  | 'umask'
  | 'deny-time'
  | 'ids';

/** What xinetd knows of an attribute: its name, how many values it takes, where it is allowed. */
export interface AttributeSpec {
  readonly name: string;
  /**
   * xinetd's `a_nvalues`: N > 0 exactly N values; -1 any number with `=` only; -2 any number with
   * `=`, `+=` and `-=` (a "modifiable" attribute).
   */
  readonly count: number;
  readonly kind: ValueKind;
}

const spec = (name: string, count: number, kind: ValueKind): AttributeSpec => ({ name, count, kind });

/** Attributes valid in a `service` entry, in xinetd's table order. */
export const SERVICE_ATTRIBUTES: readonly AttributeSpec[] = [
  spec('socket_type', 1, 'socket-type'),
  spec('protocol', 1, 'protocol'),
  spec('wait', 1, 'yes-no'),
  spec('user', 1, 'user'),
  spec('group', 1, 'group'),
  spec('server', 1, 'server'),
  spec('server_args', -1, 'words'),
  spec('instances', 1, 'instances'),
  spec('log_on_success', -2, 'log-on-success'),
  spec('log_on_failure', -2, 'log-on-failure'),
  spec('log_type', -1, 'log-type'),
  spec('only_from', -2, 'addresses'),
  spec('no_access', -2, 'addresses'),
  spec('access_times', -1, 'access-times'),
  spec('type', -1, 'service-type'),
  spec('rpc_version', 1, 'rpc-version'),
  spec('rpc_number', 1, 'int'),
  spec('id', 1, 'string'),
  spec('env', -2, 'env'),
  spec('port', 1, 'port'),
  spec('passenv', -2, 'names'),
  spec('flags', -1, 'flags'),
  spec('nice', 1, 'int'),
  spec('redirect', 2, 'redirect'),
  spec('banner', 1, 'path'),
  spec('bind', 1, 'address'),
  spec('interface', 1, 'address'),
  spec('per_source', 1, 'instances'),
  spec('groups', 1, 'yes-no'),
  spec('banner_success', 1, 'path'),
  spec('banner_fail', 1, 'path'),
  spec('cps', 2, 'cps'),
  spec('disable', 1, 'yes-no'),
  spec('max_load', 1, 'float'),
  spec('rlimit_as', 1, 'rlimit'),
  spec('rlimit_cpu', 1, 'rlimit-cpu'),
  spec('rlimit_data', 1, 'rlimit'),
  spec('rlimit_files', 1, 'rlimit'),
  spec('rlimit_rss', 1, 'rlimit'),
  spec('rlimit_stack', 1, 'rlimit'),
  spec('v6only', 1, 'yes-no'),
  spec('deny_time', 1, 'deny-time'),
  spec('umask', 1, 'umask'),
  spec('libwrap', 1, 'string'),
];

/** Attributes valid in the `defaults` entry. In defaults, `=` on a modifiable (-2) attribute means `+=`. */
export const DEFAULT_ATTRIBUTES: readonly AttributeSpec[] = [
  spec('log_type', -2, 'log-type'),
  spec('log_on_success', -2, 'log-on-success'),
  spec('log_on_failure', -2, 'log-on-failure'),
  spec('disabled', -2, 'ids'),
  spec('no_access', -2, 'addresses'),
  spec('only_from', -2, 'addresses'),
  spec('instances', 1, 'instances'),
  spec('passenv', -2, 'names'),
  spec('banner', 1, 'path'),
  spec('bind', 1, 'address'),
  spec('interface', 1, 'address'),
  spec('per_source', 1, 'instances'),
  spec('groups', 1, 'yes-no'),
  spec('banner_success', 1, 'path'),
  spec('banner_fail', 1, 'path'),
  spec('cps', 2, 'cps'),
  spec('enabled', -2, 'ids'),
  spec('max_load', 1, 'float'),
  spec('v6only', 1, 'yes-no'),
  spec('umask', 1, 'umask'),
];

const byName = (table: readonly AttributeSpec[]) => new Map(table.map((a) => [a.name, a]));
const SERVICE_BY_NAME = byName(SERVICE_ATTRIBUTES);
const DEFAULT_BY_NAME = byName(DEFAULT_ATTRIBUTES);

/** Looks an attribute up the way xinetd does (case-insensitively) in the service or defaults table. */
export function attributeSpec(entry: 'service' | 'defaults', name: string): AttributeSpec | undefined {
  return (entry === 'service' ? SERVICE_BY_NAME : DEFAULT_BY_NAME).get(name.toLowerCase());
}

/** `+=` and `-=` are allowed only on modifiable attributes. */
export function isModifiable(a: AttributeSpec): boolean {
  return a.count === -2;
}

export const SOCKET_TYPES = ['stream', 'dgram', 'raw', 'seqpacket'] as const;
export const SERVICE_TYPES = ['RPC', 'INTERNAL', 'TCPMUX', 'TCPMUXPLUS', 'UNLISTED', 'SPECIAL'] as const;
export const SERVICE_FLAGS = [
  'REUSE',
  'INTERCEPT',
  'NORETRY',
  'IDONLY',
  'NAMEINARGS',
  'NODELAY',
  'KEEPALIVE',
  'NOLIBWRAP',
  'SENSOR',
  'IPv4',
  'IPv6',
  'LABELED',
] as const;
export const LOG_ON_SUCCESS_FLAGS = ['PID', 'HOST', 'USERID', 'EXIT', 'DURATION', 'TRAFFIC'] as const;
export const LOG_ON_FAILURE_FLAGS = ['HOST', 'USERID', 'ATTEMPT'] as const;
export const SYSLOG_FACILITIES = [
  'daemon',
  'auth',
  'authpriv',
  'user',
  'mail',
  'lpr',
  'news',
  'uucp',
  'ftp',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;
export const SYSLOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
/**
 * The builtin services of the xinetd Debian ships (2.3.15.3, builtins.c `builtin_services`): a
 * `type = INTERNAL` service runs the builtin of its name and socket type (a `flags = SENSOR` one runs
 * `sensor`), or xinetd disables it ("No such internal service: NAME/TYPE - DISABLING"). The older
 * upstream builtins `servers`, `services` and `xadmin` are not in this build.
 */
export const BUILTIN_SERVICES: Readonly<Record<string, readonly string[]>> = {
  echo: ['stream', 'dgram'],
  discard: ['stream', 'dgram'],
  time: ['stream', 'dgram'],
  daytime: ['stream', 'dgram'],
  chargen: ['stream', 'dgram'],
  sensor: ['stream', 'dgram'],
  tcpmux: ['stream'],
};

/** Whether xinetd has a builtin of that name for that socket type (names compare as xinetd's EQ does: ignoring case). */
export function hasBuiltin(name: string, socketType: string | undefined): boolean {
  const n = name.toLowerCase();
  return Object.hasOwn(BUILTIN_SERVICES, n) && socketType !== undefined && BUILTIN_SERVICES[n]!.includes(socketType);
}

/** Case-insensitive lookup in a name list (nv_find_value uses strcasecmp); returns the canonical spelling. */
export function findName<T extends string>(list: readonly T[], value: string): T | undefined {
  const v = value.toLowerCase();
  return list.find((n) => n.toLowerCase() === v);
}

/** What the host knows, for the checks xinetd makes against system databases. All optional. */
export interface SystemLookup {
  /** The user exists (getpwnam). */
  user?(name: string): boolean | undefined;
  /** The group exists (getgrnam). */
  group?(name: string): boolean | undefined;
  /** The protocol is in /etc/protocols. */
  protocol?(name: string): boolean | undefined;
  /** Port of a service name for a protocol in /etc/services: null when it is not there, undefined when unknown. */
  servicePort?(name: string, protocol: string): number | null | undefined;
  /** The server program exists and is executable. */
  executable?(path: string): boolean | undefined;
}

const isBase10 = (s: string) => /^[+-]?[0-9]+$/.test(s) && Math.abs(Number(s)) <= 2147483647;
const isUnsigned = (s: string) => /^[0-9]+$/.test(s) && Number(s) <= 4294967295;

function limit(s: string): boolean {
  return /^[0-9]+[kKmM]?$/.test(s);
}

/** An address as xinetd's addrlist_add takes it; loose where xinetd consults DNS. */
function address(s: string): boolean {
  if (s.includes(',') && !s.includes('{')) return false;
  if (/^[0-9.]+$/.test(s)) return /^\d{1,3}(\.\d{1,3}){0,3}\.?$/.test(s) && s.split('.').every((p) => p === '' || Number(p) <= 255);
  if (/^[0-9.]+\/\d+$/.test(s)) {
    const [a, m] = s.split('/') as [string, string];
    return address(a) && Number(m) <= 32;
  }
  if (/\{/.test(s)) return /^(\d{1,3}\.){1,3}\{[0-9,]+\}$/.test(s);
  if (s.includes(':')) return /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(s);
  return /^\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(s);
}

/**
 * Checks the values of one attribute line the way the attribute's parser in xinetd's parsers.c does.
 * Returns xinetd's complaint (a service with one is DISABLED), or undefined when the values are fine.
 * The value count has been checked before (see `count`). Lookups against system databases are made
 * only when `system` provides them.
 */
export function validateValues(a: AttributeSpec, values: readonly string[], op: '=' | '+=' | '-=', system: SystemLookup = {}): string | undefined {
  const v0 = values[0] ?? '';
  switch (a.kind) {
    case 'socket-type':
      return findName(SOCKET_TYPES, v0) ? undefined : `Bad socket type: ${v0}`;
    case 'protocol':
      return system.protocol?.(v0) === false ? `Protocol ${v0} not in /etc/protocols` : undefined;
    case 'yes-no':
      return /^(yes|no)$/i.test(v0) ? undefined : `Bad value for ${a.name}: ${v0}`;
    case 'user':
      if (/^[0-9]+$/.test(v0)) return isUnsigned(v0) ? undefined : `Error parsing user as a number: ${v0}`;
      return system.user?.(v0) === false ? `Unknown user: ${v0}` : undefined;
    case 'group':
      if (/^[0-9]+$/.test(v0)) return isUnsigned(v0) ? undefined : `Error parsing group as a number: ${v0}`;
      return system.group?.(v0) === false ? `Unknown group: ${v0}` : undefined;
    case 'server':
      return system.executable?.(v0) === false ? `Server ${v0} is not executable` : undefined;
    case 'words':
      return values.length === 0 ? `attribute ${a.name} expects at least 1 value and none were given.` : undefined;
    case 'instances':
      return /^UNLIMITED$/i.test(v0) || (isBase10(v0) && Number(v0) >= 0) ? undefined : `Number of instances is invalid: ${v0}`;
    case 'log-on-success':
    case 'log-on-failure': {
      const list = a.kind === 'log-on-success' ? LOG_ON_SUCCESS_FLAGS : LOG_ON_FAILURE_FLAGS;
      const bad = values.find((v) => !findName(list, v));
      return bad === undefined ? undefined : `Bad ${a.name} flag: ${bad}`;
    }
    case 'log-type': {
      if (values.length === 0) return `attribute log_type expects at least 1 value and none was given.`;
      if (/^FILE$/i.test(v0)) {
        if (values.length < 2 || values.length > 4) return 'wrong number of arguments';
        if (values.length > 2 && !limit(values[2]!)) return 'soft limit is invalid';
        if (values.length > 3 && !limit(values[3]!)) return 'hard limit is invalid';
        if (values.length > 3 && limitValue(values[3]!) < limitValue(values[2]!)) return 'hard limit is less than soft limit';
        return undefined;
      }
      if (/^SYSLOG$/i.test(v0)) {
        if (values.length < 2 || values.length > 3) return 'wrong number of arguments';
        if (!findName(SYSLOG_FACILITIES, values[1]!)) return `Unknown syslog facility: ${values[1]}`;
        if (values.length === 3 && !findName(SYSLOG_LEVELS, values[2]!)) return `Unknown syslog level: ${values[2]}`;
        return undefined;
      }
      return `Unknown log type: ${v0}`;
    }
    case 'addresses': {
      for (const v of values) {
        if (v.includes(',') && !v.includes('{')) return `Address: ${v} has a comma in it - remove the comma`;
        if (!address(v)) return `Failed adding: ${v}`;
      }
      return undefined;
    }
    case 'access-times': {
      // access_times_parser: an empty list disables the service (xinetd's own examples/empty.conf has one).
      if (values.length === 0) return `attribute ${a.name} expects at least 1 value and none was given.`;
      for (const v of values) {
        const m = /^(\d{1,2}):(\d{1,2})-(\d{1,2}):(\d{1,2})$/.exec(v);
        if (!m || Number(m[1]) > 23 || Number(m[3]) > 23 || Number(m[2]) > 59 || Number(m[4]) > 59) return `Bad time interval: ${v}`;
      }
      return undefined;
    }
    case 'service-type':
    case 'flags': {
      if (values.length === 0) return `attribute ${a.name} expects at least 1 value and none were given.`;
      const list: readonly string[] = a.kind === 'flags' ? SERVICE_FLAGS : SERVICE_TYPES;
      const bad = values.find((v) => !findName(list, v));
      return bad === undefined ? undefined : `Bad service ${a.kind === 'flags' ? 'flag' : 'type'}: ${bad}`;
    }
    case 'rpc-version': {
      const m = /^([^-]*)(?:-(.*))?$/.exec(v0)!;
      const lo = m[1]!;
      const hi = m[2] ?? lo;
      return isBase10(lo) && isBase10(hi) && Number(lo) <= Number(hi) ? undefined : `bad version range: ${v0}`;
    }
    case 'int':
      return isBase10(v0) ? undefined : `Error parsing: ${v0}`;
    case 'string':
    case 'path':
      return undefined;
    case 'env': {
      if (op === '-=') return "operator '-=' not supported for env attribute";
      const bad = values.find((v) => !v.includes('='));
      return bad === undefined ? undefined : `${bad} has no '='`;
    }
    case 'names':
    case 'ids':
      return undefined;
    case 'port':
      return isBase10(v0) && Number(v0) >= 0 && Number(v0) < 65536 ? undefined : 'port number is invalid';
    case 'redirect': {
      const p = values[1] ?? '';
      if (isBase10(p) && Number(p) > 0) return Number(p) >= 65536 ? 'port number too large' : undefined;
      return system.servicePort?.(p, 'tcp') === null ? 'port number invalid' : undefined;
    }
    case 'address':
      return address(v0) ? undefined : `bad address: ${v0}`;
    case 'cps':
      return isUnsigned(values[0] ?? '') ? (isUnsigned(values[1] ?? '') ? undefined : 'cps time argument not a number') : 'cps argument not a number';
    case 'float': {
      const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(v0);
      if (!m) return 'error reading max_load argument';
      return Number(m[0]) === 0 ? 'error parsing max_load argument' : undefined;
    }
    case 'rlimit':
      return /^UNLIMITED$/i.test(v0) || limit(v0) ? undefined : `Invalid value for ${a.name}: ${v0}`;
    case 'rlimit-cpu':
      return /^UNLIMITED$/i.test(v0) || isUnsigned(v0) ? undefined : `Invalid value for ${a.name}: ${v0}`;
    case 'umask':
      return /^[0-7]+$/.test(v0) && parseInt(v0, 8) <= 0o777 ? undefined : 'umask argument is invalid.';
    case 'deny-time':
      return /^(FOREVER|NEVER)$/i.test(v0) || isBase10(v0) ? undefined : `Error parsing: ${v0}`;
  }
}

function limitValue(s: string): number {
  const m = /^([0-9]+)([kKmM]?)$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]!) ? 1024 : 1024 * 1024);
}

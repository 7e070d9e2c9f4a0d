/**
 * Typed builder for sshd_config files (a drop-in under /etc/ssh/sshd_config.d/). Keyword names,
 * enum values and integer ranges are checked by TypeScript; `buildSshd` checks the rest at run time
 * and quotes every argument the way sshd's argv_split reads it back.
 */
import type { SshdDocument } from '../sshd/document.js';
import type { SshdMatchSpec, SshdValue } from '../sshd/model.js';
import { render as renderSshd } from '../sshd/render.js';
import { ipv6Words } from '../core/ip.js';
import { check } from '../sshd/check.js';
import { BuilderError, asArray, refuseControl, refuseRejected, requireChars, requireInt, requireOneOf } from './errors.js';

/** An sshd yes/no value. */
export type YesNo = 'yes' | 'no';
/** A TCP port, 1-65535. */
export type Port = number;
/** Seconds, or sshd's time syntax (`30`, `1m30s`, `2h`). */
export type SshdTime = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w' | ''}${string}`;

/** sshd keywords allowed both globally and inside a Match block. */
export interface SshdMatchSettings {
  AcceptEnv?: string | readonly string[];
  AllowAgentForwarding?: YesNo;
  AllowGroups?: string | readonly string[];
  AllowStreamLocalForwarding?: 'yes' | 'all' | 'no' | 'local' | 'remote';
  AllowTcpForwarding?: 'yes' | 'all' | 'no' | 'local' | 'remote';
  AllowUsers?: string | readonly string[];
  /**
   * Which authentications a login needs: a list of method lists. sshd accepts the login when any one
   * list is completed, and a list is completed when all its methods succeed in order:
   * `[[publickey, password]]` requires both (`AuthenticationMethods publickey,password`),
   * `[[publickey], [password]]` either one (`AuthenticationMethods publickey password`). A string is
   * written as sshd spells one list (`'publickey,password'`, `'any'`). A flat list of strings is
   * refused: whether it meant "all" or "any" cannot be told.
   */
  AuthenticationMethods?: string | readonly (readonly string[])[];
  AuthorizedKeysCommand?: string;
  AuthorizedKeysCommandUser?: string;
  AuthorizedKeysFile?: string | readonly string[];
  Banner?: string;
  ChrootDirectory?: string;
  ClientAliveCountMax?: number;
  ClientAliveInterval?: SshdTime;
  DenyGroups?: string | readonly string[];
  DenyUsers?: string | readonly string[];
  DisableForwarding?: YesNo;
  ExposeAuthInfo?: YesNo;
  ForceCommand?: string;
  GatewayPorts?: 'yes' | 'no' | 'clientspecified';
  HostbasedAuthentication?: YesNo;
  IgnoreRhosts?: 'yes' | 'no' | 'shosts-only';
  KbdInteractiveAuthentication?: YesNo;
  LogLevel?: 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';
  MaxAuthTries?: number;
  MaxSessions?: number;
  PasswordAuthentication?: YesNo;
  PermitEmptyPasswords?: YesNo;
  PermitRootLogin?: 'yes' | 'prohibit-password' | 'without-password' | 'forced-commands-only' | 'no';
  PermitTTY?: YesNo;
  PermitTunnel?: 'yes' | 'no' | 'point-to-point' | 'ethernet';
  PermitUserRC?: YesNo;
  PubkeyAcceptedAlgorithms?: string | readonly string[];
  PubkeyAuthentication?: YesNo;
  SetEnv?: string | readonly string[];
  X11Forwarding?: YesNo;
  X11UseLocalhost?: YesNo;
}

/** Every sshd keyword the builder writes (global ones plus the Match-able ones). */
export interface SshdSettings extends SshdMatchSettings {
  AddressFamily?: 'any' | 'inet' | 'inet6';
  Ciphers?: string | readonly string[];
  Compression?: 'yes' | 'delayed' | 'no';
  HostKey?: string | readonly string[];
  HostKeyAlgorithms?: string | readonly string[];
  KexAlgorithms?: string | readonly string[];
  ListenAddress?: string | readonly string[];
  LoginGraceTime?: SshdTime;
  MACs?: string | readonly string[];
  MaxStartups?: number | `${number}:${number}:${number}`;
  PermitUserEnvironment?: YesNo;
  PidFile?: string;
  Port?: Port | readonly Port[];
  PrintLastLog?: YesNo;
  PrintMotd?: YesNo;
  StrictModes?: YesNo;
  SyslogFacility?: 'DAEMON' | 'USER' | 'AUTH' | 'AUTHPRIV' | 'LOCAL0' | 'LOCAL1' | 'LOCAL2' | 'LOCAL3' | 'LOCAL4' | 'LOCAL5' | 'LOCAL6' | 'LOCAL7';
  TCPKeepAlive?: YesNo;
  UseDNS?: YesNo;
  UsePAM?: YesNo;
}

/** A keyword the builder writes (sshd's spelling). */
export type SshdKeyword = keyof SshdSettings;
/** A keyword allowed inside a Match block. */
export type SshdMatchKeyword = keyof SshdMatchSettings;

/** How a keyword's value is written and checked. */
export type SshdKind =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'time' }
  | { kind: 'port' }
  /** One argument (quoted as needed). `absolute`: must start with `/` (or be one of `special`). */
  | { kind: 'arg'; absolute?: boolean; special?: readonly string[] }
  /** Several arguments on one line. */
  | { kind: 'args' }
  /** AuthenticationMethods: a list of method lists (any list suffices; all methods of a list are needed). */
  | { kind: 'methods' }
  /** One line per element (sshd accumulates them). `address`: each an IP address, with an optional port. */
  | { kind: 'lines'; address?: boolean }
  /** A comma-separated algorithm list (`+`, `-`, `^` prefixes). */
  | { kind: 'algorithms' }
  /** The rest of the line, taken verbatim by sshd (no quoting exists). */
  | { kind: 'rest'; absolute?: boolean }
  | { kind: 'maxstartups' };

const yesno = { kind: 'enum', values: ['yes', 'no'] } as const;
const fwd = { kind: 'enum', values: ['yes', 'all', 'no', 'local', 'remote'] } as const;
const INT_MAX = 2147483647;

/** The keyword table: kind, and whether the keyword may appear inside a Match block. */
export const SSHD_KEYWORDS: { readonly [K in SshdKeyword]-?: SshdKind & { match: K extends SshdMatchKeyword ? true : false } } = {
  AcceptEnv: { kind: 'args', match: true },
  AddressFamily: { kind: 'enum', values: ['any', 'inet', 'inet6'], match: false },
  AllowAgentForwarding: { ...yesno, match: true },
  AllowGroups: { kind: 'args', match: true },
  AllowStreamLocalForwarding: { ...fwd, match: true },
  AllowTcpForwarding: { ...fwd, match: true },
  AllowUsers: { kind: 'args', match: true },
  AuthenticationMethods: { kind: 'methods', match: true },
  AuthorizedKeysCommand: { kind: 'rest', absolute: true, match: true },
  AuthorizedKeysCommandUser: { kind: 'arg', match: true },
  AuthorizedKeysFile: { kind: 'args', match: true },
  Banner: { kind: 'arg', absolute: true, special: ['none'], match: true },
  ChrootDirectory: { kind: 'arg', absolute: true, special: ['none'], match: true },
  Ciphers: { kind: 'algorithms', match: false },
  ClientAliveCountMax: { kind: 'int', min: 0, max: INT_MAX, match: true },
  ClientAliveInterval: { kind: 'time', match: true },
  Compression: { kind: 'enum', values: ['yes', 'delayed', 'no'], match: false },
  DenyGroups: { kind: 'args', match: true },
  DenyUsers: { kind: 'args', match: true },
  DisableForwarding: { ...yesno, match: true },
  ExposeAuthInfo: { ...yesno, match: true },
  ForceCommand: { kind: 'rest', match: true },
  GatewayPorts: { kind: 'enum', values: ['yes', 'no', 'clientspecified'], match: true },
  HostKey: { kind: 'lines', match: false },
  HostKeyAlgorithms: { kind: 'algorithms', match: false },
  HostbasedAuthentication: { ...yesno, match: true },
  IgnoreRhosts: { kind: 'enum', values: ['yes', 'no', 'shosts-only'], match: true },
  KbdInteractiveAuthentication: { ...yesno, match: true },
  KexAlgorithms: { kind: 'algorithms', match: false },
  ListenAddress: { kind: 'lines', address: true, match: false },
  LogLevel: { kind: 'enum', values: ['QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3'], match: true },
  LoginGraceTime: { kind: 'time', match: false },
  MACs: { kind: 'algorithms', match: false },
  MaxAuthTries: { kind: 'int', min: 0, max: INT_MAX, match: true },
  MaxSessions: { kind: 'int', min: 0, max: INT_MAX, match: true },
  MaxStartups: { kind: 'maxstartups', match: false },
  PasswordAuthentication: { ...yesno, match: true },
  PermitEmptyPasswords: { ...yesno, match: true },
  PermitRootLogin: { kind: 'enum', values: ['yes', 'prohibit-password', 'without-password', 'forced-commands-only', 'no'], match: true },
  PermitTTY: { ...yesno, match: true },
  PermitTunnel: { kind: 'enum', values: ['yes', 'no', 'point-to-point', 'ethernet'], match: true },
  PermitUserEnvironment: { ...yesno, match: false },
  PermitUserRC: { ...yesno, match: true },
  PidFile: { kind: 'arg', absolute: true, match: false },
  Port: { kind: 'port', match: false },
  PrintLastLog: { ...yesno, match: false },
  PrintMotd: { ...yesno, match: false },
  PubkeyAcceptedAlgorithms: { kind: 'algorithms', match: true },
  PubkeyAuthentication: { ...yesno, match: true },
  SetEnv: { kind: 'args', match: true },
  StrictModes: { ...yesno, match: false },
  SyslogFacility: { kind: 'enum', values: ['DAEMON', 'USER', 'AUTH', 'AUTHPRIV', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'], match: false },
  TCPKeepAlive: { ...yesno, match: false },
  UseDNS: { ...yesno, match: false },
  UsePAM: { ...yesno, match: false },
  X11Forwarding: { ...yesno, match: true },
  X11UseLocalhost: { ...yesno, match: true },
};

/** The keywords the builder writes, in its table's order. */
export const SSHD_KEYWORD_NAMES = Object.keys(SSHD_KEYWORDS) as SshdKeyword[];
/** The keywords allowed inside a Match block (sshd_config(5)). */
export const SSHD_MATCH_KEYWORD_NAMES = SSHD_KEYWORD_NAMES.filter((k) => SSHD_KEYWORDS[k].match) as SshdMatchKeyword[];

/** Match criteria: every given criterion must hold. Patterns are sshd pattern lists (`*`, `?`, `!`). */
export interface SshdMatchCriteria {
  user?: string | readonly string[];
  group?: string | readonly string[];
  host?: string | readonly string[];
  address?: string | readonly string[];
  localAddress?: string | readonly string[];
  localPort?: Port;
  rdomain?: string | readonly string[];
}

/** A Match block: its criteria (or `all`) and the settings it applies. */
export interface SshdMatchBlock {
  /** `'all'` for `Match All`. */
  readonly criteria: SshdMatchCriteria | 'all';
  readonly settings: SshdMatchSettings;
}

/** An sshd_config (or drop-in) as `buildSshd` writes it: header comment lines, global settings and Match blocks. */
export interface SshdConfig {
  /** Comment lines written at the top (without `# `). */
  readonly header?: readonly string[];
  readonly settings: SshdSettings;
  readonly match?: readonly SshdMatchBlock[];
}

const CRITERIA: readonly [keyof SshdMatchCriteria, string][] = [
  ['user', 'User'],
  ['group', 'Group'],
  ['host', 'Host'],
  ['address', 'Address'],
  ['localAddress', 'LocalAddress'],
  ['localPort', 'LocalPort'],
  ['rdomain', 'RDomain'],
];

/**
 * One argument as sshd's argv_split reads it back: bare when it has no special character,
 * otherwise in double quotes with `\` and `"` escaped. Control characters cannot be written.
 */
export function quoteSshdArg(field: string, value: string): string {
  refuseControl(field, value, true);
  if (value === '') throw new BuilderError(field, 'must not be empty', 'builder/empty-value');
  if (value.startsWith('=')) throw new BuilderError(field, "must not start with '=' (sshd reads it as the keyword separator)", 'builder/unsafe-character');
  if (/^[A-Za-z0-9_@%+,.:/*?!^~-][A-Za-z0-9_@%+,.:/*?!^~=#[\]-]*$/.test(value)) return value;
  return '"' + value.replace(/[\\"]/g, '\\$&') + '"';
}

function timeValue(field: string, v: unknown): string {
  if (typeof v === 'number') return String(requireInt(field, v, 0, INT_MAX));
  if (typeof v === 'string' && /^(?:\d+[sSmMhHdDwW]?)+$/.test(v) && /^\d/.test(v)) return v;
  throw new BuilderError(field, `must be seconds or an sshd time such as 1m30s, not ${JSON.stringify(v)}`);
}

function pattern(field: string, v: string): string {
  // Match lines are read with strdelim (double quotes only, '=' and '#' special): allow only a safe set.
  requireChars(field, v, /[A-Za-z0-9_.*?!,:/@%+[\]-]/, 'a Match pattern');
  return v;
}

/** The lines of one keyword (more than one for `lines` kinds); throws BuilderError on a bad value. */
export function sshdKeywordLines(field: string, keyword: string, value: unknown): string[] {
  const kind = (SSHD_KEYWORDS as Record<string, SshdKind | undefined>)[keyword];
  if (!kind) throw new BuilderError(field, `unknown sshd keyword '${keyword}'`, 'builder/unknown-keyword');
  const list = (v: unknown): string[] => {
    const a = asArray(v as string | string[]);
    if (a.length === 0) throw new BuilderError(field, 'must not be an empty list', 'builder/empty-value');
    return a.map((x, i) => {
      if (typeof x !== 'string') throw new BuilderError(`${field}[${i}]`, `must be a string, not ${JSON.stringify(x)}`);
      return x;
    });
  };
  switch (kind.kind) {
    case 'enum':
      return [`${keyword} ${requireOneOf(field, value, kind.values)}`];
    case 'int':
      return [`${keyword} ${requireInt(field, value, kind.min, kind.max)}`];
    case 'time':
      return [`${keyword} ${timeValue(field, value)}`];
    case 'port':
      return asArray(value as number | number[]).map((p, i) => `${keyword} ${requireInt(Array.isArray(value) ? `${field}[${i}]` : field, p, 1, 65535)}`);
    case 'maxstartups': {
      if (typeof value === 'number') return [`${keyword} ${requireInt(field, value, 1, INT_MAX)}`];
      const m = typeof value === 'string' ? /^(\d+):(\d+):(\d+)$/.exec(value) : null;
      if (!m || +m[2]! < 1 || +m[2]! > 100 || +m[1]! > +m[3]!)
        throw new BuilderError(field, `must be N or start:rate:full (rate 1-100, start <= full), not ${JSON.stringify(value)}`);
      return [`${keyword} ${value}`];
    }
    case 'arg': {
      if (typeof value !== 'string') throw new BuilderError(field, `must be a string, not ${JSON.stringify(value)}`);
      if (kind.absolute && !value.startsWith('/') && !(kind.special ?? []).includes(value))
        throw new BuilderError(field, `must be an absolute path${kind.special ? ` or ${kind.special.join(', ')}` : ''}`);
      return [`${keyword} ${quoteSshdArg(field, value)}`];
    }
    case 'args':
      return [`${keyword} ${list(value).map((x, i) => quoteSshdArg(Array.isArray(value) ? `${field}[${i}]` : field, x)).join(' ')}`];
    case 'lines':
      return list(value).map((x, i) => {
        const f = Array.isArray(value) ? `${field}[${i}]` : field;
        if (kind.address) listenAddress(f, x);
        return `${keyword} ${quoteSshdArg(f, x)}`;
      });
    case 'methods':
      return [`${keyword} ${methodLists(field, value).join(' ')}`];
    case 'algorithms': {
      const items = list(value);
      items.forEach((x, i) => requireChars(Array.isArray(value) ? `${field}[${i}]` : field, x, /[A-Za-z0-9@.+^_-]/, 'an algorithm name'));
      return [`${keyword} ${items.join(',')}`];
    }
    case 'rest': {
      if (typeof value !== 'string') throw new BuilderError(field, `must be a string, not ${JSON.stringify(value)}`);
      refuseControl(field, value, false);
      if (value.trim() !== value || value === '')
        throw new BuilderError(field, 'must not be empty or start or end with white space (sshd keeps the rest of the line verbatim)');
      if (kind.absolute && !value.startsWith('/') && value !== 'none') throw new BuilderError(field, 'must start with / or be none');
      if (value.startsWith('=')) throw new BuilderError(field, "must not start with '=' (sshd reads it as the keyword separator)", 'builder/unsafe-character');
      if (!quotesBalanced(value))
        throw new BuilderError(field, 'has an unbalanced quote: sshd checks quotes on every line ("invalid quotes") even where it keeps the text verbatim', 'builder/unsafe-character');
      return [`${keyword} ${value}`];
    }
  }
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * A ListenAddress: an IPv4 or IPv6 address, with an optional port (`192.0.2.1:2201`, `[2001:db8::1]:2201`).
 * A host name is refused: sshd resolves it when it starts, and one that does not resolve (or any
 * text that is not a name, `x;y`) stops sshd.
 */
export function listenAddress(field: string, value: string): void {
  const m = /^\[([^\]]*)\](?::(\d+))?$/.exec(value) ?? (value.split(':').length > 2 ? ([value, value, undefined] as const) : /^([^:]*)(?::(\d+))?$/.exec(value));
  const host = m?.[1];
  const port = m?.[2];
  const ok = host !== undefined && (value.startsWith('[') || value.split(':').length > 2 ? ipv6Words(host) !== undefined : IPV4.test(host));
  if (!ok || (port !== undefined && (!/^[1-9]\d{0,4}$/.test(port) || +port > 65535)))
    throw new BuilderError(field, `must be an IP address with an optional port (192.0.2.1, 192.0.2.1:2201, 2001:db8::1, [2001:db8::1]:2201), not ${JSON.stringify(value)}: sshd resolves a host name when it starts and stops when it cannot`);
}

const METHOD_CHARS = /[A-Za-z0-9:_-]/;

/**
 * AuthenticationMethods' arguments, one per method list (`publickey,password`); throws BuilderError
 * for a flat list of strings (ambiguous) and for characters no method name has.
 */
export function methodLists(field: string, value: unknown): string[] {
  if (typeof value === 'string') {
    requireChars(field, value, /[A-Za-z0-9:_,-]/, 'an AuthenticationMethods list (methods joined by commas)');
    return [value];
  }
  if (!Array.isArray(value) || value.length === 0) throw new BuilderError(field, `must be a list of method lists such as [[publickey, password]], not ${JSON.stringify(value)}`);
  if (value.some((l) => typeof l === 'string')) {
    const flat = value.filter((l): l is string => typeof l === 'string');
    throw new BuilderError(
      field,
      `a flat list is ambiguous: write [[${flat.join(', ')}]] if all of them are required (sshd: AuthenticationMethods ${flat.join(',')}), or [${flat.map((m) => `[${m}]`).join(', ')}] if any one suffices (sshd: AuthenticationMethods ${flat.join(' ')})`,
      'builder/ambiguous-methods',
    );
  }
  return value.map((l: unknown, i) => {
    const f = `${field}[${i}]`;
    if (!Array.isArray(l) || l.length === 0) throw new BuilderError(f, `must be a non-empty list of methods, not ${JSON.stringify(l)}`, 'builder/empty-value');
    l.forEach((m: unknown, j) => {
      if (typeof m !== 'string') throw new BuilderError(`${f}[${j}]`, `must be a string, not ${JSON.stringify(m)}`);
      requireChars(`${f}[${j}]`, m, METHOD_CHARS, 'an authentication method');
    });
    return l.join(',');
  });
}

/** What an AuthenticationMethods line requires, in words: `publickey then password, all required`. */
export function describeMethodLists(lists: readonly string[]): string {
  const one = (l: string) => (l.includes(',') ? l.split(',').join(' then ') : l);
  if (lists.length === 1) return lists[0] === 'any' ? 'any method suffices' : lists[0]!.includes(',') ? `${one(lists[0]!)}, all required` : `${lists[0]} required`;
  return `any one of: ${lists.map(one).join('; ')}`;
}

/** The `Match ...` line for a block's criteria. */
export function sshdMatchLine(field: string, criteria: SshdMatchCriteria | 'all'): string {
  if (criteria === 'all') return 'Match All';
  const parts: string[] = [];
  for (const [key, word] of CRITERIA) {
    const v = criteria[key];
    if (v === undefined) continue;
    if (key === 'localPort') {
      parts.push(`${word} ${requireInt(`${field}.${key}`, v, 1, 65535)}`);
      continue;
    }
    const items = asArray(v as string | string[]);
    if (items.length === 0) throw new BuilderError(`${field}.${key}`, 'must not be an empty list', 'builder/empty-value');
    items.forEach((x, i) => pattern(Array.isArray(v) ? `${field}.${key}[${i}]` : `${field}.${key}`, x));
    if (items.every((x) => x.startsWith('!')))
      throw new BuilderError(`${field}.${key}`, 'a list made only of negations never matches; add a positive pattern such as *');
    parts.push(`${word} ${items.join(',')}`);
  }
  for (const k of Object.keys(criteria)) {
    if (!CRITERIA.some(([c]) => c === k)) throw new BuilderError(`${field}.${k}`, `unknown Match criterion '${k}'`, 'builder/unknown-keyword');
  }
  if (parts.length === 0) throw new BuilderError(field, 'needs at least one criterion (or all)', 'builder/empty-value');
  return `Match ${parts.join(' ')}`;
}

/** Whether sshd's argv_split finds every quote closed (it rejects the line otherwise). */
export function quotesBalanced(s: string): boolean {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === "'" || n === '"' || n === '\\' || (quote === '' && n === ' ')) i++;
    } else if (quote === '' && (c === ' ' || c === '\t')) continue;
    else if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (quote !== '' && c === quote) quote = '';
  }
  return quote === '';
}

/** A header comment line; `#` lines are comments in sshd_config. */
export function commentLines(field: string, lines: readonly string[] | undefined): string[] {
  return (lines ?? []).map((l, i) => {
    refuseControl(`${field}[${i}]`, l, true);
    return l === '' ? '#' : `# ${l}`;
  });
}

/** The value handed to the sshd format's renderer (which quotes arguments) for checked lines. */
function rendererValues(keyword: string, value: unknown): [string, SshdValue][] {
  const kind = SSHD_KEYWORDS[keyword as SshdKeyword];
  switch (kind.kind) {
    case 'port':
    case 'lines':
      return asArray(value as string | number).map((v) => [keyword, v]);
    case 'algorithms':
      return [[keyword, asArray(value as string).join(',')]];
    case 'args':
      return [[keyword, asArray(value as string)]];
    case 'methods':
      return [[keyword, methodLists(keyword, value)]];
    default:
      return [[keyword, value as string | number]];
  }
}

function matchSpec(field: string, criteria: SshdMatchCriteria | 'all'): SshdMatchSpec {
  sshdMatchLine(field, criteria);
  if (criteria === 'all') return { all: true };
  const out: SshdMatchSpec = {};
  for (const [key] of CRITERIA) {
    const v = criteria[key];
    if (v === undefined) continue;
    (out as Record<string, string | number>)[key] = key === 'localPort' ? (v as number) : asArray(v as string).join(',');
  }
  return out;
}

/** Where a rendered line's value came from: its field, and whether its arguments are the list's elements. */
interface LineSource {
  readonly field: string;
  /** Arguments map one to one onto `field[i]` (a list written as several arguments). */
  readonly perArg: boolean;
  /** For Match lines: the criteria keys in the order written (each a criterion and its patterns). */
  readonly criteria?: readonly string[];
}

function sources(field: string, keyword: string, value: unknown): LineSource[] {
  const kind = SSHD_KEYWORDS[keyword as SshdKeyword]?.kind;
  const list = Array.isArray(value);
  if (kind === 'lines' || kind === 'port') return asArray(value as string).map((_, i) => ({ field: list ? `${field}[${i}]` : field, perArg: false }));
  return [{ field, perArg: list && (kind === 'args' || kind === 'methods') }];
}

/** A FileSource with nothing in it: the rendered drop-in is checked on its own, not against this host. */
const NO_FILES = { read: () => undefined, list: () => undefined, stat: () => undefined };

/**
 * An sshd_config (drop-in) as a Document, printed by the sshd format's renderer: header comments,
 * global settings in the given order, then the Match blocks (indented). Every value is checked
 * first; anything unsafe throws BuilderError naming the field. The document is then checked the way
 * `fwconf check` checks a file (sshd's own rules: method names, environment names, cipher lists,
 * Match patterns, AuthorizedKeysCommand without its user ...): a file sshd -t would refuse throws
 * BuilderError at the field each error comes from.
 */
export function buildSshdDocument(config: SshdConfig, field = 'sshd'): SshdDocument {
  commentLines(`${field}.header`, config.header);
  const global: [string, SshdValue][] = [];
  const lineSources: LineSource[] = [];
  for (const [k, v] of Object.entries(config.settings)) {
    if (v === undefined) continue;
    sshdKeywordLines(`${field}.settings.${k}`, k, v);
    global.push(...rendererValues(k, v));
    lineSources.push(...sources(`${field}.settings.${k}`, k, v));
  }
  const matches = (config.match ?? []).map((block, i) => {
    const f = `${field}.match[${i}]`;
    const match = matchSpec(`${f}.criteria`, block.criteria);
    lineSources.push({ field: `${f}.criteria`, perArg: false, criteria: block.criteria === 'all' ? [] : CRITERIA.map(([c]) => c).filter((c) => (block.criteria as SshdMatchCriteria)[c] !== undefined) });
    const entries = Object.entries(block.settings).filter(([, v]) => v !== undefined);
    if (entries.length === 0) throw new BuilderError(`${f}.settings`, 'a Match block needs at least one setting', 'builder/empty-value');
    const directives: [string, SshdValue][] = [];
    for (const [k, v] of entries) {
      const kind = (SSHD_KEYWORDS as Record<string, { match: boolean } | undefined>)[k];
      if (kind && !kind.match) throw new BuilderError(`${f}.settings.${k}`, `'${k}' is not allowed inside a Match block`, 'builder/not-in-match');
      sshdKeywordLines(`${f}.settings.${k}`, k, v);
      directives.push(...rendererValues(k, v));
      lineSources.push(...sources(`${f}.settings.${k}`, k, v));
    }
    return { match, directives };
  });
  const doc = renderSshd({ ...(config.header?.length ? { header: config.header } : {}), global, matches });
  // The n-th directive line of the document is the n-th line source.
  const byLine = new Map<number, { source: LineSource; args: readonly { start: number; end: number }[] }>();
  let n = 0;
  doc.nodes.forEach((node, i) => {
    const d = node.directive;
    if (d && lineSources[n]) byLine.set(i + 1, { source: lineSources[n++]!, args: d.args });
  });
  refuseRejected(check(doc, { files: NO_FILES }), doc.toString(), 'sshd', (d) => {
    const at = byLine.get(d.line);
    if (!at) return d.code === 'sshd/command-without-user' ? `${field}.settings.${/Principals/.test(d.message) ? 'AuthorizedPrincipalsCommand' : 'AuthorizedKeysCommand'}` : `${field}.settings`;
    const arg = at.args.findIndex((a) => d.column - 1 >= a.start && d.column - 1 < a.end);
    if (at.source.criteria) {
      // sshd names the criterion in its message ("Invalid Match address argument 'x,'").
      const named = [...at.source.criteria].sort((a, b) => b.length - a.length).find((c) => new RegExp(`\\b${c}\\b`, 'i').test(d.message));
      return named ? `${at.source.field}.${named}` : at.source.field;
    }
    return at.source.perArg && arg >= 0 ? `${at.source.field}[${arg}]` : at.source.field;
  });
  return doc;
}

/** The text of an sshd_config (see buildSshdDocument). */
export function buildSshd(config: SshdConfig, field = 'sshd'): string {
  return buildSshdDocument(config, field).toString();
}

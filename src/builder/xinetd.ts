/**
 * Typed builder for xinetd service files (/etc/xinetd.d/NAME). xinetd has no quoting or escaping of
 * any kind: values are split on white space and a line ends the value, so every value is checked
 * and anything that would change the parse is refused with an error naming the field.
 */
import { BuilderError, asArray, refuseControl, refuseRejected, requireChars, requireInt, requireOneOf } from './errors.js';
import { check as checkXinetd } from '../xinetd/check.js';
import { render as renderXinetd } from '../xinetd/render.js';
import type { XinetdDocument } from '../xinetd/document.js';
import { commentLines } from './sshd.js';

/** A value of xinetd's `type` attribute. */
export type XinetdServiceType = 'RPC' | 'INTERNAL' | 'UNLISTED' | 'SPECIAL' | 'TCPMUX' | 'TCPMUXPLUS';
/** A value of xinetd's `flags` attribute. */
export type XinetdFlag =
  | 'REUSE' | 'INTERCEPT' | 'NORETRY' | 'IDONLY' | 'NAMEINARGS' | 'NODELAY' | 'KEEPALIVE' | 'NOLIBWRAP' | 'SENSOR' | 'IPv4' | 'IPv6' | 'LABELED';
/** A value of xinetd's `log_on_success` attribute. */
export type XinetdLogOnSuccess = 'PID' | 'HOST' | 'USERID' | 'EXIT' | 'DURATION' | 'TRAFFIC';
/** A value of xinetd's `log_on_failure` attribute. */
export type XinetdLogOnFailure = 'HOST' | 'USERID' | 'ATTEMPT';

/** One `service NAME { ... }` entry. Attribute names are xinetd's own. */
export interface XinetdService {
  /** The service name (and id). */
  readonly name: string;
  readonly type?: XinetdServiceType | readonly XinetdServiceType[];
  readonly socket_type: 'stream' | 'dgram' | 'raw' | 'seqpacket';
  readonly protocol?: 'tcp' | 'udp';
  readonly port?: number;
  readonly wait: boolean;
  readonly user?: string;
  readonly group?: string;
  /** Absolute path of the program. */
  readonly server?: string;
  /** Arguments (argv[1...]); each word must be free of white space. */
  readonly server_args?: readonly string[];
  /**
   * `NAME=VALUE` strings added to the server's environment (on top of xinetd's own), e.g.
   * `LC_TIME=POSIX`. A name is letters, digits and `_`; a value has no white space (xinetd has no quoting).
   */
  readonly env?: readonly string[];
  /** -20..19 */
  readonly nice?: number;
  readonly disable?: boolean;
  readonly instances?: number | 'UNLIMITED';
  readonly per_source?: number | 'UNLIMITED';
  readonly flags?: readonly XinetdFlag[];
  readonly bind?: string;
  readonly only_from?: readonly string[];
  readonly no_access?: readonly string[];
  readonly log_on_success?: readonly XinetdLogOnSuccess[];
  readonly log_on_failure?: readonly XinetdLogOnFailure[];
  readonly cps?: readonly [number, number];
  readonly banner?: string;
}

/** An xinetd file as `buildXinetd` writes it: header comment lines and its services. */
export interface XinetdFile {
  readonly header?: readonly string[];
  readonly services: readonly XinetdService[];
}

/** The attributes in the order they are written. */
export const XINETD_ATTRIBUTE_ORDER = [
  'type', 'socket_type', 'protocol', 'port', 'wait', 'user', 'group', 'server', 'server_args', 'env', 'nice', 'disable',
  'instances', 'per_source', 'flags', 'bind', 'only_from', 'no_access', 'log_on_success', 'log_on_failure', 'cps', 'banner',
] as const satisfies readonly (keyof XinetdService)[];

/** A word xinetd reads back as one value: no white space, no control character. */
function word(field: string, v: unknown): string {
  if (typeof v !== 'string') throw new BuilderError(field, `must be a string, not ${JSON.stringify(v)}`);
  refuseControl(field, v, false);
  if (v === '') throw new BuilderError(field, 'must not be empty', 'builder/empty-value');
  if (/\s/.test(v)) throw new BuilderError(field, 'must not contain white space (xinetd has no quoting)', 'builder/unsafe-character');
  // xinetd would take it as a value, but it reads like a comment (fwconf check warns).
  if (v.startsWith('#')) throw new BuilderError(field, "must not start with '#' (xinetd has no inline comments; it reads like one)", 'builder/unsafe-character');
  return v;
}

const NAME = /[A-Za-z0-9_.+-]/;

function attributeValue(field: string, name: (typeof XINETD_ATTRIBUTE_ORDER)[number], v: unknown): string {
  const f = `${field}.${name}`;
  const count = (x: unknown) => (typeof x === 'string' && x === 'UNLIMITED' ? x : String(requireInt(f, x, 0, 2147483647)));
  const words = (x: unknown, check: (f: string, w: string) => string = word): string => {
    if (!Array.isArray(x) || x.length === 0) throw new BuilderError(f, 'must be a non-empty list', 'builder/empty-value');
    return x.map((w, i) => check(`${f}[${i}]`, w)).join(' ');
  };
  switch (name) {
    case 'type':
      return asArray(v as string).map((t, i) => requireOneOf(Array.isArray(v) ? `${f}[${i}]` : f, t, ['RPC', 'INTERNAL', 'UNLISTED', 'SPECIAL', 'TCPMUX', 'TCPMUXPLUS'])).join(' ');
    case 'socket_type':
      return requireOneOf(f, v, ['stream', 'dgram', 'raw', 'seqpacket']);
    case 'protocol':
      return requireOneOf(f, v, ['tcp', 'udp']);
    case 'port':
      return String(requireInt(f, v, 1, 65535));
    case 'wait':
    case 'disable':
      if (typeof v !== 'boolean') throw new BuilderError(f, `must be true or false, not ${JSON.stringify(v)}`);
      return v ? 'yes' : 'no';
    case 'user':
    case 'group': {
      const s = word(f, v);
      requireChars(f, s, /[A-Za-z0-9_.$-]/, 'a user or group name');
      return s;
    }
    case 'server':
    case 'banner': {
      const s = word(f, v);
      if (!s.startsWith('/')) throw new BuilderError(f, 'must be an absolute path');
      return s;
    }
    case 'server_args':
      return words(v);
    case 'env': {
      const seen = new Set<string>();
      return words(v, (ff, w) => {
        word(ff, w);
        const eq = w.indexOf('=');
        const name = eq < 0 ? w : w.slice(0, eq);
        if (eq < 0) throw new BuilderError(ff, `must be NAME=VALUE, not ${JSON.stringify(w)}`);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BuilderError(ff, `${JSON.stringify(name)} is not an environment variable name (letters, digits, _; not starting with a digit)`, 'builder/unsafe-character');
        if (seen.has(name)) throw new BuilderError(ff, `${name} is set twice`, 'builder/duplicate-key');
        seen.add(name);
        return w;
      });
    }
    case 'nice':
      return String(requireInt(f, v, -20, 19));
    case 'instances':
    case 'per_source':
      return count(v);
    case 'flags':
      return words(v, (ff, w) => requireOneOf(ff, w, ['REUSE', 'INTERCEPT', 'NORETRY', 'IDONLY', 'NAMEINARGS', 'NODELAY', 'KEEPALIVE', 'NOLIBWRAP', 'SENSOR', 'IPv4', 'IPv6', 'LABELED']));
    case 'bind':
      return word(f, v);
    case 'only_from':
    case 'no_access':
      return words(v, (ff, w) => {
        word(ff, w);
        requireChars(ff, w, /[A-Za-z0-9_.:/{}-]/, 'an address');
        if (/,/.test(w.replace(/\{[^}]*\}/g, ''))) throw new BuilderError(ff, 'a comma outside {} is an error in xinetd');
        return w;
      });
    case 'log_on_success':
      return words(v, (ff, w) => requireOneOf(ff, w, ['PID', 'HOST', 'USERID', 'EXIT', 'DURATION', 'TRAFFIC']));
    case 'log_on_failure':
      return words(v, (ff, w) => requireOneOf(ff, w, ['HOST', 'USERID', 'ATTEMPT']));
    case 'cps': {
      if (!Array.isArray(v) || v.length !== 2) throw new BuilderError(f, 'must be [connections per second, seconds to wait]');
      return `${requireInt(`${f}[0]`, v[0], 0, 2147483647)} ${requireInt(`${f}[1]`, v[1], 0, 2147483647)}`;
    }
  }
}

/** The `name = value` pairs of a service, in canonical order; throws BuilderError on a bad value. */
export function xinetdAttributes(service: XinetdService, field = 'service'): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(service)) {
    if (k !== 'name' && !(XINETD_ATTRIBUTE_ORDER as readonly string[]).includes(k))
      throw new BuilderError(`${field}.${k}`, `unknown xinetd attribute '${k}'`, 'builder/unknown-keyword');
  }
  for (const name of XINETD_ATTRIBUTE_ORDER) {
    const v = service[name];
    if (v === undefined) continue;
    const text = attributeValue(field, name, v);
    // xinetd reads a final '\\' literally, but it looks like a line continuation (fwconf check warns).
    if (text.endsWith('\\'))
      throw new BuilderError(Array.isArray(v) ? `${field}.${name}[${v.length - 1}]` : `${field}.${name}`, "must not end with '\\' at the end of the line (it reads like a line continuation)", 'builder/unsafe-character');
    out.push([name, text]);
  }
  if (service.type !== undefined && asArray(service.type).includes('UNLISTED')) {
    if (service.port === undefined) throw new BuilderError(`${field}.port`, 'an UNLISTED service needs a port', 'builder/missing-value');
    if (service.protocol === undefined) throw new BuilderError(`${field}.protocol`, 'an UNLISTED service needs a protocol', 'builder/missing-value');
  }
  if (!asArray(service.type).includes('INTERNAL')) {
    if (service.user === undefined) throw new BuilderError(`${field}.user`, 'a non-INTERNAL service needs a user', 'builder/missing-value');
    if (service.server === undefined) throw new BuilderError(`${field}.server`, 'a non-INTERNAL service needs a server', 'builder/missing-value');
  }
  return out;
}

/**
 * An xinetd file as a Document, printed by the xinetd format's renderer in its canonical style:
 * header comments, then each service block. Throws BuilderError naming the field for a bad value.
 */
export function buildXinetdDocument(file: XinetdFile, field = 'xinetd'): XinetdDocument {
  commentLines(`${field}.header`, file.header);
  const services = file.services.map((s, i) => {
    const f = `${field}.services[${i}]`;
    word(`${f}.name`, s.name);
    requireChars(`${f}.name`, s.name, NAME, 'a service name');
    return { name: s.name, attributes: xinetdAttributes(s, f).map(([n, v]) => [n, v.split(' ')] as const) };
  });
  const doc = renderXinetd({ ...(file.header?.length ? { comments: file.header } : {}), services });
  // Checked as `fwconf check` checks a file, without this host's users and programs: the file on its own.
  const text = doc.toString();
  const lines = text.split('\n');
  refuseRejected(checkXinetd(doc), text, 'xinetd', (d) => {
    let service = -1;
    for (let i = 0; i < d.line && i < lines.length; i++) if (/^service\s/.test(lines[i]!)) service++;
    if (service < 0) return field;
    const attr = /^\s*([A-Za-z_]+)\s*[+-]?=/.exec(lines[d.line - 1] ?? '')?.[1];
    return `${field}.services[${service}]${attr ? `.${attr}` : /^service\s/.test(lines[d.line - 1] ?? '') ? '.name' : ''}`;
  });
  return doc;
}

/** The text of an xinetd file (see buildXinetdDocument). */
export function buildXinetd(file: XinetdFile, field = 'xinetd'): string {
  return buildXinetdDocument(file, field).toString();
}

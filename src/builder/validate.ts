/**
 * Validation of a host spec: the schema (shape, types, ranges) and the rules that span fields —
 * the SSH port is allowed by ufw, the sshd jail watches the SSH port, no honeypot sits on the SSH
 * port, no port is claimed twice.
 */
import type { core } from 'zod';
import type { Severity } from '../core/diagnostics.js';
import { asArray, formatPath, notUnicode } from './errors.js';
import { specSchema, type HostSpec } from './spec.js';
import { SSHD_KEYWORD_NAMES } from './sshd.js';
import { INVALID, keysAt, salvage, valid, whole, type Invalid, type Salvaged } from './schema-walk.js';
import { closest } from '../core/suggest.js';
import type { F2bPortItem } from './fail2ban.js';
import type { UfwPort, UfwSpecRule } from './ufw.js';
import type { BuilderCode } from './codes.js';

/** One problem in a spec, at a path into it. */
export interface SpecIssue {
  readonly path: readonly (string | number)[];
  readonly code: BuilderCode;
  readonly message: string;
  readonly severity?: Severity;
  /** Points at the key of the last path element (unknown keys) rather than its value. */
  readonly atKey?: boolean;
}

/** The port sshd listens on when the spec has no `ssh` section. */
export const SSHD_DEFAULT_PORT = 22;

function zodIssues(issues: readonly core.$ZodIssue[], prefix: readonly PropertyKey[] = []): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path].map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    if (i.code === 'unrecognized_keys') {
      const known = keysAt(specSchema, path);
      for (const k of i.keys) {
        const inSettings = path.at(-1) === 'settings' && path[0] === 'ssh';
        const inMatch = inSettings && path[1] === 'match';
        const guess = closest(k, known);
        const mean = guess ? ` (did you mean '${guess}'?)` : '';
        let message = `unknown key '${k}'${mean}`;
        if (inMatch && SSHD_KEYWORD_NAMES.includes(k as (typeof SSHD_KEYWORD_NAMES)[number])) message = `'${k}' is not allowed inside a Match block`;
        else if (inSettings) message = guess ? `unknown sshd keyword '${k}'${mean}` : `unknown or unsupported sshd keyword '${k}'`;
        out.push({ path: [...path, k], code: 'builder/unknown-key', message, atKey: true });
      }
    } else if (i.code === 'invalid_union') {
      // Report the branch that got furthest: its message says what is wrong.
      const branches = i.errors.map((b) => zodIssues(b, path)).filter((b) => b.length > 0);
      const best = branches.sort((a, b) => Math.max(...b.map((x) => x.path.length)) - Math.max(...a.map((x) => x.path.length)))[0];
      if (best && Math.max(...best.map((x) => x.path.length)) > path.length) out.push(...best);
      else out.push({ path, code: 'builder/schema', message: describeUnion(i, branches) });
    } else out.push({ path, code: 'builder/schema', message: i.message });
  }
  return out;
}

function describeUnion(i: core.$ZodIssue, branches: SpecIssue[][]): string {
  const msgs = [...new Set(branches.flat().map((b) => b.message))];
  return msgs.length ? msgs.join('; or ') : i.message;
}

function portCovers(items: readonly (number | string)[], port: number): boolean {
  return items.some((p) => {
    if (typeof p === 'number') return p === port;
    if (p === 'all') return true;
    if (p === 'ssh') return port === 22;
    const m = /^(\d+):(\d+)$/.exec(p);
    return m !== null && +m[1]! <= port && port <= +m[2]!;
  });
}

/** True, false, or undefined (unknown) when some item that could decide it is INVALID. */
function someKnown<T>(items: readonly (T | Invalid)[], test: (item: T) => boolean): boolean | undefined {
  let unknown = false;
  for (const item of items) {
    if (!valid(item)) unknown = true;
    else if (test(item)) return true;
  }
  return unknown ? undefined : false;
}

type UfwRuleFields = Pick<UfwSpecRule, 'action' | 'direction' | 'proto' | 'from' | 'to' | 'interface' | 'port'>;

/**
 * The rules that span fields. `spec` has passed the schema, or is what `salvage` kept of one that
 * did not: a rule runs only on parts that passed (INVALID ones are reported by the schema), so type
 * errors and these come in one round, and a rule is skipped when an input it needs is INVALID.
 */
export function crossFieldIssues(spec: HostSpec | Salvaged<HostSpec>): SpecIssue[] {
  const out: SpecIssue[] = [];
  const s = spec as Salvaged<HostSpec>;
  if (!valid(s)) return out;
  const ssh = s.ssh;
  const sshPort: number | Invalid = ssh === undefined ? SSHD_DEFAULT_PORT : valid(ssh) ? ssh.port : INVALID;
  if (ssh !== undefined && valid(ssh) && valid(ssh.settings) && ssh.settings.Port !== undefined)
    out.push({ path: ['ssh', 'settings', 'Port'], code: 'builder/duplicate-port', message: 'set the SSH port with ssh.port, not settings.Port', atKey: true });

  const honeypots = valid(s.honeypots) ? s.honeypots : [];
  // Who claims which port.
  const claims = new Map<string, (string | number)[]>();
  const claim = (port: number, proto: string, path: (string | number)[], what: string) => {
    const key = `${port}/${proto}`;
    const prev = claims.get(key);
    if (prev) out.push({ path, code: 'builder/port-conflict', message: `port ${key} is already claimed by ${formatClaim(prev)}; ${what} needs its own port` });
    else claims.set(key, path);
  };
  const nameOf = (h: (typeof honeypots)[number], i: number) => (valid(h) && valid(h.name) ? h.name : `honeypots[${i}]`);
  if (ssh !== undefined && valid(sshPort)) claim(sshPort, 'tcp', ['ssh', 'port'], 'sshd');
  honeypots.forEach((h, i) => {
    if (!valid(h) || !valid(h.port) || !valid(h.protocol)) return;
    if (valid(sshPort) && h.port === sshPort && h.protocol === 'tcp')
      out.push({ path: ['honeypots', i, 'port'], code: 'builder/port-conflict', message: `honeypot ${nameOf(h, i)} is on the SSH port ${sshPort}; move one of them` });
    else claim(h.port, h.protocol, ['honeypots', i, 'port'], `honeypot ${nameOf(h, i)}`);
  });
  const names = new Map<string, number>();
  honeypots.forEach((h, i) => {
    if (!valid(h) || !valid(h.name)) return;
    if (names.has(h.name)) out.push({ path: ['honeypots', i, 'name'], code: 'builder/duplicate-name', message: `honeypot name '${h.name}' is already used by honeypots[${names.get(h.name)}]` });
    else names.set(h.name, i);
  });

  // The ufw rules as far as these checks read them: a rule with any of these fields INVALID is unknown.
  const ufw = s.ufw !== undefined && valid(s.ufw) ? s.ufw : undefined;
  const incoming = ufw === undefined || ufw.defaults === undefined ? undefined : valid(ufw.defaults) ? ufw.defaults.incoming : INVALID;
  const rules: (UfwRuleFields | Invalid)[] | undefined =
    ufw && valid(ufw.rules)
      ? ufw.rules.map((r) => (valid(r) ? whole({ action: r.action, direction: r.direction, proto: r.proto, from: r.from, to: r.to, interface: r.interface, port: r.port }) : INVALID))
      : undefined;
  const allows = (r: UfwRuleFields, port: number) =>
    (r.action === 'allow' || r.action === 'limit') && (r.direction ?? 'in') === 'in' && r.port !== undefined && portCovers(asArray(r.port as UfwPort | readonly UfwPort[]), port);

  // The SSH port must stay reachable through ufw.
  if (rules && valid(incoming) && incoming !== 'allow' && valid(sshPort)) {
    const allowed = someKnown(rules, (r) => allows(r, sshPort) && (r.proto ?? 'any') !== 'udp' && (r.from ?? 'any') === 'any' && (r.to ?? 'any') === 'any' && r.interface === undefined);
    if (allowed === false)
      out.push({
        path: ['ufw', 'rules'],
        code: 'builder/ssh-port-blocked',
        message: `no rule allows the SSH port ${sshPort}/tcp from anywhere: enabling ufw would lock you out; add { action: allow, port: ${sshPort}, proto: tcp } (or limit)`,
      });
  }

  // The sshd jail must watch the port sshd listens on.
  const f2b = s.fail2ban !== undefined && valid(s.fail2ban) && valid(s.fail2ban.jails) ? s.fail2ban.jails.sshd : undefined;
  const jail = f2b !== undefined && valid(f2b) ? whole({ enabled: f2b.enabled, port: f2b.port }) : INVALID;
  if (valid(jail) && valid(sshPort) && jail.enabled !== false && jail.port !== undefined && !portCovers(asArray(jail.port as F2bPortItem | readonly F2bPortItem[]), sshPort))
    out.push({ path: ['fail2ban', 'jails', 'sshd', 'port'], code: 'builder/jail-port', message: `the sshd jail does not watch the SSH port ${sshPort}; bans would not block SSH` });

  // Honeypot jails read the captures log; warn when a honeypot is unreachable through ufw.
  if (rules && valid(incoming) && (incoming ?? 'deny') !== 'allow') {
    honeypots.forEach((h, i) => {
      if (!valid(h) || !valid(h.port) || !valid(h.protocol) || !valid(h.disable) || h.disable) return;
      const port = h.port;
      if (someKnown(rules, (r) => allows(r, port)) === false)
        out.push({
          path: ['honeypots', i, 'port'],
          code: 'builder/honeypot-blocked',
          severity: 'warning',
          message: `ufw does not allow ${h.port}/${h.protocol}: honeypot ${nameOf(h, i)} only sees traffic ufw lets through`,
        });
    });
  }
  // thpot writes its capture dates with strftime("%b"): in a non-English LC_TIME fail2ban cannot read them.
  honeypots.forEach((h, i) => {
    if (!valid(h) || !valid(h.server) || !valid(h.env) || !h.server.endsWith('/thpot')) return;
    if (someKnown(h.env, (e) => /^LC_(?:TIME|ALL)=/.test(e)) === false)
      out.push({
        path: ['honeypots', i, 'env'],
        code: 'builder/honeypot-locale',
        severity: 'warning',
        message: `thpot's capture dates follow LC_TIME (xinetd's locale); add env: [LC_TIME=POSIX] so fail2ban can read them in any system locale`,
      });
  });
  return out;
}

function formatClaim(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

/** The schema returns keys in its own order; sshd settings keep the order the spec gives them. */
function keepSettingsOrder(spec: HostSpec, raw: unknown): HostSpec {
  if (!spec.ssh) return spec;
  const rawSsh = (raw as { ssh?: { settings?: object; match?: { settings?: object }[] } }).ssh;
  const order = <T extends object>(parsed: T, given: object | undefined): T =>
    given ? (Object.fromEntries(Object.keys(given).filter((k) => k in parsed).map((k) => [k, (parsed as Record<string, unknown>)[k]])) as T) : parsed;
  return {
    ...spec,
    ssh: {
      ...spec.ssh,
      settings: order(spec.ssh.settings, rawSsh?.settings),
      match: spec.ssh.match.map((m, i) => ({ ...m, settings: order(m.settings, rawSsh?.match?.[i]?.settings) })),
    },
  };
}

/**
 * Every string (value or key) of a spec value that has no UTF-8 form, at its path. A value that
 * contains itself (a YAML alias inside its own anchor) is walked once; the schema refuses it.
 */
function unicodeIssues(value: unknown, path: (string | number)[] = [], out: SpecIssue[] = [], within = new Set<object>()): SpecIssue[] {
  if (typeof value === 'string') {
    const why = notUnicode(value);
    if (why) out.push({ path: [...path], code: 'builder/invalid-unicode', message: why });
  } else if (value !== null && typeof value === 'object' && !within.has(value)) {
    within.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => unicodeIssues(v, [...path, i], out, within));
    else
      for (const [k, v] of Object.entries(value)) {
        const why = notUnicode(k);
        if (why) out.push({ path: [...path, k], code: 'builder/invalid-unicode', message: `the key ${why}`, atKey: true });
        unicodeIssues(v, [...path, k], out, within);
      }
    within.delete(value);
  }
  return out;
}

/**
 * Schema and cross-field validation of a parsed spec value, in one round: the strings with no UTF-8
 * form, the schema's issues and the cross-field rules on what passed the schema.
 */
export function specIssues(value: unknown): { spec?: HostSpec; issues: SpecIssue[] } {
  // Checked apart from the schema: a string that cannot be written must be refused wherever it is.
  const unicode = unicodeIssues(value);
  const r = specSchema.safeParse(value);
  if (r.success && unicode.length === 0) {
    const spec = keepSettingsOrder(r.data as HostSpec, value);
    return { spec, issues: crossFieldIssues(spec) };
  }
  const at = new Set(unicode.map((i) => formatPath(i.path)));
  const schema = r.success ? [] : zodIssues(r.error.issues).filter((i) => !at.has(formatPath(i.path)));
  return { issues: [...unicode, ...schema, ...crossFieldIssues(salvage(specSchema, value))] };
}

/**
 * Validation of a host spec: the schema (shape, types, ranges) and the rules that span fields —
 * the SSH port is allowed by ufw, the sshd jail watches the SSH port, no honeypot sits on the SSH
 * port, no port is claimed twice.
 */
import type { core } from 'zod';
import type { Severity } from '../core/diagnostics.js';
import { asArray, notUnicode } from './errors.js';
import { specSchema, type HostSpec } from './spec.js';
import { SSHD_KEYWORD_NAMES, SSHD_KEYWORDS } from './sshd.js';
import type { F2bPortItem } from './fail2ban.js';
import type { UfwPort } from './ufw.js';
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
      for (const k of i.keys) {
        const inSettings = path.at(-1) === 'settings';
        const kw = SSHD_KEYWORD_NAMES.find((n) => n.toLowerCase() === k.toLowerCase());
        let message = `unknown key '${k}'`;
        if (inSettings && kw === k && path[0] === 'ssh' && path[1] === 'match') message = `'${k}' is not allowed inside a Match block`;
        else if (inSettings && kw && kw !== k) message = `unknown sshd keyword '${k}' (did you mean '${kw}'?)`;
        else if (inSettings) message = `unknown or unsupported sshd keyword '${k}'`;
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

/** The rules that span fields; `spec` has passed the schema. */
export function crossFieldIssues(spec: HostSpec): SpecIssue[] {
  const out: SpecIssue[] = [];
  const sshPort = spec.ssh?.port ?? SSHD_DEFAULT_PORT;
  if (spec.ssh?.settings.Port !== undefined)
    out.push({ path: ['ssh', 'settings', 'Port'], code: 'builder/duplicate-port', message: 'set the SSH port with ssh.port, not settings.Port', atKey: true });

  // Who claims which port.
  const claims = new Map<string, (string | number)[]>();
  const claim = (port: number, proto: string, path: (string | number)[], what: string) => {
    const key = `${port}/${proto}`;
    const prev = claims.get(key);
    if (prev) out.push({ path, code: 'builder/port-conflict', message: `port ${key} is already claimed by ${formatClaim(prev)}; ${what} needs its own port` });
    else claims.set(key, path);
  };
  if (spec.ssh) claim(sshPort, 'tcp', ['ssh', 'port'], 'sshd');
  spec.honeypots.forEach((h, i) => {
    if (h.port === sshPort && h.protocol === 'tcp')
      out.push({ path: ['honeypots', i, 'port'], code: 'builder/port-conflict', message: `honeypot ${h.name} is on the SSH port ${sshPort}; move one of them` });
    else claim(h.port, h.protocol, ['honeypots', i, 'port'], `honeypot ${h.name}`);
  });
  const names = new Map<string, number>();
  spec.honeypots.forEach((h, i) => {
    if (names.has(h.name)) out.push({ path: ['honeypots', i, 'name'], code: 'builder/duplicate-name', message: `honeypot name '${h.name}' is already used by honeypots[${names.get(h.name)}]` });
    else names.set(h.name, i);
  });

  // The SSH port must stay reachable through ufw.
  if (spec.ufw && spec.ufw.defaults?.incoming !== 'allow') {
    const allowed = spec.ufw.rules.some(
      (r) =>
        (r.action === 'allow' || r.action === 'limit') &&
        (r.direction ?? 'in') === 'in' &&
        (r.proto ?? 'any') !== 'udp' &&
        (r.from ?? 'any') === 'any' &&
        (r.to ?? 'any') === 'any' &&
        r.interface === undefined &&
        r.port !== undefined &&
        portCovers(asArray(r.port as UfwPort | readonly UfwPort[]), sshPort),
    );
    if (!allowed)
      out.push({
        path: ['ufw', 'rules'],
        code: 'builder/ssh-port-blocked',
        message: `no rule allows the SSH port ${sshPort}/tcp from anywhere: enabling ufw would lock you out; add { action: allow, port: ${sshPort}, proto: tcp } (or limit)`,
      });
  }

  // The sshd jail must watch the port sshd listens on.
  const jail = spec.fail2ban?.jails.sshd;
  if (jail && jail.enabled !== false && jail.port !== undefined && !portCovers(asArray(jail.port as F2bPortItem | readonly F2bPortItem[]), sshPort))
    out.push({ path: ['fail2ban', 'jails', 'sshd', 'port'], code: 'builder/jail-port', message: `the sshd jail does not watch the SSH port ${sshPort}; bans would not block SSH` });

  // Honeypot jails read the captures log; warn when a honeypot is unreachable through ufw.
  if (spec.ufw && (spec.ufw.defaults?.incoming ?? 'deny') !== 'allow') {
    spec.honeypots.forEach((h, i) => {
      const open = spec.ufw!.rules.some(
        (r) => (r.action === 'allow' || r.action === 'limit') && (r.direction ?? 'in') === 'in' && r.port !== undefined && portCovers(asArray(r.port as UfwPort | readonly UfwPort[]), h.port),
      );
      if (!open && !h.disable)
        out.push({
          path: ['honeypots', i, 'port'],
          code: 'builder/honeypot-blocked',
          severity: 'warning',
          message: `ufw does not allow ${h.port}/${h.protocol}: honeypot ${h.name} only sees traffic ufw lets through`,
        });
    });
  }
  // thpot writes its capture dates with strftime("%b"): in a non-English LC_TIME fail2ban cannot read them.
  spec.honeypots.forEach((h, i) => {
    if (h.server.endsWith('/thpot') && !h.env.some((e) => /^LC_(?:TIME|ALL)=/.test(e)))
      out.push({
        path: ['honeypots', i, 'env'],
        code: 'builder/honeypot-locale',
        severity: 'warning',
        message: `thpot's capture dates follow LC_TIME (xinetd's locale); add env: [LC_TIME=POSIX] so fail2ban can read them in any system locale`,
      });
  });
  void SSHD_KEYWORDS;
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

/** Schema and cross-field validation of a parsed spec value. */
export function specIssues(value: unknown): { spec?: HostSpec; issues: SpecIssue[] } {
  // Checked before the schema: a string that cannot be written must be refused wherever it is.
  const unicode = unicodeIssues(value);
  if (unicode.length > 0) return { issues: unicode };
  const r = specSchema.safeParse(value);
  if (!r.success) return { issues: zodIssues(r.error.issues) };
  const spec = keepSettingsOrder(r.data as HostSpec, value);
  const issues = crossFieldIssues(spec);
  return { spec, issues };
}

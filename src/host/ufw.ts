/**
 * ufw's state on the host: from its own files (etc/ufw/ufw.conf's ENABLED, etc/default/ufw's input
 * policy, the `### tuple ###` lines of etc/ufw/user.rules and user6.rules — the rules as ufw stores
 * them), from the output of `ufw status verbose`, or from the ufw script fwconf renders (the state it
 * is about to be in). One shape for the three, so the findings ask one question: is this TCP port let in?
 */
import type { FileSource } from '../core/files.js';
import * as ufw from '../ufw/index.js';
import { readUfwScript, type UfwPortRule } from './ufw-script.js';
import { parseRules } from '../ufw-rules/parse.js';

export interface HostUfwRule extends UfwPortRule {
  readonly v6: boolean;
  /** The interface the rule is limited to (`in on eth0`). */
  readonly interface?: string;
  readonly file: string;
  readonly line: number;
}

export interface HostUfw {
  /** Where the state was read: ufw's files, a `ufw status verbose` output, or fwconf's ufw script. */
  readonly source: 'files' | 'status' | 'script';
  /** The file it was read from (ufw.conf for `files`). */
  readonly file: string;
  /** ufw filters packets (ENABLED=yes, `Status: active`, or the script runs `ufw enable`). */
  readonly enabled: boolean;
  /** The line that says so (or says it is not). */
  readonly enabledLine: number;
  readonly defaultIncoming?: 'allow' | 'deny' | 'reject';
  readonly rules: readonly HostUfwRule[];
}

/** Well-known application profiles for rules written with an app name (`ufw allow OpenSSH`). */
const APP_PORTS: Record<string, { port: number; proto: string }> = { openssh: { port: 22, proto: 'tcp' }, ssh: { port: 22, proto: 'tcp' } };

function portRanges(spec: string | null | undefined): Array<[number, number]> | undefined {
  if (spec === null || spec === undefined || spec === 'any') return undefined;
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?::(\d+))?$/.exec(part);
    if (!m) return [];
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

function policy(v: string | undefined): HostUfw['defaultIncoming'] {
  const p = v?.replace(/^["']|["']$/g, '').toUpperCase();
  return p === 'ACCEPT' ? 'allow' : p === 'DROP' ? 'deny' : p === 'REJECT' ? 'reject' : undefined;
}

/** A `KEY=value` shell assignment of a ufw defaults file, with its line. */
function assignment(text: string | undefined, key: string): { value: string; line: number } | undefined {
  let found: { value: string; line: number } | undefined;
  (text ?? '').split('\n').forEach((l, i) => {
    const m = new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`).exec(l.replace(/\r$/, ''));
    if (m) found = { value: m[1]!.replace(/^["']|["']$/g, ''), line: i + 1 };
  });
  return found;
}

/**
 * The rules of a user.rules file, read from its `### tuple ###` lines as ufw reads them (the
 * ufw-rules format; a tuple ufw skips is skipped here too).
 */
export function readUserRules(text: string, file: string, v6: boolean): HostUfwRule[] {
  const out: HostUfwRule[] = [];
  for (const { spec: r, line } of parseRules(text, { file, kind: 'user', v6 }).rules()) {
    if (r.route) continue; // forwarded traffic, not the host's own ports
    let ports = portRanges(r.dport);
    let p = r.proto ?? undefined;
    const app = r.dapp !== null ? APP_PORTS[r.dapp.toLowerCase()] : undefined;
    if (app) {
      ports = [[app.port, app.port]];
      p = app.proto;
    }
    const iface = r.interfaceIn ?? r.interfaceOut ?? undefined;
    out.push({ action: r.action, direction: r.direction, ...(ports ? { ports } : {}), ...(p ? { proto: p } : {}), ...(r.src !== null ? { from: r.src } : {}), v6, ...(iface ? { interface: iface } : {}), file, line });
  }
  return out;
}

/** ufw's state from its files below the root; undefined when ufw is not installed there (no ufw.conf). */
export function readUfwFiles(files: FileSource): HostUfw | undefined {
  const conf = '/etc/ufw/ufw.conf';
  const text = files.read(conf);
  if (text === undefined) return undefined;
  const enabled = assignment(text, 'ENABLED');
  const defaults = assignment(files.read('/etc/default/ufw'), 'DEFAULT_INPUT_POLICY');
  const rules: HostUfwRule[] = [];
  for (const [path, v6] of [['/etc/ufw/user.rules', false], ['/etc/ufw/user6.rules', true]] as const) {
    const t = files.read(path);
    if (t !== undefined) rules.push(...readUserRules(t, path, v6));
  }
  return { source: 'files', file: conf, enabled: /^yes$/i.test(enabled?.value ?? ''), enabledLine: enabled?.line ?? 1, defaultIncoming: policy(defaults?.value) ?? 'deny', rules };
}

/** ufw's state from the output of `ufw status verbose` (or plain `ufw status`). */
export function readUfwStatus(text: string, file: string): HostUfw {
  const doc = ufw.parse(text, { file });
  const statusLine = text.split('\n').findIndex((l) => /^Status:/.test(l)) + 1;
  // Route rules (FWD) filter forwarded traffic, not the host's own ports.
  const rules = doc.rules.filter((r) => r.direction !== 'fwd').map((r): HostUfwRule => {
    const app = r.to.app ? APP_PORTS[r.to.app.toLowerCase()] : undefined;
    const ports = app ? [[app.port, app.port] as [number, number]] : portRanges(r.to.port);
    const proto = app ? app.proto : (r.proto ?? undefined);
    return {
      action: r.action,
      direction: r.direction === 'out' ? 'out' : 'in',
      ...(ports ? { ports } : {}),
      ...(proto ? { proto } : {}),
      ...(r.from.address ? { from: r.from.address } : {}),
      v6: r.v6,
      ...((r.direction === 'out' ? r.interfaceOut : r.interfaceIn) ? { interface: (r.direction === 'out' ? r.interfaceOut : r.interfaceIn)! } : {}),
      file,
      line: r.line,
    };
  });
  return { source: 'status', file, enabled: doc.status === 'active', enabledLine: Math.max(statusLine, 1), defaultIncoming: doc.defaults?.incoming, rules };
}

/** The state fwconf's ufw script leaves (undefined when there is none at the path). */
export function readUfwScriptState(files: FileSource, path = '/etc/fwconf/ufw.sh'): HostUfw | undefined {
  const text = files.read(path);
  if (text === undefined) return undefined;
  const s = readUfwScript(text);
  const lines = text.split('\n');
  const enableLine = lines.findIndex((l) => /\bufw\b.*\benable\b/.test(l)) + 1;
  return {
    source: 'script',
    file: path,
    enabled: s.enables,
    enabledLine: Math.max(enableLine, 1),
    defaultIncoming: (s.defaultIncoming as HostUfw['defaultIncoming']) ?? (s.resets ? 'deny' : undefined),
    rules: s.rules.map((r) => ({ action: r.action, direction: r.direction, ...(r.ports ? { ports: r.ports } : {}), ...(r.proto ? { proto: r.proto } : {}), ...(r.from ? { from: r.from } : {}), v6: false, file: path, line: r.at ?? 1 })),
  };
}

/**
 * Whether ufw lets a new inbound TCP connection from anywhere reach `port`: the first user rule that
 * matches decides (ufw's order), else the default incoming policy. Rules limited to some sources or
 * to one interface are passed over.
 */
export function ufwAllows(state: HostUfw, port: number): { allowed: boolean; rule?: HostUfwRule } {
  for (const r of state.rules) {
    if (r.direction !== 'in' || r.v6) continue;
    if (r.proto && r.proto !== 'tcp') continue;
    if (r.ports && !r.ports.some(([a, b]) => port >= a && port <= b)) continue;
    // A rule for some sources or one interface decides only for them: an allow there does not open the
    // port to everyone, a deny there does not close it for everyone.
    if (r.from || r.interface) continue;
    return { allowed: r.action === 'allow' || r.action === 'limit', rule: r };
  }
  return { allowed: state.defaultIncoming === 'allow' };
}

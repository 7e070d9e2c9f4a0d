/**
 * Reads the `ufw` commands in a rendered ufw script (one command per line, no shell constructs beyond
 * comments, `set -e` and a shebang) to know what the firewall will allow once the script has run.
 */
import * as ufwStatus from '../ufw/index.js';

export interface UfwScriptRule {
  readonly action: 'allow' | 'limit' | 'deny' | 'reject';
  readonly direction: 'in' | 'out';
  /** Destination ports; undefined means any port. */
  readonly ports?: ReadonlyArray<readonly [number, number]>;
  /** 'tcp', 'udp' or undefined for any. */
  readonly proto?: string;
  /** The source, when restricted (`from 10.0.0.0/8`). */
  readonly from?: string;
  /** The command line it came from. */
  readonly line: string;
}

export interface UfwScript {
  /** The script runs `ufw enable` (with or without --force). */
  readonly enables: boolean;
  /** The script resets ufw (`ufw --force reset`) before adding rules. */
  readonly resets: boolean;
  /** `default … incoming` policy set by the script, if any. */
  readonly defaultIncoming?: string;
  readonly rules: readonly UfwScriptRule[];
}

const APP_PORTS: Record<string, { port: number; proto: string }> = {
  openssh: { port: 22, proto: 'tcp' },
  ssh: { port: 22, proto: 'tcp' },
};

function parsePorts(spec: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?::(\d+))?$/.exec(part);
    if (!m) return undefined;
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export function readUfwScript(text: string): UfwScript {
  let enables = false;
  let resets = false;
  let defaultIncoming: string | undefined;
  const rules: UfwScriptRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    let w = words(line);
    if (w[0] === 'exec') w = w.slice(1);
    // `ufw …`, `/usr/sbin/ufw …`, or `$ufw …` / `${ufw}` / `${UFW:-ufw}` (a variable naming the program)
    if (!w[0] || !/^(?:(?:\S*\/)?ufw|\$\{?\w+(?::-[^}]*)?\}?)$/i.test(w[0]) || (w[0].startsWith('$') && !/ufw/i.test(w[0]))) continue;
    w = w.slice(1).filter((x) => !x.startsWith('--'));
    const verb = w[0];
    if (verb === 'enable') enables = true;
    else if (verb === 'disable') enables = false;
    else if (verb === 'reset') resets = true;
    else if (verb === 'default' && w[2] === 'incoming') defaultIncoming = w[1];
    else if (verb === 'allow' || verb === 'limit' || verb === 'deny' || verb === 'reject') {
      let rest = w.slice(1);
      let direction: 'in' | 'out' = 'in';
      if (rest[0] === 'in' || rest[0] === 'out') {
        direction = rest[0];
        rest = rest.slice(1);
      }
      if (rest[0] === 'log' || rest[0] === 'log-all') rest = rest.slice(1);
      let ports: Array<[number, number]> | undefined;
      let proto: string | undefined;
      let from: string | undefined;
      if (rest.length >= 1 && rest[0] !== 'proto' && rest[0] !== 'from' && rest[0] !== 'to' && rest[0] !== 'on') {
        // simple syntax: PORT[/PROTO] or an application name
        const [p, pr] = rest[0]!.split('/');
        const app = APP_PORTS[rest[0]!.toLowerCase()];
        if (app) {
          ports = [[app.port, app.port]];
          proto = app.proto;
        } else {
          ports = parsePorts(p!);
          proto = pr;
        }
      } else {
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === 'proto') proto = rest[++i];
          else if (rest[i] === 'from') from = rest[++i];
          else if (rest[i] === 'port' && rest[i - 2] === 'to') ports = parsePorts(rest[++i] ?? '');
          else if (rest[i] === 'port') i++;
        }
      }
      rules.push({ action: verb, direction, ports, proto: proto === 'any' ? undefined : proto, from: from === 'any' ? undefined : from, line });
    }
  }
  return { enables, resets, defaultIncoming, rules, };
}

/** Whether inbound TCP to `port` is let through by the rules (the first matching rule decides, as in ufw). */
export function allowsTcpPort(script: UfwScript, port: number): boolean {
  for (const r of script.rules) {
    if (r.direction !== 'in') continue;
    if (r.proto && r.proto !== 'tcp') continue;
    if (r.ports && !r.ports.some(([a, b]) => port >= a && port <= b)) continue;
    return r.action === 'allow' || r.action === 'limit';
  }
  return script.defaultIncoming === 'allow';
}

/**
 * The script that brings ufw back to the state a `ufw status verbose` (run with LANG=C) shows, through
 * the ufw format's own renderScript: reset, defaults, logging, app policy, the rules in order (IPv4 and
 * IPv6), enable when it was active. `problem` says why there is none (another form of the output, a
 * rule ufw could not re-create).
 *
 * Limits of what the status shows: while ufw is inactive it lists no rules, so the restored state is an
 * inactive ufw without stored rules; a `disabled` routed policy is left to the kernel's forwarding.
 */
export function ufwRestoreScript(statusVerbose: string, header: readonly string[] = []): { script: string } | { problem: string } {
  const doc = ufwStatus.parse(statusVerbose);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { problem: `ufw status verbose is not readable: ${errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('; ')}` };
  const state = doc.state();
  if (!state) return { problem: `ufw status verbose did not show the whole state (${doc.status ?? 'no status line'}${doc.mode ? `, ${doc.mode} form` : ''})` };
  try {
    // renderScript retries a reset that collides with one in the same second (ufw names its backups
    // by the second): a rollback right after a failed script hits that.
    const script = ufwStatus.renderScript(state, { header });
    return { script };
  } catch (e) {
    if (e instanceof RangeError) return { problem: e.message };
    throw e;
  }
}

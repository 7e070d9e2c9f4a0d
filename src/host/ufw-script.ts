/**
 * Reads the `ufw` commands in a rendered ufw script (one command per line, no shell constructs beyond
 * comments, `set -e` and a shebang) to know what the firewall will allow once the script has run. Also what `fwconf check` says
 * of such a script: every line it cannot read as one of those.
 */
import { diagnostic, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';

/** What a ufw rule lets in or keeps out, wherever it was read (a script, ufw's files, its status). */
export interface UfwPortRule {
  readonly action: 'allow' | 'limit' | 'deny' | 'reject';
  readonly direction: 'in' | 'out';
  /** Destination port ranges; undefined means any port. */
  readonly ports?: ReadonlyArray<readonly [number, number]>;
  /** 'tcp', 'udp', …; undefined for any. */
  readonly proto?: string;
  /** The source, when restricted (`from 10.0.0.0/8`). */
  readonly from?: string;
}

/** One `ufw allow|limit|deny|reject ...` command of a script, read as a port rule. */
export interface UfwScriptRule extends UfwPortRule {
  /** The command line it came from. */
  readonly line: string;
  /** Its 1-based line number in the script. */
  readonly at?: number;
}

/** What a ufw script (fwconf's /etc/fwconf/ufw.sh) does: whether it resets and enables ufw, its default policy and its rules. */
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

/** Reads the ufw commands of a shell script (what `fwconf render` writes as /etc/fwconf/ufw.sh). */
export function readUfwScript(text: string): UfwScript {
  let enables = false;
  let resets = false;
  let defaultIncoming: string | undefined;
  const rules: UfwScriptRule[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
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
      rules.push({ action: verb, direction, ports, proto: proto === 'any' ? undefined : proto, from: from === 'any' ? undefined : from, line, at: index + 1 });
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


/** A shell script fwconf reads as a ufw script: `#!/bin/sh` and only ufw commands (fwconf renders etc/fwconf/ufw.sh so). */
export function looksLikeUfwScript(file: string | undefined, text: string): boolean {
  if (!/^#!\s*\/(?:usr\/)?bin\/(?:env\s+)?(?:ba|da)?sh\b/.test(text)) return false;
  return /(^|\/)ufw\.sh$/.test(file ?? '') || /^\s*(?:exec\s+)?(?:\S*\/)?ufw\s/m.test(text);
}

const UFW_VERBS = new Set(['enable', 'disable', 'reset', 'default', 'allow', 'limit', 'deny', 'reject', 'logging', 'reload', 'route', 'delete', 'insert', 'prepend', 'status', 'app', 'show', 'version']);

/**
 * What `fwconf check` says of a ufw script, from the file alone: every line that is not a comment,
 * `set -e`/`set -eu` or a ufw command is one fwconf (and `apply`'s lockout guard) cannot read, so the
 * firewall it makes is not known; an allow/limit rule whose port does not read as ports is one the
 * guard does not count.
 */
export function checkUfwScript(text: string, file?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const script = readUfwScript(text);
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    const col = line.length - line.trimStart().length + 1;
    if (t === '' || t.startsWith('#') || /^set\s+-[eux]+$/.test(t)) return;
    let w = words(t);
    if (w[0] === 'exec') w = w.slice(1);
    if (!/^(?:\S*\/)?ufw$/.test(w[0] ?? '')) {
      out.push(diagnostic('ufw-script/not-a-ufw-command', 'warning', `not a ufw command: fwconf reads a ufw script as ufw commands only, so what this line does to the firewall is not checked`, { line: i + 1, column: col, endColumn: line.length + 1 }, file));
      return;
    }
    const verb = w.slice(1).find((x) => !x.startsWith('--'));
    if (verb === undefined || !UFW_VERBS.has(verb))
      out.push(diagnostic('ufw-script/unknown-command', 'error', `ufw has no command '${verb ?? ''}'`, { line: i + 1, column: col, endColumn: line.length + 1 }, file));
  });
  for (const r of script.rules) {
    const simple = /^(?:\S*\/)?ufw(?:\s+--\S+)*\s+(?:allow|limit|deny|reject)(?:\s+(?:in|out))?(?:\s+log(?:-all)?)?\s+([^\s]+)\s*$/.exec(r.line);
    if (r.ports === undefined && simple && !/^(proto|from|to|on)$/.test(simple[1]!))
      out.push(diagnostic('ufw-script/unread-port', 'warning', `'${simple[1]}' does not read as a port, a port list or a known application: fwconf does not know which port this rule opens`, { line: r.at ?? 1, column: 1 }, file));
  }
  return sortDiagnostics(out);
}

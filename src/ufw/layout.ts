/**
 * How ufw prints its status: a port of ufw 0.36 backend_iptables.get_status(). Used by render.ts (a
 * state as `ufw status verbose` shows it), by edits, and by the system tests as the expected output.
 */
import type { UfwDefaults, UfwLogging, UfwRuleSpec, UfwState, UfwStatusMode } from './model.js';

/** Length in code points, as Python's `%-26s` counts. */
export function cpLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Python's `%-Ns`: pads to `width` code points, never truncates. */
export function padField(s: string, width: number): string {
  const n = cpLength(s);
  return n >= width ? s : s + ' '.repeat(width - n);
}

const ANY4 = '0.0.0.0/0';
const ANY6 = '::/0';

function addrString(addr: string | null, v6: boolean): string {
  return addr ?? (v6 ? ANY6 : ANY4);
}

/** The To (`dst`) or From (`src`) column text of a rule. */
export function sideText(r: UfwRuleSpec, loc: 'dst' | 'src', verbose: boolean): string {
  const showProto = verbose || (r.dapp === null && r.sapp === null);
  const addr = loc === 'dst' ? r.dst : r.src;
  const app = loc === 'dst' ? r.dapp : r.sapp;
  const anyAddr = addr === null;
  let port: string | null;
  if (!verbose && app !== null) port = app + (r.v6 && anyAddr ? ' (v6)' : '');
  else port = loc === 'dst' ? r.dport : r.sport;
  let text = anyAddr ? '' : addr;
  if (port !== null) {
    text = text === '' ? port : text + ' ' + port;
    if (showProto && r.proto !== null) text += '/' + r.proto;
    if (verbose && app !== null) text += ' (' + app + (r.v6 && anyAddr ? ' (v6)' : '') + ')';
    if (r.v6 && r.src === null && r.dst === null && !text.includes(' (v6)')) text += ' (v6)';
  } else if (anyAddr) {
    text = 'Anywhere';
    if (showProto && r.proto !== null && addrString(r.dst, r.v6) === addrString(r.src, r.v6) && r.dport === r.sport)
      text += '/' + r.proto;
    if (r.v6) text += ' (v6)';
  } else if (showProto && r.proto !== null && r.dport === r.sport) {
    text += '/' + r.proto;
  }
  const iface = r.route ? (loc === 'src' ? r.interfaceIn : r.interfaceOut) : loc === 'dst' ? r.interfaceIn : r.interfaceOut;
  if (iface !== null) text += ' on ' + iface;
  return text;
}

/** The Action column text, unpadded: `ALLOW IN`, `LIMIT FWD`, or `ALLOW ` in plain mode. */
export function actionText(r: UfwRuleSpec, mode: UfwStatusMode): string {
  let dir = r.route ? 'FWD' : r.direction.toUpperCase();
  if (r.direction === 'in' && !r.route && mode === 'plain') dir = '';
  return r.action.toUpperCase() + ' ' + dir;
}

/** ` (log)`, ` (log-all)`, and in numbered mode ` (out)` / ` (log, out)`. */
export function attribText(r: UfwRuleSpec, mode: UfwStatusMode): string {
  const attribs: string[] = [];
  if (r.log !== null) attribs.push(r.log);
  if (mode === 'numbered' && r.direction === 'out') attribs.push('out');
  return attribs.length ? ` (${attribs.join(', ')})` : '';
}

/** One rule line, without its line ending. `number` is printed in numbered mode. */
export function ruleLine(r: UfwRuleSpec, mode: UfwStatusMode, number?: number): string {
  const verbose = mode === 'verbose';
  const prefix = mode === 'numbered' ? `[${String(number ?? 0).padStart(2, ' ')}] ` : '';
  const comment = r.comment !== null && r.comment !== '' ? ' # ' + r.comment : '';
  return (
    prefix +
    padField(sideText(r, 'dst', verbose), 26) +
    ' ' +
    padField(actionText(r, mode), 12) +
    padField(sideText(r, 'src', verbose), 26) +
    attribText(r, mode) +
    comment
  );
}

/** The identity ufw de-duplicates app rules by in non-verbose modes (UFWRule.get_app_tuple). */
export function appTuple(r: UfwRuleSpec): string | undefined {
  if (r.dapp === null && r.sapp === null) return undefined;
  const dst = addrString(r.dst, r.v6);
  const src = addrString(r.src, r.v6);
  let t = `${r.dapp ?? r.dport ?? 'any'} ${dst} ${r.sapp ?? r.sport ?? 'any'} ${src}`;
  if (r.interfaceIn === null && r.interfaceOut === null) t += ' ' + r.direction;
  else {
    if (r.interfaceIn !== null) t += ' in_' + r.interfaceIn;
    if (r.interfaceOut !== null) t += ' out_' + r.interfaceOut;
  }
  return t;
}

/** Rules in the order ufw lists them: all IPv4 rules, then all IPv6 rules. */
export function statusOrder(rules: readonly UfwRuleSpec[]): UfwRuleSpec[] {
  return [...rules.filter((r) => !r.v6), ...rules.filter((r) => r.v6)];
}

/** The rule table as ufw prints it (from the empty line after the header block), or '' without rules. */
export function ruleTable(rules: readonly UfwRuleSpec[], mode: UfwStatusMode, labels = { to: 'To', action: 'Action', from: 'From' }): string {
  const verbose = mode === 'verbose';
  const numbered = mode === 'numbered';
  let s = '';
  let out = '';
  let rte = '';
  let count = 1;
  const seen = new Set<string>();
  for (const r of statusOrder(rules)) {
    if (!verbose) {
      const t = appTuple(r);
      if (t !== undefined) {
        if (seen.has(t)) continue;
        seen.add(t);
      }
    }
    const line = ruleLine(r, mode, count) + '\n';
    if (numbered) s += line;
    else if (r.route) rte += line;
    else if (r.direction === 'out') out += line;
    else s += line;
    count++;
  }
  if (s === '' && out === '' && rte === '') return '';
  const indent = numbered ? '     ' : '';
  const header = (a: string, b: string, c: string) => `${padField(a, 26)} ${padField(b, 12)}${c}\n`;
  let full = '\n\n' + indent + header(labels.to, labels.action, labels.from);
  full += indent + header('-'.repeat(cpLength(labels.to)), '-'.repeat(cpLength(labels.action)), '-'.repeat(cpLength(labels.from)));
  full += s;
  if (s !== '' && out !== '') full += '\n';
  full += out;
  if (s !== '' && rte !== '') full += '\n';
  full += rte;
  return full;
}

export function loggingLine(l: UfwLogging): string {
  return 'Logging: ' + (l.state === 'unknown' ? 'unknown' : l.state === 'off' ? 'off' : `on (${l.level ?? 'low'})`);
}

export function defaultLine(d: UfwDefaults): string {
  return `Default: ${d.incoming} (incoming), ${d.outgoing} (outgoing), ${d.routed} (routed)`;
}

/** The whole output of `ufw status` / `ufw status verbose` / `ufw status numbered` for a state. */
export function statusText(state: UfwState, mode: UfwStatusMode): string {
  if (state.status === 'inactive') return 'Status: inactive\n';
  const table = ruleTable(state.rules, mode);
  if (mode === 'verbose')
    return `Status: active\n${loggingLine(state.logging)}\n${defaultLine(state.defaults)}\nNew profiles: ${state.newProfiles}${table}\n`;
  return `Status: active${table}\n`;
}

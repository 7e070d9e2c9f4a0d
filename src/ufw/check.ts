/**
 * Diagnostics beyond syntax: the structure ufw prints (status line first, verbose block, header,
 * numbering, grouping), column alignment, and values ufw would never print (bad addresses, ports,
 * interface names).
 */
import { isIP } from 'node:net';
import { Reporter, type Diagnostic } from '../core/diagnostics.js';
import type { CheckOptions } from '../core/format.js';
import { countNewlines } from '../core/lines.js';
import type { UfwStatusDocument } from './document.js';
import type { UfwRule } from './model.js';
import type { UfwCode } from './codes.js';

function validAddress(a: string): boolean {
  const [addr, mask, ...rest] = a.split('/');
  if (rest.length) return false;
  const fam = isIP(addr!);
  if (fam === 0) return false;
  if (mask === undefined) return true;
  if (/^\d+$/.test(mask)) return +mask <= (fam === 4 ? 32 : 128);
  return fam === 4 && isIP(mask) === 4;
}

function validPorts(p: string): boolean {
  const items = p.split(',');
  if (items.length + (p.match(/:/g)?.length ?? 0) - 1 > 14) return false;
  return items.every((i) => {
    const [a, b] = i.split(':').map(Number);
    if (!(a! >= 1 && a! <= 65535)) return false;
    return b === undefined || (b >= 1 && b <= 65535 && a! < b);
  });
}

/** Every diagnostic of a `ufw status` output: the parse's, and what ufw would not print (bad addresses or ports, rules out of order or numbering, rules while inactive, a missing status line, ...). */
export function check(doc: UfwStatusDocument, _options: CheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...doc.diagnostics];
  const file = doc.file;
  const report = new Reporter<UfwCode>(file, out);

  const nodes = doc.nodes;
  // Once: the getter looks at every line, and the rule checks below ask for each rule.
  const mode = doc.mode;
  let line = 1;
  const lineOf: number[] = [];
  for (const n of nodes) {
    lineOf.push(line);
    line += countNewlines(n.raw);
  }
  const firstContent = nodes.findIndex((n) => n.kind !== 'blank');
  if (firstContent >= 0 && nodes[firstContent]!.kind !== 'status' && nodes[firstContent]!.kind !== 'unknown')
    report.at(lineOf[firstContent]!, 'ufw/missing-status', 'error', 'ufw status output starts with `Status: active` or `Status: inactive`');
  if (firstContent < 0 && nodes.length > 0) report.at(1, 'ufw/missing-status', 'error', 'no `Status:` line');
  const statuses = nodes.map((n, i) => (n.kind === 'status' ? i : -1)).filter((i) => i >= 0);
  for (const i of statuses.slice(1)) report.at(lineOf[i]!, 'ufw/duplicate-status', 'error', 'a second `Status:` line: are two outputs concatenated?');

  if (doc.status === 'inactive' && nodes.some((n) => n.kind === 'rule'))
    report.at(lineOf[nodes.findIndex((n) => n.kind === 'rule')]!, 'ufw/rules-while-inactive', 'error', 'ufw prints no rules when it is inactive');

  if (mode === 'verbose') {
    for (const [kind, label] of [['logging', 'Logging:'], ['default', 'Default:'], ['new-profiles', 'New profiles:']] as const)
      if (!nodes.some((n) => n.kind === kind)) report.at(1, 'ufw/incomplete-verbose', 'error', `\`ufw status verbose\` output without its \`${label}\` line`);
  }
  const hasRules = nodes.some((n) => n.kind === 'rule');
  if (hasRules && !nodes.some((n) => n.kind === 'header'))
    report.at(lineOf[nodes.findIndex((n) => n.kind === 'rule')]!, 'ufw/missing-header', 'warning', 'rule lines without the `To  Action  From` header');

  const rules: UfwRule[] = [];
  nodes.forEach((n, i) => {
    if (!n.rule || n.parsed.kind !== 'rule') return;
    const r = n.rule;
    const l = lineOf[i]!;
    rules.push(r);
    const c = n.parsed.columns;
    if (!c.aligned) report.at(l, 'ufw/misaligned', 'warning', 'the columns are not where ufw prints them (To padded to 26, Action to 12, From to 26)');
    if (mode === 'verbose' && c.direction === null)
      report.at(l, 'ufw/missing-direction', 'warning', '`ufw status verbose` always prints the direction (ALLOW IN)', c.actionSpan.start + 1);
    if (mode === 'plain' && c.direction === 'in')
      report.at(l, 'ufw/unexpected-direction', 'warning', 'plain `ufw status` leaves out `IN`; is this verbose output without its header?', c.actionSpan.start + 1);
    if (c.out && r.direction === 'in') report.at(l, 'ufw/out-mark', 'warning', '`(out)` on an inbound rule');
    for (const [side, span] of [[r.to, c.to], [r.from, c.from]] as const) {
      if (side.address !== null && !validAddress(side.address))
        report.at(l, 'ufw/bad-address', 'error', `'${side.address}' is not an IPv4 or IPv6 address or network`, span.start + 1, span.end + 1);
      if (side.port !== null && !validPorts(side.port))
        report.at(l, 'ufw/bad-port', 'error', `'${side.port}' is not a port, list or range ufw accepts (1-65535, at most 15)`, span.start + 1, span.end + 1);
      if (side.interface !== null && side.interface.length > 15)
        report.at(l, 'ufw/bad-interface', 'error', `interface name '${side.interface}' is longer than 15 characters`, span.start + 1, span.end + 1);
    }
    const fam = [r.to.address, r.from.address].filter((a): a is string => a !== null).map((a) => (a.includes(':') ? 6 : 4));
    if (fam.includes(4) && fam.includes(6)) report.at(l, 'ufw/mixed-families', 'error', 'IPv4 and IPv6 addresses in one rule');
    if (r.v6 && fam.includes(4)) report.at(l, 'ufw/mixed-families', 'error', '`(v6)` on a rule with an IPv4 address');
  });

  if (mode === 'numbered') {
    let expect = 1;
    for (const r of rules) {
      if (r.number !== expect) report.at(r.line, 'ufw/numbering', 'warning', `rule [${r.number}] where ufw would print [${expect}]`);
      expect = (r.number ?? expect) + 1;
    }
  } else if (mode === 'plain' || mode === 'verbose') {
    // Inbound, then outbound, then route rules; IPv4 before IPv6 in each group.
    const group = (r: UfwRule) => (r.direction === 'fwd' ? 2 : r.direction === 'out' ? 1 : 0);
    let prev: UfwRule | undefined;
    for (const r of rules) {
      if (prev && (group(r) < group(prev) || (group(r) === group(prev) && prev.v6 && !r.v6)))
        report.at(r.line, 'ufw/order', 'warning', 'ufw lists inbound, outbound then route rules, IPv4 before IPv6 in each group');
      prev = r;
    }
  }
  return out;
}

/**
 * Findings over ufw's rule files (format `ufw-rules`): rule lines ufw does not know (no tuple above them), tuples whose
 * iptables lines are not the ones ufw writes for them, rules an earlier broader rule shadows, and
 * (over user.rules and user6.rules together) rules without their twin in the other family.
 */
import { Reporter, type Diagnostic } from '../core/diagnostics.js';
import { ipv6Words } from '../core/ip.js';
import type { UfwRuleSpec } from '../ufw/model.js';
import { IPV4_ONLY_PROTOCOLS } from '../ufw/model.js';
import type { UfwRulesDocument } from './document.js';
import type { UfwFileRule } from './model.js';
import { chainLines, tupleText } from './tuple.js';
import type { UfwRulesCode } from './codes.js';

const squash = (s: string) => s.trim().replace(/\s+/g, ' ');


/** Syntax diagnostics plus the findings of one rule file. */
export function checkRules(doc: UfwRulesDocument): Diagnostic[] {
  const out = [...doc.diagnostics];
  if (doc.kind !== 'user') return out;
  const report = new Reporter<UfwRulesCode>(doc.file, out);
  for (const u of doc.untupled())
    report.at(u.line, 'ufw-rules/untupled-rule', 'error', `this ${u.node.chain} line has no \`### tuple ###\` above it: \`ufw status\` does not show it and ufw drops it the next time it writes the file`);
  const rules = doc.rules();
  for (const r of rules) {
    const want = chainLines(r.spec).map(squash);
    const have = r.chainLines.map(squash);
    if (want.length !== have.length || want.some((w, i) => w !== have[i])) {
      const first = want.findIndex((w, i) => w !== have[i]);
      report.at(r.line, 'ufw-rules/tuple-mismatch', 'warning',
          `the iptables lines under this tuple are not what ufw writes for it (the kernel gets them, \`ufw status\` shows the tuple); ufw writes ${have[first] === undefined ? 'one more line: ' : 'line ' + (first + 1) + ' as: '}${want[first] ?? '(no more lines)'}`);
    }
  }
  for (const s of shadowed(rules))
    report.at(s.rule.line, 'ufw-rules/shadowed', 'warning',
        `this rule never matches: the rule on line ${s.by.line} (${tupleText(s.by.spec).slice(14)}) comes first and matches all its packets${s.by.spec.action === s.rule.spec.action ? ' (it is redundant)' : ''}`);
  return out;
}

// --- shadowing ------------------------------------------------------------------------------

type Net = { v6: boolean; bits: bigint; len: number };

function net(a: string | null): Net | null | undefined {
  if (a === null) return null; // any
  const [ip, mask] = a.split('/');
  const p4 = ip!.split('.');
  if (p4.length === 4 && p4.every((x) => /^\d+$/.test(x))) {
    const bits = p4.reduce((acc, x) => (acc << 8n) | BigInt(Number(x)), 0n);
    let len = 32;
    if (mask !== undefined) {
      if (/^\d+$/.test(mask)) len = Number(mask);
      else {
        const m = net(mask);
        if (!m) return undefined;
        const s = m.bits.toString(2).padStart(32, '0');
        if (!/^1*0*$/.test(s)) return undefined;
        len = s.indexOf('0') < 0 ? 32 : s.indexOf('0');
      }
    }
    return { v6: false, bits, len };
  }
  const w = ipv6Words(ip!);
  if (!w) return undefined;
  return { v6: true, bits: w.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n), len: mask === undefined ? 128 : Number(mask) };
}

function netCovers(outer: string | null, inner: string | null): boolean {
  const o = net(outer);
  if (o === null) return true;
  const i = net(inner);
  if (o === undefined || i === undefined || i === null || o.v6 !== i.v6 || o.len > i.len) return false;
  const width = BigInt(o.v6 ? 128 : 32);
  const shift = width - BigInt(o.len);
  return o.bits >> shift === i.bits >> shift;
}

function ranges(p: string): [number, number][] {
  return p.split(',').map((x) => {
    const [a, b] = x.split(':');
    return [Number(a), Number(b ?? a)];
  });
}

function portCovers(outer: string | null, inner: string | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  const o = ranges(outer);
  return ranges(inner).every(([a, b]) => o.some(([c, d]) => c <= a && b <= d));
}

/** The protocols a rule's iptables lines match: any with ports means tcp and udp. */
function protos(r: UfwRuleSpec): string[] | null {
  if (r.proto !== null) return [r.proto];
  return r.dport !== null || r.sport !== null ? ['tcp', 'udp'] : null;
}

/** Whether every packet `b` matches is matched by `a` first. */
export function covers(a: UfwRuleSpec, b: UfwRuleSpec): boolean {
  if (a.route !== b.route || a.direction !== b.direction || a.v6 !== b.v6) return false;
  if (a.interfaceIn !== null && a.interfaceIn !== b.interfaceIn) return false;
  if (a.interfaceOut !== null && a.interfaceOut !== b.interfaceOut) return false;
  const pa = protos(a);
  const pb = protos(b);
  if (pa !== null && (pb === null || !pb.every((p) => pa.includes(p)))) return false;
  return netCovers(a.src, b.src) && netCovers(a.dst, b.dst) && portCovers(a.dport, b.dport) && portCovers(a.sport, b.sport);
}

/** Rules that an earlier rule of the same file matches entirely. */
export function shadowed(rules: readonly UfwFileRule[]): { rule: UfwFileRule; by: UfwFileRule }[] {
  const out: { rule: UfwFileRule; by: UfwFileRule }[] = [];
  for (let j = 1; j < rules.length; j++) {
    for (let i = 0; i < j; i++) {
      // a limit rule lets the first packets through and rejects the rest: it hides nothing it does not also decide
      if (covers(rules[i]!.spec, rules[j]!.spec) && rules[i]!.spec.action !== 'limit') {
        out.push({ rule: rules[j]!, by: rules[i]! });
        break;
      }
    }
  }
  return out;
}

// --- v4 / v6 symmetry ----------------------------------------------------------------------

/** The key of a rule without its family: what `ufw allow 22/tcp` adds to both files. */
function familyKey(r: UfwRuleSpec): string {
  return tupleText({ ...r, v6: false });
}

/**
 * Rules with no address (that ufw adds to both families) present in one file only. Only
 * meaningful with IPV6=yes.
 */
export function checkFamilies(v4: UfwRulesDocument, v6: UfwRulesDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const in4 = new Reporter<UfwRulesCode>(v4.file, out);
  const in6 = new Reporter<UfwRulesCode>(v6.file, out);
  const symmetric = (r: UfwRuleSpec) => r.src === null && r.dst === null && (r.proto === null || !IPV4_ONLY_PROTOCOLS.includes(r.proto));
  const keys6 = new Set(v6.rules().map((r) => familyKey(r.spec)));
  const keys4 = new Set(v4.rules().map((r) => familyKey(r.spec)));
  for (const r of v4.rules())
    if (symmetric(r.spec) && !keys6.has(familyKey(r.spec)))
      in4.at(r.line, 'ufw-rules/no-v6-twin', 'warning', 'this rule has no address, and user6.rules has no IPv6 twin for it: IPv6 traffic is not handled the same way (ufw adds both)');
  for (const r of v6.rules())
    if (symmetric(r.spec) && !keys4.has(familyKey(r.spec)))
      in6.at(r.line, 'ufw-rules/no-v4-twin', 'warning', 'this rule has no address, and user.rules has no IPv4 twin for it: IPv4 traffic is not handled the same way (ufw adds both)');
  return out;
}

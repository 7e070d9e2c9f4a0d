/**
 * Diagnostics beyond syntax: references to chains that do not exist, policies, chain names, matches
 * used without their protocol, unknown modules, lines one family skips.
 */
import { diagnostic, Reporter, type Diagnostic } from '../core/diagnostics.js';
import { countNewlines } from '../core/lines.js';
import { readRule, type IptablesDocument } from './document.js';
import { BUILTIN_CHAINS, MAX_CHAIN_NAME, PROTOCOL_MATCH, STANDARD_TARGETS, targetExtensions } from './modules.js';
import { addressKind } from './canonical.js';
import type { IptablesCode } from './codes.js';

/**
 * An info diagnostic saying which family the file is read for and why, when nothing says so for
 * certain (no ip6tables-save/iptables-save header, no family given): the family decides between
 * iptables and ip6tables (`script`), and the defaults rules are compared with (`diff`).
 */
export function familyDiagnostic(doc: IptablesDocument): Diagnostic | undefined {
  const message = familyAssumed(doc);
  return message && doc.blocks.length ? diagnostic('iptables/family-assumed', 'info', message, { line: 1, column: 1 }, doc.file) : undefined;
}

function familyAssumed(doc: IptablesDocument): string | undefined {
  const name = doc.file ? doc.file.slice(doc.file.lastIndexOf('/') + 1) : '';
  switch (doc.familySource) {
    case 'file-name':
      return `read as ${doc.family === 'ipv6' ? 'an ip6tables' : 'an iptables (IPv4)'} file, from its name ${name}; fwconf iptables --family ipv4|ipv6 reads it otherwise`;
    case 'rules':
      return 'read as an ip6tables file, from the IPv6 addresses or ICMPv6 in its rules; name it *.v6 or give fwconf iptables --family ipv6 to say so';
    case 'default':
      return 'read as an iptables (IPv4) file: no ip6tables-save header, no IPv6 address, and a name not rules.v6, *.v6 or ip6tables*; fwconf iptables --family ipv6 reads it as ip6tables';
    default:
      return undefined;
  }
}

const NEEDS_PROTOCOL = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'icmp', 'icmp6', 'esp', 'ah', 'mh']);

/** Every diagnostic of a dump: the parse's, and what iptables-restore would refuse or misread (unknown matches and targets, options of the other family, jumps to missing chains, ...). */
export function check(doc: IptablesDocument): Diagnostic[] {
  const out: Diagnostic[] = [...doc.diagnostics];
  const file = doc.file;
  const family = doc.family;
  const report = new Reporter<IptablesCode>(file, out);
  // Line numbers of nodes, in one walk.
  const lineOf = new Map<object, number>();
  let line = 1;
  for (const n of doc.nodes) {
    if (n.kind === 'rule' || n.kind === 'chain') lineOf.set(n, line);
    line += countNewlines(n.raw);
  }
  const assumed = familyDiagnostic(doc);
  if (assumed) out.push(assumed);
  for (const block of doc.blocks) {
    const builtins = BUILTIN_CHAINS[block.name] ?? [];
    const declared = new Set<string>();
    for (const c of block.chains) {
      const cl = c.chainLine!;
      const l = lineOf.get(c)!;
      if (declared.has(cl.name)) report.at(l, 'iptables/duplicate-chain', 'error', `chain ${cl.name} is declared twice`);
      declared.add(cl.name);
      if (cl.name.length > MAX_CHAIN_NAME) report.at(l, 'iptables/chain-name-too-long', 'error', `chain name ${cl.name} is longer than ${MAX_CHAIN_NAME} characters`);
      if (/^[-!]/.test(cl.name)) report.at(l, 'iptables/invalid-chain-name', 'error', `chain name ${cl.name} must not start with - or !`);
      if (builtins.includes(cl.name)) {
        if (cl.policy !== 'ACCEPT' && cl.policy !== 'DROP' && cl.policy !== '')
          report.at(l, 'iptables/invalid-policy', 'error', `policy of built-in chain ${cl.name} must be ACCEPT or DROP, not ${cl.policy}`);
      } else {
        if (STANDARD_TARGETS.has(cl.name) || targetExtensions.has(cl.name))
          report.at(l, 'iptables/invalid-chain-name', 'error', `chain name ${cl.name} is the name of a target`);
        if (cl.policy !== '-' && cl.policy !== '') report.at(l, 'iptables/user-chain-policy', 'warning', `user chain ${cl.name} has policy ${cl.policy}: iptables-restore ignores it (write -)`);
      }
    }
    // Chains created by -N lines count from where they appear; a first pass collects them all.
    const created = new Set(declared);
    const rules = block.rules.map((n) => ({ n, r: readRule(n) }));
    for (const { r } of rules) if (r.command === 'new-chain' && r.chain) created.add(r.chain);
    for (const { n, r } of rules) {
      const l = lineOf.get(n)!;
      if (r.onlyFamily && r.onlyFamily !== family)
        report.at(l, 'iptables/other-family', 'info', `${r.onlyFamily === 'ipv6' ? 'iptables' : 'ip6tables'}-restore skips this line (${r.onlyFamily === 'ipv6' ? '-6' : '-4'})`);
      if (r.chain && ['append', 'insert', 'delete', 'replace', 'check', 'flush', 'zero', 'policy'].includes(r.command) && !created.has(r.chain) && !builtins.includes(r.chain))
        report.at(l, 'iptables/unknown-chain', 'error', `chain ${r.chain} does not exist in table ${block.name}`);
      for (const [flag, a] of [['-s', r.source], ['-d', r.destination]] as const) {
        if (!a || (r.onlyFamily && r.onlyFamily !== family)) continue;
        for (const item of a.address.split(',')) {
          const kind = addressKind(item);
          if (kind === 'name')
            report.at(l, 'iptables/host-name', 'warning', `${flag} ${item} is a host name: iptables-restore resolves it when it loads the file, one rule per address found (or fails without DNS); write the address`);
          else if (kind !== family)
            report.at(l, 'iptables/wrong-family', 'error', `${flag} ${item} is an ${kind === 'ipv6' ? 'IPv6' : 'IPv4'} address in an ${family === 'ipv6' ? 'ip6tables' : 'iptables'} file`);
        }
      }
      if (r.target && (r.target.kind === 'chain' || r.target.goto)) {
        if (!created.has(r.target.name) && !STANDARD_TARGETS.has(r.target.name)) {
          report.at(l, 'iptables/unknown-target', 'error', `no chain or target named ${r.target.name} in table ${block.name}`);
        } else if (builtins.includes(r.target.name)) report.at(l, 'iptables/jump-to-builtin', 'error', `cannot jump to built-in chain ${r.target.name}`);
      }
      for (const m of r.matches) {
        if (!m.known) report.at(l, 'iptables/unknown-module', 'warning', `match module ${m.name} is not in fwconf's tables; its options were kept as written`);
        if (m.known && NEEDS_PROTOCOL.has(m.name) && !m.implicit) {
          const p = r.protocol && !r.protocol.negated ? PROTOCOL_MATCH[r.protocol.name.toLowerCase()] : undefined;
          if (p !== m.name) report.at(l, 'iptables/match-needs-protocol', 'error', `-m ${m.name} needs -p ${m.name === 'icmp6' ? 'ipv6-icmp' : m.name}`);
        }
        if (m.name === 'icmp' && family === 'ipv6') report.at(l, 'iptables/wrong-family', 'error', '-m icmp is for iptables; ip6tables uses -m icmp6');
        if (m.name === 'icmp6' && family === 'ipv4') report.at(l, 'iptables/wrong-family', 'error', '-m icmp6 is for ip6tables; iptables uses -m icmp');
      }
    }
  }
  return out;
}

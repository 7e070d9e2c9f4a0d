/**
 * The fail2ban view of a dump: the chains fail2ban's iptables actions create (`f2b-JAIL`), the
 * addresses banned in them with their block type, the rules that send traffic there, and the jails
 * that ban through an ipset (`-m set --match-set f2b-JAIL src`).
 */
import { withHostPrefix, toCommand, type IptablesDocument, type RuleRef } from './document.js';
import type { Rule } from './model.js';

export interface Ban {
  jail: string;
  table: string;
  chain: string;
  /** As written in the dump (`192.0.2.7/32`). */
  address: string;
  /** The target with its options, as fail2ban's `blocktype` (`REJECT --reject-with icmp-port-unreachable`, `DROP`). */
  blocktype: string;
  /** 1-based line in the dump. */
  line: number;
  /** The command that lifts the ban (`iptables -D f2b-sshd -s 192.0.2.7/32 -j REJECT --reject-with icmp-port-unreachable`). */
  unban: string;
}

export interface JailEntry {
  /** The chain that jumps to the jail's chain (`INPUT`). */
  chain: string;
  protocol?: string;
  /** `--dports` / `--dport` of the jump rule. */
  ports?: string;
  rule: Rule;
}

export interface Fail2banJail {
  jail: string;
  table: string;
  /** `f2b-JAIL`, or undefined for ipset-only jails. */
  chain?: string;
  bans: Ban[];
  /** Rules that send traffic to the jail's chain. */
  entries: JailEntry[];
  /** ipset names matched by rules (`iptables-ipset-proto6` actions); their members live in the kernel's ipset, not in the dump. */
  ipsets: { set: string; blocktype: string; chain: string; rule: Rule }[];
}

export interface Fail2banView {
  jails: Fail2banJail[];
  bans: Ban[];
}

const PREFIX = 'f2b-';

export function blocktypeOf(rule: Rule): string {
  if (!rule.target) return '';
  return [rule.target.name, ...rule.target.options.flatMap((o) => [(o.negated ? '! --' : '--') + o.name, ...o.args])].join(' ');
}

export function fail2ban(doc: IptablesDocument): Fail2banView {
  const jails = new Map<string, Fail2banJail>();
  const family = doc.family;
  const jail = (table: string, name: string): Fail2banJail => {
    const key = `${table}\u0000${name}`;
    let j = jails.get(key);
    if (!j) jails.set(key, (j = { jail: name, table, bans: [], entries: [], ipsets: [] }));
    return j;
  };
  for (const t of doc.tables()) {
    for (const c of t.chains()) if (c.name.startsWith(PREFIX)) jail(t.name, c.name.slice(PREFIX.length)).chain = c.name;
    for (const ref of t.rules()) {
      const r = ref.rule;
      if (r.command !== 'append' && r.command !== 'insert') continue;
      if (r.chain.startsWith(PREFIX)) {
        const j = jail(t.name, r.chain.slice(PREFIX.length));
        if (r.source && r.target && r.target.name !== 'RETURN') {
          j.bans.push({
            jail: j.jail,
            table: t.name,
            chain: r.chain,
            address: r.source.address,
            blocktype: blocktypeOf(r),
            line: 0,
            unban: toCommand(r, 'delete', { family }),
          });
          (j.bans[j.bans.length - 1] as Ban & { ref?: RuleRef }).ref = ref;
        }
      }
      if (r.target && r.target.name.startsWith(PREFIX) && (r.target.kind === 'chain' || r.target.goto)) {
        const j = jail(t.name, r.target.name.slice(PREFIX.length));
        const ports = r.matches.flatMap((m) => m.options.filter((o) => o.name === 'dports' || o.name === 'dport').map((o) => o.args[0]!));
        j.entries.push({ chain: r.chain, ...(r.protocol ? { protocol: r.protocol.name } : {}), ...(ports.length ? { ports: ports.join(',') } : {}), rule: r });
      }
      for (const m of r.matches) {
        if (m.name !== 'set') continue;
        for (const o of m.options) {
          if (o.name === 'match-set' && o.args[0]?.startsWith(PREFIX) && !o.negated) {
            const j = jail(t.name, o.args[0].slice(PREFIX.length));
            j.ipsets.push({ set: o.args[0], blocktype: blocktypeOf(r), chain: r.chain, rule: r });
          }
        }
      }
    }
  }
  // Line numbers in one walk.
  const refs = new Map<object, Ban>();
  for (const j of jails.values()) for (const b of j.bans) refs.set((b as Ban & { ref?: RuleRef }).ref!.node, b);
  let line = 1;
  for (const n of doc.nodes) {
    const b = refs.get(n);
    if (b) b.line = line;
    for (let i = n.raw.indexOf('\n'); i >= 0; i = n.raw.indexOf('\n', i + 1)) line++;
  }
  for (const j of jails.values()) for (const b of j.bans) delete (b as Ban & { ref?: RuleRef }).ref;
  const list = [...jails.values()];
  return { jails: list, bans: list.flatMap((j) => j.bans) };
}

/** Whether an address is banned by some f2b chain (`1.2.3.4` matches `1.2.3.4/32`). */
export function isBanned(doc: IptablesDocument, address: string): Ban[] {
  const a = withHostPrefix(address);
  return fail2ban(doc).bans.filter((b) => withHostPrefix(b.address) === a);
}

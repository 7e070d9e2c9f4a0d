/**
 * The fail2ban view of a dump: the chains fail2ban's iptables actions create (`f2b-JAIL` since 0.9,
 * `fail2ban-JAIL` in 0.8), the
 * addresses banned in them with their block type, the rules that send traffic there, and the jails
 * that ban through an ipset (`-m set --match-set f2b-JAIL src`).
 */
import { withHostPrefix, toCommand, type IptablesDocument, type RuleRef } from './document.js';
import type { Rule } from './model.js';

/** One address a fail2ban jail bans: the rule in the jail's chain, and the command that lifts it. */
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

/** A rule that sends traffic into a jail's chain (`-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd`). */
export interface JailEntry {
  /** The chain that jumps to the jail's chain (`INPUT`). */
  chain: string;
  protocol?: string;
  /** `--dports` / `--dport` of the jump rule. */
  ports?: string;
  rule: Rule;
}

/** A fail2ban jail as its rules show it: its chain, the jumps that lead to it and its bans. */
export interface Fail2banJail {
  jail: string;
  table: string;
  /** `f2b-JAIL` (`fail2ban-JAIL` from fail2ban 0.8), or undefined for ipset-only jails. */
  chain?: string;
  bans: Ban[];
  /** Rules that send traffic to the jail's chain. */
  entries: JailEntry[];
  /** ipset names matched by rules (`iptables-ipset-proto6` actions); their members live in the kernel's ipset, not in the dump. */
  ipsets: { set: string; blocktype: string; chain: string; rule: Rule }[];
}

/** fail2ban's jails and bans in a dump. */
export interface Fail2banView {
  jails: Fail2banJail[];
  bans: Ban[];
}

/** The chain prefixes of fail2ban's iptables actions: `f2b-` (0.9 and later), `fail2ban-` (0.8). */
export const CHAIN_PREFIXES = ['f2b-', 'fail2ban-'] as const;

/** The jail a fail2ban chain (or ipset) is named after, or undefined for another name. */
export function jailOfChain(name: string): string | undefined {
  for (const p of CHAIN_PREFIXES) if (name.startsWith(p) && name.length > p.length) return name.slice(p.length);
  return undefined;
}

/** A rule's target with its options as fail2ban's `blocktype` writes it (`REJECT --reject-with icmp-port-unreachable`). */
export function blocktypeOf(rule: Rule): string {
  if (!rule.target) return '';
  return [rule.target.name, ...rule.target.options.flatMap((o) => [(o.negated ? '! --' : '--') + o.name, ...o.args])].join(' ');
}

/** The jails and bans fail2ban's iptables actions left in a dump (chains `f2b-JAIL`, or `fail2ban-JAIL` from fail2ban 0.8). */
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
    for (const c of t.chains()) {
      const name = jailOfChain(c.name);
      if (name !== undefined) jail(t.name, name).chain = c.name;
    }
    for (const ref of t.rules()) {
      const r = ref.rule;
      if (r.command !== 'append' && r.command !== 'insert') continue;
      const own = jailOfChain(r.chain);
      if (own !== undefined) {
        const j = jail(t.name, own);
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
      const to = r.target ? jailOfChain(r.target.name) : undefined;
      if (r.target && to !== undefined && (r.target.kind === 'chain' || r.target.goto)) {
        const j = jail(t.name, to);
        const ports = r.matches.flatMap((m) => m.options.filter((o) => o.name === 'dports' || o.name === 'dport').map((o) => o.args[0]!));
        j.entries.push({ chain: r.chain, ...(r.protocol ? { protocol: r.protocol.name } : {}), ...(ports.length ? { ports: ports.join(',') } : {}), rule: r });
      }
      for (const m of r.matches) {
        if (m.name !== 'set') continue;
        for (const o of m.options) {
          const set = o.name === 'match-set' && !o.negated && o.args[0] !== undefined ? jailOfChain(o.args[0]) : undefined;
          if (set !== undefined) {
            const j = jail(t.name, set);
            j.ipsets.push({ set: o.args[0]!, blocktype: blocktypeOf(r), chain: r.chain, rule: r });
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

/** Whether an address is banned by some fail2ban chain (`1.2.3.4` matches `1.2.3.4/32`). */
export function isBanned(doc: IptablesDocument, address: string): Ban[] {
  const a = withHostPrefix(address);
  return fail2ban(doc).bans.filter((b) => withHostPrefix(b.address) === a);
}

/**
 * nftables tables as a ruleset names them: the output of `nft list ruleset` (given with
 * `--nft-ruleset FILE`) or a file `nft -f` loads (/etc/nftables.conf, which nftables.service loads at
 * boot). Each table with its line and its base chains (hook, policy), for host/ufw-with-nftables: a
 * table that neither ufw (through iptables-nft) nor fail2ban made filters the same packets as ufw's.
 */
import { FAIL2BAN_TABLE, isXtablesTable, type NftTable } from './nft-tables.js';

/** A base chain: a chain attached to a hook, which sees every packet on it. */
export interface NftBaseChain {
  readonly name: string;
  readonly hook: string;
  /** `accept` (nft's default) or `drop`. */
  readonly policy: string;
  readonly line: number;
  /** Its rules that accept TCP ports from anywhere (`tcp dport 22 accept`, `tcp dport { 80, 443 } accept`). */
  readonly accepts: readonly { readonly ports: readonly (readonly [number, number])[]; readonly line: number }[];
  /** The line of a rule that drops (or rejects) every packet left, under a policy accept. */
  readonly dropsAt?: number;
}

export interface NftRulesetTable extends NftTable {
  readonly file: string;
  /** 1-based line of the table's declaration. */
  readonly line: number;
  readonly chains: readonly NftBaseChain[];
}

/** The tables a ruleset declares, in order (one entry per table, its chains merged). */
export function readNftRuleset(text: string, file: string): NftRulesetTable[] {
  const tables = new Map<string, { family: string; name: string; file: string; line: number; chains: NftBaseChain[] }>();
  const table = (family: string, name: string, line: number) => {
    const key = `${family} ${name}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { family, name: name.replace(/^"(.*)"$/, '$1'), file, line, chains: [] }));
    return t;
  };
  const baseChain = (body: string) => {
    const hook = /\bhook\s+(\w+)/.exec(body)?.[1];
    if (!hook) return undefined;
    return { hook, policy: /\bpolicy\s+(\w+)/.exec(body)?.[1] ?? 'accept', accepts: [] as { ports: [number, number][]; line: number }[] };
  };
  let depth = 0;
  let current: ReturnType<typeof table> | undefined;
  let chain: { name: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/(^|\s)#.*$/, '');
    const n = i + 1;
    const t = line.trim();
    const family = (f: string | undefined) => f ?? 'ip';
    if (depth === 0) {
      // `table [family] name {`, `add|create table [family] name`, `add chain [family] table chain { ... }`
      const decl = /^(?:(?:add|create)\s+)?table\s+(?:(ip|ip6|inet|arp|bridge|netdev)\s+)?(\S+?)\s*(\{|$)/.exec(t);
      if (decl) {
        const tb = table(family(decl[1]), decl[2]!, n);
        if (decl[3] === '{') current = tb;
      }
      const add = /^(?:add|create)\s+chain\s+(?:(ip|ip6|inet|arp|bridge|netdev)\s+)?(\S+)\s+(\S+)\s*(\{.*)?$/.exec(t);
      if (add) {
        const b = baseChain(add[4] ?? '');
        const tb = table(family(add[1]), add[2]!, n);
        if (b) tb.chains.push({ name: add[3]!, ...b, line: n });
      }
    } else if (depth === 1 && current) {
      const c = /^chain\s+(\S+)\s*\{/.exec(t);
      if (c) chain = { name: c[1]!, line: n };
    } else if (depth === 2 && current && chain) {
      const b = baseChain(t);
      if (b && !current.chains.some((x) => x.name === chain!.name)) current.chains.push({ name: chain.name, ...b, line: n });
      const base = current.chains.find((x) => x.name === chain!.name);
      const ports = acceptedPorts(t);
      if (base && ports) (base.accepts as { ports: [number, number][]; line: number }[]).push({ ports, line: n });
      if (base && (base as { dropsAt?: number }).dropsAt === undefined && /^(?:counter(?:\s+packets\s+\d+\s+bytes\s+\d+)?\s+)?(?:drop|reject(?:\s+with\s+.*)?)\s*$/.test(t))
        (base as { dropsAt?: number }).dropsAt = n;
    }
    for (const ch of line) {
      if (ch === '{') depth++;
      else if (ch === '}') {
        depth = Math.max(0, depth - 1);
        if (depth === 1) chain = undefined;
        if (depth === 0) current = undefined;
      }
    }
  });
  return [...tables.values()];
}

/** The ports of a rule that accepts TCP to them from anywhere (no address or interface match), else undefined. */
function acceptedPorts(rule: string): [number, number][] | undefined {
  if (!/\baccept\s*$/.test(rule) || /\b(saddr|daddr|iif|iifname|oif|oifname|ct\s+state)\b/.test(rule)) return undefined;
  const m = /^(?:meta\s+l4proto\s+tcp\s+)?tcp\s+dport\s+(\{[^}]*\}|\S+)\s+(?:counter(?:\s+packets\s+\d+\s+bytes\s+\d+)?\s+)?accept\s*$/.exec(rule);
  if (!m) return undefined;
  const out: [number, number][] = [];
  for (const part of m[1]!.replace(/[{}]/g, '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const r = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!r) return undefined;
    out.push([Number(r[1]), Number(r[2] ?? r[1])]);
  }
  return out;
}

/** Whether the table's input base chains let a TCP port in: none drops what is left (by its policy or a last `drop`/`reject` rule), or each that does accepts the port first. */
export function tableLetsIn(t: NftRulesetTable, port: number): { allowed: boolean; chain?: NftBaseChain } {
  for (const c of t.chains) {
    if (c.hook !== 'input' || (c.policy !== 'drop' && c.dropsAt === undefined)) continue;
    // Under a catch-all drop rule, only the accepts before it count.
    const before = c.accepts.filter((a) => c.dropsAt === undefined || a.line < c.dropsAt);
    if (!before.some((a) => a.ports.some(([x, y]) => port >= x && port <= y))) return { allowed: false, chain: c };
  }
  return { allowed: true };
}

/**
 * The tables of a ruleset that neither iptables-nft (ufw's backend) nor fail2ban made. In the output
 * of `nft list ruleset` a table with an xtables name is iptables-nft's; in a file nft loads, every
 * table is hand-made (iptables-nft writes no files).
 */
export function foreignTables(tables: readonly NftRulesetTable[], source: 'ruleset' | 'file'): NftRulesetTable[] {
  return tables.filter((t) => source === 'file' || (!isXtablesTable(t) && !(t.family === FAIL2BAN_TABLE.family && t.name === FAIL2BAN_TABLE.name)));
}

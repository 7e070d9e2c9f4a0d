/**
 * The ban database against the firewall: the bans fail2ban holds (current `bips` rows) that an
 * iptables-save dump lacks, and the addresses the dump's fail2ban chains block with no ban behind them —
 * each with the command that repairs it.
 *
 * - A ban whose jail has no chain in the dump (`f2b-JAIL`, or `fail2ban-JAIL` from 0.8): the chain was
 *   removed (`iptables -F/-X`, a firewall reload). `fail2ban-client reload --restart JAIL` stops the
 *   jail and starts it again, which creates the chain and restores the jail's bans from the database.
 * - A ban whose jail's chain exists without the address: the rule was deleted by hand. fail2ban still
 *   counts the address as banned, so `banip` would only answer "already banned": the repair is the rule
 *   the action's `actionban` inserts (`iptables -I f2b-JAIL 1 -s ADDR -j BLOCKTYPE`).
 * - An address in a fail2ban chain with no current ban in the database (never banned by this server,
 *   unbanned, or its ban ended while the server was not running): the rule's `iptables -D` line.
 *
 * Jails that ban through an ipset (`-m set --match-set f2b-JAIL src`) keep their addresses in the kernel's
 * set, not in the dump: their bans are not compared. Each dump is compared with the bans of its family.
 */
import { isIP } from 'node:net';
import { shlexSplit } from '../resolve.js';
import { withHostPrefix, type IptablesDocument } from '../../iptables/document.js';
import { fail2ban, type Fail2banJail } from '../../iptables/fail2ban.js';
import { shellJoin } from '../../core/shell.js';
import type { BanView, JailBans } from './bans.js';

/** What differs: a banned jail's chain is missing, a ban's rule is missing from its chain, or a chain holds an address with no current ban. */
export type DriftKind = 'chain-missing' | 'rule-missing' | 'no-ban';

/** One difference between the ban database and the firewall: what differs, why, and the command that repairs it. */
export interface Drift {
  kind: DriftKind;
  jail: string;
  ip: string;
  /** The dump compared (its file name). */
  dump?: string;
  table?: string;
  /** The jail's chain, when the dump has it. */
  chain?: string;
  /** For `no-ban`: the rule's 1-based line in the dump. */
  line?: number;
  /** For `no-ban`, the address as written in the dump (`192.0.2.7/32`). */
  address?: string;
  /** The ban in the database (`chain-missing`, `rule-missing`), or the latest ended one (`no-ban`). */
  ban?: BanView;
  /** One sentence: what differs and why. */
  why: string;
  /** The command that repairs it, as a shell line. */
  repair: string;
  /** The same as an argument list. */
  repairArgv: string[];
}

/** The ban database against the firewall's dumps: the differences, and the bans no dump could show. */
export interface Reconciliation {
  differences: Drift[];
  /** Current bans no dump of their family was given for (an IPv6 ban and only an iptables dump). */
  notCompared: { jail: string; ip: string; reason: string }[];
}

const DEFAULT_BLOCKTYPE = { ipv4: 'REJECT --reject-with icmp-port-unreachable', ipv6: 'REJECT --reject-with icmp6-port-unreachable' } as const;

function familyOf(ip: string): 'ipv4' | 'ipv6' | undefined {
  const f = isIP(ip);
  return f === 4 ? 'ipv4' : f === 6 ? 'ipv6' : undefined;
}

/** Bans (the current ones of `jails`; the past ones name an ended ban) against one or more dumps. */
export function reconcile(jails: readonly JailBans[], dumps: readonly IptablesDocument[]): Reconciliation {
  const differences: Drift[] = [];
  const notCompared: Reconciliation['notCompared'] = [];
  const current = jails.flatMap((j) => j.current);
  const families = new Set(dumps.map((d) => d.family));
  for (const b of current) {
    const f = familyOf(b.ip);
    if (f === undefined) notCompared.push({ jail: b.jail, ip: b.ip, reason: 'not an IP address' });
    else if (!families.has(f)) notCompared.push({ jail: b.jail, ip: b.ip, reason: `no ${f === 'ipv6' ? 'ip6tables' : 'iptables'}-save dump given` });
  }
  for (const doc of dumps) {
    const family = doc.family;
    const tool = family === 'ipv6' ? 'ip6tables' : 'iptables';
    const dump = doc.file;
    const view = fail2ban(doc);
    const byJail = new Map<string, Fail2banJail[]>();
    for (const j of view.jails) byJail.set(j.jail, [...(byJail.get(j.jail) ?? []), j]);
    const at = (x: object) => (dump !== undefined ? { dump, ...x } : x);
    for (const b of current) {
      if (familyOf(b.ip) !== family) continue;
      const js = byJail.get(b.jail) ?? [];
      const chained = js.filter((j) => j.chain !== undefined);
      if (!chained.length) {
        if (js.some((j) => j.ipsets.length)) {
          notCompared.push({ jail: b.jail, ip: b.ip, reason: `the jail bans through the ipset ${js.flatMap((j) => j.ipsets.map((s) => s.set))[0]}, whose members are not in the dump` });
          continue;
        }
        const argv = ['fail2ban-client', 'reload', '--restart', b.jail];
        differences.push({
          kind: 'chain-missing',
          ...at({}),
          jail: b.jail,
          ip: b.ip,
          ban: b,
          why: `banned in the database, but the dump has no chain f2b-${b.jail} (nor fail2ban-${b.jail}): the jail's chain was removed (or the jail does not ban through ${tool})`,
          repair: shellJoin(argv),
          repairArgv: argv,
        });
        continue;
      }
      const want = withHostPrefix(b.ip);
      if (chained.some((j) => j.bans.some((r) => withHostPrefix(r.address) === want))) continue;
      const j = chained[0]!;
      const blocktype = j.bans[0]?.blocktype ?? DEFAULT_BLOCKTYPE[family];
      const argv = [tool, ...(j.table !== 'filter' ? ['-t', j.table] : []), '-I', j.chain!, '1', '-s', b.ip, '-j', ...blocktype.split(' ')];
      differences.push({
        kind: 'rule-missing',
        ...at({ table: j.table, chain: j.chain! }),
        jail: b.jail,
        ip: b.ip,
        ban: b,
        why: `banned in the database, but ${j.chain} has no rule for it: the rule was deleted by hand (fail2ban still counts it banned, so banip would only say "already banned")`,
        repair: shellJoin(argv),
        repairArgv: argv,
      });
    }
    const banned = new Set(current.map((b) => `${b.jail}\u0000${withHostPrefix(b.ip)}`));
    const ended = new Map<string, BanView>();
    for (const j of jails) for (const b of j.past) if (!ended.has(`${b.jail}\u0000${withHostPrefix(b.ip)}`)) ended.set(`${b.jail}\u0000${withHostPrefix(b.ip)}`, b);
    for (const r of view.bans) {
      const key = `${r.jail}\u0000${withHostPrefix(r.address)}`;
      if (banned.has(key)) continue;
      const past = ended.get(key);
      const ip = r.address.replace(family === 'ipv6' ? /\/128$/ : /\/32$/, '');
      differences.push({
        kind: 'no-ban',
        ...at({ table: r.table, chain: r.chain, line: r.line, address: r.address }),
        jail: r.jail,
        ip,
        ...(past ? { ban: past } : {}),
        why: `in ${r.chain}${dump !== undefined ? ` (${dump}:${r.line})` : ''}, but the database holds no current ban of it in ${r.jail}${past ? ` (its last ban ended at ${past.endOfBan !== null ? isoTime(past.endOfBan) : 'an unknown time'})` : ''}: fail2ban will never lift it`,
        repair: r.unban,
        repairArgv: shlexSplit(r.unban),
      });
    }
  }
  return { differences, notCompared };
}

/** Unix seconds as `2016-02-29T12:46:40Z`. */
export function isoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace(/\.000Z$/, 'Z');
}

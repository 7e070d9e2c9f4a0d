/**
 * nftables tables beside ufw. ufw drives iptables, which on Debian is iptables-nft: its rules live in
 * nf_tables tables it creates and names after the xtables tables. Any other table is somebody else's
 * (a hand-made /etc/nftables.conf, another firewall manager) and sees every packet too: a packet goes
 * through every base chain on its hook, and a drop in any of them is final — so a hand-made
 * `table inet filter` with `policy drop` drops the port ufw was just told to allow, and one that
 * accepts duplicates rules ufw does not know about.
 */
import type { Executor, RunResult } from './executor.js';
import { FAIL2BAN_TABLE, isXtablesTable, type NftTable } from '../host/nft-tables.js';

export { FAIL2BAN_TABLE, XTABLES_TABLES, isXtablesTable, type NftTable } from '../host/nft-tables.js';

/**
 * The tables in the output of `nft list tables` (lines `table FAMILY NAME`) or of
 * `nft -j list tables` (a JSON object `{"nftables": [{"table": {"family", "name", ...}}, ...]}`).
 * Lines that are not a table (warnings, blank lines) are ignored; a name nft prints quoted is unquoted.
 */
export function parseNftTables(output: string): NftTable[] {
  if (typeof output !== 'string') throw new TypeError('parseNftTables: expected a string');
  const trimmed = output.trim();
  if (trimmed.startsWith('{')) {
    try {
      const data = JSON.parse(trimmed) as { nftables?: unknown };
      const out: NftTable[] = [];
      for (const item of Array.isArray(data.nftables) ? data.nftables : []) {
        const t = (item as { table?: { family?: unknown; name?: unknown } } | null)?.table;
        if (typeof t?.family === 'string' && typeof t.name === 'string') out.push({ family: t.family, name: t.name });
      }
      return out;
    } catch {
      return [];
    }
  }
  const out: NftTable[] = [];
  for (const raw of output.split('\n')) {
    const m = /^\s*table\s+(\S+)\s+(.+?)\s*$/.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const name = /^"(.*)"$/.exec(m[2]!)?.[1] ?? m[2]!;
    out.push({ family: m[1]!, name });
  }
  return out;
}

/**
 * The tables in `nft list tables` output (text or JSON) that neither iptables-nft nor fail2ban
 * created: hand-made nftables rules (Debian's /etc/nftables.conf makes `inet filter`) or another
 * tool's. A hand-made table that reuses an xtables name (`nft add table ip filter`) cannot be told
 * apart from the list and counts as iptables'.
 */
export function handMadeTables(output: string): NftTable[] {
  return parseNftTables(output).filter((t) => !isXtablesTable(t) && !(t.family === FAIL2BAN_TABLE.family && t.name === FAIL2BAN_TABLE.name));
}

/** `family name`, the way nft names a table. */
export function tableName(t: NftTable): string {
  return `${t.family} ${t.name}`;
}

export const NFT_LIST_TABLES = ['nft', 'list', 'tables'] as const;

/** What the plan learnt about nftables before the ufw script runs. */
export interface NftablesCheck {
  /** The tables iptables-nft did not create ([] when none, or when they were not looked at). */
  readonly tables: readonly NftTable[];
  /** The plan's note: the tables with the advice, or why nothing was looked at; absent when all is well. */
  readonly note?: string;
}

/**
 * Looks for hand-made nftables tables before the ufw script runs. Runs only `nft list tables`
 * (read-only; argv, no shell), through `exec.query` when the executor has one (a dry run does).
 * Skipped, with a note, on a non-live executor (a root prefix: the live firewall is not the one
 * configured); skipped silently when `nft` is not on PATH (then no other nf_tables rules can have been
 * loaded by hand). A failing `nft` gives a note saying the check could not be made.
 */
export async function nftablesCheck(exec: Executor): Promise<NftablesCheck> {
  if (!exec.live) return { tables: [], note: `not the live system (${exec.description}): nftables was not checked for hand-made tables beside ufw` };
  const nft = await exec.which('nft');
  if (!nft) return { tables: [] };
  const argv = [nft, ...NFT_LIST_TABLES.slice(1)];
  const unchecked = (why: string) => ({ tables: [], note: `could not list the nftables tables (${why}): hand-made nftables rules beside ufw were not checked` });
  let res: RunResult;
  try {
    res = exec.query ? await exec.query(argv, { timeoutMs: 15_000 }) : await exec.run(argv, { timeoutMs: 15_000 });
  } catch (e) {
    return unchecked((e as Error).message);
  }
  if (res.code !== 0) {
    const why = (res.stderr || res.stdout).trim().split('\n')[0] ?? '';
    return unchecked(`nft list tables: exit ${res.code}${why ? `: ${why}` : ''}`);
  }
  const other = handMadeTables(res.stdout);
  if (other.length === 0) return { tables: [] };
  const names = other.map((t) => `table ${tableName(t)}`).join(', ');
  const deletes = other.map((t) => `nft delete table ${tableName(t)}`).join('; ');
  const note =
    `nftables has ${other.length === 1 ? 'a table' : 'tables'} ufw does not manage (${names}). Do not mix ufw with hand-made nftables rules: ` +
    `their chains see every packet alongside ufw's, and a drop in either is final, so a drop policy there blocks what ufw allows (the SSH port included). ` +
    `Remove ${other.length === 1 ? 'it' : 'them'} (${deletes}) and keep nftables.service from loading /etc/nftables.conf again ` +
    `(systemctl disable nftables.service; not --now: stopping it runs nft flush ruleset, which empties ufw's tables too), ` +
    `or manage the firewall with nftables alone and leave ufw out of the spec`;
  return { tables: other, note };
}

/** Which nf_tables tables are whose: iptables-nft's (and so ufw's), fail2ban's, or somebody else's. */

/** One nf_tables table: `table <family> <name>`. */
export interface NftTable {
  readonly family: string;
  readonly name: string;
}

/**
 * The tables iptables-nft and its siblings create (and so ufw, through them): xtables' built-in table
 * names per family — iptables/ip6tables (`ip`/`ip6`), ebtables (`bridge`), arptables (`arp`). The nft
 * backend refuses any other table name (`*table` of iptables-restore, `-t`), so these are the only
 * ones it ever makes.
 */
export const XTABLES_TABLES: Readonly<Record<string, readonly string[]>> = {
  ip: ['filter', 'nat', 'mangle', 'raw', 'security'],
  ip6: ['filter', 'nat', 'mangle', 'raw', 'security'],
  bridge: ['filter', 'nat', 'broute'],
  arp: ['filter'],
};

/** Whether a table is one iptables-nft (ebtables-nft, arptables-nft) creates, by family and name. */
export function isXtablesTable(t: NftTable): boolean {
  return XTABLES_TABLES[t.family]?.includes(t.name) ?? false;
}

/**
 * fail2ban's own table: its nftables actions (action.d/nftables*.conf, `table = f2b-table`,
 * `table_family = inet`) add base chains that reject banned addresses and accept everything else, so
 * it works with ufw rather than against it.
 */
export const FAIL2BAN_TABLE: NftTable = { family: 'inet', name: 'f2b-table' };

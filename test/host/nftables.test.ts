// readNftRuleset on `nft list ruleset` text and nftables.conf files: tables, base chains, what they let in.
import { describe, expect, it } from 'vitest';
import { foreignTables, readNftRuleset, tableLetsIn } from '../../src/host/nftables.js';

const CONF = `#!/usr/sbin/nft -f
flush ruleset

table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tiif "lo" accept
\t\ttcp dport { 22, 80-90 } accept # web
\t\tip saddr 10.0.0.0/8 tcp dport 2201 accept
\t}
\tchain forward {
\t\ttype filter hook forward priority filter;
\t}
}
table ip filter {
\tchain INPUT {
\t\ttype filter hook input priority filter; policy accept;
\t\ttcp dport 8080 accept
\t\tcounter packets 3 bytes 180 drop
\t\ttcp dport 9000 accept
\t}
}
add table ip6 x
add chain ip6 x in { type filter hook input priority 0 ; policy drop ; }
table inet f2b-table {
}
`;

describe('readNftRuleset', () => {
  const tables = readNftRuleset(CONF, '/etc/nftables.conf');

  it('reads tables (family defaulting to ip), their lines and base chains', () => {
    expect(tables.map((t) => [t.family, t.name, t.line, t.chains.map((c) => [c.name, c.hook, c.policy, c.line])])).toEqual([
      ['inet', 'filter', 4, [['input', 'input', 'drop', 6], ['forward', 'forward', 'accept', 12]]],
      ['ip', 'filter', 15, [['INPUT', 'input', 'accept', 17]]],
      ['ip6', 'x', 23, [['in', 'input', 'drop', 24]]],
      ['inet', 'f2b-table', 25, []],
    ]);
  });

  it('what a table lets in: accepts from anywhere before a drop count; one limited to a source does not', () => {
    const [inet, ip, x] = tables;
    expect([22, 85, 91, 2201].map((p) => tableLetsIn(inet!, p).allowed)).toEqual([true, true, false, false]);
    expect([8080, 9000, 22].map((p) => tableLetsIn(ip!, p).allowed)).toEqual([true, false, false]);
    expect(tableLetsIn(ip!, 9000).chain!.dropsAt).toBe(19);
    expect(tableLetsIn(x!, 22).allowed).toBe(false);
  });

  it("foreign tables: in a ruleset dump not iptables-nft's names nor fail2ban's; in a file, all", () => {
    expect(foreignTables(tables, 'ruleset').map((t) => `${t.family} ${t.name}`)).toEqual(['inet filter', 'ip6 x']);
    expect(foreignTables(tables, 'file')).toHaveLength(4);
    expect(readNftRuleset('# nothing\n\n', 'f')).toEqual([]);
  });
});

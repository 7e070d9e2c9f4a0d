// Hand-made nftables tables beside ufw: the classifier over `nft list tables` output, and the plan's
// warning with the recording executor answering `nft list tables` (live, non-live, dry runs).
import { describe, expect, it } from 'vitest';
import { DryRunExecutor, executePlan, formatPlan, formatResult, planApply, type RunResult } from '../../src/apply/index.js';
import { handMadeTables, parseNftTables } from '../../src/apply/nftables.js';
import { alice, debianHost, failed, healthyHandler, ok, seedFiles } from './fixtures.js';

// Captured from nft 1.0.6 in a namespace: ufw enabled, plus ebtables/arptables rules.
const XTABLES_ONLY =
  'table ip filter\ntable ip nat\ntable ip6 filter\ntable ip mangle\ntable ip raw\ntable ip security\ntable ip6 nat\n' +
  'table ip6 mangle\ntable ip6 raw\ntable ip6 security\ntable bridge filter\ntable bridge nat\ntable arp filter\n';
// The same after `nft -f` of Debian's /etc/nftables.conf and a few tables made by hand.
const WITH_HAND_MADE = 'table ip filter\ntable ip6 filter\ntable inet filter\ntable ip myfw\ntable netdev ingress0\ntable ip6 nat2\ntable bridge mybr\n';
const JSON_TABLES =
  '{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, ' +
  '{"table": {"family": "ip", "name": "filter", "handle": 1}}, {"table": {"family": "inet", "name": "filter", "handle": 4}}]}\n';

const ufwOnly = () => seedFiles().filter((f) => f.service === 'ufw');

/** A live Debian host whose `nft list tables` answers `nft` (the rest as a healthy host). */
function hostWithNft(nft: RunResult, options: { live?: boolean } = {}) {
  const exec = debianHost({}, options);
  const base = healthyHandler();
  exec.handler = (argv) => (argv.join(' ') === '/usr/sbin/nft list tables' ? nft : base(argv));
  return exec;
}

describe('classifier', () => {
  it('iptables-nft, ebtables-nft and arptables-nft tables are not hand-made', () => {
    expect(parseNftTables(XTABLES_ONLY)).toHaveLength(13);
    expect(handMadeTables(XTABLES_ONLY)).toEqual([]);
    expect(handMadeTables('')).toEqual([]);
  });

  it('anything else is: inet, netdev, other names in ip/ip6/bridge', () => {
    expect(handMadeTables(WITH_HAND_MADE)).toEqual([
      { family: 'inet', name: 'filter' },
      { family: 'ip', name: 'myfw' },
      { family: 'netdev', name: 'ingress0' },
      { family: 'ip6', name: 'nat2' },
      { family: 'bridge', name: 'mybr' },
    ]);
    // names xtables uses in another family are not its own
    expect(handMadeTables('table arp nat\ntable bridge raw\ntable inet nat\n').map((t) => `${t.family} ${t.name}`)).toEqual(['arp nat', 'bridge raw', 'inet nat']);
  });

  it("fail2ban's nftables table works with ufw and is not reported", () => {
    expect(handMadeTables('table ip filter\ntable inet f2b-table\n')).toEqual([]);
    expect(handMadeTables('table ip f2b-table\n')).toEqual([{ family: 'ip', name: 'f2b-table' }]);
  });

  it('reads `nft -j list tables`, CRLF, quoted names, and ignores other lines', () => {
    expect(handMadeTables(JSON_TABLES)).toEqual([{ family: 'inet', name: 'filter' }]);
    expect(handMadeTables('table inet filter\r\n# Warning: something\n\ntable ip "my fw"\n')).toEqual([
      { family: 'inet', name: 'filter' },
      { family: 'ip', name: 'my fw' },
    ]);
    expect(handMadeTables('{not json')).toEqual([]);
    expect(() => handMadeTables(undefined as never)).toThrow(TypeError);
  });
});

describe('plan', () => {
  it('live: names the hand-made tables with the advice; a warning, not a refusal', async () => {
    const exec = hostWithNft(ok(WITH_HAND_MADE));
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.foreignNftTables).toEqual(handMadeTables(WITH_HAND_MADE));
    const note = plan.notes.find((n) => n.startsWith('nftables has tables ufw does not manage'))!;
    expect(note).toContain('table inet filter, table ip myfw, table netdev ingress0, table ip6 nat2, table bridge mybr');
    expect(note).toContain('nft delete table inet filter; nft delete table ip myfw');
    expect(note).toContain('systemctl disable nftables.service');
    expect(note).toContain('leave ufw out of the spec');
    expect(formatPlan(plan)).toContain(`Note: ${note}`);
    expect(plan.lockout).toEqual([]);
    const result = await executePlan(plan, exec);
    expect(result.status, formatResult(result)).toBe('applied');
  });

  it('live: one table is named in the singular', async () => {
    const plan = await planApply(ufwOnly(), hostWithNft(ok('table ip filter\ntable inet filter\n')), alice);
    expect(plan.notes.filter((n) => n.includes('nftables'))).toEqual([
      expect.stringMatching(/^nftables has a table ufw does not manage \(table inet filter\)\. .*Remove it \(nft delete table inet filter\)/),
    ]);
  });

  it('live: only iptables-nft tables (or none) — nothing to say', async () => {
    for (const out of [XTABLES_ONLY, '']) {
      const exec = hostWithNft(ok(out));
      const plan = await planApply(seedFiles(), exec, alice);
      expect(plan.foreignNftTables).toEqual([]);
      expect(plan.notes.filter((n) => /nft/.test(n))).toEqual([]);
      expect(exec.runs().map((a) => a.join(' '))).toEqual(['/usr/sbin/nft list tables']);
    }
  });

  it('live: nft failing is said; nft missing from PATH is silent and runs nothing', async () => {
    const denied = await planApply(ufwOnly(), hostWithNft(failed('Error: Operation not permitted\n')), alice);
    expect(denied.foreignNftTables).toEqual([]);
    expect(denied.notes).toContain(
      'could not list the nftables tables (nft list tables: exit 1: Error: Operation not permitted): hand-made nftables rules beside ufw were not checked',
    );

    const exec = hostWithNft(ok(WITH_HAND_MADE));
    exec.which = async (p) => (p === 'nft' ? undefined : `/usr/sbin/${p}`);
    const plan = await planApply(ufwOnly(), exec, alice);
    expect(plan.notes.filter((n) => /nft/.test(n))).toEqual([]);
    expect(exec.runs()).toEqual([]);
  });

  it('only when the ufw script runs: not for an unchanged script, nor without one', async () => {
    const exec = hostWithNft(ok(WITH_HAND_MADE));
    const ufw = ufwOnly()[0]!;
    exec.put(ufw.path, ufw.content);
    const unchanged = await planApply(seedFiles(), exec, alice);
    expect(unchanged.files.find((f) => f.service === 'ufw')!.action).toBe('unchanged');
    const noUfw = await planApply(seedFiles().filter((f) => f.service !== 'ufw'), exec, alice);
    for (const plan of [unchanged, noUfw]) {
      expect(plan.foreignNftTables).toEqual([]);
      expect(plan.notes.filter((n) => /nft/.test(n))).toEqual([]);
    }
    expect(exec.runs()).toEqual([]);
  });

  it('non-live (a root prefix): skipped, and said so', async () => {
    const exec = hostWithNft(ok(WITH_HAND_MADE), { live: false });
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.foreignNftTables).toEqual([]);
    expect(plan.notes).toContain('not the live system (recording): nftables was not checked for hand-made tables beside ufw');
    expect(exec.runs()).toEqual([]);
  });

  it('a dry run over the live system still looks (read-only); over a non-live one it skips', async () => {
    const live = hostWithNft(ok(WITH_HAND_MADE));
    const dry = new DryRunExecutor(live);
    const plan = await planApply(seedFiles(), dry, alice);
    expect(plan.foreignNftTables!.map((t) => `${t.family} ${t.name}`)).toContain('inet filter');
    expect(live.runs()).toEqual([['/usr/sbin/nft', 'list', 'tables']]);
    expect(dry.log).toEqual([]);

    const offline = hostWithNft(ok(WITH_HAND_MADE), { live: false });
    const dryOffline = new DryRunExecutor(offline);
    const plan2 = await planApply(seedFiles(), dryOffline, alice);
    expect(plan2.notes).toContain('not the live system (dry run (recording)): nftables was not checked for hand-made tables beside ufw');
    expect(offline.runs()).toEqual([]);
  });
});

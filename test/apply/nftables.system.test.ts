// The nftables classifier against the real nft, iptables-nft, ebtables-nft, arptables-nft and ufw, in
// network namespaces this test creates: ufw and iptables alone leave no hand-made table; Debian's
// /etc/nftables.conf or `nft add table` do, and the plan (run through a live executor whose `nft` is
// the real one in the namespace) names them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalExecutor, planApply } from '../../src/apply/index.js';
import { handMadeTables, parseNftTables } from '../../src/apply/nftables.js';
import { FIXTURES, seedFiles } from './fixtures.js';
import { privateUfwTree } from '../ufw-tree.js';
import { NetNamespaces, type NetNamespace } from '../netns.js';

const namespaces = new NetNamespaces('apply-nft');
let tmp: string;
let ufwRoot: string;

const namespace = () => namespaces.create();

/** Runs a program in the namespace; rejects with its stderr when it fails. */
const inNs = (ns: NetNamespace, argv: string[], input?: string): Promise<string> => ns.run(argv, input, { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });

const ufw = (ns: NetNamespace, ...args: string[]) => inNs(ns, ['/usr/sbin/ufw', `--rootdir=${ufwRoot}`, `--datadir=${ufwRoot}`, ...args]);
const tables = (ns: NetNamespace) => inNs(ns, ['nft', 'list', 'tables']);
const tablesJson = (ns: NetNamespace) => inNs(ns, ['nft', '-j', 'list', 'tables']);
const names = (out: string) => handMadeTables(out).map((t) => `${t.family} ${t.name}`);

/** ufw enabled with the seed's rules, and a rule in every other table iptables-nft and its siblings make. */
async function xtablesEverywhere(ns: NetNamespace): Promise<void> {
  await ufw(ns, '--force', 'enable');
  for (const r of ['2201/tcp', '80/tcp', '443/tcp']) await ufw(ns, 'allow', r);
  for (const prog of ['iptables', 'ip6tables']) {
    await inNs(ns, [prog, '-t', 'nat', '-A', 'POSTROUTING', '-j', 'ACCEPT']);
    await inNs(ns, [prog, '-t', 'mangle', '-A', 'PREROUTING', '-j', 'ACCEPT']);
    await inNs(ns, [prog, '-t', 'raw', '-A', 'PREROUTING', '-j', 'ACCEPT']);
    await inNs(ns, [prog, '-t', 'security', '-A', 'INPUT', '-j', 'ACCEPT']);
  }
  await inNs(ns, ['ebtables', '-A', 'INPUT', '-j', 'ACCEPT']);
  await inNs(ns, ['ebtables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'ACCEPT']);
  await inNs(ns, ['arptables', '-A', 'INPUT', '-j', 'ACCEPT']);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-nft-'));
  fs.chmodSync(tmp, 0o755);
  // ufw on a private copy of its tree, so the host's ufw state is never touched
  ufwRoot = privateUfwTree(path.join(tmp, 'ufw'));
});

afterAll(async () => {
  try {
    await namespaces.deleteAll();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

describe('nftables tables beside ufw, with the real nft', () => {
  it('ufw, iptables, ip6tables, ebtables and arptables alone: no hand-made table; `nft add table` ones are reported', async () => {
    const ns = await namespace();
    await xtablesEverywhere(ns);
    const out = await tables(ns);
    // every family and table xtables makes is there, and none counts as hand-made (text and JSON)
    expect(new Set(parseNftTables(out).map((t) => `${t.family} ${t.name}`))).toEqual(
      new Set(['ip filter', 'ip nat', 'ip mangle', 'ip raw', 'ip security', 'ip6 filter', 'ip6 nat', 'ip6 mangle', 'ip6 raw', 'ip6 security', 'bridge filter', 'bridge nat', 'arp filter']),
    );
    expect(names(out)).toEqual([]);
    expect(names(await tablesJson(ns))).toEqual([]);
    // iptables-nft refuses any other table name, so it cannot have made one
    await expect(inNs(ns, ['iptables', '-t', 'myfw', '-A', 'INPUT', '-j', 'ACCEPT'])).rejects.toThrow();

    await inNs(ns, ['nft', 'add', 'table', 'inet', 'filter']);
    await inNs(ns, ['nft', 'add', 'table', 'ip', 'myfw']);
    await inNs(ns, ['nft', 'add', 'table', 'netdev', 'edge']);
    await inNs(ns, ['nft', 'add', 'table', 'bridge', 'mybr']);
    await inNs(ns, ['nft', 'add', 'table', 'inet', 'f2b-table']);
    const expected = ['inet filter', 'ip myfw', 'netdev edge', 'bridge mybr'];
    expect(names(await tables(ns))).toEqual(expected);
    expect(names(await tablesJson(ns))).toEqual(expected);
  });

  it("Debian's /etc/nftables.conf gives `inet filter`, before and after ufw; the live plan names it", async () => {
    const ns = await namespace();
    await inNs(ns, ['nft', '-f', '-'], fs.readFileSync(path.join(FIXTURES, 'host/nftables.conf.debian'), 'utf8'));
    expect(names(await tables(ns))).toEqual(['inet filter']);
    await ufw(ns, '--force', 'enable');
    await ufw(ns, 'allow', '2201/tcp');
    expect(names(await tables(ns))).toEqual(['inet filter']);

    // The plan on a live executor whose `nft` is the real one in this namespace.
    const bin = path.join(tmp, `bin-${ns.name}`);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'nft'), `#!/bin/sh\nexec ip netns exec '${ns.name}' /usr/sbin/nft "$@"\n`, { mode: 0o755 });
    const root = fs.mkdtempSync(path.join(tmp, 'root-'));
    class LiveScratch extends LocalExecutor {
      override readonly live = true;
    }
    const exec = new LiveScratch({ root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const plan = await planApply(
      seedFiles().filter((f) => f.service === 'ufw'),
      exec,
    );
    expect(plan.foreignNftTables).toEqual([{ family: 'inet', name: 'filter' }]);
    expect(plan.notes.some((n) => n.startsWith('nftables has a table ufw does not manage (table inet filter)'))).toBe(true);

    // once it is deleted, the same plan has nothing to say
    await inNs(ns, ['nft', 'delete', 'table', 'inet', 'filter']);
    const after = await planApply(
      seedFiles().filter((f) => f.service === 'ufw'),
      exec,
    );
    expect(after.foreignNftTables).toEqual([]);
    expect(after.notes.filter((n) => n.includes('nftables'))).toEqual([]);
  });
});

// The nftables classifier against the real nft, iptables-nft, ebtables-nft, arptables-nft and ufw, in
// network namespaces this test creates: ufw and iptables alone leave no hand-made table; Debian's
// /etc/nftables.conf or `nft add table` do, and the plan (run through a live executor whose `nft` is
// the real one in the namespace) names them.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handMadeTables, LocalExecutor, parseNftTables, planApply } from '../../src/apply/index.js';
import { FIXTURES, seedFiles } from './fixtures.js';
import { privateUfwTree } from '../ufw-tree.js';

const unique = () => `fwconf-apply-nft-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const made: string[] = [];
let tmp: string;
let ufwRoot: string;

function namespace(): string {
  const ns = unique();
  execFileSync('ip', ['netns', 'add', ns]);
  made.push(ns);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  return ns;
}

/** Runs a program in the namespace; throws with its stderr when it fails. */
function inNs(ns: string, argv: string[], input?: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', input, env: { ...process.env, LANG: 'C', LC_ALL: 'C' }, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const ufw = (ns: string, ...args: string[]) => inNs(ns, ['/usr/sbin/ufw', `--rootdir=${ufwRoot}`, `--datadir=${ufwRoot}`, ...args]);
const tables = (ns: string) => inNs(ns, ['nft', 'list', 'tables']);
const tablesJson = (ns: string) => inNs(ns, ['nft', '-j', 'list', 'tables']);
const names = (out: string) => handMadeTables(out).map((t) => `${t.family} ${t.name}`);

/** ufw enabled with the seed's rules, and a rule in every other table iptables-nft and its siblings make. */
function xtablesEverywhere(ns: string): void {
  ufw(ns, '--force', 'enable');
  for (const r of ['2201/tcp', '80/tcp', '443/tcp']) ufw(ns, 'allow', r);
  for (const prog of ['iptables', 'ip6tables']) {
    inNs(ns, [prog, '-t', 'nat', '-A', 'POSTROUTING', '-j', 'ACCEPT']);
    inNs(ns, [prog, '-t', 'mangle', '-A', 'PREROUTING', '-j', 'ACCEPT']);
    inNs(ns, [prog, '-t', 'raw', '-A', 'PREROUTING', '-j', 'ACCEPT']);
    inNs(ns, [prog, '-t', 'security', '-A', 'INPUT', '-j', 'ACCEPT']);
  }
  inNs(ns, ['ebtables', '-A', 'INPUT', '-j', 'ACCEPT']);
  inNs(ns, ['ebtables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'ACCEPT']);
  inNs(ns, ['arptables', '-A', 'INPUT', '-j', 'ACCEPT']);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-nft-'));
  fs.chmodSync(tmp, 0o755);
  // ufw on a private copy of its tree, so the host's ufw state is never touched
  ufwRoot = privateUfwTree(path.join(tmp, 'ufw'));
});

afterAll(() => {
  try {
    for (const ns of made.splice(0)) spawnSync('ip', ['netns', 'del', ns]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

describe('nftables tables beside ufw, with the real nft', () => {
  it('ufw, iptables, ip6tables, ebtables and arptables alone: no hand-made table; `nft add table` ones are reported', () => {
    const ns = namespace();
    xtablesEverywhere(ns);
    const out = tables(ns);
    // every family and table xtables makes is there, and none counts as hand-made (text and JSON)
    expect(new Set(parseNftTables(out).map((t) => `${t.family} ${t.name}`))).toEqual(
      new Set(['ip filter', 'ip nat', 'ip mangle', 'ip raw', 'ip security', 'ip6 filter', 'ip6 nat', 'ip6 mangle', 'ip6 raw', 'ip6 security', 'bridge filter', 'bridge nat', 'arp filter']),
    );
    expect(names(out)).toEqual([]);
    expect(names(tablesJson(ns))).toEqual([]);
    // iptables-nft refuses any other table name, so it cannot have made one
    expect(() => inNs(ns, ['iptables', '-t', 'myfw', '-A', 'INPUT', '-j', 'ACCEPT'])).toThrow();

    inNs(ns, ['nft', 'add', 'table', 'inet', 'filter']);
    inNs(ns, ['nft', 'add', 'table', 'ip', 'myfw']);
    inNs(ns, ['nft', 'add', 'table', 'netdev', 'edge']);
    inNs(ns, ['nft', 'add', 'table', 'bridge', 'mybr']);
    inNs(ns, ['nft', 'add', 'table', 'inet', 'f2b-table']);
    const expected = ['inet filter', 'ip myfw', 'netdev edge', 'bridge mybr'];
    expect(names(tables(ns))).toEqual(expected);
    expect(names(tablesJson(ns))).toEqual(expected);
  });

  it("Debian's /etc/nftables.conf gives `inet filter`, before and after ufw; the live plan names it", async () => {
    const ns = namespace();
    inNs(ns, ['nft', '-f', '-'], fs.readFileSync(path.join(FIXTURES, 'host/nftables.conf.debian'), 'utf8'));
    expect(names(tables(ns))).toEqual(['inet filter']);
    ufw(ns, '--force', 'enable');
    ufw(ns, 'allow', '2201/tcp');
    expect(names(tables(ns))).toEqual(['inet filter']);

    // The plan on a live executor whose `nft` is the real one in this namespace.
    const bin = path.join(tmp, `bin-${ns}`);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'nft'), `#!/bin/sh\nexec ip netns exec '${ns}' /usr/sbin/nft "$@"\n`, { mode: 0o755 });
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
    inNs(ns, ['nft', 'delete', 'table', 'inet', 'filter']);
    const after = await planApply(
      seedFiles().filter((f) => f.service === 'ufw'),
      exec,
    );
    expect(after.foreignNftTables).toEqual([]);
    expect(after.notes.filter((n) => n.includes('nftables'))).toEqual([]);
  });
});

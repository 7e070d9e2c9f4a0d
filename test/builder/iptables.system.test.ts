// Rendered iptables rule sets against the real iptables-restore / iptables-save, in a network
// namespace created (and deleted) here: `iptables-restore --test` accepts every file, and after a
// real restore `iptables-save` parses back (through the iptables format) to the rules we wrote.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetNamespace } from '../netns.js';
import { buildIptables, iptablesModel, type IptablesRuleset } from '../../src/builder/iptables.js';
import { parse, type Chain, type Rule } from '../../src/iptables/index.js';
import { arbIptables } from './arbitraries.js';

let ns: NetNamespace;
beforeAll(async () => {
  ns = await NetNamespace.create('builder');
});
afterAll(() => ns.delete());

const inNs = (argv: string[], input?: string) => ns.spawn(argv, input);

/** Chains (without counters) and rules (without counters) of the filter table of a dump. */
function model(text: string): { chains: Omit<Chain, 'packets' | 'bytes'>[]; rules: Rule[] } {
  const doc = parse(text);
  expect(doc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const j = doc.toJSON() as unknown as { tables: { name: string; chains: Chain[]; rules: Rule[] }[] };
  const t = j.tables.find((x) => x.name === 'filter')!;
  return {
    chains: t.chains.map(({ packets: _p, bytes: _b, ...c }) => c),
    rules: t.rules.map(({ counters: _c, ...r }) => r as Rule),
  };
}

/** Restores the rule set in the namespace and returns what iptables-save prints. */
async function roundTrip(set: IptablesRuleset): Promise<{ text: string; saved: string }> {
  const text = buildIptables(set);
  const t = await inNs(['iptables-restore', '--test'], text);
  expect(`${t.stderr}exit ${t.status}`, text).toBe('exit 0');
  const r = await inNs(['iptables-restore'], text);
  expect(`${r.stderr}exit ${r.status}`, text).toBe('exit 0');
  const s = await inNs(['iptables-save', '-t', 'filter']);
  expect(s.status, s.stderr).toBe(0);
  return { text, saved: s.stdout };
}

/** What the builder gave the printer, as the format's parser reports it (table and command filled in). */
function typed(set: IptablesRuleset): Rule[] {
  return iptablesModel(set).tables[0]!.rules!.map((r) => ({ table: 'filter', command: 'append', ...r }) as Rule);
}

/** The rules of each chain in order (iptables-save groups them by chain). */
const byChain = (rules: readonly Rule[]) => {
  const m = new Map<string, Rule[]>();
  for (const r of rules) m.set(r.chain, [...(m.get(r.chain) ?? []), r]);
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** A host firewall in the spirit of the default spec: SSH on 2201, web, the honeypot on 22, logging. */
const DEFAULT_RULESET: IptablesRuleset = {
  policies: { INPUT: 'DROP', FORWARD: 'DROP' },
  chains: ['fwconf-log-drop'],
  rules: [
    { chain: 'INPUT', inInterface: 'lo', target: 'ACCEPT' },
    { chain: 'INPUT', state: ['RELATED', 'ESTABLISHED'], target: 'ACCEPT' },
    { chain: 'INPUT', state: ['INVALID'], target: 'DROP' },
    { chain: 'INPUT', protocol: 'tcp', dport: 2201, state: ['NEW'], comment: 'sshd (fwconf)', target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'tcp', dport: [80, 443], comment: 'web', target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'tcp', dport: 22, comment: 'thpot honeypot', target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'icmp', target: 'ACCEPT' },
    { chain: 'INPUT', source: '203.0.113.0/24', protocol: 'tcp', dport: '6000:6007', target: 'REJECT', rejectWith: 'tcp-reset' },
    { chain: 'INPUT', target: 'fwconf-log-drop' },
    { chain: 'fwconf-log-drop', logPrefix: 'fwconf drop: ', target: 'LOG' },
    { chain: 'fwconf-log-drop', target: 'REJECT' },
  ],
};

describe('iptables rule sets through the real iptables-restore and iptables-save', () => {
  it('the default rule set: accepted, restored, saved back to the same typed rules', async () => {
    const { text, saved } = await roundTrip(DEFAULT_RULESET);
    const ours = model(text);
    const theirs = model(saved);
    expect(theirs).toEqual(ours);
    expect(ours.rules).toEqual(typed(DEFAULT_RULESET));
    expect(ours.chains.map((c) => `${c.name} ${c.policy}`)).toEqual(['INPUT DROP', 'FORWARD DROP', 'OUTPUT ACCEPT', 'fwconf-log-drop -']);
    // iptables-save prints the same lines (header comments aside).
    expect(saved.split('\n').filter((l) => !l.startsWith('#'))).toEqual(text.split('\n'));
  });

  it('random rule sets: accepted, restored, saved back to the same typed rules', async () => {
    let rules = 0;
    await fc.assert(
      fc.asyncProperty(arbIptables, async (set) => {
        const { text, saved } = await roundTrip(set);
        const ours = model(text);
        const theirs = model(saved);
        expect(theirs.chains).toEqual(ours.chains);
        expect(byChain(theirs.rules)).toEqual(byChain(ours.rules));
        expect(byChain(ours.rules)).toEqual(byChain(typed(set)));
        rules += set.rules.length;
      }),
      { numRuns: 25, endOnFailure: true },
    );
    expect(rules).toBeGreaterThan(25);
  });
});

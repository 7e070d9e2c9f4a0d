/**
 * Semantic diff of two dumps: tables, chains and rules added or removed, policy changes. Counters,
 * comments (headers and their timestamps), blank lines, quoting and the order of option spelling do
 * not count: rules compare by their typed arguments.
 */
import { ruleKey, readRule, type IptablesDocument, type TableBlock } from './document.js';
import { ruleArgs } from './rule.js';
import type { Rule } from './model.js';

export type DumpChange =
  | { kind: 'table-added' | 'table-removed'; table: string }
  | { kind: 'chain-added' | 'chain-removed'; table: string; chain: string }
  | { kind: 'policy-changed'; table: string; chain: string; from: string; to: string }
  | { kind: 'rule-added' | 'rule-removed'; table: string; chain: string; /** 1-based position in its chain (in the new dump for additions, the old for removals). */ position: number; rule: Rule; /** The rule's arguments in canonical form. */ text: string };

interface ChainRules {
  keys: string[];
  rules: Rule[];
}

function chainsOf(block: TableBlock): { policies: Map<string, string>; rules: Map<string, ChainRules> } {
  const policies = new Map<string, string>();
  const rules = new Map<string, ChainRules>();
  for (const c of block.chains) {
    policies.set(c.chainLine!.name, c.chainLine!.policy);
    rules.set(c.chainLine!.name, { keys: [], rules: [] });
  }
  for (const n of block.rules) {
    const r = readRule(n);
    if (r.command !== 'append') continue;
    let cr = rules.get(r.chain);
    if (!cr) rules.set(r.chain, (cr = { keys: [], rules: [] }));
    cr.keys.push(ruleKey(r));
    cr.rules.push(r);
  }
  return { policies, rules };
}

/** Longest common subsequence on keys, after trimming a common prefix and suffix; pairs of kept indexes. */
function lcs(a: string[], b: string[]): { removed: number[]; added: number[] } {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) ea--, eb--;
  const A = a.slice(lo, ea);
  const B = b.slice(lo, eb);
  const removed: number[] = [];
  const added: number[] = [];
  if (A.length * B.length > 4_000_000) {
    // Too large for the table: multiset difference (order changes inside the middle are not seen).
    const count = new Map<string, number>();
    for (const k of B) count.set(k, (count.get(k) ?? 0) + 1);
    A.forEach((k, i) => {
      const c = count.get(k) ?? 0;
      if (c > 0) count.set(k, c - 1);
      else removed.push(lo + i);
    });
    const countA = new Map<string, number>();
    for (const k of A) countA.set(k, (countA.get(k) ?? 0) + 1);
    B.forEach((k, i) => {
      const c = countA.get(k) ?? 0;
      if (c > 0) countA.set(k, c - 1);
      else added.push(lo + i);
    });
    return { removed, added };
  }
  const m = A.length;
  const n = B.length;
  const t: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) t[i]![j] = A[i] === B[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (A[i] === B[j]) i++, j++;
    else if (t[i + 1]![j]! >= t[i]![j + 1]!) removed.push(lo + i++);
    else added.push(lo + j++);
  }
  while (i < m) removed.push(lo + i++);
  while (j < n) added.push(lo + j++);
  return { removed, added };
}

export function diff(a: IptablesDocument, b: IptablesDocument): DumpChange[] {
  const out: DumpChange[] = [];
  const tablesA = new Map(a.blocks.map((x) => [x.name, x]));
  const tablesB = new Map(b.blocks.map((x) => [x.name, x]));
  const names = [...new Set([...tablesA.keys(), ...tablesB.keys()])];
  for (const name of names) {
    const ta = tablesA.get(name);
    const tb = tablesB.get(name);
    if (!ta) out.push({ kind: 'table-added', table: name });
    if (!tb) out.push({ kind: 'table-removed', table: name });
    const ca = ta ? chainsOf(ta) : { policies: new Map<string, string>(), rules: new Map<string, ChainRules>() };
    const cb = tb ? chainsOf(tb) : { policies: new Map<string, string>(), rules: new Map<string, ChainRules>() };
    const chains = [...new Set([...ca.rules.keys(), ...cb.rules.keys()])];
    for (const chain of chains) {
      const pa = ca.policies.get(chain);
      const pb = cb.policies.get(chain);
      if (ta && tb) {
        if (!ca.rules.has(chain)) out.push({ kind: 'chain-added', table: name, chain });
        else if (!cb.rules.has(chain)) out.push({ kind: 'chain-removed', table: name, chain });
        else if (pa !== undefined && pb !== undefined && pa !== pb) out.push({ kind: 'policy-changed', table: name, chain, from: pa, to: pb });
      }
      const ra = ca.rules.get(chain) ?? { keys: [], rules: [] };
      const rb = cb.rules.get(chain) ?? { keys: [], rules: [] };
      const d = lcs(ra.keys, rb.keys);
      for (const i of d.removed) out.push({ kind: 'rule-removed', table: name, chain, position: i + 1, rule: ra.rules[i]!, text: ruleArgs({ ...ra.rules[i]!, counters: undefined }) });
      for (const j of d.added) out.push({ kind: 'rule-added', table: name, chain, position: j + 1, rule: rb.rules[j]!, text: ruleArgs({ ...rb.rules[j]!, counters: undefined }) });
    }
  }
  return out;
}

/** One line per change: `+ filter f2b-sshd: -A f2b-sshd -s …`, `- …`, `~ filter INPUT policy ACCEPT -> DROP`. */
export function formatDiff(changes: readonly DumpChange[]): string {
  return changes
    .map((c) => {
      switch (c.kind) {
        case 'table-added':
          return `+ table ${c.table}`;
        case 'table-removed':
          return `- table ${c.table}`;
        case 'chain-added':
          return `+ chain ${c.table} ${c.chain}`;
        case 'chain-removed':
          return `- chain ${c.table} ${c.chain}`;
        case 'policy-changed':
          return `~ policy ${c.table} ${c.chain} ${c.from} -> ${c.to}`;
        case 'rule-added':
          return `+ rule ${c.table} ${c.chain}#${c.position}: ${c.text}`;
        case 'rule-removed':
          return `- rule ${c.table} ${c.chain}#${c.position}: ${c.text}`;
      }
    })
    .map((l) => l + '\n')
    .join('');
}

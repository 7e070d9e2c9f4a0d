/**
 * Semantic diff of two files as the kernel would hold them once each was loaded by iptables-restore
 * into empty tables: tables, chains and rules added or removed, policy changes.
 *
 * Each file is first played as iptables-restore plays it: chain lines, then every command in order
 * (`-A`, `-I`, `-D`, `-R`, `-N`, `-X`, `-F`, `-P`, `-E`; `-Z` changes nothing; lines for the other
 * family are skipped), a comma list of addresses becoming one rule per pair. Every table has all its
 * built-in chains (a table iptables-save prints always shows them), and a table with nothing in it
 * (no user chain, no rule, every policy ACCEPT) is the same as no table. Rules compare in the form
 * iptables-save prints them ({@link canonicalRule}): `--icmp-type echo-request` is `8`, `--limit 2/s`
 * is `2/sec`, a default iptables-save adds is the same as its absence. Counters, comments, headers,
 * blank lines, quoting and option order do not count.
 */
import { ruleKey, readRule, type DumpNode, type IptablesDocument, type TableBlock } from './document.js';
import { ruleArgs } from './rule.js';
import { canonicalRule, type Family } from './canonical.js';
import { BUILTIN_CHAINS } from './modules.js';
import type { Rule } from './model.js';

/** One difference between two dumps: a table, chain, policy or rule added, removed or changed. */
export type DumpChange =
  | { kind: 'table-added' | 'table-removed'; table: string }
  | { kind: 'chain-added' | 'chain-removed'; table: string; chain: string }
  | { kind: 'policy-changed'; table: string; chain: string; from: string; to: string }
  | { kind: 'rule-added' | 'rule-removed'; table: string; chain: string; /** 1-based position in its chain (in the new dump for additions, the old for removals). */ position: number; rule: Rule; /** The rule's arguments as written (an `-A` line). */ text: string };

interface ChainRules {
  /** Each rule's identity: its canonical arguments. */
  keys: string[];
  /**
   * The rules as written (one per address pair when the line listed several): the line itself when it
   * stands for one rule unchanged, read again only for the changes shown (a large dump keeps no
   * typed rules alive).
   */
  rules: (Rule | DumpNode)[];
}

/** A rule line as an `-A` rule of the loaded chain (no position, no `-4`/`-6`). */
function asAppend(r: Rule): Rule {
  const written: Rule = { ...r, command: 'append' };
  delete written.position;
  delete written.onlyFamily;
  return written;
}

const ruleOf = (x: Rule | DumpNode): Rule => ('raw' in x ? asAppend(readRule(x)) : x);

interface LoadedTable {
  policies: Map<string, string>;
  rules: Map<string, ChainRules>;
}

/** `-s a,b -d c,d` → one rule per (source, destination) pair, in iptables' order; other rules alone. */
function expandAddresses(rule: Rule): Rule[] {
  const list = (a: Rule['source']) => (a && !a.negated && a.address.includes(',') ? a.address.split(',').map((address) => ({ ...a, address })) : [a]);
  const sources = list(rule.source);
  const destinations = list(rule.destination);
  if (sources.length === 1 && destinations.length === 1) return [rule];
  const out: Rule[] = [];
  for (const s of sources)
    for (const d of destinations) {
      const r: Rule = { ...rule };
      if (s) r.source = s;
      if (d) r.destination = d;
      out.push(r);
    }
  return out;
}

/** What iptables-restore leaves in one table after playing the block's lines, and the lines of a dump. */
function loadTable(block: TableBlock, family: Family): LoadedTable {
  const builtins = BUILTIN_CHAINS[block.name] ?? [];
  const policies = new Map<string, string>();
  const rules = new Map<string, ChainRules>();
  const chain = (name: string): ChainRules => {
    let c = rules.get(name);
    if (!c) rules.set(name, (c = { keys: [], rules: [] }));
    return c;
  };
  for (const b of builtins) {
    policies.set(b, 'ACCEPT');
    chain(b);
  }
  for (const c of block.chains) {
    const { name, policy } = c.chainLine!;
    if (builtins.includes(name)) {
      if (policy === 'ACCEPT' || policy === 'DROP') policies.set(name, policy);
    } else policies.set(name, '-');
    chain(name);
  }
  const key = (r: Rule) => ruleKey(canonicalRule(r, family));
  const userChains = () => [...rules.keys()].filter((n) => !builtins.includes(n));
  for (const n of block.rules) {
    const r = readRule(n);
    if (r.onlyFamily && r.onlyFamily !== family) continue;
    const written = asAppend(r);
    switch (r.command) {
      case 'append':
      case 'insert':
      case 'replace': {
        const c = chain(r.chain);
        if (!policies.has(r.chain)) policies.set(r.chain, '-');
        const expanded = expandAddresses(written);
        const keys = expanded.map(key);
        const each: (Rule | DumpNode)[] = expanded.length === 1 ? [n] : expanded;
        if (r.command === 'append') {
          c.rules.push(...each);
          c.keys.push(...keys);
        } else if (r.command === 'insert') {
          // Each rule of the list is inserted at the same place: they end up in reverse order.
          const at = Math.min(Math.max((r.position ?? 1) - 1, 0), c.rules.length);
          c.rules.splice(at, 0, ...each.reverse());
          c.keys.splice(at, 0, ...keys.reverse());
        } else {
          const at = (r.position ?? 1) - 1;
          if (at >= 0 && at < c.rules.length) {
            c.rules.splice(at, 1, ...each);
            c.keys.splice(at, 1, ...keys);
          }
        }
        break;
      }
      case 'delete': {
        const c = rules.get(r.chain);
        if (!c) break;
        if (r.position !== undefined) {
          c.rules.splice(r.position - 1, 1);
          c.keys.splice(r.position - 1, 1);
        } else
          for (const k of expandAddresses(written).map(key)) {
            const i = c.keys.indexOf(k);
            if (i >= 0) c.rules.splice(i, 1), c.keys.splice(i, 1);
          }
        break;
      }
      case 'new-chain':
        if (r.chain) chain(r.chain), policies.set(r.chain, policies.get(r.chain) ?? '-');
        break;
      case 'delete-chain':
        for (const name of r.chain ? [r.chain] : userChains())
          if (!builtins.includes(name)) rules.delete(name), policies.delete(name);
        break;
      case 'flush':
        for (const name of r.chain ? [r.chain] : [...rules.keys()]) {
          const c = rules.get(name);
          if (c) (c.rules.length = 0), (c.keys.length = 0);
        }
        break;
      case 'policy':
        if (builtins.includes(r.chain) && (r.policy === 'ACCEPT' || r.policy === 'DROP')) policies.set(r.chain, r.policy);
        break;
      case 'rename-chain': {
        const c = rules.get(r.chain);
        if (!c || !r.newName || builtins.includes(r.chain)) break;
        const from = r.chain;
        const to = r.newName;
        rules.delete(from);
        rules.set(to, c);
        policies.delete(from);
        policies.set(to, '-');
        // The chain's rules, and the rules that jump to it, follow the new name.
        for (const cr of rules.values())
          cr.rules.forEach((line, i) => {
            const x = ruleOf(line);
            const jumps = x.target && x.target.name === from && (x.target.kind === 'chain' || x.target.goto);
            if (x.chain !== from && !jumps) return;
            const y: Rule = { ...x, chain: x.chain === from ? to : x.chain };
            if (jumps) y.target = { ...x.target!, name: to };
            cr.rules[i] = y;
            cr.keys[i] = key(y);
          });
        break;
      }
      default:
        break; // -Z, -L, -S, -C change nothing
    }
  }
  return { policies, rules };
}

/** Whether a loaded table holds nothing: no user chain, no rule, every policy ACCEPT. */
function isEmpty(t: LoadedTable): boolean {
  for (const p of t.policies.values()) if (p !== 'ACCEPT' && p !== '-') return false;
  for (const [name, c] of t.rules) if (c.rules.length || t.policies.get(name) === '-') return false;
  return true;
}

/** Every table of a file as iptables-restore leaves it; tables with nothing in them are left out. */
function loadTables(doc: IptablesDocument, family: Family): Map<string, LoadedTable> {
  const out = new Map<string, LoadedTable>();
  // Each `*table` line flushes the table: a second block of the same table starts again.
  for (const block of doc.blocks) out.set(block.name, loadTable(block, family));
  for (const [name, t] of out) if (isEmpty(t)) out.delete(name);
  return out;
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

/** Options of `diff`. */
export interface DiffOptions {
  /** The family both files are read for (default: each file's own, see `IptablesDocument.family`). */
  family?: Family;
}

function shown(x: Rule | DumpNode): { rule: Rule; text: string } {
  const rule = ruleOf(x);
  return { rule, text: ruleArgs({ ...rule, counters: undefined }) };
}

/** What changed from dump `a` to dump `b`, rule by rule in canonical form (so `-s 1.2.3.4` and `-s 1.2.3.4/32` are the same rule). */
export function diff(a: IptablesDocument, b: IptablesDocument, options: DiffOptions = {}): DumpChange[] {
  const out: DumpChange[] = [];
  const tablesA = loadTables(a, options.family ?? a.family);
  const tablesB = loadTables(b, options.family ?? b.family);
  const names = [...new Set([...tablesA.keys(), ...tablesB.keys()])];
  const none: LoadedTable = { policies: new Map(), rules: new Map() };
  for (const name of names) {
    const ta = tablesA.get(name);
    const tb = tablesB.get(name);
    if (!ta) out.push({ kind: 'table-added', table: name });
    if (!tb) out.push({ kind: 'table-removed', table: name });
    const ca = ta ?? none;
    const cb = tb ?? none;
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
      for (const i of d.removed) out.push({ kind: 'rule-removed', table: name, chain, position: i + 1, ...shown(ra.rules[i]!) });
      for (const j of d.added) out.push({ kind: 'rule-added', table: name, chain, position: j + 1, ...shown(rb.rules[j]!) });
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

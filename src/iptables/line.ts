/** The line node of iptables-save dumps: one line, what it is, and the table block it belongs to. */
import type { Counters } from './model.js';

/** What a line of a dump is. */
export type NodeKind = 'blank' | 'comment' | 'header' | 'footer' | 'warning' | 'table' | 'chain' | 'rule' | 'commit' | 'unknown';

/** One line of the dump. `raw` is its exact text, line ending included. */
export interface DumpNode {
  readonly raw: string;
  kind: NodeKind;
  /** The table block the line is in (header, chains, rules, COMMIT). */
  block: TableBlock | undefined;
  /** Rule lines: the chain, once a query has needed it. */
  chain?: string;
  /** Chain lines: what they say. */
  chainLine?: ChainLine;
  /** Rule lines split by an interleaved stderr warning: the rule's text with the warning cut out. */
  repaired?: string;
}

/** A chain line (`:INPUT ACCEPT [0:0]`) as read: its name, policy (`-` for a user chain) and counters. */
export interface ChainLine {
  name: string;
  policy: string;
  counters: Counters | undefined;
}

/** A `*table` … `COMMIT` block. */
export interface TableBlock {
  name: string;
  header: DumpNode;
  chains: DumpNode[];
  rules: DumpNode[];
  commit: DumpNode | undefined;
}

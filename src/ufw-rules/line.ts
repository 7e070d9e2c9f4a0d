/** The line node of ufw's rule files: one physical line, with what it is (tuple, table, chain, rule …). */
import type { RawNode } from '../core/lines.js';
import { stripEol } from '../core/text.js';
import type { TupleRead } from './tuple.js';

/** What a line of a rules file is. */
export type RulesLineKind = 'blank' | 'comment' | 'tuple' | 'table' | 'chain' | 'rule' | 'commit' | 'unknown';

/** One physical line of a rules file: the node the Document keeps. `raw` includes the line ending. */
export class RulesNode implements RawNode {
  readonly raw: string;
  readonly kind: RulesLineKind;
  /** A tuple line: what ufw makes of it. */
  readonly tuple: TupleRead | undefined;
  /** A chain declaration or a rule line: the chain's name. */
  readonly chain: string | undefined;

  constructor(raw: string, kind: RulesLineKind, tuple?: TupleRead, chain?: string) {
    this.raw = raw;
    this.kind = kind;
    this.tuple = tuple;
    this.chain = chain;
  }

  /** The line without its ending. */
  get text(): string {
    return stripEol(this.raw);
  }
}

/** An iptables-restore rule line (`-A chain …`, with or without counters); group 1 is the chain. */
export const RULE_LINE = /^(?:\[\d+:\d+\]\s*)?-[AIDRNXPEZF]\s+(\S+)/;

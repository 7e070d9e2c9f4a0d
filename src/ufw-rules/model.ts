/** The plain data of ufw's rule files: the rules read from the tuples and what `fwconf parse --format ufw-rules` prints. */
import type { UfwRuleSpec } from '../ufw/model.js';

/** A rule read from a tuple, with the iptables lines written under it. */
export interface UfwFileRule {
  readonly spec: UfwRuleSpec;
  /** 1-based line of the tuple. */
  readonly line: number;
  /** The iptables-restore lines after the tuple (up to the next blank, comment or tuple line). */
  readonly chainLines: readonly string[];
}

/** Which rule file: ufw's own (user.rules, user6.rules: tuples) or one it loads as written. */
export type RulesFileKind = 'user' | 'before' | 'after' | 'other';

/** What `fwconf parse --format ufw-rules` prints. */
export interface UfwRulesModel {
  format: 'ufw-rules';
  kind: RulesFileKind;
  v6: boolean;
  tables: string[];
  chains: string[];
  rules: UfwFileRule[];
  /** Tuple lines ufw skips (malformed), with why. */
  skipped: { line: number; reason: string }[];
}

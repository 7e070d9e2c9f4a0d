/**
 * `ufw insert N RULE` on user.rules and user6.rules: N counts the rules of `ufw status numbered` (IPv4
 * then IPv6, an app rule's tuples once), and a rule for both families goes before rule N in one file
 * and before that rule's twin in the other (frontend.set_rule, backend.find_other_position). Rules
 * with an application profile are not handled (ufw reverses their tuples and skips inside app groups).
 */
import { appTuple } from '../ufw/layout.js';
import type { UfwRuleSpec } from '../ufw/model.js';
import { matchRules, type UfwRulesDocument } from './rules-document.js';

/** backend.get_rules_count: the rules of a file, an app rule's tuples counted once. */
export function ruleCount(doc: UfwRulesDocument): number {
  const seen = new Set<string>();
  let n = 0;
  for (const { spec } of doc.rules()) {
    const t = appTuple(spec);
    if (t !== undefined) {
      if (seen.has(t)) continue;
      seen.add(t);
    }
    n++;
  }
  return n;
}

/** backend.find_other_position: the 1-based place in `other` of the twin of `doc`'s rule number `position`; 0 when none. */
function otherPosition(doc: UfwRulesDocument, other: UfwRulesDocument, position: number): number {
  const rules = doc.rules().map((r) => r.spec);
  if (position < 1 || position > rules.length) throw new RangeError(`invalid position '${position}'`);
  const seen = new Set<string>();
  let offset = 0;
  for (let i = 0; i < position && i < rules.length; i++) {
    const t = appTuple(rules[i]!);
    if (t === undefined) continue;
    if (seen.has(t)) offset++;
    else seen.add(t);
  }
  const match = rules[position - 1 + offset];
  if (!match) return 0;
  const twin = { ...match, v6: !match.v6 };
  const i = other.rules().findIndex((r) => matchRules(r.spec, twin) === 0);
  return i + 1;
}

/** `ufw insert N RULE` for the stored rules of RULE (expandRule's, IPv4 first). */
export function insertUfwRule(v4: UfwRulesDocument, v6: UfwRulesDocument, position: number, specs: readonly UfwRuleSpec[]): void {
  if (specs.some((s) => s.dapp !== null || s.sapp !== null)) throw new RangeError('inserting application rules is not supported');
  const four = specs.find((s) => !s.v6);
  const six = specs.find((s) => s.v6);
  let num4 = ruleCount(v4);
  const num6 = ruleCount(v6);
  if (position < 1 || position > num4 + num6) throw new RangeError(`invalid position '${position}'`);
  if (four && !six) {
    if (position > num4) throw new RangeError(`invalid position '${position}'`);
    v4.insertRule(position, four);
    return;
  }
  if (six && !four) {
    if (position <= num4) throw new RangeError(`invalid position '${position}'`);
    v6.insertRule(position - num4, six);
    return;
  }
  if (!four || !six) return;
  let at = position;
  if (position > num4) at = otherPosition(v6, v4, position - num4);
  v4.insertRule(at, four);
  num4 = ruleCount(v4);
  at = position + 1;
  if (at <= num4) at = otherPosition(v4, v6, at);
  // ufw then takes any position past the IPv4 count as an IPv6 one, the twin's place included
  if (at > num4) at -= num4;
  v6.insertRule(at, six);
}

/**
 * `ufw insert N RULE` on user.rules and user6.rules, as ufw 0.36 does it (frontend.set_rule,
 * backend.find_other_position, backend_iptables.set_rule):
 * - N is checked against the rules of `ufw status numbered` (IPv4 then IPv6, an app rule's tuples
 *   counted once), but the backend takes the position it is given as a tuple's place in its file;
 * - a rule for both families goes before rule N in one file and before that rule's twin in the other;
 * - an application rule is its profile's tuples, inserted one by one in reverse order at the same
 *   place, and the backend never splits an app rule's group of tuples: a place inside one moves on
 *   past the group (and past the end of the file the insert becomes an add).
 */
import { appTuple } from '../ufw/layout.js';
import type { UfwRuleSpec } from '../ufw/model.js';
import { matchRules, type UfwRulesDocument } from '../ufw-rules/document.js';
import { rewriteRules } from '../ufw-rules/parse.js';

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

const invalid = (position: number) => new RangeError(`Invalid position '${position}'`);

/**
 * backend.find_other_position: the 1-based tuple place in `other` of the twin of `doc`'s rule number
 * `position` (counted over the tuples before it, an app rule's repeated tuples skipped); 0 when the
 * other file has no twin. ufw fails (ValueError, IndexError) where this throws.
 */
function otherPosition(doc: UfwRulesDocument, other: UfwRulesDocument, position: number): number {
  const rules = doc.rules().map((r) => r.spec);
  if (position < 1 || position > rules.length) throw invalid(position);
  const seen = new Set<string>();
  let offset = 0;
  for (let i = 0; i < position && i < rules.length; i++) {
    const t = appTuple(rules[i]!);
    if (t === undefined) continue;
    if (seen.has(t)) offset++;
    else seen.add(t);
  }
  const match = rules[position - 1 + offset];
  if (!match) throw invalid(position);
  const twin = { ...match, v6: !match.v6 };
  return other.rules().findIndex((r) => matchRules(r.spec, twin) === 0) + 1;
}

/** What backend_iptables.set_rule compares to keep an app rule's tuples together: (dst, src, dapp, sapp). */
function groupKey(r: UfwRuleSpec): string {
  return JSON.stringify([r.dst, r.src, r.dapp, r.sapp]);
}
const EMPTY = JSON.stringify([null, null, null, null]);

/**
 * backend_iptables.set_rule for a rule with a position: before the file's tuple number `position`
 * unless that is inside an app rule's group (then after the group); a rule the file has already
 * (even with another action, log type or comment) is skipped. Position 0, or a place pushed past the
 * end, is an add: the rule is appended, or replaces one that differs only in its action/log/comment.
 */
function backendInsert(doc: UfwRulesDocument, position: number, spec: UfwRuleSpec): void {
  const rules = doc.rules().map((r) => r.spec);
  if (position < 0 || position > rules.length) throw invalid(position);
  let pos = position;
  const isApp = (x: UfwRuleSpec) => x.dapp !== null || x.sapp !== null;
  let last = EMPTY;
  let at = 0;
  for (let count = 1; count <= rules.length; count++) {
    const r = rules[count - 1]!;
    const current = groupKey(r);
    if (count === pos) {
      // ufw: the last rule was not an app rule, or this one is not, or they are not one app rule's tuples
      if ((count > 1 && !isApp(rules[count - 2]!)) || !isApp(r) || last !== current) {
        at = count;
        break;
      }
      pos++;
    }
    last = current;
  }
  if (at > 0) doc.insertRule(at, spec);
  else doc.addRule(spec);
}

/**
 * `ufw insert N RULE` (or `ufw route insert N RULE`) for the stored rules of RULE (expandRule's:
 * IPv4 first, each family's tuples in the profile's order), on the files ufw holds with IPV6=yes.
 * Throws where ufw refuses (`Invalid position`), with both documents as they were before (ufw, too,
 * backs out the tuples of an app rule it had inserted before the refusal).
 */
export function insertUfwRule(v4: UfwRulesDocument, v6: UfwRulesDocument, position: number, specs: readonly UfwRuleSpec[]): void {
  if (!Number.isInteger(position) || position < 1) throw new RangeError(`Cannot insert rule at position '${position}'`);
  const fours = specs.filter((s) => !s.v6);
  const sixes = specs.filter((s) => s.v6);
  const version = fours.length && sixes.length ? 'both' : fours.length ? 'v4' : 'v6';
  const rules = (fours.length ? fours : sixes).slice();
  if (rules.some((r) => r.dapp !== null || r.sapp !== null)) rules.reverse();
  const before = [v4.toString(), v6.toString()] as const;
  try {
    insertAll(v4, v6, position, version, rules);
  } catch (e) {
    rewriteRules(v4, before[0]);
    rewriteRules(v6, before[1]);
    throw e;
  }
}

function insertAll(v4: UfwRulesDocument, v6: UfwRulesDocument, position: number, version: 'both' | 'v4' | 'v6', rules: readonly UfwRuleSpec[]): void {
  let num4 = ruleCount(v4);
  const num6 = ruleCount(v6);
  rules.forEach((rule, count) => {
    if (position > num4 + num6) throw invalid(position);
    const r4 = { ...rule, v6: false };
    const r6 = { ...rule, v6: true };
    if (version === 'v4') {
      if (position > num4) throw invalid(position);
      backendInsert(v4, position, r4);
      return;
    }
    if (version === 'v6') {
      if (position <= num4) throw invalid(position);
      backendInsert(v6, position - num4, r6);
      return;
    }
    let at = position;
    if (position > num4) at = otherPosition(v6, v4, position - num4 + count);
    backendInsert(v4, at, r4);
    num4 = ruleCount(v4);
    at = position + 1;
    if (at <= num4) {
      const p = otherPosition(v4, v6, at);
      at = p > 0 ? p - count : 0; // ufw: "subtract count since the list is reversed"
    }
    // ufw then takes any position past the IPv4 count as an IPv6 one, the twin's place included
    if (at > num4) at -= num4;
    backendInsert(v6, at, r6);
  });
}

/**
 * The logging rules of ufw's rule files, as ufw 0.36 writes them (backend_iptables.update_logging,
 * `_get_logging_rules`, `_write_rules`): user.rules / user6.rules written again with the logging rules of that level — the
 * `### LOGGING ###` section (the before, after, misc and user logging chains) and the LOG line of
 * the `### RATE LIMITING ###` section.
 */
import type { UfwPolicy } from '../ufw/model.js';
import { chainLines, tupleText } from './tuple.js';
import type { UfwRulesDocument } from './document.js';
import { rewriteRules } from './parse.js';

/** A level of `ufw logging` (`on` is not one: it keeps the current level, or `low` when logging is off). */
export type UfwLogLevel = 'off' | 'low' | 'medium' | 'high' | 'full';
/** The levels `ufw logging` takes besides `on`, from off to full. */
export const LOG_LEVELS: readonly UfwLogLevel[] = ['off', 'low', 'medium', 'high', 'full'];
const RANK: Record<UfwLogLevel, number> = { off: 0, low: 100, medium: 200, high: 300, full: 400 };

/** The default policies the logging rules depend on (backend._get_default_policy). */
export interface LoggingPolicies {
  readonly input: UfwPolicy;
  readonly output: UfwPolicy;
  readonly forward: UfwPolicy;
}

const TARGETS = ['input', 'output', 'forward'] as const;
const LIMIT = ['-m', 'limit', '--limit', '3/min', '--limit-burst', '10'];
/** The LOG line of ufw's rate-limit chain (the `ufw_user_limit_log` of backend_iptables). */
export const limitLogLine = (v6: boolean) => `-A ${v6 ? 'ufw6' : 'ufw'}-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "`;

/**
 * `_get_logging_rules(level)` as `_write_rules` writes it in one family's file: the lines of the
 * `### LOGGING ###` section (no line endings). `ipv6`: IPV6=yes (else ufw has no IPv6 chains and
 * user6.rules gets an empty section).
 */
export function loggingLines(level: UfwLogLevel, v6: boolean, policies: LoggingPolicies, ipv6 = true): string[] {
  const prefixes = ipv6 ? ['ufw', 'ufw6'] : ['ufw'];
  const chains = (loc: string) => prefixes.flatMap((p) => TARGETS.map((t) => `${p}-${loc}-logging-${t}`));
  const misc = prefixes.flatMap((p) => [`${p}-logging-deny`, `${p}-logging-allow`]);
  const rules: string[][] = [];
  const rank = RANK[level];
  if (level === 'off') {
    for (const c of chains('user')) rules.push(['-I', c, '-j', 'RETURN']);
  } else {
    // the `-D c -j RETURN` of the user chains is not written
    let largs = rank < RANK.high ? LIMIT : [];
    for (const c of chains('after'))
      for (const t of TARGETS) {
        if (!c.endsWith(t)) continue;
        if (policies[t] === 'reject' || policies[t] === 'deny') rules.push(['-A', c, '-j', 'LOG', '--log-prefix', '[UFW BLOCK] ', ...largs]);
        else if (rank >= RANK.medium) rules.push(['-A', c, '-j', 'LOG', '--log-prefix', '[UFW ALLOW] ', ...largs]);
      }
    for (const c of misc) {
      let prefix = '[UFW ALLOW] ';
      if (c.endsWith('deny')) {
        prefix = '[UFW BLOCK] ';
        if (rank < RANK.medium) rules.push(['-I', c, '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'RETURN', ...largs]);
        else rules.push(['-A', c, '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'LOG', '--log-prefix', '[UFW AUDIT INVALID] ', ...largs]);
      }
      rules.push(['-A', c, '-j', 'LOG', '--log-prefix', prefix, ...largs]);
    }
    if (rank >= RANK.medium) {
      largs = rank < RANK.high ? ['-m', 'conntrack', '--ctstate', 'NEW', ...LIMIT] : rank < RANK.full ? LIMIT : [];
      for (const c of chains('before')) rules.push(['-I', c, '-j', 'LOG', '--log-prefix', '[UFW AUDIT] ', ...largs]);
    }
  }
  const mine = (v6 ? 'ufw6' : 'ufw') + '-';
  return rules.filter((r) => r[1]!.startsWith(mine)).map((r) => r.join(' ').replaceAll('[', '"[').replaceAll('] ', '] "'));
}

/**
 * The whole of user.rules or user6.rules as `_write_rules` writes it for the file's rules (the
 * tuples; lines without one are not kept, as ufw keeps none), at a log level. `limit`: the kernel
 * has the `recent` match (ufw then declares and fills its rate-limit chains).
 */
export function writtenRules(doc: UfwRulesDocument, level: UfwLogLevel, policies: LoggingPolicies, options: { ipv6?: boolean; limit?: boolean } = {}): string {
  const p = doc.v6 ? 'ufw6' : 'ufw';
  const limit = options.limit ?? true;
  const out = ['*filter'];
  for (const c of ['user-input', 'user-output', 'user-forward', ...['before', 'user', 'after'].flatMap((l) => TARGETS.map((t) => `${l}-logging-${t}`)), 'logging-deny', 'logging-allow'])
    out.push(`:${p}-${c} - [0:0]`);
  if (limit) out.push(`:${p}-user-limit - [0:0]`, `:${p}-user-limit-accept - [0:0]`);
  out.push('### RULES ###');
  // each tuple as ufw read it, its comment's hex as stored
  for (const n of doc.nodes) if (n.kind === 'tuple' && n.tuple?.ok) out.push('', tupleText(n.tuple.spec, n.tuple.hex), ...chainLines(n.tuple.spec));
  out.push('', '### END RULES ###', '', '### LOGGING ###', ...loggingLines(level, doc.v6, policies, options.ipv6), '### END LOGGING ###');
  if (limit) {
    out.push('', '### RATE LIMITING ###');
    if (level !== 'off') out.push(limitLogLine(doc.v6));
    out.push(`-A ${p}-user-limit -j REJECT`, `-A ${p}-user-limit-accept -j ACCEPT`, '### END RATE LIMITING ###');
  }
  out.push('COMMIT');
  return out.map((l) => l + doc.eol).join('');
}

/**
 * One rule file at a log level, as ufw writes it: the `### LOGGING ###` section's lines and the rate
 * limit's LOG line set (every other line kept); a file without that section is written whole.
 */
export function setRulesLogging(doc: UfwRulesDocument, level: UfwLogLevel, policies: LoggingPolicies, options: { ipv6?: boolean; limit?: boolean } = {}): void {
  if (doc.kind !== 'user') throw new RangeError('logging rules go in user.rules or user6.rules');
  if (doc.setLoggingSection(loggingLines(level, doc.v6, policies, options.ipv6), level === 'off' ? undefined : limitLogLine(doc.v6))) return;
  rewriteRules(doc, writtenRules(doc, level, policies, options));
}

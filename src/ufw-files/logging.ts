/**
 * `ufw logging off|low|medium|high|full|on` on a tree, as ufw 0.36 does it (backend.set_loglevel):
 * LOGLEVEL set in ufw.conf, and both rule files given that level's logging rules (src/ufw-rules/logging.ts).
 */
import type { UfwPolicy } from '../ufw/model.js';
import { LOG_LEVELS, setRulesLogging, type LoggingPolicies, type UfwLogLevel } from '../ufw-rules/logging.js';
import { setting, usesIpv6, type UfwTree } from './tree.js';

const policy = (v: string | undefined): UfwPolicy => (v === 'accept' ? 'allow' : v === 'reject' ? 'reject' : 'deny');

/** The default policies ufw reads from the tree (/etc/default/ufw, then ufw.conf). */
export function loggingPolicies(tree: UfwTree): LoggingPolicies {
  return {
    input: policy(setting(tree, 'DEFAULT_INPUT_POLICY')),
    output: policy(setting(tree, 'DEFAULT_OUTPUT_POLICY')),
    forward: policy(setting(tree, 'DEFAULT_FORWARD_POLICY')),
  };
}

/**
 * `ufw logging LEVEL` on a tree's documents: LOGLEVEL set in ufw.conf (`on` keeps the level, or is
 * `low` when logging was off), and both rule files given that level's logging rules. A file ufw
 * wrote (its `### LOGGING ###` section there) keeps every other line; one without the section (the
 * stock files) is written whole, as ufw writes it. Returns the level set.
 */
export function setUfwLogging(tree: UfwTree, level: UfwLogLevel | 'on', options: { limit?: boolean } = {}): UfwLogLevel {
  if (level !== 'on' && !LOG_LEVELS.includes(level)) throw new RangeError(`Invalid log level '${level}'`);
  const current = setting(tree, 'LOGLEVEL');
  const next = level !== 'on' ? level : current === undefined || current === 'off' ? 'low' : current;
  // ufw keeps a LOGLEVEL it does not know for `on`, then fails writing the rules
  if (!(LOG_LEVELS as readonly string[]).includes(next)) throw new RangeError(`Invalid log level '${next}'`);
  tree.conf.set('LOGLEVEL', next);
  const policies = loggingPolicies(tree);
  const ipv6 = usesIpv6(tree);
  for (const doc of [tree.rules4, tree.rules6]) setRulesLogging(doc, next as UfwLogLevel, policies, { ipv6, limit: options.limit });
  return next as UfwLogLevel;
}

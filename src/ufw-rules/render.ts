/**
 * The rule file ufw holds for a ufw state (user.rules or user6.rules), as ufw would hold it after the
 * commands of fwconf's ufw script: the stock file written anew by `ufw logging` (all of ufw's chains,
 * the logging rules of the level, for the state's default policies), then each of that family's rules
 * added as ufw adds it.
 */
import type { UfwState } from '../ufw/model.js';
import { LOG_LEVELS, setRulesLogging, type UfwLogLevel } from './logging.js';
import type { UfwRulesDocument } from './document.js';
import { parseRules, rulesFileOf } from './parse.js';
import { STOCK_USER6_RULES, STOCK_USER_RULES } from './stock.js';

/** The level `ufw logging` is given for a state: `off`, or the state's level (`low` when it has none). */
export function stateLogLevel(state: UfwState): UfwLogLevel {
  const level = state.logging.state === 'off' ? 'off' : (state.logging.level ?? 'low');
  if (!LOG_LEVELS.includes(level)) throw new RangeError(`Invalid log level '${level}'`);
  return level;
}

/**
 * The rule file ufw holds for the state: user.rules, or user6.rules when `options.file` names a v6
 * file. The routed policy `disabled` is ufw's stock forward policy (DROP), as /etc/default/ufw keeps it;
 * IPv6 is on (the stock IPV6=yes).
 */
export function renderRules(state: UfwState, options: { file?: string } = {}): UfwRulesDocument {
  const file = options.file ?? 'user.rules';
  const v6 = rulesFileOf(file)?.v6 ?? false;
  const doc = parseRules(v6 ? STOCK_USER6_RULES : STOCK_USER_RULES, { file, kind: 'user', v6 });
  const { incoming, outgoing, routed } = state.defaults;
  setRulesLogging(doc, stateLogLevel(state), { input: incoming, output: outgoing, forward: routed === 'disabled' ? 'deny' : routed }, { ipv6: true });
  for (const r of state.rules) if (r.v6 === v6) doc.addRule(r);
  return doc;
}

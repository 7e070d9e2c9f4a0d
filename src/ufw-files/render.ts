/**
 * ufw's own files for a ufw state, as ufw would hold them after the commands of fwconf's ufw script
 * (reset, defaults, logging, rules, enable): the stock files written anew by `ufw logging` (all of
 * ufw's chains, the logging rules of the level), each rule added as ufw adds it, and ufw.conf /
 * /etc/default/ufw set as `ufw enable`, `ufw logging` and `ufw default` set them.
 */
import type { UfwPolicy, UfwState } from '../ufw/model.js';
import { parseConf } from '../ufw-conf/parse.js';
import { setUfwLogging } from './logging.js';
import { parseRules } from '../ufw-rules/parse.js';
import { STOCK_DEFAULT_UFW, STOCK_UFW_CONF } from '../ufw-conf/stock.js';
import { STOCK_USER6_RULES, STOCK_USER_RULES } from '../ufw-rules/stock.js';

/** One of ufw's files as rendered: where it goes, its text, its format and mode. */
export interface UfwFile {
  readonly path: string;
  readonly content: string;
  readonly format: 'ufw-rules' | 'ufw-conf';
  readonly mode: number;
}

const POLICY: Record<UfwPolicy, string> = { allow: '"ACCEPT"', deny: '"DROP"', reject: '"REJECT"' };

/** ufw's own files (user.rules, user6.rules, ufw.conf, /etc/default/ufw) as ufw would hold them in that state. */
export function renderUfwFiles(state: UfwState): UfwFile[] {
  const v4 = parseRules(STOCK_USER_RULES, { file: 'user.rules' });
  const v6 = parseRules(STOCK_USER6_RULES, { file: 'user6.rules' });
  const conf = parseConf(STOCK_UFW_CONF, { file: 'ufw.conf' });
  const defaults = parseConf(STOCK_DEFAULT_UFW, { file: 'default/ufw' });
  // in the script's order: defaults, logging (which writes the rule files whole, with its logging rules), rules, enable
  defaults.set('DEFAULT_INPUT_POLICY', POLICY[state.defaults.incoming]);
  defaults.set('DEFAULT_OUTPUT_POLICY', POLICY[state.defaults.outgoing]);
  if (state.defaults.routed !== 'disabled') defaults.set('DEFAULT_FORWARD_POLICY', POLICY[state.defaults.routed]);
  const app = { allow: '"ACCEPT"', deny: '"DROP"', reject: '"REJECT"', skip: '"SKIP"' }[state.newProfiles];
  defaults.set('DEFAULT_APPLICATION_POLICY', app);
  setUfwLogging({ root: '/', conf, defaults, rules4: v4, rules6: v6, missing: [] }, state.logging.state === 'off' ? 'off' : (state.logging.level ?? 'low'));
  for (const r of state.rules) (r.v6 ? v6 : v4).addRule(r);
  conf.set('ENABLED', state.status === 'active' ? 'yes' : 'no');
  return [
    { path: '/etc/ufw/user.rules', content: v4.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/user6.rules', content: v6.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/ufw.conf', content: conf.toString(), format: 'ufw-conf', mode: 0o644 },
    { path: '/etc/default/ufw', content: defaults.toString(), format: 'ufw-conf', mode: 0o644 },
  ];
}

/**
 * ufw's own files for a ufw state, as ufw would hold them after the commands of fwconf's ufw script
 * (reset, defaults, logging, rules, enable): the stock files with each rule added as ufw adds it, and
 * ufw.conf / /etc/default/ufw set as `ufw enable`, `ufw logging` and `ufw default` set them.
 */
import type { UfwPolicy, UfwState } from '../ufw/model.js';
import { parseConf } from './conf-document.js';
import { parseRules } from './rules-document.js';
import { STOCK_DEFAULT_UFW, STOCK_UFW_CONF, STOCK_USER6_RULES, STOCK_USER_RULES } from './stock.js';

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
  for (const r of state.rules) (r.v6 ? v6 : v4).addRule(r);
  const conf = parseConf(STOCK_UFW_CONF, { file: 'ufw.conf' });
  conf.set('ENABLED', state.status === 'active' ? 'yes' : 'no');
  conf.set('LOGLEVEL', state.logging.state === 'off' ? 'off' : (state.logging.level ?? 'low'));
  const defaults = parseConf(STOCK_DEFAULT_UFW, { file: 'default/ufw' });
  defaults.set('DEFAULT_INPUT_POLICY', POLICY[state.defaults.incoming]);
  defaults.set('DEFAULT_OUTPUT_POLICY', POLICY[state.defaults.outgoing]);
  if (state.defaults.routed !== 'disabled') defaults.set('DEFAULT_FORWARD_POLICY', POLICY[state.defaults.routed]);
  const app = { allow: '"ACCEPT"', deny: '"DROP"', reject: '"REJECT"', skip: '"SKIP"' }[state.newProfiles];
  defaults.set('DEFAULT_APPLICATION_POLICY', app);
  return [
    { path: '/etc/ufw/user.rules', content: v4.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/user6.rules', content: v6.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/ufw.conf', content: conf.toString(), format: 'ufw-conf', mode: 0o644 },
    { path: '/etc/default/ufw', content: defaults.toString(), format: 'ufw-conf', mode: 0o644 },
  ];
}

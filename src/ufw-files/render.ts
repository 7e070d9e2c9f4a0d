/**
 * ufw's own files for a ufw state, as ufw would hold them after the commands of fwconf's ufw script
 * (reset, defaults, logging, rules, enable): the two rule files (src/ufw-rules/render.ts: the stock
 * files written anew by `ufw logging`, each rule added as ufw adds it), and ufw.conf /
 * /etc/default/ufw set as `ufw enable`, `ufw logging` and `ufw default` set them.
 */
import type { UfwPolicy, UfwState } from '../ufw/model.js';
import { renderConf } from '../ufw-conf/render.js';
import { renderRules, stateLogLevel } from '../ufw-rules/render.js';

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
  const v4 = renderRules(state, { file: 'user.rules' });
  const v6 = renderRules(state, { file: 'user6.rules' });
  const defaults: Record<string, string> = {
    DEFAULT_INPUT_POLICY: POLICY[state.defaults.incoming],
    DEFAULT_OUTPUT_POLICY: POLICY[state.defaults.outgoing],
  };
  // routed `disabled` keeps the stock DEFAULT_FORWARD_POLICY
  if (state.defaults.routed !== 'disabled') defaults.DEFAULT_FORWARD_POLICY = POLICY[state.defaults.routed];
  defaults.DEFAULT_APPLICATION_POLICY = { allow: '"ACCEPT"', deny: '"DROP"', reject: '"REJECT"', skip: '"SKIP"' }[state.newProfiles];
  const conf = renderConf({ LOGLEVEL: stateLogLevel(state), ENABLED: state.status === 'active' ? 'yes' : 'no' }, { file: 'ufw.conf' });
  return [
    { path: '/etc/ufw/user.rules', content: v4.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/user6.rules', content: v6.toString(), format: 'ufw-rules', mode: 0o640 },
    { path: '/etc/ufw/ufw.conf', content: conf.toString(), format: 'ufw-conf', mode: 0o644 },
    { path: '/etc/default/ufw', content: renderConf(defaults, { file: 'default/ufw' }).toString(), format: 'ufw-conf', mode: 0o644 },
  ];
}

/** ufw's settings files as a format (`ufw-conf`): ufw.conf and /etc/default/ufw, read as ufw and as the shell of ufw-init read them. */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { checkConf } from './check.js';
import type { UfwConfDocument } from './document.js';
import { parseConf } from './parse.js';
import { renderConf } from './render.js';

export { parseConf } from './parse.js';
export { UfwConfDocument } from './document.js';
export { ufwReads, ConfNode } from './line.js';
export type { UfwConfModel } from './model.js';
export { checkConf } from './check.js';
export { renderConf } from './render.js';
export type { UfwConfCode } from './codes.js';

const CONF_KEYS = /^(?:ENABLED|LOGLEVEL|IPV6|MANAGE_BUILTINS|IPT_SYSCTL|IPT_MODULES|DEFAULT_(?:INPUT|OUTPUT|FORWARD|APPLICATION)_POLICY)=/m;

/** ufw's settings files (ufw.conf, /etc/default/ufw): parse, check, render, semantics and detection. */
export const format: Format<UfwConfDocument, Readonly<Record<string, string>>, Record<string, string>, { file?: string }> = {
  name: 'ufw-conf',
  parse: (text, options) => parseConf(text, options),
  check: (doc) => checkConf(doc),
  detect: detector({ name: (path) => /(?:^|\/)ufw\.conf$/.test(path) || /(?:^|\/)default\/ufw$/.test(path), content: (head) => CONF_KEYS.test(head) }),
  /** ufw's stock ufw.conf (or /etc/default/ufw when `options.file` names it) with each key set as ufw sets it. */
  render: (settings, options = {}) => renderConf(settings, options),
  semanticsVerb: 'settings',
  /** Each key as ufw reads it: lower-cased key and value, quotes removed, the last line winning. */
  semantics: (doc) => {
    const out: Record<string, string> = {};
    for (const s of doc.toJSON().settings) if (s.ufw !== null) out[s.key.toLowerCase()] = s.ufw;
    return out;
  },
};


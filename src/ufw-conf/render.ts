/** ufw's settings files for a set of keys: the stock ufw.conf or /etc/default/ufw, each key set as ufw's `set_default` sets it. */
import type { UfwConfDocument } from './document.js';
import { parseConf } from './parse.js';
import { STOCK_DEFAULT_UFW, STOCK_UFW_CONF } from './stock.js';

/** ufw's stock ufw.conf (or /etc/default/ufw when `options.file` names it) with each key set, in order, as ufw sets it. */
export function renderConf(settings: Readonly<Record<string, string>>, options: { file?: string } = {}): UfwConfDocument {
  const file = options.file ?? 'ufw.conf';
  const doc = parseConf(/(?:^|\/)default\/ufw$/.test(file) ? STOCK_DEFAULT_UFW : STOCK_UFW_CONF, { file });
  for (const [key, value] of Object.entries(settings)) doc.set(key, value);
  return doc;
}

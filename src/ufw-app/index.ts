/** ufw's application profiles as a format (`ufw-app`): the files of /etc/ufw/applications.d, read as ufw's configparser reads them. */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import type { UfwAppDocument } from './document.js';
import type { UfwAppFileProfile } from './model.js';
import { parseApp } from './parse.js';
import { renderApp, type AppProfileInput } from './render.js';

export { parseApp } from './parse.js';
export { UfwAppDocument } from './document.js';
export { AppNode } from './line.js';
export type { UfwAppModel, UfwAppFileProfile } from './model.js';
export { renderApp, type AppProfileInput } from './render.js';
export type { UfwAppCode } from './codes.js';

/** ufw's application profiles (applications.d): parse, check, render, semantics and detection. */
export const format: Format<UfwAppDocument, readonly AppProfileInput[], UfwAppFileProfile[], { file?: string }> = {
  name: 'ufw-app',
  parse: (text, options) => parseApp(text, options),
  check: (doc) => [...doc.diagnostics],
  detect: detector({ name: (path) => /(?:^|\/)applications\.d\/[^/]+$/.test(path), content: (head) => /^\[[^\]\r\n]+\]\r?$/m.test(head) && /^ports\s*[=:]/m.test(head) }),
  /** A profile file as packages ship them: `[name]`, then title, description and ports, a blank line between profiles. */
  render: (profiles, options = {}) => renderApp(profiles, options),
  semanticsVerb: 'profiles',
  /** The profiles ufw reads from the file. */
  semantics: (doc) => doc.profiles(),
};

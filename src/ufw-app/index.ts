/** ufw's application profiles as a format (`ufw-app`): the files of /etc/ufw/applications.d, read as ufw's configparser reads them. */
import type { Format } from '../core/format.js';
import type { UfwAppDocument } from './document.js';
import type { UfwAppFileProfile } from './model.js';
import { parseApp } from './parse.js';

export { parseApp } from './parse.js';
export { UfwAppDocument } from './document.js';
export { AppNode } from './line.js';
export type { UfwAppModel, UfwAppFileProfile } from './model.js';
export type { UfwAppCode } from './codes.js';

/** One application profile to render. */
export interface AppProfileInput {
  name: string;
  title?: string;
  description?: string;
  /** Joined with `|`, as ufw splits them. */
  ports: readonly string[];
}

function profileText(p: AppProfileInput): string {
  if (/[\]\r\n]/.test(p.name) || p.name === '') throw new RangeError(`invalid profile name '${p.name}'`);
  for (const v of [p.title, p.description, ...p.ports]) if (v !== undefined && /[\r\n]/.test(v)) throw new RangeError('a profile value is one line');
  let s = `[${p.name}]\n`;
  if (p.title !== undefined) s += `title=${p.title}\n`;
  if (p.description !== undefined) s += `description=${p.description}\n`;
  return s + `ports=${p.ports.join('|')}\n`;
}

/** ufw's application profiles (applications.d): parse, check, render, semantics and detection. */
export const format: Format<UfwAppDocument, readonly AppProfileInput[], UfwAppFileProfile[], { file?: string }> = {
  name: 'ufw-app',
  parse: (text, options) => parseApp(text, options),
  check: (doc) => [...doc.diagnostics],
  detect(file, text) {
    const name = file !== undefined && /(?:^|\/)applications\.d\/[^/]+$/.test(file.replace(/\\/g, '/')) ? 2 : 0;
    const head = text.slice(0, 65536);
    return name + (/^\[[^\]\r\n]+\]\r?$/m.test(head) && /^ports\s*[=:]/m.test(head) ? 1 : 0);
  },
  /** A profile file as packages ship them: `[name]`, then title, description and ports, a blank line between profiles. */
  render: (profiles, options = {}) => parseApp(profiles.map(profileText).join('\n'), options.file !== undefined ? { file: options.file } : {}),
  semanticsVerb: 'profiles',
  /** The profiles ufw reads from the file. */
  semantics: (doc) => doc.profiles(),
};

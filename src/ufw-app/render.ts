/** ufw application profiles rendered: a profile file as packages ship them. */
import type { UfwAppDocument } from './document.js';
import { parseApp } from './parse.js';

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

/** A profile file as packages ship them: `[name]`, then title, description and ports, a blank line between profiles. */
export function renderApp(profiles: readonly AppProfileInput[], options: { file?: string } = {}): UfwAppDocument {
  return parseApp(profiles.map(profileText).join('\n'), options.file !== undefined ? { file: options.file } : {});
}

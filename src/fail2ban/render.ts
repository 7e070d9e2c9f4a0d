/**
 * Typed model → a fresh fail2ban file in canonical style (`key = value`, continuation lines aligned
 * under the value, a blank line between sections). The typed builder calls `render`.
 */
import { Fail2banDocument } from './document.js';

/** A value: one line, or several (a failregex list, an action list, logpaths). */
export type RenderValue = string | number | boolean | readonly string[];

/** A section to render: its name and its options, in order. */
export interface RenderSection {
  name: string;
  options: Readonly<Record<string, RenderValue>> | readonly (readonly [string, RenderValue])[];
}

/** A fail2ban file to render: header comment lines and the sections. */
export interface RenderSpec {
  /** Comment lines written at the top (without the leading `# `). */
  header?: readonly string[];
  sections: readonly RenderSection[];
}

function valueText(v: RenderValue): string[] {
  if (Array.isArray(v)) return (v as readonly string[]).length ? [...(v as readonly string[])] : [''];
  if (typeof v === 'boolean') return [v ? 'true' : 'false'];
  return String(v).split('\n');
}

/** Renders the text of a spec. */
export function renderText(spec: RenderSpec, eol: '\n' | '\r\n' = '\n'): string {
  const out: string[] = [];
  for (const h of spec.header ?? []) out.push(h === '' ? '#' : `# ${h}`);
  if (spec.header?.length) out.push('');
  spec.sections.forEach((s, i) => {
    if (i > 0) out.push('');
    if (/[\n\r]/.test(s.name) || s.name === '') throw new TypeError(`invalid section name ${JSON.stringify(s.name)}`);
    out.push(`[${s.name}]`);
    const entries = Array.isArray(s.options) ? (s.options as readonly (readonly [string, RenderValue])[]) : Object.entries(s.options as Record<string, RenderValue>);
    for (const [k, v] of entries) {
      if (/[=:\n\r]/.test(k) || k.trim() !== k || k === '' || /^[#;[]/.test(k)) throw new TypeError(`invalid option name ${JSON.stringify(k)}`);
      const lines = valueText(v);
      const head = `${k} = `;
      out.push((head + lines[0]).trimEnd());
      const pad = ' '.repeat(head.length);
      for (const l of lines.slice(1)) out.push(l.trim() === '' ? '' : pad + l.trim());
    }
  });
  return out.join(eol) + eol;
}

/** Renders a spec into a document. */
export function render(spec: RenderSpec, options: { file?: string; eol?: '\n' | '\r\n' } = {}): Fail2banDocument {
  return new Fail2banDocument(renderText(spec, options.eol), options.file !== undefined ? { file: options.file } : {});
}

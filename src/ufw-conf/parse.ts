/** ufw's settings files, text to Document: one node per line, what the shell of ufw-init cannot read reported. */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import type { ParseOptions } from '../core/format.js';
import { BOM, SourceText } from '../core/text.js';
import { UfwConfDocument } from './document.js';
import { ConfNode, makeNode, shellValue } from './line.js';

/** Parses ufw.conf or /etc/default/ufw. Never throws on bad input; `doc.toString() === text`. */
export function parseConf(text: string, options: ParseOptions = {}): UfwConfDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-conf: expected the text as a string, got ${typeof text}`);
  const source = new SourceText(text, options.file);
  const nodes: ConfNode[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const raw = text.slice(l.start, l.next);
    const n = makeNode(bom ? raw.slice(1) : raw);
    const node = bom ? new ConfNode(raw, n.kind, n.key, n.value, n.ufwValue) : n;
    nodes.push(node);
    if (node.kind === 'unknown')
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, 'ufw-conf/unknown-line', 'error', 'not a KEY=value line, a comment or a blank line (ufw-init sources this file with the shell)'));
    else if (node.kind === 'assignment' && node.value !== undefined && shellValue(text.slice(l.start + bom, l.end).replace(/^\s*\w+=/, '').replace(/\r$/, '')) === undefined)
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, 'ufw-conf/shell-value', 'warning', 'a value the shell expands or splits (quote it plainly)'));
  }
  return new UfwConfDocument(nodes, options.file, diagnostics);
}

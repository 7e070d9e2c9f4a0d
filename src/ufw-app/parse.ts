/** ufw's application profiles, text to Document: one node per line, what makes configparser refuse the file reported. */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import type { ParseOptions } from '../core/format.js';
import { BOM, SourceText, stripEol } from '../core/text.js';
import type { UfwAppCode } from './codes.js';
import { UfwAppDocument } from './document.js';
import { AppNode } from './line.js';

/** Parses an applications.d file. Never throws on bad input; `doc.toString() === text`. */
export function parseApp(text: string, options: ParseOptions = {}): UfwAppDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-app: expected the text as a string, got ${typeof text}`);
  const source = new SourceText(text, options.file);
  const nodes: AppNode[] = [];
  const diagnostics: Diagnostic[] = [];
  let section: string | undefined;
  const sections = new Set<string>();
  let keys = new Set<string>();
  let lastEntry = false;
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const raw = text.slice(l.start, l.next);
    const content = stripEol(text.slice(l.start + bom, l.next));
    const err = (code: UfwAppCode, message: string, severity: 'error' | 'warning' = 'error') =>
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, code, severity, message));
    const t = content.trim();
    let node: AppNode;
    if (t === '') {
      node = new AppNode(raw, 'blank');
    } else if (/^[#;]/.test(t)) {
      node = new AppNode(raw, 'comment');
    } else if (/^\s/.test(content) && lastEntry) {
      node = new AppNode(raw, 'continuation', section);
    } else if (/^\[[^\]]+\]/.test(content)) {
      section = /^\[([^\]]+)\]/.exec(content)![1]!;
      if (sections.has(section)) err('ufw-app/duplicate', `profile [${section}] is defined twice in this file: ufw skips the whole file`);
      sections.add(section);
      keys = new Set();
      node = new AppNode(raw, 'section', section);
    } else if (/^[^=:\s][^=:]*[=:]/.test(content) && section !== undefined) {
      const m = /^([^=:]*?)\s*[=:]\s*(.*?)\s*$/s.exec(content)!;
      const key = m[1]!.toLowerCase();
      if (keys.has(key)) err('ufw-app/duplicate', `'${m[1]}' is set twice in [${section}]: ufw skips the whole file`);
      keys.add(key);
      node = new AppNode(raw, 'entry', section, m[1]!, m[2]!);
    } else {
      node = new AppNode(raw, 'unknown', section);
      err('ufw-app/unknown-line', section === undefined ? 'a line before the first [profile]: ufw skips the whole file' : 'not a key=value line: ufw skips the whole file');
    }
    lastEntry = node.kind === 'entry' || node.kind === 'continuation';
    nodes.push(node);
  }
  return new UfwAppDocument(nodes, options.file, diagnostics);
}

/** ufw's rule files, text to Document: one node per physical line, the tuples read as ufw reads them, iptables-restore's structure errors reported. */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import type { ParseOptions } from '../core/format.js';
import { BOM, SourceText } from '../core/text.js';
import type { UfwRulesCode } from './codes.js';
import { UfwRulesDocument } from './document.js';
import { RULE_LINE, RulesNode } from './line.js';
import type { RulesFileKind } from './model.js';
import { readTuple } from './tuple.js';

/** user.rules / user6.rules / before6.rules … from a path. */
export function rulesFileOf(file: string | undefined): { kind: RulesFileKind; v6: boolean } | undefined {
  const base = (file ?? '').replace(/\\/g, '/').split('/').pop() ?? '';
  const m = /^(user|before|after)(6?)\.rules$/.exec(base);
  if (!m) return undefined;
  return { kind: m[1] as RulesFileKind, v6: m[2] === '6' };
}

/** Reads a rule file. The file's name says which (user6.rules …); without one the content does. */
export function parseRules(text: string, options: ParseOptions & { kind?: RulesFileKind; v6?: boolean } = {}): UfwRulesDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-rules: expected the text as a string, got ${typeof text}`);
  const source = new SourceText(text, options.file);
  const named = rulesFileOf(options.file);
  const v6 = options.v6 ?? named?.v6 ?? /^:ufw6-/m.test(text);
  const kind = options.kind ?? named?.kind ?? (/^### (?:RULES|tuple) ###/m.test(text) ? 'user' : /^:ufw6?-before-/m.test(text) ? 'before' : /^:ufw6?-after-/m.test(text) ? 'after' : 'other');
  const diagnostics: Diagnostic[] = [];
  const nodes: RulesNode[] = [];
  let inTable = false;
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const content = text.slice(l.start + bom, l.end).replace(/\r$/, '');
    const raw = text.slice(l.start, l.next);
    const trimmed = content.trim();
    const err = (code: UfwRulesCode, message: string, severity: 'error' | 'warning' = 'error') =>
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, code, severity, message));
    let node: RulesNode;
    const tuple = kind === 'user' ? readTuple(content, v6) : undefined;
    if (tuple) {
      node = new RulesNode(raw, 'tuple', tuple);
      if (!tuple.ok) err('ufw-rules/bad-tuple', `ufw skips this tuple: ${tuple.reason}`);
    } else if (trimmed === '') node = new RulesNode(raw, 'blank');
    else if (trimmed.startsWith('#')) node = new RulesNode(raw, 'comment');
    else if (/^\*\S+$/.test(trimmed)) {
      if (inTable) err('ufw-rules/missing-commit', 'a table starts before the previous one is committed (iptables-restore fails)');
      inTable = true;
      node = new RulesNode(raw, 'table');
    } else if (trimmed === 'COMMIT') {
      if (!inTable) err('ufw-rules/outside-table', 'COMMIT without a table (iptables-restore fails)');
      inTable = false;
      node = new RulesNode(raw, 'commit');
    } else if (/^:\S+\s+\S+(?:\s+\[\d+:\d+\])?$/.test(trimmed)) {
      if (!inTable) err('ufw-rules/outside-table', 'a chain declared outside a table (iptables-restore fails)');
      node = new RulesNode(raw, 'chain', undefined, /^:(\S+)/.exec(trimmed)![1]);
    } else if (RULE_LINE.test(trimmed)) {
      if (!inTable) err('ufw-rules/outside-table', 'a rule outside a table (iptables-restore fails)');
      node = new RulesNode(raw, 'rule', undefined, RULE_LINE.exec(trimmed)![1]);
    } else {
      node = new RulesNode(raw, 'unknown');
      err('ufw-rules/unknown-line', 'not an iptables-restore line (a comment, *table, :chain, a -A rule or COMMIT)');
    }
    nodes.push(node);
  }
  if (inTable && nodes.length) {
    const last = source.lines[source.lines.length - 1]!;
    diagnostics.push(diagnosticAt(source, last.start, last.end, 'ufw-rules/missing-commit', 'error', 'the last table has no COMMIT (iptables-restore fails)'));
  }
  return new UfwRulesDocument(nodes, kind, v6, options.file, diagnostics);
}

/** The whole file written anew (ufw writing it): `doc` takes the nodes of `text` read as the same file. */
export function rewriteRules(doc: UfwRulesDocument, text: string): void {
  doc.replaceNodes(parseRules(text, { file: doc.file, kind: doc.kind, v6: doc.v6 }).nodes);
}

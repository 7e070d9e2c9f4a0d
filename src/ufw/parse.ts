/**
 * `ufw status` text → UfwStatusDocument. One node per physical line; a line that is not one ufw
 * prints becomes an `unknown` node with an error. Never throws on bad input.
 */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import type { ParseOptions } from '../core/format.js';
import { BOM, SourceText } from '../core/text.js';
import { layoutSplits, type RuleColumns } from './columns.js';
import { looksTranslated } from './locale.js';
import { languageOf, UfwNode, UfwStatusDocument } from './document.js';
import { parseLine, type UfwLine } from './line.js';
import { ruleFromColumns } from './tuple.js';

export { parseLine, type UfwLine } from './line.js';

/**
 * @example
 * ```ts
 * import { parse } from 'fwconf/ufw';
 * const status = parse('Status: active\n\nTo                         Action      From\n--                         ------      ----\n2201/tcp                   ALLOW       Anywhere\n');
 * status.status; // 'active'
 * status.rules.length; // 1
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): UfwStatusDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-status: expected the text as a string, got ${typeof text}`);
  if (options === null || typeof options !== 'object') throw new TypeError('ufw-status: options must be an object');
  const source = new SourceText(text, options.file);
  const diagnostics: Diagnostic[] = [];
  const nodes: UfwNode[] = [];
  let translatedHint = false;
  const contents = source.lines.map((l) => text.slice(l.start + (l.index === 0 && text.startsWith(BOM) ? 1 : 0), l.end));
  // The rule lines as ufw lays them out are read in one parser call; parseLine reads the others.
  const layout = layoutSplits(contents);
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const content = contents[l.index]!;
    const columns = layout[l.index];
    const parsed: UfwLine = columns ? { kind: 'rule', columns } : parseLine(content);
    const node = new UfwNode(text.slice(l.start, l.next), parsed);
    nodes.push(node);
    if (parsed.kind === 'unknown') {
      const at = l.start + bom + parsed.offset;
      if (looksTranslated(content)) {
        translatedHint = true;
        diagnostics.push(
          diagnosticAt(source, l.start + bom, l.end, 'ufw/localized-output',
            'error',
            'this line looks translated and fwconf cannot read it reliably; capture the output with `LANG=C ufw status` (or LC_ALL=C)'),
        );
      } else {
        diagnostics.push(diagnosticAt(source, at, l.end, 'ufw/unknown-line', 'error', parsed.error));
      }
    }
  }
  // Rules are built now so their line numbers are those of the input.
  let line = 1;
  for (const n of nodes) {
    if (n.parsed.kind === 'rule') n.rule = ruleOf(n.parsed.columns, line);
    line++;
  }
  const language = languageOf(nodes);
  if (!translatedHint && language !== 'C' && nodes.some((n) => n.parsed.kind === 'status')) {
    const st = nodes.findIndex((n) => n.parsed.kind === 'status');
    const l = source.lines[st]!;
    diagnostics.push(
      diagnosticAt(source, l.start, l.end, 'ufw/localized-output', 'warning',
        `ufw printed this status in a translation (${language}); it was read with ufw's own catalogue, but \`LANG=C ufw status\` gives output every tool reads the same way`),
    );
  }
  return new UfwStatusDocument(nodes, source.eol, options.file, diagnostics);
}

function ruleOf(c: RuleColumns, line: number) {
  return ruleFromColumns({
    number: c.number,
    action: c.action,
    direction: c.direction ?? 'in',
    actionText: c.actionSpan.text,
    to: c.to,
    from: c.from,
    log: c.log,
    comment: c.comment,
    line,
  });
}

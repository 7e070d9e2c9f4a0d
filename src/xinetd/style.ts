/**
 * The layout of attribute lines, sniffed from a file so that edits look like their neighbours:
 * indentation, the gap before the operator (tabs to a tab stop in Debian's files, spaces to one
 * column in the seed's), and the space after it.
 */
import { alignedColumn, mostCommon } from '../core/lines.js';
import type { Op } from './model.js';
import type { XinetdLine } from './reader.js';

/** How a file lays out its attributes (indent, operator column, spacing), so added lines look like the others. */
export interface AttributeStyle {
  /** Text before the attribute name. */
  indent: string;
  /** The operators start in one visual column (tabs count to the next multiple of 8). */
  align?: { column: number; tabs: boolean };
  /** Gap between name and operator when not aligned (or when the name is too long to align). */
  gap: string;
  /** Text between the operator and the first value. */
  afterOp: string;
}

/** The canonical style of rendered files: 8 spaces, names padded so every `=` is in column 25. */
export const CANONICAL_STYLE: AttributeStyle = { indent: '        ', align: { column: 24, tabs: false }, gap: ' ', afterOp: ' ' };

const TAB = 8;

/** Visual width of a string with tabs expanded to multiples of 8. */
export function visualWidth(s: string, from = 0): number {
  let col = from;
  for (const ch of s) col = ch === '\t' ? (Math.floor(col / TAB) + 1) * TAB : col + 1;
  return col;
}

/** The style of a set of attribute lines, or undefined when there are none. */
export function sniffStyle(lines: readonly XinetdLine[]): AttributeStyle | undefined {
  const parsed = lines.map((l) => ({ c: l.content, a: l.attribute })).filter((p) => p.a.type === 'attribute');
  if (parsed.length === 0) return undefined;
  const indents: string[] = [];
  const gaps: string[] = [];
  const afterOps: string[] = [];
  const cols: number[] = [];
  for (const { c, a } of parsed) {
    if (a.type !== 'attribute') continue;
    indents.push(c.slice(0, a.name.start));
    gaps.push(c.slice(a.name.end, a.opStart));
    const first = a.values[0];
    if (first) afterOps.push(c.slice(a.opEnd, first.start));
    cols.push(visualWidth(c.slice(0, a.opStart)));
  }
  const gap = mostCommon(gaps, ' ');
  const column = alignedColumn(cols);
  const tabs = gaps.filter((g) => g.includes('\t')).length * 2 > gaps.length;
  const style: AttributeStyle = { indent: mostCommon(indents, CANONICAL_STYLE.indent), gap, afterOp: mostCommon(afterOps, ' ') };
  // One line alone is "aligned" with itself when its gap is more than one character.
  const single = parsed.length === 1 && gap.length > 1 ? cols[0] : undefined;
  const col = column ?? single;
  if (col !== undefined) style.align = { column: col, tabs };
  return style;
}

/** An attribute line (without its ending) in a style. */
export function renderAttribute(style: AttributeStyle, name: string, op: Op, values: readonly string[]): string {
  const head = style.indent + name;
  let gap = style.gap;
  if (style.align) {
    const start = visualWidth(head);
    const target = style.align.column;
    if (style.align.tabs) {
      let col = start;
      let g = '';
      while (col < target) {
        g += '\t';
        col = (Math.floor(col / TAB) + 1) * TAB;
      }
      gap = g === '' || col !== target ? (g === '' ? '\t' : g) : g;
    } else {
      gap = target - start >= 1 ? ' '.repeat(target - start) : ' ';
    }
  }
  return head + gap + op + (values.length > 0 ? style.afterOp + values.join(' ') : '');
}

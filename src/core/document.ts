/**
 * The one Document shape every line-based format is born in.
 *
 * A `LineDocument` owns:
 * - the line source: the text split into nodes by a newline policy (`posix`: lines end at `\n`, a `\r`
 *   before it belongs to the ending; `universal`: Python's universal newlines, `\n`, `\r\n` and a lone
 *   `\r`, as fail2ban reads its files);
 * - the node store (core/lines.ts), each node owning its raw slice of the text;
 * - positions, computed from the current text and never stored: `lineOf(node)`, `offsetOf(node)`;
 * - diagnostics, each tied to the node it speaks of, so its `line` follows the node through edits (and
 *   goes with it when the node is removed);
 * - its edits: every change goes through `splice` (or `setRaw`, or `setValue`, which keeps the trivia
 *   around a value: the node's `decor()`, core/decor.ts); a node's `raw` is read-only outside core,
 *   written only by NodeStore.setRaw. The first edit keeps the parsed nodes, so `edits()` gives the
 *   changes as `TextEdit`s against the parsed text, each spanning only nodes that changed:
 *   `applyEdits(original, doc.edits()) === doc.toString()`, and every byte outside them is
 *   the input's.
 *
 * A format subclasses it with its node type and its queries, and implements `toJSON`.
 */
import { decorate, type Decor, type Decorated } from './decor.js';
import type { Diagnostic } from './diagnostics.js';
import type { FormatDocument } from './format.js';
import { countNewlines, NodeStore, type RawNode, type TextEdit } from './lines.js';
import { eolOf, rawLines } from './text.js';

/** How a format's daemon splits a file into lines. */
export type NewlinePolicy = 'posix' | 'universal';

/** The raw lines of a text (endings included) under a newline policy: `lines.join('') === text`. */
export function splitRaw(text: string, policy: NewlinePolicy = 'posix'): string[] {
  if (policy === 'posix') return rawLines(text);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (c === 13) {
      const end = text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      out.push(text.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Where a diagnostic sits relative to its node: lines counted from the node's first line. */
interface Anchored {
  readonly node: RawNode | undefined;
  /** For a diagnostic past the last node (end of file): how many lines before the end it was. */
  readonly fromEnd: number;
  readonly lineDelta: number;
  readonly endLineDelta: number;
  readonly diagnostic: Diagnostic;
}

/** What a Document built on LineDocument starts from: its nodes (one per line), file name, line ending and the parse's diagnostics. */
export interface LineDocumentInit<N extends RawNode> {
  readonly nodes: N[];
  /** The file's name, for diagnostics. */
  readonly file?: string | undefined;
  /** Line ending for new lines; default: the text's dominant one. */
  readonly eol?: '\n' | '\r\n';
  /** The parse's diagnostics, positioned in the parsed text. */
  readonly diagnostics?: readonly Diagnostic[];
}

export abstract class LineDocument<N extends RawNode> implements FormatDocument {
  protected readonly store: NodeStore<N>;
  readonly file: string | undefined;
  /**
   * The parsed nodes and their parsed text, for `edits()`: taken by the first edit, just before it
   * changes anything (so a parse, and a document never edited, pay nothing for them).
   */
  private parsedNodes: readonly N[] | undefined;
  private parsedRaws: readonly string[] | undefined;
  private _original: string | undefined;
  private anchored: Anchored[] = [];
  private diagnosticsCache: readonly Diagnostic[] | undefined;

  protected constructor(init: LineDocumentInit<N>) {
    this.file = init.file;
    this.store = new NodeStore(init.nodes, init.eol ?? dominantEolOf(init.nodes));
    if (init.diagnostics) this.addDiagnostics(init.diagnostics);
  }

  /** The parsed text. */
  get original(): string {
    return (this._original ??= this.parsedRaws ? this.parsedRaws.join('') : this.toString());
  }

  /** Keeps the parsed nodes and text before the first edit changes them. */
  private snapshot(): void {
    if (this.parsedNodes !== undefined) return;
    this.parsedNodes = this.store.nodes.slice();
    this.parsedRaws = this.parsedNodes.map((n) => n.raw);
  }

  /** The nodes in order. Read them; change them only through the document's edits. */
  get nodes(): readonly N[] {
    return this.store.nodes;
  }

  /** Line ending new lines get: the file's own. */
  get eol(): '\n' | '\r\n' {
    return this.store.eol;
  }

  toString(): string {
    return this.store.toString();
  }

  abstract toJSON(): unknown;

  /** 1-based line on which a node starts, in the current text. */
  lineOf(node: N): number {
    return this.store.lineOf(node);
  }

  /** Offset of a node's first character in the current text. */
  offsetOf(node: N): number {
    let at = 0;
    for (const n of this.store.nodes) {
      if (n === node) return at;
      at += n.raw.length;
    }
    throw new RangeError('node is not part of this document');
  }

  /** Every node's 1-based first line, in one pass. */
  protected lineMap(): Map<N, number> {
    const map = new Map<N, number>();
    let line = 1;
    for (const n of this.store.nodes) {
      map.set(n, line);
      line += countNewlines(n.raw);
    }
    return map;
  }

  /** Diagnostics (the parse's and those added since), at the lines their nodes now sit on. */
  get diagnostics(): readonly Diagnostic[] {
    if (this.anchored.length === 0) return [];
    if (this.diagnosticsCache) return this.diagnosticsCache;
    const lines = this.lineMap();
    const total = this.lineCount();
    const out: Diagnostic[] = [];
    for (const a of this.anchored) {
      let line: number;
      if (a.node === undefined) line = total - a.fromEnd;
      else {
        const at = lines.get(a.node as N);
        if (at === undefined) continue; // its node was removed
        line = at + a.lineDelta;
      }
      const d = a.diagnostic;
      if (line === d.line && line + a.endLineDelta - a.lineDelta === d.endLine) out.push(d);
      else out.push({ ...d, line, endLine: line + (a.endLineDelta - a.lineDelta) });
    }
    return (this.diagnosticsCache = out);
  }

  /** Lines of the current text, as editors count them (a final line ending starts no line). */
  private lineCount(): number {
    let lines = 0;
    let last = '';
    for (const n of this.store.nodes) {
      lines += countNewlines(n.raw);
      if (n.raw !== '') last = n.raw;
    }
    return last === '' || last.endsWith('\n') ? lines : lines + 1;
  }

  /** Adds diagnostics positioned in the current text; each is tied to the node on its line. */
  protected addDiagnostics(ds: readonly Diagnostic[]): void {
    if (ds.length === 0) return;
    this.diagnosticsCache = undefined;
    const starts: { node: N; line: number }[] = [];
    let line = 1;
    for (const n of this.store.nodes) {
      starts.push({ node: n, line });
      line += countNewlines(n.raw);
    }
    const total = this.lineCount();
    for (const d of ds) {
      const i = lastStartAtOrBefore(starts, d.line);
      const s = i < 0 ? undefined : starts[i]!;
      const inside = s !== undefined && d.line < s.line + Math.max(1, countNewlines(s.node.raw));
      if (s && inside) this.anchored.push({ node: s.node, fromEnd: 0, lineDelta: d.line - s.line, endLineDelta: d.endLine - s.line, diagnostic: d });
      else this.anchored.push({ node: undefined, fromEnd: total - d.line, lineDelta: 0, endLineDelta: d.endLine - d.line, diagnostic: d });
    }
  }

  /** Drops every diagnostic tied to a node (before re-reading it, say). */
  protected dropDiagnostics(node: N): void {
    this.anchored = this.anchored.filter((a) => a.node !== node);
    this.diagnosticsCache = undefined;
  }

  /**
   * The one edit: removes `remove` nodes at `index` and puts `nodes` there. New nodes carry their own
   * line ending; inserting after the file's last line when it has none gives it the file's ending, and
   * the new last node then keeps none, so the file's "no final newline" style survives. An edit costs
   * the nodes it touches: `edits()` works out the text edits from the nodes when asked.
   */
  protected splice(index: number, remove: number, ...nodes: N[]): void {
    const all = this.store.nodes;
    if (!Number.isInteger(index) || index < 0 || index > all.length) throw new RangeError(`splice: index ${index} outside 0..${all.length}`);
    const count = Math.max(0, Math.min(remove, all.length - index));
    if (count === 0 && nodes.length === 0) return;
    this.snapshot();
    this.diagnosticsCache = undefined;
    const atEnd = index + count >= all.length;
    const prev = all[index - 1];
    const last = count > 0 ? all[index + count - 1]! : prev;
    const endedWithoutEol = atEnd && last !== undefined && eolOf(last.raw) === '';
    if (count === 0 && prev && eolOf(prev.raw) === '') this.store.setRaw(prev, prev.raw + this.store.eol); // the old last line gets an ending
    all.splice(index, count, ...nodes);
    if (endedWithoutEol && all.length > 0) {
      const end = all[all.length - 1]!;
      this.store.setRaw(end, end.raw.slice(0, end.raw.length - eolOf(end.raw).length)); // the new last line keeps none
    }
  }

  /** Replaces a node's raw text (its line ending included). */
  protected setRaw(node: N, raw: string): void {
    this.snapshot();
    this.store.setRaw(node, raw);
    this.diagnosticsCache = undefined;
  }

  /**
   * Replaces a node's value, keeping the trivia around it (its `decor()`: indentation, key, separator,
   * trailing comment, line ending): the one path value edits take. A node holding a second value (an
   * entry's name beside its other reading) passes that value's decor. Throws when the node holds no value.
   */
  protected setValue(node: N & Decorated, value: string, decor: Decor | undefined = node.decor()): void {
    if (decor === undefined) throw new RangeError('setValue: the node holds no value');
    this.setRaw(node, decorate(decor, value));
  }

  /** Inserts nodes at `index` (for the subclass's edit methods; each edit is kept for `edits()`). */
  protected insertAt(index: number, ...nodes: N[]): void {
    return this.splice(index, 0, ...nodes);
  }

  /** Inserts nodes after `node`. */
  protected insertAfter(node: N, ...nodes: N[]): void {
    return this.splice(this.store.indexOf(node) + 1, 0, ...nodes);
  }

  /** Inserts nodes before `node`. */
  protected insertBefore(node: N, ...nodes: N[]): void {
    return this.splice(this.store.indexOf(node), 0, ...nodes);
  }

  /** Replaces `node` by the given nodes (none: deletes it). */
  protected replaceNode(node: N, ...nodes: N[]): void {
    return this.splice(this.store.indexOf(node), 1, ...nodes);
  }

  /** Removes `node`. */
  protected removeNode(node: N): void {
    return this.splice(this.store.indexOf(node), 1);
  }

  /**
   * The edits since parsing, against the parsed text (non-overlapping, in order):
   * `applyEdits(doc.original, doc.edits()) === doc.toString()`. Each spans only the nodes that
   * changed; every byte between them is the parsed text's.
   */
  edits(): TextEdit[] {
    const parsedNodes = this.parsedNodes;
    const parsedRaws = this.parsedRaws;
    if (parsedNodes === undefined || parsedRaws === undefined) return [];
    const index = new Map<N, number>();
    const offsets: number[] = new Array(parsedNodes.length);
    let at = 0;
    parsedNodes.forEach((n, i) => {
      index.set(n, i);
      offsets[i] = at;
      at += parsedRaws[i]!.length;
    });
    const original = this.original;
    const out: TextEdit[] = [];
    let cursor = 0; // offset in the original up to which the text is accounted for
    let pending = '';
    for (const n of this.store.nodes) {
      const i = index.get(n);
      const offset = i === undefined ? -1 : offsets[i]!;
      if (i !== undefined && parsedRaws[i] === n.raw && offset >= cursor) {
        if (pending !== original.slice(cursor, offset)) out.push({ offset: cursor, length: offset - cursor, content: pending });
        pending = '';
        cursor = offset + n.raw.length;
      } else pending += n.raw;
    }
    if (pending !== original.slice(cursor)) out.push({ offset: cursor, length: original.length - cursor, content: pending });
    return out;
  }
}

function lastStartAtOrBefore(starts: readonly { line: number }[], line: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]!.line <= line) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The dominant line ending of lines (CRLF when more lines end so than with a bare LF). */
function dominantEolOf(nodes: readonly RawNode[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const { raw: r } of nodes) {
    if (r.endsWith('\r\n')) crlf++;
    else if (r.endsWith('\n')) lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

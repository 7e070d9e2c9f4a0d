/**
 * The lossless node store. A document is an ordered list of nodes; each node owns a contiguous slice
 * of the original text (`raw`, line ending included). Printing concatenates the slices. An edit
 * replaces the slices of the nodes it touches and leaves every other byte alone.
 */
import { eolOf, stripEol } from './text.js';

/** Anything that owns a slice of text. */
export interface RawNode {
  /**
   * The exact text of the node, line endings included. Read-only outside core: a document changes it
   * through its one edit path (`LineDocument.splice`/`setRaw`), which records the change.
   */
  readonly raw: string;
}

/**
 * Core's write hook: a node whose raw text is not a plain field (sshd's and xinetd's lines keep a parse
 * cache that must go with the old text) implements `[SET_RAW](raw)`; core calls it in place of assigning
 * `raw`. Only core calls it.
 */
export const SET_RAW: unique symbol = Symbol('fwconf.setRaw');

/** A node that takes its new raw text through core's write hook. */
export interface RawWriteHook {
  /** Takes the node's new raw text (its line ending included). */
  [SET_RAW](raw: string): void;
}

/** The one write of a node's raw text (core's, through the node's hook when it has one). */
function writeRaw(node: RawNode, raw: string): void {
  const hook = (node as Partial<RawWriteHook>)[SET_RAW];
  if (typeof hook === 'function') hook.call(node, raw);
  else (node as { raw: string }).raw = raw;
}

/** An edit against a text, in the manner of jsonc-parser: replace `length` characters at `offset`. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new RangeError(`overlapping edits at offset ${e.offset}`);
    out += text.slice(at, e.offset) + e.content;
    at = e.offset + e.length;
  }
  return out + text.slice(at);
}

/**
 * An ordered list of nodes with splice edits. New nodes are expected to carry their own line ending
 * (render them with the store's `eol`); inserting after a node that has none (the file's last line
 * without a final newline) gives that node the file's line ending, and the new last node keeps none,
 * so the file's "no final newline" style survives.
 */
export class NodeStore<N extends RawNode> {
  readonly nodes: N[];
  /** Line ending for new lines: the file's own. */
  eol: '\n' | '\r\n';

  constructor(nodes: N[], eol: '\n' | '\r\n' = '\n') {
    this.nodes = nodes;
    this.eol = eol;
  }

  /** The text: every node's raw text, in order. */
  toString(): string {
    let s = '';
    for (const n of this.nodes) s += n.raw;
    return s;
  }

  get length(): number {
    return this.nodes.length;
  }

  /** The node's index; throws when the node is not in the store. */
  indexOf(node: N): number {
    const i = this.nodes.indexOf(node);
    if (i < 0) throw new RangeError('node is not part of this document');
    return i;
  }

  /** 1-based line on which a node starts, in the current text. */
  lineOf(node: N): number {
    let line = 1;
    for (const n of this.nodes) {
      if (n === node) return line;
      line += countNewlines(n.raw);
    }
    throw new RangeError('node is not part of this document');
  }

  /** Inserts nodes at an index (0 = before everything). */
  /** Replaces a node's raw text: the only write of `raw` (LineDocument's edits come here). */
  setRaw(node: N, raw: string): void {
    writeRaw(node, raw);
  }

  /** Inserts nodes at `index`. */
  insertAt(index: number, ...nodes: N[]): void {
    if (nodes.length === 0) return;
    const prev = this.nodes[index - 1];
    const atEnd = index >= this.nodes.length;
    if (prev && eolOf(prev.raw) === '') {
      // The previous node was the last line of a file without a final newline.
      writeRaw(prev, prev.raw + this.eol);
      this.nodes.splice(index, 0, ...nodes);
      if (atEnd) this.stripFinalEol();
      return;
    }
    this.nodes.splice(index, 0, ...nodes);
  }

  /** Inserts nodes after `node`. */
  insertAfter(node: N, ...nodes: N[]): void {
    this.insertAt(this.indexOf(node) + 1, ...nodes);
  }

  /** Inserts nodes before `node`. */
  insertBefore(node: N, ...nodes: N[]): void {
    this.insertAt(this.indexOf(node), ...nodes);
  }

  /** Replaces one node by others (none = delete). A replaced last line keeps the file's final-newline style. */
  replace(node: N, ...nodes: N[]): void {
    const i = this.indexOf(node);
    const lastWithoutEol = i === this.nodes.length - 1 && eolOf(node.raw) === '';
    this.nodes.splice(i, 1, ...nodes);
    if (lastWithoutEol) this.stripFinalEol();
  }

  /** Removes one node (as `replace` with none). */
  remove(node: N): void {
    this.replace(node);
  }

  /** Removes a contiguous run of nodes `from`..`to` inclusive. */
  removeRange(from: N, to: N): void {
    const a = this.indexOf(from);
    const b = this.indexOf(to);
    const lastWithoutEol = b === this.nodes.length - 1 && eolOf(to.raw) === '';
    this.nodes.splice(a, b - a + 1);
    if (lastWithoutEol) this.stripFinalEol();
  }

  private stripFinalEol(): void {
    const last = this.nodes[this.nodes.length - 1];
    if (last) writeRaw(last, stripEol(last.raw));
  }
}

/** How many `\n` the string holds. */
export function countNewlines(s: string): number {
  let c = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) c++;
  return c;
}

/** The most common value in a list (first seen wins ties); `fallback` when the list is empty. */
export function mostCommon<T>(values: readonly T[], fallback: T): T {
  const counts = new Map<T, number>();
  let best = fallback;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Column at which a run of aligned lines puts their values, when they are aligned: e.g. every
 * `name = value` line of a block with its `=` in one column. Returns undefined when fewer than two
 * lines agree.
 */
export function alignedColumn(columns: readonly number[]): number | undefined {
  if (columns.length < 2) return undefined;
  const c = mostCommon(columns, -1);
  const agreeing = columns.filter((x) => x === c).length;
  return agreeing >= 2 && agreeing * 2 > columns.length ? c : undefined;
}

/** Pads `s` with spaces to `width` characters (never truncates; at least `min` spaces when padding is impossible). */
export function padTo(s: string, width: number, min = 1): string {
  return s.length + min > width ? s + ' '.repeat(min) : s + ' '.repeat(width - s.length);
}

/**
 * First 1-based line at which two texts differ (line endings count), or undefined when they are equal.
 * This is what `fwconf roundtrip` reports.
 */
export function firstDifferingLine(a: string, b: string): number | undefined {
  if (a === b) return undefined;
  let line = 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return line;
    if (a.charCodeAt(i) === 10) line++;
  }
  return line;
}

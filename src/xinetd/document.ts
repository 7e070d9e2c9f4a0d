/**
 * The xinetd Document: the file as lines (each owning its raw text, line ending included), read the
 * way xinetd reads it, with queries and edits in xinetd's words (`doc.service('thp-pasv').set('port',
 * 2222)`). Edits replace only the lines they touch, in the layout of their neighbours.
 */
import { Reporter, type Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import { normalizeAttribute, checkServiceName, checkAttributeName, toWords, checkOp, checkComment } from './input.js';
import type { AttributeInput, AttributeModel, AttributeValue, DefaultsModel, IncludeModel, Op, ServiceModel, XinetdModel } from './model.js';
import { modelValues, read, stripCr, type Entry, type Reading, type Role, XinetdLine } from './reader.js';
import { CANONICAL_STYLE, renderAttribute, sniffStyle, type AttributeStyle } from './style.js';
import type { XinetdCode } from './codes.js';

/**
 * @example
 * ```ts
 * import { parse } from 'fwconf/xinetd';
 * const doc = parse('defaults\n{\n\tinstances = 30\n}\n');
 * doc.addService('thp-pasv', [['port', 22], ['server', '/usr/sbin/thpot']]);
 * doc.services().map((s) => s.name); // ['thp-pasv']
 * doc.defaults() !== undefined; // true
 * ```
 */
export class XinetdDocument extends LineDocument<XinetdLine> {
  private reading!: Reading;
  private _diagnostics: Diagnostic[] | undefined;

  /** @internal use `parse()`. The text is byte-identical to the parsed text until an edit is made. */
  constructor(lines: XinetdLine[], options: { eol?: '\n' | '\r\n'; file?: string } = {}) {
    super({ nodes: lines, eol: options.eol ?? '\n', file: options.file });
    this.reread();
  }

  /** The lines; `toString()` concatenates their raw text. */
  get lines(): readonly XinetdLine[] {
    return this.nodes;
  }

  /** @internal The one edit for entries' queries: `remove` lines at `index` replaced by `lines`. */
  spliceLines(index: number, remove: number, ...lines: XinetdLine[]): void {
    return this.splice(index, remove, ...lines);
  }

  /** @internal Rewrites an attribute's operator and values, keeping the trivia around them (the line's decor). */
  rewriteValue(line: XinetdLine, value: string): void {
    return this.setValue(line, value);
  }

  /** @internal Rewrites the name of an entry line (`service NAME`), keeping the trivia around it (its name decor). */
  rewriteName(line: XinetdLine, name: string): void {
    return this.setValue(line, name, line.nameDecor());
  }

  /** How xinetd reads each line (index = 0-based line). */
  get roles(): readonly Role[] {
    return this.reading.roles;
  }

  /** The raw reading (entries with line indexes), for semantics. */
  get entries(): readonly Entry[] {
    return this.reading.entries;
  }

  /** Syntax diagnostics: what xinetd would reject or skip while reading the file (read from the current text). */
  override get diagnostics(): readonly Diagnostic[] {
    return (this._diagnostics ??= this.syntaxDiagnostics());
  }

  /** The typed model: entries as xinetd reads them. See {@link XinetdModel}. */
  toJSON(): XinetdModel {
    const defaultsEntries = this.reading.entries.filter((e) => e.kind === 'defaults' && !e.ignored);
    const d = defaultsEntries.find((e) => !e.dropped) ?? defaultsEntries[0];
    const defaults: DefaultsModel | null = d ? { line: d.header + 1, attributes: this.attributesOf(d), ...(d.dropped ? { dropped: d.dropped } : {}) } : null;
    const services: ServiceModel[] = this.reading.entries
      .filter((e) => e.kind === 'service')
      .map((e) => ({ name: e.name, line: e.header + 1, attributes: this.attributesOf(e), ...(e.dropped ? { dropped: e.dropped } : {}) }));
    return { defaults, services, includes: this.includes() };
  }

  /** `include` and `includedir` lines, in order. */
  includes(): IncludeModel[] {
    return this.reading.includes.map((i) => ({ kind: i.kind, path: i.path, line: i.line + 1 }));
  }

  /** Every `service` entry, in file order. */
  services(): ServiceBlock[] {
    return this.reading.entries.filter((e) => e.kind === 'service').map((e) => new ServiceBlock(this, this.lines[e.header]!));
  }

  /**
   * The service entry with this name (xinetd's service names are case-sensitive); with `id`, the one
   * whose `id` attribute (or name, when it has none) is `id` — Debian's chargen file has two
   * `service chargen` entries, `chargen-stream` and `chargen-dgram`.
   */
  service(name: string, options: { id?: string } = {}): ServiceBlock | undefined {
    const all = this.services().filter((s) => s.name === name);
    if (options.id === undefined) return all[0];
    return all.find((s) => s.id === options.id);
  }

  /** The `defaults` entry xinetd uses from this file, if any. */
  defaults(): Block | undefined {
    const e = this.reading.entries.find((x) => x.kind === 'defaults' && !x.ignored && !x.dropped) ?? this.reading.entries.find((x) => x.kind === 'defaults' && !x.ignored);
    return e ? new Block(this, this.lines[e.header]!) : undefined;
  }

  /**
   * Appends a `service NAME { ... }` entry at the end of the file, in the file's layout (the
   * canonical one for an empty file). Comments go on lines before `service`.
   */
  addService(name: string, attributes: readonly AttributeInput[], options: { comments?: readonly string[] } = {}): ServiceBlock {
    checkServiceName(name);
    const attrs = attributes.map((a, i) => normalizeAttribute(a, `service ${name}: attributes[${i}]`));
    const comments = (options.comments ?? []).map((c, i) => checkComment(c, `service ${name}: comments[${i}]`));
    const eol = this.eol;
    const style = this.fileStyle();
    const nodes: XinetdLine[] = [];
    const last = this.lines[this.lines.length - 1];
    if (last && last.lineClass !== 'blank') nodes.push(new XinetdLine(eol));
    for (const c of comments) nodes.push(new XinetdLine((c === '' ? '#' : `# ${c}`) + eol));
    const header = new XinetdLine(`service ${name}${eol}`);
    const braceIndent = this.braceIndent();
    nodes.push(header, new XinetdLine(`${braceIndent}{${eol}`));
    for (const a of attrs) nodes.push(new XinetdLine(renderAttribute(style, a.name, a.op, a.values) + eol));
    nodes.push(new XinetdLine(`${braceIndent}}${eol}`));
    this.insertAt(this.lines.length, ...nodes);
    this.reread();
    return new ServiceBlock(this, header);
  }

  /**
   * Removes a service entry: its lines from `service` to `}`, the comment lines directly above it,
   * and one blank line so that no double blank line is left. Returns false when there is no such service.
   */
  removeService(service: string | ServiceBlock): boolean {
    const block = typeof service === 'string' ? this.service(service) : service;
    if (!block) return false;
    const e = block.entry();
    let from = e.header;
    while (from > 0 && this.lines[from - 1]!.lineClass === 'comment') from--;
    let to = e.end;
    const before = from > 0 ? this.lines[from - 1]! : undefined;
    const after = this.lines[to + 1];
    if (after && after.lineClass === 'blank' && (!before || before.lineClass === 'blank')) to++;
    else if (!after && before && before.lineClass === 'blank') from--;
    this.splice(from, to - from + 1);
    this.reread();
    return true;
  }

  /** @internal Re-reads the structure after an edit. */
  reread(): void {
    this.reading = read(this.lines);
    this.byHeader = undefined;
    this.style = undefined;
    this._diagnostics = undefined;
  }

  /** Entries by their header line, for the current reading (built on first use). */
  private byHeader: Map<XinetdLine, Entry> | undefined;
  /** The file's attribute layout, for the current reading (sniffed on first use). */
  private style: AttributeStyle | undefined;

  /** @internal The current entry of a header line. */
  entryOf(header: XinetdLine): Entry {
    if (!this.byHeader) {
      this.byHeader = new Map();
      for (const e of this.reading.entries) this.byHeader.set(this.lines[e.header]!, e);
    }
    const e = this.byHeader.get(header);
    if (!e) throw new RangeError('this entry is no longer part of the document');
    return e;
  }

  /**
   * @internal After an attribute line of `e` was rewritten in place (`set`): when it still reads as an
   * attribute line of an entry xinetd keeps, xinetd's reading of the file is the same (roles, entries, includes; the problems
   * of a line come from lines that are not attribute lines), so nothing is read again and the edit
   * costs the line. Otherwise the file is read again.
   */
  rewroteAttribute(e: Entry, line: XinetdLine, name: string): void {
    const a = line.attribute;
    // A dropped entry's problems can span its lines (an incomplete entry's runs to the end of the last line).
    if (!e.dropped && e.close !== undefined && line.lineClass === 'text' && a.type === 'attribute' && a.name.text === name) {
      this._diagnostics = undefined;
      this.style = undefined;
    } else this.reread();
  }

  /**
   * @internal After one attribute line was inserted at index `at` as the new last attribute of `e`
   * (`add`): the reading gains that line and every later index moves by one, without reading any
   * line again (unless the new line would not read as an attribute line).
   */
  insertedAttribute(e: Entry, at: number): void {
    const line = this.lines[at]!;
    // An entry xinetd drops (or one the file ends inside) is read again: its problems are placed by the file's end.
    if (e.dropped || e.close === undefined || line.lineClass !== 'text' || line.attribute.type !== 'attribute' || !this.shiftable(at)) return this.reread();
    this.shift(at, 1);
    this.reading.roles.splice(at, 0, 'attribute');
    e.attributes.push(at);
    if (e.end < at) e.end = at;
    this._diagnostics = undefined;
    this.style = undefined;
  }

  /** @internal After attribute lines of `e` at the indexes `removed` (ascending) were deleted (`set`, `remove`). */
  removedAttributes(e: Entry, removed: readonly number[]): void {
    if (removed.length === 0) return;
    if (e.dropped || e.close === undefined || !this.shiftable(removed[0]!)) return this.reread();
    const gone = new Set(removed);
    e.attributes = e.attributes.filter((i) => !gone.has(i));
    for (let k = removed.length - 1; k >= 0; k--) {
      this.reading.roles.splice(removed[k]!, 1);
      this.shift(removed[k]! + 1, -1);
    }
    this._diagnostics = undefined;
    this.style = undefined;
  }

  /**
   * Whether the reading after line `from` can be moved as it is: not when a problem or a dropped
   * entry there names a line number in its message (xinetd's "line N" would be stale), then the file
   * is read again.
   */
  private shiftable(from: number): boolean {
    if (this.reading.problems.some((p) => p.line >= from)) return false;
    return !this.reading.entries.some((e) => e.end >= from && e.dropped !== undefined);
  }

  /** Moves every line index at or after `from` by `delta`: entries, includes, problems. */
  private shift(from: number, delta: number): void {
    const m = (i: number) => (i >= from ? i + delta : i);
    for (const e of this.reading.entries) {
      if (e.end < from) continue;
      e.header = m(e.header);
      if (e.open !== undefined) e.open = m(e.open);
      if (e.close !== undefined) e.close = m(e.close);
      e.end = m(e.end);
      for (let k = 0; k < e.attributes.length; k++) e.attributes[k] = m(e.attributes[k]!);
    }
    for (const i of this.reading.includes) i.line = m(i.line);
    for (const p of this.reading.problems) p.line = m(p.line);
  }

  /** @internal */
  attributesOf(e: Entry): AttributeModel[] {
    const out: AttributeModel[] = [];
    for (const i of e.attributes) {
      const a = this.lines[i]!.attribute;
      if (a.type === 'attribute') out.push({ name: a.name.text, op: a.op, values: modelValues(a.values), line: i + 1 });
    }
    return out;
  }

  /** @internal The attribute layout of the whole file (canonical when it has no attribute lines). */
  fileStyle(): AttributeStyle {
    if (!this.style) {
      const attrs = this.lines.filter((_, i) => this.reading.roles[i] === 'attribute');
      this.style = sniffStyle(attrs) ?? CANONICAL_STYLE;
    }
    return this.style;
  }

  private braceIndent(): string {
    const braces = this.lines.filter((_, i) => this.reading.roles[i] === 'open');
    const b = braces[0];
    return b ? b.content.slice(0, b.content.indexOf('{')) : '';
  }

  private syntaxDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    const report = new Reporter<XinetdCode>(this.file, out);
    for (const p of this.reading.problems) report.span(p.line, p.start, p.end, p.code, p.severity, p.message);
    const lines = this.lines;
    if (lines[0]?.raw.startsWith('\uFEFF'))
      report.span(0, 0, 1, 'xinetd/bom', 'error', 'the file starts with a byte-order mark: xinetd reads it as part of the first word');
    let crlf = 0;
    let firstCrlf = -1;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const role = this.reading.roles[i];
      if (l.raw.indexOf('\0') >= 0)
        report.span(i, l.raw.indexOf('\0'), l.raw.indexOf('\0') + 1, 'xinetd/nul-byte', 'error', 'NUL byte: xinetd ignores the rest of the line');
      if ((role === 'attribute' || role === 'entry' || role === 'include') && l.content.endsWith('\r')) {
        crlf++;
        if (firstCrlf < 0) firstCrlf = i;
      }
      if (role === 'attribute') {
        const a = l.attribute;
        if (a.type !== 'attribute') continue;
        const hash = a.values.find((w) => w.text.startsWith('#'));
        if (hash)
          report.span(i, hash.start, l.content.length, 'xinetd/inline-comment', 'warning', `xinetd has no inline comments: "${stripCr(l.content.slice(hash.start))}" is read as values of ${a.name.text}`);
        const last = a.values[a.values.length - 1];
        if (last && stripCr(last.text).endsWith('\\'))
          report.span(i, last.end - 1, last.end, 'xinetd/no-continuation', 'warning', 'xinetd has no line continuation: the "\\" is part of the value and the next line is read on its own');
      }
    }
    if (crlf > 0) {
      const l = lines[firstCrlf]!;
      report.span(firstCrlf, l.content.length - 1, l.content.length, 'xinetd/crlf', 'error',
        `CRLF line ending: xinetd keeps the "\\r" as part of the last word (${crlf} line${crlf > 1 ? 's' : ''}; e.g. "stream\\r" is a bad socket type) — convert the file to LF`);
    }
    return out;
  }
}

/** An entry (`defaults` or a service): queries and edits of its attribute lines. */
export class Block {
  /** @internal */
  constructor(
    protected readonly doc: XinetdDocument,
    /** The entry's first line (`service NAME` or `defaults`). */
    readonly header: XinetdLine,
  ) {}

  /** @internal */
  entry(): Entry {
    return this.doc.entryOf(this.header);
  }

  get kind(): 'service' | 'defaults' {
    return this.entry().kind;
  }

  /** 1-based line of the entry's first line. */
  get line(): number {
    return this.entry().header + 1;
  }

  /** Attribute lines in order. */
  attributes(): AttributeModel[] {
    return this.doc.attributesOf(this.entry());
  }

  /** The values of the first line setting `name` (case-insensitive), or undefined. */
  get(name: string): string[] | undefined {
    const n = name.toLowerCase();
    return this.attributes().find((a) => a.name.toLowerCase() === n)?.values;
  }

  /** True when the block sets the attribute. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * Sets an attribute: the first line for `name` gets the new values (and operator), keeping its
   * indentation, gap and operator column; other lines for `name` are removed. Without such a line, a
   * new one is added after the last attribute, in the entry's layout.
   */
  set(name: string, values: AttributeValue, op: Op = '='): this {
    const field = `${this.describe()}: ${name}`;
    checkAttributeName(name, field);
    checkOp(op, field);
    const words = toWords(values, field);
    const lines = this.linesFor(name);
    const first = lines[0];
    if (!first) return this.add(name, values, op);
    const a = first.attribute;
    if (a.type !== 'attribute') throw new Error('unreachable: attribute line without attribute syntax');
    const c = first.content;
    const afterOp = a.values[0] ? c.slice(a.opEnd, a.values[0].start) : this.style().afterOp;
    const e = this.entry();
    const removed = lines.slice(1).map((l) => this.doc.lines.indexOf(l));
    const attrName = a.name.text;
    this.doc.rewriteValue(first, op + (words.length > 0 ? (afterOp === '' && op !== a.op ? ' ' : afterOp) + words.join(' ') : ''));
    for (const l of lines.slice(1)) this.doc.spliceLines(this.doc.lines.indexOf(l), 1);
    this.doc.removedAttributes(e, removed);
    this.doc.rewroteAttribute(e, first, attrName);
    return this;
  }

  /** Adds a new attribute line after the last attribute (or after `{`), in the entry's layout. */
  add(name: string, values: AttributeValue, op: Op = '='): this {
    const field = `${this.describe()}: ${name}`;
    checkAttributeName(name, field);
    checkOp(op, field);
    const words = toWords(values, field);
    const e = this.entry();
    const after = e.attributes[e.attributes.length - 1] ?? e.open;
    const eol = this.doc.eol;
    const node = new XinetdLine(renderAttribute(this.style(), name, op, words) + eol);
    if (after === undefined) throw new Error(`${this.describe()} has no '{' line: cannot add attributes to it`);
    this.doc.spliceLines(after + 1, 0, node);
    this.doc.insertedAttribute(e, after + 1);
    return this;
  }

  /** Removes every line for `name`; returns how many were removed. */
  remove(name: string): number {
    const lines = this.linesFor(name);
    const e = this.entry();
    const removed = lines.map((l) => this.doc.lines.indexOf(l));
    for (const l of lines) this.doc.spliceLines(this.doc.lines.indexOf(l), 1);
    this.doc.removedAttributes(e, removed);
    return lines.length;
  }

  /** The attribute layout of this entry (the file's, when the entry has too few lines to tell). */
  style(): AttributeStyle {
    const e = this.entry();
    const own = e.attributes.map((i) => this.doc.lines[i]!);
    return (own.length >= 2 ? sniffStyle(own) : undefined) ?? this.doc.fileStyle();
  }

  /** How messages name the block: `defaults` or `service NAME`. */
  protected describe(): string {
    return this.kind === 'defaults' ? 'defaults' : `service ${this.entry().name}`;
  }

  private linesFor(name: string): XinetdLine[] {
    const n = name.toLowerCase();
    return this.entry()
      .attributes.map((i) => this.doc.lines[i]!)
      .filter((l) => l.attribute.type === 'attribute' && l.attribute.name.text.toLowerCase() === n);
  }
}

/** A `service NAME { ... }` entry. */
export class ServiceBlock extends Block {
  get name(): string {
    return this.entry().name;
  }

  /** The service id: its `id` attribute, or its name. */
  get id(): string {
    return this.get('id')?.[0] ?? this.name;
  }

  /** Renames the service (rewrites the name word of the `service` line only). */
  rename(name: string): this {
    checkServiceName(name, `${this.describe()}: new name`);
    this.doc.rewriteName(this.header, name);
    this.doc.reread();
    return this;
  }
}

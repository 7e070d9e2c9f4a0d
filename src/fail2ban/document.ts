/**
 * The fail2ban INI document: lossless (prints back byte for byte), with queries and edits in
 * fail2ban's own words. Edits replace only the lines they touch, rendered in the file's style
 * (separator, alignment, continuation indentation, line endings).
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { ParseOptions as CoreParseOptions } from '../core/format.js';
import { mostCommon } from '../core/lines.js';
import { dominantEol } from '../core/text.js';
import { iniContent, parseIni, type IniContent, type IniEntry, type IniLine, type IniSection, type ParsedIni } from './parse.js';
import { pyLower } from './pytext.js';

/** One option in the typed model. */
export interface OptionJSON {
  /** Lower-cased key, as fail2ban looks it up. */
  key: string;
  /** The key as written. */
  rawKey: string;
  /** The value as configparser returns it raw (continuation lines joined with `\n`, no `%()s` interpolation). */
  value: string;
  /** 1-based line of the key, and of the value's last line. */
  line: number;
  endLine: number;
}

/** One `[section]` in the typed model. */
export interface SectionJSON {
  name: string;
  /** 1-based line of the header. */
  line: number;
  options: OptionJSON[];
}

/** `toJSON()` of a fail2ban document: its sections in file order (`DEFAULT` included, duplicates kept). */
export interface Fail2banFileJSON {
  sections: SectionJSON[];
}

/** A node of the document: one physical line (Python's universal newlines: `\n`, `\r\n`, `\r`). */
interface LineNode {
  raw: string;
}

/**
 * Parses one fail2ban file. Never throws on bad input: problems are in `doc.diagnostics`.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/fail2ban';
 * const doc = parse('[sshd]\nenabled = true\nmaxretry = 5\n', { file: 'jail.local' });
 * doc.get('sshd', 'maxretry'); // '5'
 * doc.set('sshd', 'maxretry', '3');
 * doc.toString(); // '[sshd]\nenabled = true\nmaxretry = 3\n'
 * ```
 */
export function parse(text: string, options: CoreParseOptions = {}): Fail2banDocument {
  return new Fail2banDocument(text, options.file !== undefined ? { file: options.file } : {});
}

/**
 * The document keeps its lines as core LineDocument nodes (so `edits()` replays every edit) and
 * reads the whole text again after each edit, as configparser would: a continuation line or a
 * header changes how the lines after it read.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/fail2ban';
 * const doc = parse('[DEFAULT]\nbantime = 10m\n');
 * doc.addSection('sshd').set('sshd', 'enabled', 'true');
 * doc.sections(); // ['DEFAULT', 'sshd']
 * doc.jail('sshd').get('enabled'); // 'true'
 * ```
 */
export class Fail2banDocument extends LineDocument<LineNode> {
  private parsed: ParsedIni;

  constructor(text: string, options: { file?: string } = {}) {
    const parsed = parseIni(text, options.file !== undefined ? { file: options.file } : {});
    super({ nodes: parsed.lines.map((l) => ({ raw: l.raw })), file: options.file, eol: dominantEol(text) });
    this.parsed = parsed;
  }

  /** Reads the text again after an edit; the nodes stay those of the document (their lines read the same way). */
  private reload(): void {
    const text = this.toString();
    this.parsed = parseIni(text, this.file !== undefined ? { file: this.file } : {});
    const lines = this.parsed.lines;
    const nodes = this.nodes;
    if (lines.length === nodes.length && lines.every((l, i) => l.raw === nodes[i]!.raw)) return;
    // An edit joined or split lines (a `\r` line ending met a `\n`): the nodes follow the new reading.
    super.splice(0, nodes.length, ...lines.map((l) => ({ raw: l.raw })));
  }

  /** Syntax diagnostics, read from the current text. */
  override get diagnostics(): readonly Diagnostic[] {
    return this.parsed.diagnostics;
  }

  /** True when configparser would refuse this file (fail2ban-client then fails as a whole). */
  get fatal(): boolean {
    return this.parsed.fatal;
  }

  /** The physical lines with their classification (read-only view). */
  get lines(): readonly IniLine[] {
    return this.parsed.lines;
  }

  /** Sections in file order (duplicates kept). */
  get sectionList(): readonly IniSection[] {
    return this.parsed.sections;
  }

  toJSON(): Fail2banFileJSON {
    const lines = this.parsed.lines;
    return {
      sections: this.parsed.sections.map((s) => ({
        name: s.name,
        line: s.header + 1,
        options: s.entries.map((e) => ({ key: e.key, rawKey: lines[e.first]!.rawKey ?? e.key, value: e.value, line: e.first + 1, endLine: e.last + 1 })),
      })),
    };
  }

  /** The file as configparser holds it after reading it: DEFAULT and sections, raw values. */
  content(): IniContent {
    return iniContent(this.parsed, this.file);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** Section names in file order, without repeats. */
  sections(): string[] {
    return [...new Set(this.parsed.sections.map((s) => s.name))];
  }

  /** True when the file has a section of that name. */
  hasSection(name: string): boolean {
    return this.parsed.sections.some((s) => s.name === name);
  }

  /** Keys of a section (lower-cased), in file order. */
  keys(section: string): string[] {
    return this.sectionsNamed(section).flatMap((s) => s.entries.map((e) => e.key));
  }

  /** The raw value of `key` in `section` (no interpolation), or undefined. */
  get(section: string, key: string): string | undefined {
    return this.entry(section, key)?.value;
  }

  /** The value's lines: for `failregex`, one regex per element (blank lines dropped). */
  getLines(section: string, key: string): string[] | undefined {
    const v = this.get(section, key);
    return v === undefined ? undefined : v.split('\n').filter((l) => l !== '');
  }

  /** A view of one section, e.g. `doc.section('sshd').set('port', '2201')`. */
  section(name: string): SectionView {
    return new SectionView(this, name);
  }

  /** Same as `section(name)`, in jail.conf words. */
  jail(name: string): SectionView {
    return this.section(name);
  }

  /** The 1-based line of a key, for messages (or, as for every core document, of a node). */
  override lineOf(node: LineNode): number;
  override lineOf(section: string, key: string): number | undefined;
  override lineOf(a: LineNode | string, key?: string): number | undefined {
    if (typeof a !== 'string') return super.lineOf(a);
    const e = this.entry(a, key!);
    return e ? e.first + 1 : undefined;
  }

  private sectionsNamed(name: string): IniSection[] {
    return this.parsed.sections.filter((s) => s.name === name);
  }

  private entry(section: string, key: string): IniEntry | undefined {
    const k = pyLower(key);
    let found: IniEntry | undefined;
    for (const s of this.sectionsNamed(section)) for (const e of s.entries) if (e.key === k) found = e;
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // Edits

  /** Sets a key: replaces the value of an existing key, or adds the key at the end of the section (created when missing). */
  set(section: string, key: string, value: string): this {
    assertString(value, 'value');
    const e = this.entry(section, key);
    if (!e) return this.add(section, key, value);
    const lines = this.parsed.lines;
    const first = lines[e.first]!;
    const valueLines = value.split('\n');
    const eol = this.eol;
    const head = first.content.slice(0, first.valueStart) + valueLines[0] + trailingAfterValue(first);
    const indent = this.continuationIndent(e);
    const rendered = [head + lineEnding(first.raw, eol)];
    for (const v of valueLines.slice(1)) rendered.push((v === '' ? '' : indent + v) + eol);
    this.replaceLines(e.first, e.last, rendered);
    return this;
  }

  /** Adds `key = value` at the end of the section's options, in the section's style; creates the section when missing. */
  add(section: string, key: string, value: string): this {
    assertString(key, 'key');
    assertString(value, 'value');
    if (/[=:\n]/.test(key) || key.trim() === '' || /^[\s#;[]/.test(key)) throw new TypeError(`invalid option name ${JSON.stringify(key)}`);
    if (this.entry(section, key)) return this.set(section, key, value);
    if (!this.hasSection(section)) this.addSection(section);
    const secs = this.sectionsNamed(section);
    const sec = secs[secs.length - 1]!;
    const lastEntry = sec.entries[sec.entries.length - 1];
    const at = lastEntry ? lastEntry.last : sec.header;
    const eol = this.eol;
    const valueLines = value.split('\n');
    const { separator, column } = this.optionStyle(sec);
    const keyPart = column !== undefined && key.length < column ? key.padEnd(column) : key;
    const indent = ' '.repeat(Math.max(1, keyPart.length + separator.length));
    const rendered = [keyPart + separator + valueLines[0]!.trimEnd() + eol];
    for (const v of valueLines.slice(1)) rendered.push((v === '' ? '' : indent + v) + eol);
    this.insertAfterLine(at, rendered);
    return this;
  }

  /** Removes a key and its value lines. Returns whether it existed. */
  remove(section: string, key: string): boolean {
    const e = this.entry(section, key);
    if (!e) return false;
    this.replaceLines(e.first, e.last, []);
    return true;
  }

  /** Appends `[name]` at the end of the file, after a blank line when sections are separated by blank lines. */
  addSection(name: string): this {
    assertString(name, 'name');
    if (name === '' || /[\n\]]$/.test(name) || name.includes('\n')) throw new TypeError(`invalid section name ${JSON.stringify(name)}`);
    if (this.hasSection(name)) return this;
    const eol = this.eol;
    const lines = this.parsed.lines;
    const rendered: string[] = [];
    const last = lines[lines.length - 1];
    if (last && last.kind !== 'blank' && this.sectionsSeparatedByBlank()) rendered.push(eol);
    rendered.push(`[${name}]${eol}`);
    this.insertAfterLine(lines.length - 1, rendered);
    return this;
  }

  /** Removes every `[name]` section with its lines (up to the next header). Returns whether it existed. */
  removeSection(name: string): boolean {
    const secs = this.sectionsNamed(name);
    if (secs.length === 0) return false;
    for (const s of [...secs].reverse()) {
      let last = s.last;
      // Keep the blank lines that separate it from the next section.
      const lines = this.parsed.lines;
      while (last > s.header && lines[last]!.kind === 'blank' && last + 1 < lines.length) last--;
      this.replaceLines(s.header, last, []);
    }
    return true;
  }

  /** Appends one line to a multi-line value (a failregex, an action), indented like its other lines. */
  appendLine(section: string, key: string, line: string): this {
    assertString(line, 'line');
    if (line.includes('\n') || line.trim() === '') throw new TypeError('appendLine takes one non-empty line');
    const e = this.entry(section, key);
    if (!e) return this.add(section, key, line);
    if (e.value === '' && e.parts.length === 1) return this.set(section, key, line);
    const indent = this.continuationIndent(e);
    this.insertAfterLine(e.last, [indent + line + this.eol]);
    return this;
  }

  /**
   * Removes one line of a multi-line value: `index` counts the value's non-empty lines (as fail2ban
   * splits failregex). Removing the line on the key line leaves the key with an empty first line.
   */
  removeLine(section: string, key: string, index: number): boolean {
    const e = this.entry(section, key);
    if (!e) return false;
    const nonEmpty = e.parts.map((p, i) => ({ p, line: e.partLines[i]! })).filter((x) => x.p !== '');
    const target = nonEmpty[index];
    if (!target) return false;
    const lines = this.parsed.lines;
    if (target.line === e.first) {
      const first = lines[e.first]!;
      const head = first.content.slice(0, first.valueStart).replace(/[ \t]+$/, '') + trailingAfterValue(first);
      this.replaceLines(e.first, e.first, [head + lineEnding(first.raw, this.eol)]);
    } else {
      this.replaceLines(target.line, target.line, []);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Style and splicing

  /** Lines `from`..`to` (0-based, inclusive) replaced by rendered lines (none: removed). */
  private replaceLines(from: number, to: number, rendered: string[]): void {
    this.splice(from, to - from + 1, ...rendered.map((raw) => ({ raw })));
    this.reload();
  }

  private insertAfterLine(index: number, rendered: string[]): void {
    this.splice(index + 1, 0, ...rendered.map((raw) => ({ raw })));
    this.reload();
  }

  /** Separator and aligned key column sniffed from the section, else from the file. */
  private optionStyle(sec: IniSection): { separator: string; column: number | undefined } {
    const lines = this.parsed.lines;
    const collect = (entries: IniEntry[]) =>
      entries.map((e) => {
        const l = lines[e.first]!;
        const sepStart = l.keyEnd!;
        const sep = l.content.slice(sepStart, l.valueStart).replace(/[ \t]+/g, (m, off: number) => (off === 0 ? m : ' '));
        return { sep: normaliseSeparator(l.content.slice(sepStart, l.valueStart)), keyEnd: sepStart, delimCol: sepStart + sep.search(/[=:]/), keyLen: l.keyEnd! - l.keyStart! };
      });
    const own = collect(sec.entries.filter((e) => lines[e.first]!.indent === 0));
    const pool = own.length ? own : collect(this.parsed.sections.flatMap((s) => s.entries).filter((e) => lines[e.first]!.indent === 0));
    const separator = mostCommon(pool.map((o) => o.sep), ' = ');
    // Aligned: most keys padded so their delimiter sits in one column.
    const padded = own.filter((o) => o.delimCol > o.keyLen + 1);
    let column: number | undefined;
    if (padded.length >= 2 && padded.length * 2 >= own.length) {
      const cols = own.map((o) => o.delimCol - (separator.startsWith(' ') ? 1 : 0));
      const c = mostCommon(cols, -1);
      if (cols.filter((x) => x === c).length >= 2) column = c;
    }
    return { separator, column };
  }

  /** Indentation of a new continuation line: the entry's own, else the file's, else under the value. */
  private continuationIndent(e: IniEntry): string {
    const lines = this.parsed.lines;
    const own = e.partLines.map((i) => lines[i]!).filter((l) => l.kind === 'continuation');
    if (own.length > 0) return leading(own[own.length - 1]!.content);
    const first = lines[e.first]!;
    return ' '.repeat(Math.max(first.indent + 1, first.valueStart ?? 1));
  }

  private sectionsSeparatedByBlank(): boolean {
    const lines = this.parsed.lines;
    const secs = this.parsed.sections;
    if (secs.length < 2) return true;
    let blank = 0;
    for (const s of secs.slice(1)) if (s.header > 0 && lines[s.header - 1]!.kind === 'blank') blank++;
    return blank * 2 >= secs.length - 1;
  }
}

/** Operations on one section. */
export class SectionView {
  constructor(
    readonly doc: Fail2banDocument,
    readonly name: string,
  ) {}
  /** The option's value in this section, as configparser reads it (continuation lines joined), or undefined. */
  get(key: string): string | undefined {
    return this.doc.get(this.name, key);
  }
  /** The section's option names, in file order. */
  keys(): string[] {
    return this.doc.keys(this.name);
  }
  /** Sets an option in this section (see Fail2banDocument.set). */
  set(key: string, value: string): this {
    this.doc.set(this.name, key, value);
    return this;
  }
  /** Removes an option from this section; false when it has none. */
  remove(key: string): boolean {
    return this.doc.remove(this.name, key);
  }
  /** Adds a continuation line to an option of this section (a failregex, say). */
  appendLine(key: string, line: string): this {
    this.doc.appendLine(this.name, key, line);
    return this;
  }
  /** Removes line `index` of an option's value in this section; false when there is none. */
  removeLine(key: string, index: number): boolean {
    return this.doc.removeLine(this.name, key, index);
  }
}

function assertString(v: unknown, what: string): void {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string, got ${typeof v}`);
}

function leading(s: string): string {
  return /^[ \t]*/.exec(s)![0];
}

function normaliseSeparator(sep: string): string {
  const m = /^([ \t]*)([=:])([ \t]*)$/.exec(sep);
  if (!m) return ' = ';
  return (m[1]!.length > 0 ? ' ' : '') + m[2] + (m[3]!.length > 0 ? ' ' : '');
}

/** What follows the value on a key line (whitespace and an inline comment), kept on edit. */
function trailingAfterValue(l: IniLine): string {
  return l.content.slice(l.valueEnd ?? l.content.length);
}

/** A line's own ending, or the file's when it has none (the store drops it again at the end of the file). */
function lineEnding(raw: string, fallback: string): string {
  if (raw.endsWith('\r\n')) return '\r\n';
  if (raw.endsWith('\n')) return '\n';
  if (raw.endsWith('\r')) return '\r';
  return fallback;
}

/**
 * The fail2ban INI document: lossless (prints back byte for byte), with queries and edits in
 * fail2ban's own words. Edits replace only the lines they touch, rendered in the file's style
 * (separator, alignment, continuation indentation, line endings).
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument, splitRaw } from '../core/document.js';
import { decorate, spanDecor, type Decor } from '../core/decor.js';
import type { ParseOptions as CoreParseOptions } from '../core/format.js';
import { mostCommon } from '../core/lines.js';
import { dominantEol } from '../core/text.js';
import {
  duplicateOptionDiagnostic,
  duplicateSectionDiagnostic,
  FILE_WIDE_CODES,
  iniContent,
  parseIni,
  type IniContent,
  type IniEntry,
  type IniLine,
  type IniSection,
  type ParsedIni,
} from './parse.js';
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
 * One `[section]` of the document: its section as parsed, and where it now sits. The section's
 * numbers (header, last, its entries' lines) and its diagnostics' lines are those of the text it
 * was read from, in which its header was line `origin`; its header is now on the line after the
 * lines before it (the prologue and the sections before it: a prefix sum), so each of them is off by
 * that line minus `origin`. The document puts them right when they are read from outside
 * (`sectionList`), not at every edit.
 */
interface Block {
  section: IniSection;
  origin: number;
  /** Its place in the document's list of sections. */
  index: number;
  /** Lines from the header to the section's last line. */
  length: number;
  /** The section's own diagnostics (not the file-wide duplicate ones), lines as of `origin`. */
  local: Diagnostic[];
  /** File-wide: the header repeats an earlier section's, and the entries whose key an earlier one of the name has. */
  dupSection: boolean;
  dupOptions: IniEntry[];
  /** Separators of its entries that start at column 0, normalised, with their counts (once the document counts them). */
  seps: Map<string, number> | undefined;
  /** Its last line is blank (so the section after it is separated by a blank line). */
  blankEnd: boolean;
}

/**
 * The document keeps its lines (each an `IniLine` and a core LineDocument node, so `edits()` replays
 * every edit) and its sections. An edit reads again only the lines it may change the reading of, as
 * configparser would read them: from the header of the section it is in to the next header at column 0
 * (a continuation line or a header changes how the lines after it read, and a header at column 0 is a
 * header whatever comes before it). Where a section starts is the sum of the lengths before it, kept
 * in a Fenwick tree: an edit inside one section changes one length (O(log sections)), and nothing is
 * written into the sections after it; the duplicate-section and duplicate-option diagnostics, which depend on the
 * whole file, are worked out again for the section names the edit touched.
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
export class Fail2banDocument extends LineDocument<IniLine> {
  /** Sections in file order. */
  private blocks: Block[] = [];
  /** Sections of each name, in file order. */
  private byName = new Map<string, Block[]>();
  /** Diagnostics of the lines before the first header. */
  private prologueDiagnostics: Diagnostic[] = [];
  /** Lines before the first header. */
  private prologueLength = 0;
  /** Fenwick tree of the sections' lengths (1-based): `lengthsBefore(i)` sums those of sections 0..i-1. */
  private tree = new Int32Array(1);
  /** Column-0 entries' separators in the whole file, with their counts: counted when first asked for, then kept. */
  private sepCounts: Map<string, number> | undefined;
  /** Sections whose last line is blank. */
  private blankEnded = 0;
  private diagnosticCount = 0;
  private readingDiagnostics: readonly Diagnostic[] | undefined;
  private sectionListCache: readonly IniSection[] | undefined;

  constructor(text: string, options: { file?: string } = {}) {
    const parsed = parseIni(text, options.file !== undefined ? { file: options.file } : {});
    super({ nodes: parsed.lines, file: options.file, eol: dominantEol(text) });
    const read = this.blocksOf(parsed, 0);
    this.prologueDiagnostics = read.prologueDiagnostics;
    this.prologueLength = read.prologueLength;
    this.diagnosticCount = read.prologueDiagnostics.length;
    this.blocks = read.blocks;
    this.reindex(0);
    for (const b of read.blocks) {
      let list = this.byName.get(b.section.name);
      if (!list) this.byName.set(b.section.name, (list = []));
      list.push(b);
      this.count(b, 1);
    }
    // The parse has found the file-wide duplicates already: when it found none, no section has any.
    if (parsed.diagnostics.some((d) => FILE_WIDE_CODES.has(d.code))) for (const name of this.byName.keys()) this.findDuplicates(name);
  }

  /** Syntax diagnostics, read from the current text. */
  override get diagnostics(): readonly Diagnostic[] {
    return (this.readingDiagnostics ??= this.collectDiagnostics());
  }

  /** True when configparser would refuse this file (fail2ban-client then fails as a whole). */
  get fatal(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /**
   * The physical lines with their classification (read-only view). They are the document's own: an
   * edit gives a line it reads again its new classification in place.
   */
  get lines(): readonly IniLine[] {
    return this.nodes;
  }

  /**
   * Sections in file order (duplicates kept), their line numbers those of the current text. They are
   * the document's own: after an edit, reading the list again brings their line numbers up to date in
   * place (a section the edit read again is a new object).
   */
  get sectionList(): readonly IniSection[] {
    if (this.sectionListCache) return this.sectionListCache;
    let at = this.prologueLength;
    for (const b of this.blocks) {
      this.settle(b, at);
      at += b.length;
    }
    return (this.sectionListCache = this.blocks.map((b) => b.section));
  }

  toJSON(): Fail2banFileJSON {
    const lines = this.lines;
    return {
      sections: this.sectionList.map((s) => ({
        name: s.name,
        line: s.header + 1,
        options: s.entries.map((e) => ({ key: e.key, rawKey: lines[e.first]!.rawKey ?? e.key, value: e.value, line: e.first + 1, endLine: e.last + 1 })),
      })),
    };
  }

  /** The file as configparser holds it after reading it: DEFAULT and sections, raw values. */
  content(): IniContent {
    const diagnostics = this.diagnostics;
    return iniContent({ lines: this.nodes as IniLine[], sections: this.sectionList as IniSection[], diagnostics: diagnostics as Diagnostic[], fatal: this.fatal }, this.file);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** Section names in file order, without repeats. */
  sections(): string[] {
    return [...new Set(this.blocks.map((b) => b.section.name))];
  }

  /** True when the file has a section of that name. */
  hasSection(name: string): boolean {
    return this.byName.has(name);
  }

  /** Keys of a section (lower-cased), in file order. */
  keys(section: string): string[] {
    return (this.byName.get(section) ?? []).flatMap((b) => b.section.entries.map((e) => e.key));
  }

  /** The raw value of `key` in `section` (no interpolation), or undefined. */
  get(section: string, key: string): string | undefined {
    return this.entry(section, key)?.e.value;
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
  override lineOf(node: IniLine): number;
  override lineOf(section: string, key: string): number | undefined;
  override lineOf(a: IniLine | string, key?: string): number | undefined {
    if (typeof a !== 'string') return super.lineOf(a);
    const found = this.entry(a, key!);
    return found ? found.e.first + this.offset(found.b) + 1 : undefined;
  }

  /** The last entry of `key` in the sections named `section` (the one configparser keeps), with its section. */
  private entry(section: string, key: string): { b: Block; e: IniEntry } | undefined {
    const k = pyLower(key);
    const list = this.byName.get(section);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const entries = list[i]!.section.entries;
      for (let j = entries.length - 1; j >= 0; j--) if (entries[j]!.key === k) return { b: list[i]!, e: entries[j]! };
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Edits

  /**
   * Sets a key: replaces the value of an existing key, or adds the key at the end of the section
   * (created when missing). A value with `\n` goes on continuation lines (the entry's indentation);
   * the key line up to the value and what follows the old value on its last line stay. Throws a
   * RangeError, and changes nothing, for a value fail2ban's reader would read otherwise (blanks at a
   * line's ends, a `\r`, a comment line, a ` ;` comment, trailing blank lines).
   */
  set(section: string, key: string, value: string): this {
    assertString(value, 'value');
    const found = this.entry(section, key);
    if (!found) return this.add(section, key, value);
    const { b, e } = found;
    const d = this.offset(b);
    const first = this.lines[e.first + d]!;
    const last = this.lines[e.last + d]!;
    const eol = this.eol;
    // One splice: the entry's lines, from its key line to its last continuation line, become the old
    // decor (the key line up to the value, what follows the value on the last line) around the new value.
    const text = this.multiLineValue(value, this.continuationIndent(b, e), lineEnding(first.raw, eol));
    const written = decorate(entryDecor(first, last, eol), text);
    assertReadsBack(written, value);
    this.edit(e.first + d, e.last - e.first + 1, splitRaw(written, 'universal'), b);
    return this;
  }

  /** Adds `key = value` at the end of the section's options, in the section's style; creates the section when missing. Refuses values as `set` does. */
  add(section: string, key: string, value: string): this {
    assertString(key, 'key');
    assertString(value, 'value');
    if (/[=:\n]/.test(key) || key.trim() === '' || /^[\s#;[]/.test(key)) throw new TypeError(`invalid option name ${JSON.stringify(key)}`);
    if (this.entry(section, key)) return this.set(section, key, value);
    // The lines are written and checked before the section is made, so a refused value changes nothing
    // (a new section has no options of its own: its style is the file's).
    const existing = this.byName.get(section);
    const { separator, column } = existing ? this.optionStyle(existing[existing.length - 1]!) : { separator: this.fileSeparator(), column: undefined };
    const keyPart = column !== undefined && key.length < column ? key.padEnd(column) : key;
    const indent = ' '.repeat(Math.max(1, keyPart.length + separator.length));
    const eol = this.eol;
    const written = keyPart + separator + this.multiLineValue(value, indent, eol) + eol;
    assertReadsBack(written, value);
    if (!existing) this.addSection(section);
    const list = this.byName.get(section)!;
    const b = list[list.length - 1]!;
    const sec = b.section;
    const lastEntry = sec.entries[sec.entries.length - 1];
    const at = (lastEntry ? lastEntry.last : sec.header) + this.offset(b);
    this.edit(at + 1, 0, splitRaw(written, 'universal'), b);
    return this;
  }

  /** Removes a key and its value lines. Returns whether it existed. */
  remove(section: string, key: string): boolean {
    const found = this.entry(section, key);
    if (!found) return false;
    const { b, e } = found;
    this.edit(e.first + this.offset(b), e.last - e.first + 1, [], b);
    return true;
  }

  /** Appends `[name]` at the end of the file, after a blank line when sections are separated by blank lines. */
  addSection(name: string): this {
    assertString(name, 'name');
    if (name === '' || /[\n\]]$/.test(name) || name.includes('\n')) throw new TypeError(`invalid section name ${JSON.stringify(name)}`);
    if (this.hasSection(name)) return this;
    const eol = this.eol;
    const lines = this.lines;
    const rendered: string[] = [];
    const last = lines[lines.length - 1];
    if (last && last.kind !== 'blank' && this.sectionsSeparatedByBlank()) rendered.push(eol);
    rendered.push(`[${name}]${eol}`);
    this.edit(lines.length, 0, rendered, this.blocks[this.blocks.length - 1]);
    return this;
  }

  /**
   * Removes every `[name]` section with its lines (up to the next header). Returns whether it existed.
   * A blank line that separates it from the next section stays when nothing else would.
   */
  removeSection(name: string): boolean {
    if (!this.hasSection(name)) return false;
    // Each removal moves the lines after it: look the sections up again every time.
    for (let list = this.byName.get(name); list; list = this.byName.get(name)) {
      const b = list[list.length - 1]!;
      const lines = this.lines;
      const header = this.headerOf(b);
      let last = header + b.length - 1;
      const separatedBefore = header === 0 || lines[header - 1]!.kind === 'blank';
      if (!separatedBefore) while (last > header && lines[last]!.kind === 'blank' && last + 1 < lines.length) last--;
      this.edit(header, last - header + 1, []);
    }
    return true;
  }

  /** Appends one line to a multi-line value (a failregex, an action), indented like its other lines. */
  appendLine(section: string, key: string, line: string): this {
    assertString(line, 'line');
    if (line.includes('\n') || line.trim() === '') throw new TypeError('appendLine takes one non-empty line');
    const found = this.entry(section, key);
    if (!found) return this.add(section, key, line);
    const { b, e } = found;
    if (e.value === '' && e.parts.length === 1) return this.set(section, key, line);
    const indent = this.continuationIndent(b, e);
    this.edit(e.last + this.offset(b) + 1, 0, [indent + line + this.eol], b);
    return this;
  }

  /**
   * Removes one line of a multi-line value: `index` counts the value's non-empty lines (as fail2ban
   * splits failregex). Removing the line on the key line leaves the key with an empty first line.
   */
  removeLine(section: string, key: string, index: number): boolean {
    const found = this.entry(section, key);
    if (!found) return false;
    const { b, e } = found;
    const nonEmpty = e.parts.map((p, i) => ({ p, line: e.partLines[i]! })).filter((x) => x.p !== '');
    const target = nonEmpty[index];
    if (!target) return false;
    const d = this.offset(b);
    if (target.line === e.first) {
      const first = this.lines[e.first + d]!;
      const { prefix, suffix } = optionDecor(first, this.eol);
      this.edit(e.first + d, 1, [decorate({ prefix: prefix.replace(/[ \t]+$/, ''), suffix }, '')], b);
    } else {
      this.edit(target.line + d, 1, [], b);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading again what an edit changed

  /**
   * The one edit: `count` lines at `from` replaced by `rendered`, then the lines whose reading it may
   * change read again: from the header of the section holding line `from - 1` (the start of the file
   * when there is none) to the first header at column 0 at or after the last replaced line. `within`:
   * the section the edit is in, when the caller knows it (then, as long as the edit stays inside it,
   * no other section is looked at).
   */
  private edit(from: number, count: number, rendered: string[], within?: Block): void {
    const nodes = this.nodes;
    let region: { k: number; old: Block[]; prologue: boolean; start: number; oldLength: number } | undefined;
    if (within) {
      const start = this.headerOf(within);
      const end = start + within.length;
      if (from > start && from + count <= end && (end === nodes.length || nodes[end]!.indent === 0)) region = { k: -1, old: [within], prologue: false, start, oldLength: within.length };
    }
    region ??= this.locate(from, count);
    const prev = nodes[from - 1];
    if (count === 0 && rendered.length > 0 && prev && prev.raw.endsWith('\r')) {
      // The store takes a line without `\n` for the last line of a file without a final newline and would
      // give it one; under universal newlines a lone `\r` is an ending already.
      const added = rendered.map(placeholder);
      super.splice(from - 1, 1, prev, ...added);
      const last = added[added.length - 1]!;
      if (last.raw !== rendered[rendered.length - 1]) this.setRaw(last, rendered[rendered.length - 1]!);
    } else super.splice(from, count, ...rendered.map(placeholder));
    const changed = region.oldLength - count + rendered.length;
    let text = '';
    for (let i = region.start; i < region.start + changed; i++) text += nodes[i]!.raw;
    const fresh = parseIni(text, this.file !== undefined ? { file: this.file } : {});
    if (fresh.lines.length === changed) {
      // As many lines: each takes its new reading (so edits() still sees only the replaced ones), and
      // its new text where the split moved (["x = ", "\ra\n"] read again is ["x = \r", "a\n"]).
      for (let i = 0; i < changed; i++) {
        const line = fresh.lines[i]!;
        const node = nodes[region.start + i]!;
        if (node.raw !== line.raw) this.setRaw(node, line.raw);
        takeReading(node, line);
        fresh.lines[i] = nodes[region.start + i]!;
      }
    } else {
      // A `\r` ending met a `\n`, or a value held a line break (or the edit left an empty last node): the
      // lines are split again; the text stays as it is (the store's end-of-file rule must not apply again).
      const last = fresh.lines[fresh.lines.length - 1];
      const lastRaw = last?.raw;
      super.splice(region.start, changed, ...fresh.lines);
      if (last && last.raw !== lastRaw) this.setRaw(last, lastRaw!);
    }
    const read = this.blocksOf(fresh, region.start);
    const delta = fresh.lines.length - region.oldLength;
    this.readingDiagnostics = undefined;
    this.sectionListCache = undefined;

    // The duplicate diagnostics of every name the edit touched are worked out again.
    const names = new Set<string>();
    for (const b of region.old) names.add(b.section.name);
    for (const b of read.blocks) names.add(b.section.name);
    for (const name of names) for (const b of this.byName.get(name) ?? []) this.diagnosticCount -= dupCount(b);
    for (const b of region.old) this.count(b, -1);
    for (const b of read.blocks) this.count(b, 1);
    if (region.prologue) {
      this.diagnosticCount += read.prologueDiagnostics.length - this.prologueDiagnostics.length;
      this.prologueDiagnostics = read.prologueDiagnostics;
      this.prologueLength = read.prologueLength;
    }

    if (region.k < 0 && read.blocks.length === 1 && read.prologueLength === 0 && read.blocks[0]!.section.name === within!.section.name) {
      // Still one section of the same name: it takes the new reading in place; the ones after move.
      const index = within!.index;
      Object.assign(within!, read.blocks[0]!);
      within!.index = index;
      if (delta !== 0) this.lengthChanged(index, delta);
    } else {
      const k = region.k >= 0 ? region.k : within!.index;
      this.blocks.splice(k, region.old.length, ...read.blocks);
      this.reindex(k);
      for (const b of region.old) {
        const list = this.byName.get(b.section.name)!;
        list.splice(list.indexOf(b), 1);
        if (list.length === 0) this.byName.delete(b.section.name);
      }
      for (const b of read.blocks) {
        let list = this.byName.get(b.section.name);
        if (!list) this.byName.set(b.section.name, (list = []));
        let i = list.length;
        while (i > 0 && list[i - 1]!.index > b.index) i--;
        list.splice(i, 0, b);
      }
    }
    for (const name of names) if (this.byName.has(name)) this.findDuplicates(name);
  }

  /** The region an edit of `count` lines at `from` reads again. */
  private locate(from: number, count: number): { k: number; old: Block[]; prologue: boolean; start: number; oldLength: number } {
    const blocks = this.blocks;
    const nodes = this.nodes;
    const at = (i: number) => this.prologueLength + this.lengthsBefore(i);
    let k: number;
    let j: number;
    let prologue = false;
    if (blocks.length === 0 || from - 1 < this.prologueLength) {
      prologue = true;
      k = j = 0;
    } else {
      // The last section starting at or before line from - 1.
      let lo = 0;
      let hi = blocks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at(mid) <= from - 1) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
      j = k + 1;
    }
    while (j < blocks.length && at(j) < from + count) j++;
    while (j < blocks.length && nodes[at(j)]!.indent !== 0) j++;
    const start = prologue ? 0 : at(k);
    const end = j < blocks.length ? at(j) : nodes.length;
    return { k, old: blocks.slice(k, j), prologue, start, oldLength: end - start };
  }

  /** The sections of a reading of lines starting at line `start` (and the lines before its first header). */
  private blocksOf(read: ParsedIni, start: number): { blocks: Block[]; prologueLength: number; prologueDiagnostics: Diagnostic[] } {
    const local = read.diagnostics.filter((d) => !FILE_WIDE_CODES.has(d.code));
    const sections = read.sections;
    const prologueLength = sections.length > 0 ? sections[0]!.header : read.lines.length;
    let di = 0;
    const prologueDiagnostics: Diagnostic[] = [];
    for (; di < local.length && local[di]!.line <= prologueLength; di++) prologueDiagnostics.push(shifted(local[di]!, start));
    const blocks = sections.map((s): Block => {
      const own: Diagnostic[] = [];
      for (; di < local.length && local[di]!.line <= s.last + 1; di++) own.push(local[di]!);
      const seps = this.sepCounts ? separatorsOf(s, read.lines, 0) : undefined;
      return { section: s, origin: s.header, index: -1, length: s.last - s.header + 1, local: own, dupSection: false, dupOptions: [], seps, blankEnd: read.lines[s.last]!.kind === 'blank' };
    });
    return { blocks, prologueLength, prologueDiagnostics };
  }

  /** Adds (sign 1) or takes away (-1) a section's own share of the file-wide counts. */
  private count(b: Block, sign: 1 | -1): void {
    this.diagnosticCount += sign * b.local.length;
    if (b.blankEnd) this.blankEnded += sign;
    if (this.sepCounts) this.countSeparators(b, sign);
  }

  private countSeparators(b: Block, sign: 1 | -1): void {
    const counts = this.sepCounts!;
    for (const [sep, n] of b.seps!) {
      const c = (counts.get(sep) ?? 0) + sign * n;
      if (c === 0) counts.delete(sep);
      else counts.set(sep, c);
    }
  }

  /** The duplicate-section and duplicate-option findings of the sections of one name, as configparser reads them in order. */
  private findDuplicates(name: string): void {
    const seen = new Set<string>();
    let first = true;
    for (const b of this.byName.get(name)!) {
      b.dupSection = !first && name !== 'DEFAULT';
      first = false;
      b.dupOptions = [];
      for (const e of b.section.entries) {
        if (seen.has(e.key)) b.dupOptions.push(e);
        else seen.add(e.key);
      }
      this.diagnosticCount += dupCount(b);
    }
  }

  /** The 0-based line of a section's header in the current text. */
  private headerOf(b: Block): number {
    return this.prologueLength + this.lengthsBefore(b.index);
  }

  /** How far a section's own numbers are off the current text. */
  private offset(b: Block): number {
    return this.headerOf(b) - b.origin;
  }

  /** The lines of sections 0..i-1. */
  private lengthsBefore(i: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let x = i; x > 0; x -= x & -x) sum += tree[x]!;
    return sum;
  }

  /** Section i's length changed by `delta` (the block holds the new length already). */
  private lengthChanged(i: number, delta: number): void {
    const tree = this.tree;
    for (let x = i + 1; x < tree.length; x += x & -x) tree[x]! += delta;
  }

  /** After the list of sections changed from `from` on: their places in it, and the tree of lengths built again (O(sections)). */
  private reindex(from: number): void {
    const blocks = this.blocks;
    for (let i = from; i < blocks.length; i++) blocks[i]!.index = i;
    const tree = (this.tree = new Int32Array(blocks.length + 1));
    for (let i = 1; i <= blocks.length; i++) {
      tree[i]! += blocks[i - 1]!.length;
      const parent = i + (i & -i);
      if (parent <= blocks.length) tree[parent]! += tree[i]!;
    }
  }

  /** Puts a section's own numbers right for the current text, its header being on line `at`. */
  private settle(b: Block, at: number): void {
    const d = at - b.origin;
    if (d === 0) return;
    const s = b.section;
    s.header += d;
    s.last += d;
    for (const e of s.entries) {
      e.first += d;
      e.last += d;
      for (let i = 0; i < e.partLines.length; i++) e.partLines[i]! += d;
    }
    b.local = b.local.map((x) => shifted(x, d));
    b.origin = at;
  }

  private collectDiagnostics(): readonly Diagnostic[] {
    if (this.diagnosticCount === 0) return [];
    const out = [...this.prologueDiagnostics];
    const lines = this.lines;
    let at = this.prologueLength;
    for (const b of this.blocks) {
      const header = at;
      at += b.length;
      if (b.local.length === 0 && !b.dupSection && b.dupOptions.length === 0) continue;
      const d = header - b.origin;
      const s = b.section;
      if (b.dupSection) out.push(duplicateSectionDiagnostic(s.name, s.header + d, lines[s.header + d]!.indent, this.file));
      let i = 0;
      for (const e of b.dupOptions) {
        for (; i < b.local.length && b.local[i]!.line <= e.first + 1; i++) out.push(shifted(b.local[i]!, d));
        const l = lines[e.first + d]!;
        out.push(duplicateOptionDiagnostic(s.name, e.key, e.first + d, l.keyStart!, l.keyEnd!, this.file));
      }
      for (; i < b.local.length; i++) out.push(shifted(b.local[i]!, d));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Style

  /** Separator and aligned key column sniffed from the section, else from the file. */
  private optionStyle(b: Block): { separator: string; column: number | undefined } {
    const lines = this.lines;
    const d = this.offset(b);
    const own = b.section.entries
      .map((e) => lines[e.first + d]!)
      .filter((l) => l.indent === 0)
      .map((l) => {
        const sepStart = l.keyEnd!;
        const sep = l.content.slice(sepStart, l.valueStart).replace(/[ \t]+/g, (m, off: number) => (off === 0 ? m : ' '));
        return { sep: normaliseSeparator(l.content.slice(sepStart, l.valueStart)), delimCol: sepStart + sep.search(/[=:]/), keyLen: l.keyEnd! - l.keyStart! };
      });
    const separator = own.length ? mostCommon(own.map((o) => o.sep), ' = ') : this.fileSeparator();
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

  /** The separator most of the file's column-0 options use (a tie goes to ` = `, then to the first in code-unit order). */
  private fileSeparator(): string {
    if (!this.sepCounts) {
      this.sepCounts = new Map();
      for (const b of this.blocks) {
        b.seps = separatorsOf(b.section, this.lines, this.offset(b));
        this.countSeparators(b, 1);
      }
    }
    const counts = this.sepCounts;
    let best = ' = ';
    let bestCount = counts.get(best) ?? 0;
    for (const [sep, n] of counts) if (n > bestCount || (n === bestCount && best !== ' = ' && sep < best)) [best, bestCount] = [sep, n];
    return best;
  }

  /**
   * A value as it is written between its decor: its first line as given, each further line on a
   * continuation line at `indent` (an empty line stays empty: configparser keeps it as an empty line
   * of the value), every line break the key line's own ending (one ending throughout: a `\r` before an
   * empty line and a `\n` after it would read as one `\r\n`). Read back
   * by configparser (each continuation line stripped, lines joined with `\n`, the end rstripped) it
   * is the value given, as long as its lines have no blanks at their ends and none starts a comment.
   */
  private multiLineValue(value: string, indent: string, br: string): string {
    const lines = value.split('\n');
    let text = lines[0]!;
    for (let i = 1; i < lines.length; i++) text += br + (lines[i] === '' ? '' : indent + lines[i]);
    return text;
  }

  /**
   * Indentation of a new continuation line: the entry's own (its last continuation line's), else under
   * the value's first column (at least one column more than the key, so configparser reads it as a
   * continuation).
   */
  private continuationIndent(b: Block, e: IniEntry): string {
    const lines = this.lines;
    const d = this.offset(b);
    for (let i = e.partLines.length - 1; i >= 0; i--) {
      const l = lines[e.partLines[i]! + d]!;
      if (l.kind === 'continuation') return leading(l.content);
    }
    const first = lines[e.first + d]!;
    return ' '.repeat(Math.max(first.indent + 1, first.valueStart ?? 1));
  }

  private sectionsSeparatedByBlank(): boolean {
    const n = this.blocks.length;
    if (n < 2) return true;
    const blank = this.blankEnded - (this.blocks[n - 1]!.blankEnd ? 1 : 0);
    return blank * 2 >= n - 1;
  }
}

/** A line just put in by an edit, read again right after with its neighbours. */
function placeholder(raw: string): IniLine {
  return { raw, kind: 'blank', content: '', indent: -1, commentStart: null };
}

const READING_FIELDS = ['value', 'rawKey', 'keyStart', 'keyEnd', 'valueStart', 'valueEnd'] as const;

/** A line of the document takes the reading of its text read again (its raw text is already `fresh.raw`). */
function takeReading(line: IniLine, fresh: IniLine): void {
  line.kind = fresh.kind;
  line.content = fresh.content;
  line.indent = fresh.indent;
  line.commentStart = fresh.commentStart;
  const target = line as unknown as Record<string, unknown>;
  const source = fresh as unknown as Record<string, unknown>;
  for (const f of READING_FIELDS) {
    if (f in fresh) target[f] = source[f];
    else if (f in line) delete target[f];
  }
}

/** The separators of a section's column-0 options, normalised, with their counts (`d`: how far its numbers are off `lines`). */
function separatorsOf(s: IniSection, lines: readonly IniLine[], d: number): Map<string, number> {
  const seps = new Map<string, number>();
  for (const e of s.entries) {
    const l = lines[e.first + d]!;
    if (l.indent !== 0) continue;
    const sep = normaliseSeparator(l.content.slice(l.keyEnd, l.valueStart));
    seps.set(sep, (seps.get(sep) ?? 0) + 1);
  }
  return seps;
}

function dupCount(b: Block): number {
  return (b.dupSection ? 1 : 0) + b.dupOptions.length;
}

function shifted(d: Diagnostic, by: number): Diagnostic {
  return by === 0 ? d : { ...d, line: d.line + by, endLine: d.endLine + by };
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

/**
 * The trivia around the value on an option's key line, kept on edit: the key and separator before it,
 * and what follows it (whitespace and an inline comment) with the line's ending — the file's `eol` when
 * the line has none (the store drops it again at the end of the file).
 */
export function optionDecor(l: IniLine, eol: string): Decor {
  return entryDecor(l, l, eol);
}

/**
 * The trivia around an option's value, which may span several lines: the key line up to the value,
 * and what follows the value on its last line (`last`: the key line itself for a one-line value) with
 * that line's ending — the file's `eol` when it has none.
 */
export function entryDecor(first: IniLine, last: IniLine, eol: string): Decor {
  // An empty value on a line without a comment sits at the line's end: `k = ` set to `x` is `k = x`.
  const emptyAtEnd = first.valueStart === first.valueEnd && first.commentStart === null;
  const start = emptyAtEnd ? first.content.length : (first.valueStart ?? first.content.length);
  const end = last === first && emptyAtEnd ? first.content.length : (last.valueEnd ?? last.content.length);
  const d = spanDecor(first.content, start, last.content, end);
  return { prefix: d.prefix, suffix: d.suffix + lineEnding(last.raw, eol) };
}

/** A line's own ending, or the file's when it has none (the store drops it again at the end of the file). */
function lineEnding(raw: string, fallback: string): string {
  if (raw.endsWith('\r\n')) return '\r\n';
  if (raw.endsWith('\n')) return '\n';
  if (raw.endsWith('\r')) return '\r';
  return fallback;
}

/**
 * Throws a RangeError unless fail2ban's reader reads the lines written for an entry (key line first) as
 * the value given: configparser strips every line, drops comment lines and a ` ;` comment, ends a line
 * at `\r` and removes the value's trailing blank lines, so such a value cannot be written as it is.
 */
function assertReadsBack(written: string, value: string): void {
  const entry = parseIni(`[x]\n${written}`).sections[0]?.entries[0];
  if (entry?.value !== value)
    throw new RangeError(`fail2ban would read ${JSON.stringify(value)} as ${JSON.stringify(entry?.value ?? '')}: a value has no blanks at a line's ends, no \\r, no line that is a comment or ends the value with blank lines, no " ;" comment`);
}

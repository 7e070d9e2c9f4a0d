/**
 * SshdDocument: an sshd_config file as a list of line nodes, with queries and edits in sshd's own
 * terms (keywords, the global section, Match blocks). Untouched lines print back byte for byte; an
 * edit rewrites only the lines it touches, in the style of the file (indentation, separator,
 * aligned values, line endings).
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Decor, Decorated } from '../core/decor.js';
import { LineDocument } from '../core/document.js';
import { alignedColumn, mostCommon, padTo, SET_RAW, type RawNode, type RawWriteHook } from '../core/lines.js';
import { BOM, dominantEol, eolOf, eolStyle } from '../core/text.js';
import { lookupKeyword } from './keywords.js';
import type {
  SshdArgument,
  SshdDirective,
  SshdEntry,
  SshdMatch,
  SshdMatchCriterion,
  SshdMatchSpec,
  SshdModel,
  SshdValue,
} from './model.js';
import { parseLine, type SshdDirectiveLine, type SshdLine } from './line.js';

/** One physical line of the file. */
export class SshdNode implements RawNode, RawWriteHook, Decorated {
  private _raw: string;
  private _parsed: SshdLine | undefined;

  constructor(raw: string) {
    this._raw = raw;
  }

  get raw(): string {
    return this._raw;
  }

  /** Core's write of the raw text (a document's edit): the parse goes with the old text. */
  [SET_RAW](v: string): void {
    this._raw = v;
    this._parsed = undefined;
  }

  get parsed(): SshdLine {
    return (this._parsed ??= parseLine(this._raw));
  }

  /** The directive this line holds, if any. */
  get directive(): SshdDirectiveLine | undefined {
    const p = this.parsed;
    return p.kind === 'directive' ? p : undefined;
  }

  /** The trivia around the directive's value (undefined on a line without a directive). */
  decor(): Decor | undefined {
    const d = this.directive;
    return d ? directiveDecor(this._raw, d) : undefined;
  }

  /** Is a `Match` line. */
  get isMatch(): boolean {
    return this.directive?.info?.kind === 'match';
  }
}

/** The value of a directive as one string: the raw rest for rest-of-line keywords, else the arguments joined by spaces. */
export function directiveValue(d: SshdDirectiveLine): string {
  const kind = d.info?.kind;
  if (kind === 'rest-of-line' || kind === 'command') return d.rest ?? '';
  return d.args.map((a) => a.value).join(' ');
}

const MATCH_SPEC_NAMES: Record<keyof SshdMatchSpec, string> = {
  user: 'User',
  group: 'Group',
  host: 'Host',
  address: 'Address',
  localAddress: 'LocalAddress',
  localPort: 'LocalPort',
  rdomain: 'RDomain',
  all: 'All',
};

/** Criteria of a Match line as strdelim tokens give them (criterion/pattern pairs). */
export function matchCriteria(d: SshdDirectiveLine): SshdMatchCriterion[] {
  const out: SshdMatchCriterion[] = [];
  const toks = d.tokens ?? [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.value === null || t.value === '' || t.value.startsWith('#')) break;
    const name = t.value.toLowerCase();
    if (name === 'all') {
      out.push({ criterion: 'all', written: t.value, patterns: null });
      continue;
    }
    const p = toks[i + 1];
    const pv = p && p.value !== null && p.value !== '' && !p.value.startsWith('#') ? p.value : null;
    out.push({ criterion: name, written: t.value, patterns: pv });
    if (pv !== null) i++;
  }
  return out;
}

/** A spec as `criterion → patterns` pairs, for comparison with a Match line. */
function specPairs(spec: SshdMatchSpec | string): [string, string | null][] {
  if (typeof spec === 'string') {
    const d = parseLine(`Match ${spec}`);
    if (d.kind !== 'directive') return [];
    return matchCriteria(d).map((c) => [c.criterion, c.patterns]);
  }
  if (spec === null || typeof spec !== 'object') throw new TypeError('expected Match criteria as an object or a string');
  const out: [string, string | null][] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (!(k in MATCH_SPEC_NAMES)) throw new TypeError(`unknown Match criterion '${k}'`);
    if (k === 'all') {
      if (v) out.push(['all', null]);
      continue;
    }
    out.push([MATCH_SPEC_NAMES[k as keyof SshdMatchSpec].toLowerCase(), String(v)]);
  }
  return out;
}

/** The criteria of a `Match` line for a spec (a string is taken as written). */
export function matchLineText(spec: SshdMatchSpec | string): string {
  if (typeof spec === 'string') return spec;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (k === 'all') {
      if (v) parts.push('All');
      continue;
    }
    const s = String(v);
    if (!(k in MATCH_SPEC_NAMES)) throw new TypeError(`unknown Match criterion '${k}'`);
    if (/[\s"=#]/.test(s) || s === '') throw new TypeError(`Match pattern ${JSON.stringify(s)} cannot be written on a Match line`);
    parts.push(`${MATCH_SPEC_NAMES[k as keyof SshdMatchSpec]} ${s}`);
  }
  if (parts.length === 0) throw new TypeError('a Match block needs at least one criterion');
  return parts.join(' ');
}

function samePairs(a: [string, string | null][], b: [string, string | null][]): boolean {
  if (a.length !== b.length) return false;
  const key = (p: [string, string | null]) => `${p[0]}\0${p[1] ?? ''}`;
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  return sa.every((x, i) => x === sb[i]);
}

/** Quotes one argument when argv_split would otherwise read it differently. */
export function quoteArgument(value: string): string {
  if (value !== '' && !/[\s"'\\#]/.test(value)) return value;
  return '"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function valueText(keyword: string, value: SshdValue): string {
  const kind = lookupKeyword(keyword)?.info.kind;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${keyword}: not a finite number`);
    return String(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new TypeError(`${keyword}: an empty list cannot be written`);
    return value.map((v) => quoteArgument(String(v))).join(' ');
  }
  if (typeof value !== 'string') throw new TypeError(`${keyword}: expected a string, number, boolean or array`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`${keyword}: a value cannot contain a line break or NUL`);
  if (kind === 'rest-of-line' || kind === 'command') {
    if (value.trim() === '') throw new TypeError(`${keyword}: empty value`);
    return value;
  }
  return quoteArgument(value);
}

/** A section of the file: the global part (before the first Match) or one Match block. */
export class SshdSection {
  /** @internal */
  constructor(
    private readonly doc: SshdDocument,
    /** The Match line's node, or null for the global section. */
    private readonly header: SshdNode | null,
    private readonly spec: SshdMatchSpec | string | null,
  ) {}

  /** The Match line's node (null for the global section, or for a Match block that does not exist yet). */
  get node(): SshdNode | null {
    return this.header ?? (this.spec !== null ? this.doc.findMatchNode(this.spec) : null);
  }

  /** Whether the section exists (the global section always does). */
  get exists(): boolean {
    return this.spec === null || this.node !== null;
  }

  /** The section's lines (without the Match line). */
  nodes(): SshdNode[] {
    if (this.spec === null && this.header === null) return this.doc.globalNodes();
    const h = this.node;
    return h ? this.doc.blockNodes(h) : [];
  }

  /** Directive lines of the section, optionally only those for a keyword (case-insensitive, aliases resolved). */
  directives(keyword?: string): { node: SshdNode; directive: SshdDirectiveLine }[] {
    const want = keyword === undefined ? undefined : keyKey(keyword);
    const out: { node: SshdNode; directive: SshdDirectiveLine }[] = [];
    for (const n of this.nodes()) {
      const d = n.directive;
      if (!d || d.info?.kind === 'match') continue;
      if (want === undefined || keyKey(d.keyword) === want) out.push({ node: n, directive: d });
    }
    return out;
  }

  /** The value of the first occurrence of a keyword (what sshd uses for first-wins keywords). */
  get(keyword: string): string | undefined {
    const d = this.directives(keyword)[0];
    return d ? directiveValue(d.directive) : undefined;
  }

  /** The values of every occurrence of a keyword, in file order. */
  getAll(keyword: string): string[] {
    return this.directives(keyword).map((d) => directiveValue(d.directive));
  }

  /** The arguments of the first occurrence (argv_split values). */
  getArgs(keyword: string): string[] | undefined {
    const d = this.directives(keyword)[0];
    return d ? d.directive.args.map((a) => a.value) : undefined;
  }

  /** True when the section sets the keyword. */
  has(keyword: string): boolean {
    return this.directives(keyword).length > 0;
  }

  /**
   * Sets a keyword: rewrites the value of its first occurrence (keeping the keyword's spelling, the
   * indentation, separator and trailing comment) and removes the later occurrences in this section,
   * or adds the directive when it is missing. Returns this section.
   */
  set(keyword: string, value: SshdValue): this {
    checkKeyword(keyword);
    const text = valueText(keyword, value);
    const existing = this.directives(keyword);
    if (existing.length === 0) return this.add(keyword, value);
    const [first, ...rest] = existing;
    this.doc.rewriteValue(first!.node, text);
    for (const r of rest) this.doc.removeNodes(r.node);
    this.doc.touched();
    return this;
  }

  /** Adds a directive after the section's last directive (global: always before the first Match line). */
  add(keyword: string, value: SshdValue): this {
    checkKeyword(keyword);
    const text = valueText(keyword, value);
    const header = this.ensure();
    const nodes = header ? this.doc.blockNodes(header) : this.doc.globalNodes();
    const style = this.doc.style(header);
    const line = new SshdNode(style.render(keyword, text) + this.doc.eol);
    const lastDirective = [...nodes].reverse().find((n) => n.parsed.kind === 'directive');
    const all = this.doc.nodes;
    if (lastDirective) this.doc.insertNodes(all.indexOf(lastDirective) + 1, line);
    else if (header) {
      // Put the first line of an empty block right after its Match line (before trailing blanks/comments).
      this.doc.insertNodes(all.indexOf(header) + 1, line);
    } else {
      const firstMatch = all.find((n) => n.isMatch);
      if (firstMatch) {
        // Before the first Match, but after the comment block that leads into it, if any.
        let at = all.indexOf(firstMatch);
        while (at > 0 && all[at - 1]!.parsed.kind === 'comment') at--;
        this.doc.insertNodes(at, line);
      } else this.doc.insertNodes(all.length, line);
    }
    this.doc.touched();
    return this;
  }

  /** Removes every occurrence of a keyword from this section; returns how many lines went. */
  remove(keyword: string): number {
    const ds = this.directives(keyword);
    for (const d of ds) this.doc.removeNodes(d.node);
    if (ds.length) this.doc.touched();
    return ds.length;
  }

  private ensure(): SshdNode | null {
    if (this.spec === null) return this.header;
    return this.node ?? this.doc.appendMatch(this.spec);
  }
}

function keyKey(keyword: string): string {
  return (lookupKeyword(keyword)?.info.name ?? keyword).toLowerCase();
}

function checkKeyword(keyword: string): void {
  if (typeof keyword !== 'string' || !/^[A-Za-z0-9]+$/.test(keyword)) throw new TypeError(`not a keyword: ${JSON.stringify(keyword)}`);
  if (lookupKeyword(keyword)?.info.kind === 'match') throw new TypeError('use addMatch()/match() for Match blocks');
}

/**
 * The trivia around a directive's value: everything before it, and a trailing comment after it (with at
 * least one blank before the comment) and the line ending. A directive without a value gets the keyword
 * and a separator (`=` when it was written with one, else a space). The comment of a rest-of-line or
 * command keyword is part of its value, so it is not kept. Other trailing blanks are not kept.
 */
function directiveDecor(raw: string, d: SshdDirectiveLine): Decor {
  // A `\r` ending the file's last line (no `\n` after it) is kept as that line's ending.
  const eol = eolOf(raw) || (raw.endsWith('\r') ? '\r' : '');
  const body = raw.slice(0, raw.length - eol.length);
  const kind = d.info?.kind;
  if (d.rest === null || d.rest === '') return { prefix: body.slice(0, d.keywordEnd).replace(/[ \t]*$/, '') + (d.separator.trim() === '=' ? '=' : ' '), suffix: eol };
  const keepComment = kind !== 'rest-of-line' && kind !== 'command' && d.comment !== null;
  let tail = '';
  if (keepComment) {
    const at = body.lastIndexOf(d.comment!);
    const lastArg = d.args[d.args.length - 1];
    const gapStart = lastArg ? lastArg.end : d.restStart;
    tail = body.slice(gapStart, at) + body.slice(at);
    if (!/^[ \t]/.test(tail)) tail = ' ' + tail;
  }
  return { prefix: body.slice(0, d.restStart), suffix: tail + eol };
}

/** How new lines of a section are written. */
interface LineStyle {
  render(keyword: string, value: string): string;
}

/**
 * An sshd_config file.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/sshd';
 * const doc = parse('Port 22\n');
 * doc.get('port'); // '22' (keywords are case-insensitive, as sshd reads them)
 * doc.match({ user: 'alice' }).set('PasswordAuthentication', 'no'); // adds a Match block
 * doc.toString(); // 'Port 22\n\nMatch User alice\n\tPasswordAuthentication no\n'
 * ```
 */
export class SshdDocument extends LineDocument<SshdNode> {
  private readonly bom: boolean;
  private _diagnostics: Diagnostic[] | undefined;

  /** @internal use `parse()` */
  constructor(lines: string[], text: string, file?: string) {
    super({ nodes: lines.map((l) => new SshdNode(l)), eol: dominantEol(text), file });
    this.bom = text.startsWith(BOM);
  }

  /** @internal Inserts lines at an index (the sections' edit). */
  insertNodes(index: number, ...nodes: SshdNode[]): void {
    this.touched();
    return this.splice(index, 0, ...nodes);
  }

  /** @internal Removes one line. */
  removeNodes(node: SshdNode): void {
    this.touched();
    return this.removeNode(node);
  }

  /** @internal Rewrites a directive's value, keeping the trivia around it (the node's decor). */
  rewriteValue(node: SshdNode, value: string): void {
    this.touched();
    return this.setValue(node, value);
  }

  /** @internal Rewrites one line (its ending included). */
  rewriteNode(node: SshdNode, raw: string): void {
    this.touched();
    return this.setRaw(node, raw);
  }

  /** Syntax diagnostics: unbalanced quotes, keywords without a value, lines sshd skips (read from the current text). */
  override get diagnostics(): readonly Diagnostic[] {
    return (this._diagnostics ??= this.syntaxDiagnostics());
  }

  /** @internal */
  touched(): void {
    this._diagnostics = undefined;
  }

  /** The global section (everything before the first Match line). */
  get global(): SshdSection {
    return new SshdSection(this, null, null);
  }

  /** The first value of a keyword in the global section. */
  get(keyword: string): string | undefined {
    return this.global.get(keyword);
  }

  /** The values of every occurrence of a keyword in the global section, in file order. */
  getAll(keyword: string): string[] {
    return this.global.getAll(keyword);
  }

  /** The arguments of the first occurrence in the global section. */
  getArgs(keyword: string): string[] | undefined {
    return this.global.getArgs(keyword);
  }

  /** True when the global section sets the keyword. */
  has(keyword: string): boolean {
    return this.global.has(keyword);
  }

  /** Sets a keyword in the global section (see SshdSection.set). */
  set(keyword: string, value: SshdValue): this {
    this.global.set(keyword, value);
    return this;
  }

  /** Adds a directive to the global section, before the first Match block. */
  add(keyword: string, value: SshdValue): this {
    this.global.add(keyword, value);
    return this;
  }

  /**
   * Rewrites the value of the directive on line `line` (1-based), keeping its keyword's spelling, its
   * indentation, separator and trailing comment: the edit `explain` and `audit` point at.
   */
  setLine(line: number, value: SshdValue): this {
    const node = this.store.nodes[line - 1];
    const d = node?.directive;
    if (!node || !d || d.info?.kind === 'match' || d.info?.kind === 'include') throw new RangeError(`line ${line} holds no directive to set`);
    this.rewriteValue(node, valueText(d.info?.name ?? d.keyword, value));
    return this;
  }

  /** Removes a keyword from the global section; returns how many lines went. */
  remove(keyword: string): number {
    return this.global.remove(keyword);
  }

  /**
   * The Match block with exactly these criteria (in any order): `doc.match({ user: 'alice' })` or
   * `doc.match('User alice')`. Edits on a block that does not exist yet create it at the end.
   */
  match(spec: SshdMatchSpec | string): SshdSection {
    specPairs(spec);
    return new SshdSection(this, null, spec);
  }

  /** Every Match block, in file order. */
  matches(): SshdSection[] {
    return this.store.nodes.filter((n) => n.isMatch).map((n) => new SshdSection(this, n, null));
  }

  /** Appends a new Match block at the end of the file and returns it. */
  addMatch(spec: SshdMatchSpec | string): SshdSection {
    const node = this.appendMatch(spec);
    return new SshdSection(this, node, null);
  }

  /** Removes the first Match block with these criteria (its Match line and body); returns whether one existed. */
  removeMatch(spec: SshdMatchSpec | string): boolean {
    const h = this.findMatchNode(spec);
    if (!h) return false;
    const body = this.blockNodes(h);
    // Trailing blank/comment lines of the block stay: they usually introduce what follows.
    let last = body.length - 1;
    while (last >= 0 && body[last]!.parsed.kind !== 'directive') last--;
    const from = this.store.indexOf(h);
    this.splice(from, this.store.indexOf(last >= 0 ? body[last]! : h) - from + 1);
    this.touched();
    return true;
  }

  /** @internal */
  findMatchNode(spec: SshdMatchSpec | string): SshdNode | null {
    const want = specPairs(spec);
    for (const n of this.store.nodes) {
      if (!n.isMatch) continue;
      const have = matchCriteria(n.directive!).map((c) => [c.criterion, c.patterns] as [string, string | null]);
      if (samePairs(have, want)) return n;
    }
    return null;
  }

  /** @internal */
  appendMatch(spec: SshdMatchSpec | string): SshdNode {
    const text = matchLineText(spec);
    const existing = this.store.nodes.filter((n) => n.isMatch);
    const indent = mostCommon(existing.map((n) => n.directive!.indent), '');
    const kw = existing[0]?.directive?.keyword ?? 'Match';
    const sep = mostCommon(existing.map((n) => n.directive!.separator), ' ');
    const nodes: SshdNode[] = [];
    const last = this.store.nodes[this.store.length - 1];
    if (last && last.parsed.kind !== 'blank') nodes.push(new SshdNode(this.eol));
    const header = new SshdNode(indent + kw + sep + text + this.eol);
    nodes.push(header);
    this.insertAt(this.store.length, ...nodes);
    this.touched();
    return header;
  }

  /** @internal Lines before the first Match line. */
  globalNodes(): SshdNode[] {
    const out: SshdNode[] = [];
    for (const n of this.store.nodes) {
      if (n.isMatch) break;
      out.push(n);
    }
    return out;
  }

  /** @internal Lines after a Match line up to the next one. */
  blockNodes(header: SshdNode): SshdNode[] {
    const nodes = this.store.nodes;
    const out: SshdNode[] = [];
    for (let i = this.store.indexOf(header) + 1; i < nodes.length && !nodes[i]!.isMatch; i++) out.push(nodes[i]!);
    return out;
  }

  /** @internal The style new lines of a section are written in. */
  style(header: SshdNode | null): LineStyle {
    const all = this.store.nodes.map((n) => n.directive).filter((d): d is SshdDirectiveLine => !!d && d.info?.kind !== 'match');
    const section = (header ? this.blockNodes(header) : this.globalNodes())
      .map((n) => n.directive)
      .filter((d): d is SshdDirectiveLine => !!d);
    const seps = all.filter((d) => d.rest).map((d) => normaliseSep(d.separator));
    const sep = mostCommon(seps, ' ');
    let indent: string;
    if (header) {
      // The global lines once: asking for them per line made one add to a Match block quadratic in the file.
      const global = new Set(this.globalNodes());
      const bodies = this.store.nodes
        .filter((n) => !n.isMatch && n.directive && !global.has(n))
        .map((n) => n.directive!.indent);
      indent = section.length ? mostCommon(section.map((d) => d.indent), '') : mostCommon(bodies, '\t');
    } else indent = mostCommon(section.map((d) => d.indent), '');
    const cols = section.filter((d) => d.rest && /^[ \t]+$/.test(d.separator) && !d.separator.includes('\t')).map((d) => d.restStart - d.indent.length);
    const col = sep === ' ' ? alignedColumn(cols) : undefined;
    return {
      render: (keyword, value) => {
        if (col !== undefined && col > keyword.length + 1) return indent + padTo(keyword, col) + value;
        return indent + keyword + sep + value;
      },
    };
  }

  /** The typed model (see SshdModel). */
  toJSON(): SshdModel {
    const text = this.toString();
    const global: SshdEntry[] = [];
    const matches: SshdMatch[] = [];
    const includes: string[] = [];
    let line = 1;
    for (const n of this.store.nodes) {
      const entry = toEntry(n, line);
      line += n.raw.endsWith('\n') ? 1 : 0;
      if (entry.type === 'match') {
        matches.push(entry);
        continue;
      }
      if (entry.type === 'directive' && entry.canonical === 'Include') includes.push(...entry.args.map((a) => a.value));
      const current = matches[matches.length - 1];
      (current ? current.body : global).push(entry);
    }
    return {
      format: 'sshd',
      ...(this.file !== undefined ? { file: this.file } : {}),
      eol: eolStyle(text),
      bom: this.bom,
      finalNewline: text.length === 0 || text.endsWith('\n'),
      global,
      matches,
      includes,
    };
  }

  private syntaxDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    let line = 1;
    const file = this.file;
    for (const n of this.store.nodes) {
      const p = n.parsed;
      const at = (start: number, end: number) => ({ line, column: start + 1, endLine: line, endColumn: end + 1 });
      if (n.raw.includes('\0')) {
        const i = n.raw.indexOf('\0');
        out.push(diagnostic('sshd/nul-byte', 'error', 'NUL byte: sshd drops the rest of the line and joins the next line to it', at(i, i + 1), file));
      }
      if (p.kind === 'ignored') {
        const len = n.raw.replace(/\r?\n$/, '').length;
        out.push(diagnostic('sshd/ignored-line', 'warning', 'unterminated quote in the keyword: sshd ignores this line', at(0, len), file));
      } else if (p.kind === 'directive') {
        if (p.rest === null || p.rest === '') {
          out.push(diagnostic('sshd/missing-argument', 'error', `no argument after keyword "${p.keyword}"`, at(p.keywordStart, p.keywordEnd), file));
        } else if (p.invalidQuotes) {
          const bad = p.args.find((a) => a.quoted && isUnterminated(a.raw)) ?? p.args[p.args.length - 1]!;
          out.push(diagnostic('sshd/invalid-quotes', 'error', 'invalid quotes: a quote is not closed', at(bad?.start ?? p.restStart, bad?.end ?? p.restStart), file));
        }
      }
      line += n.raw.endsWith('\n') ? 1 : 0;
    }
    return out;
  }
}

function isUnterminated(raw: string): boolean {
  let q = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && (raw[i + 1] === '"' || raw[i + 1] === "'" || raw[i + 1] === '\\' || (q === '' && raw[i + 1] === ' '))) i++;
    else if (q === '' && (c === '"' || c === "'")) q = c;
    else if (q !== '' && c === q) q = '';
  }
  return q !== '';
}

function normaliseSep(sep: string): string {
  if (sep.includes('=')) return sep.replace(/^[ \t]+/, (m) => (m ? ' ' : '')).replace(/=[ \t]+$/, (m) => (m.length > 1 ? '= ' : '='));
  return sep.includes('\t') ? '\t' : ' ';
}


function toEntry(n: SshdNode, line: number): SshdEntry | SshdMatch {
  const p = n.parsed;
  const text = n.raw.replace(/\r?\n$/, '');
  if (p.kind === 'blank') return { type: 'blank', line, text };
  if (p.kind === 'comment') return { type: 'comment', line, text };
  if (p.kind === 'ignored' || n.raw.includes('\0')) return { type: 'unknown', line, text };
  const args: SshdArgument[] = p.args.map((a) => ({ value: a.value, raw: a.raw, quoted: a.quoted, column: a.column }));
  if (p.info?.kind === 'match') {
    return {
      type: 'match',
      line,
      indent: p.indent,
      keyword: p.keyword,
      separator: p.separator,
      value: p.rest ?? '',
      criteria: matchCriteria(p),
      comment: p.comment,
      body: [],
    };
  }
  const raw = p.info?.kind === 'rest-of-line' || p.info?.kind === 'command';
  const d: SshdDirective = {
    type: 'directive',
    line,
    indent: p.indent,
    keyword: p.keyword,
    canonical: p.info?.name ?? null,
    separator: p.separator,
    args,
    value: p.rest ?? '',
    comment: raw ? null : p.comment,
  };
  return d;
}

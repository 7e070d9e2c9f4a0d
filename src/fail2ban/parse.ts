/**
 * fail2ban INI → lines, sections and options, exactly as Python 3.11's configparser reads a file for
 * fail2ban (`RawConfigParser._read` with fail2ban's settings; see grammars/fail2ban.peggy for the
 * line syntax). The scanner here is the fast path; test/fail2ban/grammar.test.ts shows that it
 * agrees with the grammar.
 */
import { diagnostic, type CodeName, type Diagnostic } from '../core/diagnostics.js';
import { splitRaw } from '../core/document.js';
import { firstNonSpace, isSpace, pyLower, pyRstrip, pyStrip, spaceCode } from './pytext.js';

import type { IniLine } from './line.js';

export type { IniLine, LineKind } from './line.js';

/** An option: its key line and the lines of its value. */
export interface IniEntry {
  /** Lower-cased key, as fail2ban looks it up. */
  key: string;
  /** The section it belongs to (`DEFAULT` for the defaults). */
  section: string;
  /** Index of the key line in `lines`. */
  first: number;
  /** Index of the last line of its value (the key line when it has no continuation). */
  last: number;
  /** The value's lines as configparser collects them: the key line's value, then continuations and blank lines. */
  parts: string[];
  /** Line index of each part. */
  partLines: number[];
  /** The value: parts joined with `\n`, trailing whitespace removed. */
  value: string;
}

/** A section of a parsed fail2ban file: its name, its header and last line, and its entries. */
export interface IniSection {
  name: string;
  /** Index of the header line. */
  header: number;
  /** Index of the section's last line (before the next header). */
  last: number;
  entries: IniEntry[];
}

/** A fail2ban file as configparser reads it: its lines, sections and diagnostics. */
export interface ParsedIni {
  lines: IniLine[];
  sections: IniSection[];
  diagnostics: Diagnostic[];
  /** configparser would raise for this file (fail2ban-client then fails as a whole). */
  fatal: boolean;
}

/** Splits text as Python's universal-newline reading does; each piece keeps its ending. */
export function splitPythonLines(text: string): string[] {
  return splitRaw(text, 'universal');
}

export function stripLineEnding(raw: string): string {
  if (raw.endsWith('\r\n')) return raw.slice(0, -2);
  if (raw.endsWith('\n') || raw.endsWith('\r')) return raw.slice(0, -1);
  return raw;
}

/** Where the inline comment of a line starts: the first `;` at column 0 or after whitespace. */
function inlineComment(content: string): number | null {
  for (let i = content.indexOf(';'); i >= 0; i = content.indexOf(';', i + 1)) {
    if (i === 0 || isSpace(content[i - 1])) return i;
  }
  return null;
}

/** One line, out of context: blank, comment or text (with its value before any inline comment). */
export function scanLine(content: string): { kind: 'blank' | 'comment' | 'text'; indent: number; value: string; commentStart: number | null; valueStart: number } {
  const indent = firstNonSpace(content);
  if (indent < 0) return { kind: 'blank', indent: -1, value: '', commentStart: null, valueStart: 0 };
  const c = content[indent];
  if (c === '#' || c === ';') return { kind: 'comment', indent, value: '', commentStart: 0, valueStart: indent };
  const cs = inlineComment(content);
  const value = pyStrip(cs === null ? content : content.slice(0, cs));
  return { kind: 'text', indent, value, commentStart: cs, valueStart: indent };
}

/** SECTCRE: `\[(?P<header>.+)\]` matched at the start of the stripped value (greedy). */
export function matchHeader(value: string): string | undefined {
  if (value[0] !== '[') return undefined;
  const close = value.lastIndexOf(']');
  if (close < 2) return undefined;
  return value.slice(1, close);
}

/** OPTCRE: split at the first `=` or `:`; undefined when there is none. */
export function matchOption(value: string): { key: string; value: string; keyEnd: number; valueStart: number } | undefined {
  const eq = value.indexOf('=');
  const colon = value.indexOf(':');
  const d = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  if (d < 0) return undefined;
  const key = pyRstrip(value.slice(0, d));
  const after = value.slice(d + 1);
  const v = pyStrip(after);
  const valueStart = v === '' ? value.length : d + 1 + (after.length - after.replace(/^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u, '').length);
  return { key, value: v, keyEnd: key.length, valueStart };
}

/**
 * The diagnostics that depend on the whole file rather than on one section: a `[name]` header that
 * repeats an earlier one (not `DEFAULT`), and an option set twice in sections of one name. Lines are
 * 0-based, columns 0-based offsets in the line.
 */
export const FILE_WIDE_CODES: ReadonlySet<string> = new Set(['fail2ban/duplicate-section', 'fail2ban/duplicate-option']);

export function duplicateSectionDiagnostic(name: string, line: number, indent: number, file?: string): Diagnostic {
  return diagnostic(
    'fail2ban/duplicate-section',
    'error',
    `section [${name}] appears twice in this file (configparser raises DuplicateSectionError)`,
    { line: line + 1, column: indent + 1, endColumn: indent + name.length + 3 },
    file,
  );
}

export function duplicateOptionDiagnostic(section: string, key: string, line: number, keyStart: number, keyEnd: number, file?: string): Diagnostic {
  return diagnostic(
    'fail2ban/duplicate-option',
    'error',
    `option '${key}' appears twice in [${section}] of this file (configparser raises DuplicateOptionError)`,
    { line: line + 1, column: keyStart + 1, endColumn: keyEnd + 1 },
    file,
  );
}

/** Options of reading a fail2ban file. */
export interface ParseOptions {
  file?: string;
}

/** Parses one file. Never throws; what configparser would reject becomes an error diagnostic. */
export function parseIni(text: string, options: ParseOptions = {}): ParsedIni {
  if (typeof text !== 'string') throw new TypeError(`expected the file's text as a string, got ${typeof text}`);
  const file = options.file;
  const raws = splitPythonLines(text);
  const lines: IniLine[] = [];
  const sections: IniSection[] = [];
  const diagnostics: Diagnostic[] = [];
  let fatal = false;
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  let cursect: IniSection | undefined;
  let entry: IniEntry | undefined;
  let indentLevel = 0;
  const err = (code: CodeName<'fail2ban'>, message: string, line: number, col: number, endCol: number, isFatal = true) => {
    diagnostics.push(diagnostic(`fail2ban/${code}`, 'error', message, { line: line + 1, column: col + 1, endColumn: endCol + 1 }, file));
    if (isFatal) fatal = true;
  };

  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    const content = stripLineEnding(raw);
    const s = scanLine(content);
    const line: IniLine = { raw, kind: 'blank', content, indent: s.indent, commentStart: s.commentStart };
    lines.push(line);
    if (cursect) cursect.last = i;
    if (s.kind !== 'text' || s.value === '') {
      line.kind = s.kind === 'blank' ? 'blank' : 'comment';
      if (s.kind === 'text') line.kind = 'comment'; // only an inline-style comment after blanks
      if (line.kind === 'blank' && cursect && entry && entry.key !== '') {
        entry.parts.push('');
        entry.partLines.push(i);
      }
      continue;
    }
    const cur = s.indent;
    if (cursect && entry && entry.key !== '' && cur > indentLevel) {
      line.kind = 'continuation';
      line.value = s.value;
      line.valueStart = cur;
      line.valueEnd = cur + s.value.length;
      entry.parts.push(s.value);
      entry.partLines.push(i);
      entry.last = i;
      continue;
    }
    indentLevel = cur;
    const header = matchHeader(s.value);
    if (header !== undefined) {
      line.kind = 'header';
      line.value = header;
      line.valueStart = cur + 1;
      line.valueEnd = cur + 1 + header.length;
      entry = undefined;
      if (header !== 'DEFAULT' && seenSections.has(header)) {
        diagnostics.push(duplicateSectionDiagnostic(header, i, cur, file));
        fatal = true;
      }
      if (header !== 'DEFAULT') seenSections.add(header);
      if (cursect) cursect.last = i - 1; // the header ends the section before it
      cursect = { name: header, header: i, last: i, entries: [] };
      sections.push(cursect);
      continue;
    }
    if (!cursect) {
      line.kind = 'unknown';
      const bom = i === 0 && content.startsWith('\uFEFF');
      err(
        'missing-section-header',
        bom
          ? 'the file starts with a byte-order mark: fail2ban reads UTF-8 without BOM handling, so the first header is not recognised'
          : 'text before the first [section] header (configparser raises MissingSectionHeaderError)',
        i,
        cur,
        cur + s.value.length,
      );
      continue;
    }
    const opt = matchOption(s.value);
    if (!opt) {
      line.kind = 'unknown';
      err('missing-delimiter', `'${s.value}' is neither an option (key = value) nor a section header`, i, cur, cur + s.value.length);
      continue;
    }
    line.kind = 'option';
    line.rawKey = opt.key;
    line.keyStart = cur;
    line.keyEnd = cur + opt.keyEnd;
    line.valueStart = cur + opt.valueStart;
    line.valueEnd = cur + opt.valueStart + opt.value.length;
    line.value = opt.value;
    const key = pyLower(opt.key);
    if (key === '') err('empty-key', 'an option line without a key', i, cur, cur + 1);
    const k = `${cursect.name}\u0000${key}`;
    if (seenOptions.has(k)) {
      diagnostics.push(duplicateOptionDiagnostic(cursect.name, key, i, cur, cur + opt.keyEnd, file));
      fatal = true;
    }
    seenOptions.add(k);
    entry = { key, section: cursect.name, first: i, last: i, parts: [opt.value], partLines: [i], value: '' };
    cursect.entries.push(entry);
  }
  for (const sec of sections) for (const e of sec.entries) e.value = pyRstrip(e.parts.join('\n'));
  return { lines, sections, diagnostics, fatal };
}

/** One option as configparser holds it after reading a file: its joined value and where it was written. */
export interface RawOption {
  value: string;
  file?: string;
  /** 1-based line of the key. */
  line: number;
  /** 1-based line of the value's last line. */
  endLine: number;
}

/** What `ConfigParser.read()` leaves for one file: DEFAULT and the other sections, in file order. */
export interface IniContent {
  defaults: Map<string, RawOption>;
  sections: Map<string, Map<string, RawOption>>;
}

/** The file's content as configparser holds it (later duplicates win, as they would if it had not raised). */
export function iniContent(parsed: ParsedIni, file?: string): IniContent {
  const defaults = new Map<string, RawOption>();
  const sections = new Map<string, Map<string, RawOption>>();
  for (const sec of parsed.sections) {
    let target: Map<string, RawOption>;
    if (sec.name === 'DEFAULT') target = defaults;
    else {
      target = sections.get(sec.name) ?? new Map();
      sections.set(sec.name, target);
    }
    for (const e of sec.entries) {
      const opt: RawOption = { value: e.value, line: e.first + 1, endLine: e.last + 1 };
      if (file !== undefined) opt.file = file;
      target.set(e.key, opt);
    }
  }
  return { defaults, sections };
}

/**
 * `iniContent(parseIni(text), file)` without building the lossless line model: the fast path of a
 * resolution, which reads every file but needs only its options. Gives undefined for any file the
 * full parser would report something about (and for `\r` line endings), so callers fall back to
 * parseIni and get its diagnostics; test/fail2ban/ini.test.ts checks that both agree.
 */
export function fastIniContent(text: string, file?: string): IniContent | undefined {
  if (text.includes('\r')) return undefined;
  const defaults = new Map<string, RawOption>();
  const sections = new Map<string, Map<string, RawOption>>();
  const seenSections = new Set<string>();
  let target: Map<string, RawOption> | undefined;
  let inSection = false;
  /** Keys already set in the current header's section (per header, as configparser's duplicate check). */
  let seenKeys = new Set<string>();
  const sectionKeys = new Map<string, Set<string>>();
  let parts: string[] | undefined;
  let opt: RawOption | undefined;
  let indentLevel = 0;
  let lineNo = 0;
  const n = text.length;
  const finish = () => {
    if (opt && parts) opt.value = pyRstrip(parts.length === 1 ? parts[0]! : parts.join('\n'));
  };
  for (let start = 0; start < n; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    let a = start;
    while (a < end && spaceCodeAt(text, a)) a++;
    const lineStart = start;
    start = end + 1;
    if (a === end) {
      if (parts) parts.push('');
      continue;
    }
    const c = text.charCodeAt(a);
    if (c === 35 /* # */ || c === 59 /* ; */) continue;
    // Inline comment: the first `;` after whitespace.
    let b = end;
    for (let i = text.indexOf(';', a); i >= 0 && i < end; i = text.indexOf(';', i + 1)) {
      if (spaceCodeAt(text, i - 1)) {
        b = i;
        break;
      }
    }
    while (b > a && spaceCodeAt(text, b - 1)) b--;
    if (b === a) continue;
    const cur = a - lineStart;
    if (parts && cur > indentLevel) {
      parts.push(text.slice(a, b));
      opt!.endLine = lineNo;
      continue;
    }
    indentLevel = cur;
    if (c === 91 /* [ */) {
      const close = text.lastIndexOf(']', b - 1);
      if (close >= a + 2) {
        finish();
        parts = undefined;
        opt = undefined;
        const header = text.slice(a + 1, close);
        if (header !== 'DEFAULT') {
          if (seenSections.has(header)) return undefined;
          seenSections.add(header);
        }
        inSection = true;
        if (header === 'DEFAULT') target = defaults;
        else {
          target = sections.get(header);
          if (!target) sections.set(header, (target = new Map()));
        }
        seenKeys = sectionKeys.get(header) ?? new Set();
        sectionKeys.set(header, seenKeys);
        continue;
      }
    }
    if (!inSection) return undefined;
    let d = -1;
    for (let i = a; i < b; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 61 /* = */ || ch === 58 /* : */) {
        d = i;
        break;
      }
    }
    if (d < 0) return undefined;
    let ke = d;
    while (ke > a && spaceCodeAt(text, ke - 1)) ke--;
    if (ke === a) return undefined;
    finish();
    const key = pyLower(text.slice(a, ke));
    if (seenKeys.has(key)) return undefined;
    seenKeys.add(key);
    let vs = d + 1;
    while (vs < b && spaceCodeAt(text, vs)) vs++;
    parts = [text.slice(vs, b)];
    opt = { value: '', line: lineNo, endLine: lineNo };
    if (file !== undefined) opt.file = file;
    target!.set(key, opt);
  }
  finish();
  return { defaults, sections };
}

function spaceCodeAt(s: string, i: number): boolean {
  return spaceCode(s.charCodeAt(i));
}

/**
 * Reads the lines of one file the way xinetd's parse_conf_file() does (parse.c, parsesup.c): which
 * lines are entries, braces, attributes, and which ones xinetd rejects or skips. The grammar
 * (grammars/xinetd.peggy) gives the syntax of each line, read lazily by `XinetdLine` (line.ts); this
 * walk gives it its place.
 */
import type { Word } from './model.js';
import { stripCr, type XinetdLine } from './line.js';
import type { XinetdCode } from './codes.js';

export { stripCr, XinetdLine } from './line.js';
/** A word of a line: its text and its offsets in the line's content. */
export type { AttributeSyntax, LineClass, Word } from './model.js';

/** What a line is, in xinetd's reading. */
export type Role =
  | 'blank'
  | 'comment'
  /** `service NAME` or `defaults` */
  | 'entry'
  | 'open'
  | 'close'
  | 'attribute'
  /** `include FILE` or `includedir DIR` */
  | 'include'
  /** A line xinetd rejects. */
  | 'unknown'
  /** A line xinetd never reads as anything: skipped after an error up to the next `}` line. */
  | 'skipped';

/** A service or defaults entry as xinetd reads it: its name, lines and attributes, or why xinetd drops it. */
export interface Entry {
  kind: 'service' | 'defaults';
  /** The service name ('' for defaults). */
  name: string;
  /** Line indexes (0-based). */
  header: number;
  open?: number;
  close?: number;
  /** Attribute lines, in order. */
  attributes: number[];
  /** Last line index that belongs to the entry. */
  end: number;
  /** Why xinetd drops the whole entry while reading it. */
  dropped?: string;
  /** A second `defaults` in one file: ignored. */
  ignored?: boolean;
}

export interface IncludeEntry {
  kind: 'include' | 'includedir';
  path: string;
  line: number;
}

export interface SyntaxProblem {
  /** 0-based line index; start/end are offsets in the line's content. */
  line: number;
  start: number;
  end: number;
  code: XinetdCode;
  severity: 'error' | 'warning';
  message: string;
}

export interface Reading {
  roles: Role[];
  entries: Entry[];
  includes: IncludeEntry[];
  problems: SyntaxProblem[];
}

/** Walks the lines the way parse_conf_file(), find_next_entry(), parse_entry() and skip_entry() do. */
export function read(lines: readonly XinetdLine[]): Reading {
  const roles: Role[] = lines.map((l) => (l.lineClass === 'blank' ? 'blank' : l.lineClass === 'comment' ? 'comment' : 'unknown'));
  const entries: Entry[] = [];
  const includes: IncludeEntry[] = [];
  const problems: SyntaxProblem[] = [];
  let i = 0;
  let foundDefaults = false;

  const problem = (line: number, start: number, end: number, code: XinetdCode, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push({ line, start, end, code, severity, message });
  const whole = (line: number) => {
    const c = lines[line]!.content;
    const s = c.length - c.trimStart().length;
    return [s, Math.max(s, c.trimEnd().length)] as const;
  };

  /** next_line(): the next line that is neither blank nor a comment, or -1 at the end of the file. */
  const nextLine = (): number => {
    while (i < lines.length) {
      const c = lines[i]!.lineClass;
      if (c !== 'blank' && c !== 'comment') return i++;
      i++;
    }
    return -1;
  };

  /** skip_entry(): every line up to and including the next one holding only `}`. */
  const skipEntry = (entry: Entry | undefined, from: number): void => {
    for (;;) {
      const k = nextLine();
      if (k < 0) {
        const at = Math.max(0, lines.length - 1);
        problem(at, 0, lines[at]?.content.length ?? 0, 'xinetd/missing-close', `missing } in last service entry (from line ${from + 1})`, 'warning');
        return;
      }
      if (entry) entry.end = k;
      if (lines[k]!.lineClass === 'close') {
        roles[k] = 'close';
        if (entry) entry.close = k;
        return;
      }
      roles[k] = 'skipped';
    }
  };

  for (;;) {
    const j = nextLine();
    if (j < 0) break;
    const words = lines[j]!.words;
    const first = words[0]!;
    const kw = first.text.toLowerCase();
    if (kw === 'service' || kw === 'include' || kw === 'includedir') {
      const second = words[1];
      if (!second) {
        problem(j, first.start, first.end, 'xinetd/missing-name', `${kw} name missing (xinetd skips to the next line holding only "}")`);
        skipEntry(undefined, j);
        continue;
      }
      if (kw !== 'service') {
        roles[j] = 'include';
        includes.push({ kind: kw, path: stripCr(second.text), line: j });
        continue;
      }
    } else if (kw !== 'defaults') {
      problem(j, ...whole(j), 'xinetd/not-an-entry', `expected "service NAME", "defaults", "include FILE" or "includedir DIR" (xinetd says "missing service keyword" and skips to the next line holding only "}")`);
      skipEntry(undefined, j);
      continue;
    }
    roles[j] = 'entry';
    const entry: Entry = { kind: kw === 'service' ? 'service' : 'defaults', name: kw === 'service' ? stripCr(words[1]!.text) : '', header: j, attributes: [], end: j };
    entries.push(entry);
    const k = nextLine();
    if (k < 0 || lines[k]!.lineClass !== 'open') {
      const what = entry.kind === 'service' ? `Service ${entry.name}` : 'defaults';
      const sameLine = words.slice(1).find((w) => stripCr(w.text) === '{');
      if (sameLine) problem(j, sameLine.start, sameLine.start + 1, 'xinetd/missing-open', `${what}: missing '{': the '{' must be alone on the next line, not on the "${kw}" line`);
      else if (k < 0) problem(j, ...whole(j), 'xinetd/missing-open', `${what}: missing '{' (the file ends)`);
      else {
        const c = lines[k]!.content;
        const brace = c.indexOf('{');
        problem(k, ...(brace >= 0 && lines[k]!.lineClass === 'text' ? [brace, brace + 1] as const : whole(k)), 'xinetd/missing-open',
          brace >= 0
            ? `${what}: missing '{': the '{' must be alone on the line after "${entry.kind === 'service' ? 'service ' + entry.name : 'defaults'}"`
            : `${what}: missing '{' (xinetd drops the entry and skips to the next line holding only "}")`);
        entry.end = k;
      }
      entry.dropped = "missing '{'";
      skipEntry(entry, j);
      continue;
    }
    roles[k] = 'open';
    entry.open = k;
    entry.end = k;
    if (entry.kind === 'defaults' && foundDefaults) {
      problem(j, ...whole(j), 'xinetd/duplicate-defaults', 'only 1 defaults entry is allowed. This entry will be ignored', 'warning');
      entry.ignored = true;
      skipEntry(entry, j);
      continue;
    }
    let ok = true;
    for (;;) {
      const m = nextLine();
      if (m < 0) {
        const last = lines.length - 1;
        problem(last, 0, lines[last]!.content.length, 'xinetd/incomplete-entry', `incomplete entry: the file ends before a line holding only "}" closes ${entry.kind === 'service' ? 'service ' + entry.name : 'defaults'} (line ${j + 1})`);
        entry.dropped = 'incomplete entry';
        ok = false;
        break;
      }
      entry.end = m;
      const line = lines[m]!;
      if (line.lineClass === 'close') {
        roles[m] = 'close';
        entry.close = m;
        break;
      }
      const a = line.attribute;
      if (a.type === 'error') {
        ok = false;
        const name = a.name.text;
        if (a.error === 'needs-space') problem(m, a.name.end, a.name.end + 1, 'xinetd/needs-space', `Attribute ${name} needs a space before operator`);
        else if (a.error === 'nothing-after') problem(m, a.name.start, a.name.end, 'xinetd/missing-operator', `Nothing after attribute: ${name} (expected "${name} = VALUE")`);
        else problem(m, a.opStart!, a.opStart! + 1, 'xinetd/bad-operator', `Bad operator for attribute: ${name} (expected =, += or -=)`);
        entry.dropped = `syntax error on line ${m + 1}`;
        if (entry.kind === 'service') skipEntry(entry, j);
        // In defaults, xinetd returns to the top level without skipping: the next lines are read as entries.
        break;
      }
      roles[m] = 'attribute';
      entry.attributes.push(m);
    }
    if (entry.kind === 'defaults' && ok) foundDefaults = true;
  }
  return { roles, entries, includes, problems };
}

/** The words of an attribute line as the model keeps them: the last one without a CRLF's CR. */
export function modelValues(values: readonly Word[]): string[] {
  const out = values.map((w) => w.text);
  if (out.length > 0) {
    const last = stripCr(out[out.length - 1]!);
    if (last === '') out.pop();
    else out[out.length - 1] = last;
  }
  return out;
}

/**
 * ufw application profiles (format `ufw-app`): the files of /etc/ufw/applications.d, which ufw
 * reads with Python's RawConfigParser (applications.get_profiles): `[Name]` sections, `key=value`
 * or `key: value` lines, `#` / `;` comments, indented continuation lines. A file configparser
 * cannot read (a line before the first section, a repeated section or key) is skipped whole.
 */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { ParseOptions } from '../core/format.js';
import { SET_RAW, type RawNode, type RawWriteHook } from '../core/lines.js';
import type { Decor, Decorated } from '../core/decor.js';
import { BOM, SourceText, stripEol } from '../core/text.js';
import type { UfwAppCode } from './codes.js';

export type AppLineKind = 'blank' | 'comment' | 'section' | 'entry' | 'continuation' | 'unknown';

/** An entry line: the key and separator before its value, the value, the blanks after it (the line ending aside). */
const ENTRY = /^([^=:]*?)(\s*[=:]\s*)(.*?)(\s*)$/s;

export class AppNode implements RawNode, RawWriteHook, Decorated {
  private _raw: string;
  readonly kind: AppLineKind;
  /** The section of a section line, or the one an entry sits in. */
  readonly section: string | undefined;
  private _value: string | undefined;
  readonly key: string | undefined;

  constructor(raw: string, kind: AppLineKind, section?: string, key?: string, value?: string) {
    this._raw = raw;
    this.kind = kind;
    this.section = section;
    this.key = key;
    this._value = value;
  }

  get raw(): string {
    return this._raw;
  }

  get value(): string | undefined {
    return this._value;
  }

  /** Core's write of the raw text (a value edit): an entry reads its value again. */
  [SET_RAW](raw: string): void {
    this._raw = raw;
    if (this.kind === 'entry') this._value = ENTRY.exec(stripEol(raw.startsWith(BOM) ? raw.slice(1) : raw))?.[3];
  }

  /** An entry's trivia: the key and separator (and a BOM) before the value, the blanks and line ending after it. */
  decor(): Decor | undefined {
    if (this.kind !== 'entry') return undefined;
    const body = stripEol(this._raw);
    const m = ENTRY.exec(body);
    if (!m) return undefined;
    return { prefix: m[1]! + m[2]!, suffix: m[4]! + this._raw.slice(body.length) };
  }
}

/** A profile of an applications.d file as read: its name and line, title, description and ports. */
export interface UfwAppFileProfile {
  name: string;
  line: number;
  title: string | null;
  description: string | null;
  /** `ports=` split at `|`. */
  ports: string[];
}

/** An applications.d file as plain data (what `fwconf parse` prints). */
export interface UfwAppModel {
  format: 'ufw-app';
  profiles: UfwAppFileProfile[];
}

export class UfwAppDocument extends LineDocument<AppNode> {
  /** @internal use `parseApp()`. */
  constructor(nodes: AppNode[], file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, file, diagnostics });
  }

  /** The file's profiles, in order. */
  profiles(): UfwAppFileProfile[] {
    const lines = this.lineMap();
    const out: UfwAppFileProfile[] = [];
    let cur: UfwAppFileProfile | undefined;
    for (const n of this.nodes) {
      if (n.kind === 'section') {
        cur = { name: n.section!, line: lines.get(n)!, title: null, description: null, ports: [] };
        out.push(cur);
      } else if (n.kind === 'entry' && cur) {
        const k = n.key!.toLowerCase();
        if (k === 'title') cur.title = n.value!;
        else if (k === 'description') cur.description = n.value!;
        else if (k === 'ports') cur.ports = n.value!.split('|').filter((p) => p !== '');
      }
    }
    return out;
  }

  /**
   * Sets a profile's key (`ports`, `title`, `description`): the value of its line is replaced (the key's
   * spelling, the separator and the spacing kept), or a `key=value` line added at the end of the section.
   */
  set(profile: string, key: string, value: string): void {
    if (/[\r\n]/.test(value) || !/^[\w-]+$/.test(key)) throw new RangeError('a key is a word and a value one line');
    const nodes = this.nodes;
    const start = nodes.findIndex((n) => n.kind === 'section' && n.section === profile);
    if (start < 0) throw new RangeError(`no profile [${profile}] in this file`);
    let end = start + 1;
    while (end < nodes.length && nodes[end]!.kind !== 'section') end++;
    const line = `${key}=${value}${this.eol}`;
    for (let i = start + 1; i < end; i++) {
      const n = nodes[i]!;
      if (n.kind === 'entry' && n.key!.toLowerCase() === key.toLowerCase()) {
        this.setValue(n, value);
        return;
      }
    }
    let at = end;
    while (at > start + 1 && nodes[at - 1]!.kind === 'blank') at--;
    this.splice(at, 0, new AppNode(line, 'entry', profile, key, value));
  }

  toJSON(): UfwAppModel {
    return { format: 'ufw-app', profiles: this.profiles() };
  }
}

/** Parses an applications.d file. Never throws on bad input; `doc.toString() === text`. */
export function parseApp(text: string, options: ParseOptions = {}): UfwAppDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-app: expected the text as a string, got ${typeof text}`);
  const source = new SourceText(text, options.file);
  const nodes: AppNode[] = [];
  const diagnostics: Diagnostic[] = [];
  let section: string | undefined;
  const sections = new Set<string>();
  let keys = new Set<string>();
  let lastEntry = false;
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const raw = text.slice(l.start, l.next);
    const content = stripEol(text.slice(l.start + bom, l.next));
    const err = (code: UfwAppCode, message: string, severity: 'error' | 'warning' = 'error') =>
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, code, severity, message));
    const t = content.trim();
    let node: AppNode;
    if (t === '') {
      node = new AppNode(raw, 'blank');
    } else if (/^[#;]/.test(t)) {
      node = new AppNode(raw, 'comment');
    } else if (/^\s/.test(content) && lastEntry) {
      node = new AppNode(raw, 'continuation', section);
    } else if (/^\[[^\]]+\]/.test(content)) {
      section = /^\[([^\]]+)\]/.exec(content)![1]!;
      if (sections.has(section)) err('ufw-app/duplicate', `profile [${section}] is defined twice in this file: ufw skips the whole file`);
      sections.add(section);
      keys = new Set();
      node = new AppNode(raw, 'section', section);
    } else if (/^[^=:\s][^=:]*[=:]/.test(content) && section !== undefined) {
      const m = /^([^=:]*?)\s*[=:]\s*(.*?)\s*$/s.exec(content)!;
      const key = m[1]!.toLowerCase();
      if (keys.has(key)) err('ufw-app/duplicate', `'${m[1]}' is set twice in [${section}]: ufw skips the whole file`);
      keys.add(key);
      node = new AppNode(raw, 'entry', section, m[1]!, m[2]!);
    } else {
      node = new AppNode(raw, 'unknown', section);
      err('ufw-app/unknown-line', section === undefined ? 'a line before the first [profile]: ufw skips the whole file' : 'not a key=value line: ufw skips the whole file');
    }
    lastEntry = node.kind === 'entry' || node.kind === 'continuation';
    nodes.push(node);
  }
  return new UfwAppDocument(nodes, options.file, diagnostics);
}

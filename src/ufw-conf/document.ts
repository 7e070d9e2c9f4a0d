/**
 * ufw's settings files (format `ufw-conf`): /etc/ufw/ufw.conf and /etc/default/ufw, `KEY=value`
 * lines that two readers read: ufw itself (backend._get_defaults: a line matching `^\w+="?\w+"?`,
 * split at `=`, key and value lower-cased, quotes stripped) and the shell of ufw-init, which sources
 * them. One node per line; edits write `KEY=value` as ufw's `set_default` does.
 */
import { diagnosticAt, type Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { ParseOptions } from '../core/format.js';
import type { RawNode } from '../core/lines.js';
import { BOM, SourceText, stripEol } from '../core/text.js';

export type ConfLineKind = 'blank' | 'comment' | 'assignment' | 'unknown';

export class ConfNode implements RawNode {
  readonly raw: string;
  readonly kind: ConfLineKind;
  /** An assignment's name as written (`DEFAULT_INPUT_POLICY`). */
  readonly key: string | undefined;
  /** The value as the shell reads it (simple quotes removed). */
  readonly value: string | undefined;
  /** The value ufw's own reader takes (lower-cased), or undefined when ufw skips the line. */
  readonly ufwValue: string | undefined;

  constructor(raw: string, kind: ConfLineKind, key?: string, value?: string, ufwValue?: string) {
    this.raw = raw;
    this.kind = kind;
    this.key = key;
    this.value = value;
    this.ufwValue = ufwValue;
  }
}

/** A ufw settings file (ufw.conf, /etc/default/ufw) as plain data: every assignment, as the shell and as ufw read it. */
export interface UfwConfModel {
  format: 'ufw-conf';
  /** Every assignment in order: name, shell value, ufw's value (null when ufw skips the line), line. */
  settings: { key: string; value: string; ufw: string | null; line: number }[];
}

/** What ufw's python reads from a line (backend._get_defaults), or undefined. */
export function ufwReads(line: string): { key: string; value: string } | undefined {
  if (!/^\w+="?\w+"?/.test(line)) return undefined;
  const parts = line.trim().split('=');
  return { key: parts[0]!.toLowerCase(), value: parts[1]!.toLowerCase().replace(/^["']+|["']+$/g, '') };
}

function shellValue(v: string): string | undefined {
  const t = v.replace(/\s+#.*$/, '').trim();
  if (/^"[^"`$\\]*"$/.test(t) || /^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/^[^\s"'`$\\;&|<>()]*$/.test(t)) return t;
  return undefined;
}

export class UfwConfDocument extends LineDocument<ConfNode> {
  /** @internal use `parseConf()`. */
  constructor(nodes: ConfNode[], file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, file, diagnostics });
  }

  /** The value ufw reads for a key (case-insensitive; the last line wins, as in ufw), lower-cased. */
  get(key: string): string | undefined {
    let v: string | undefined;
    const k = key.toLowerCase();
    for (const n of this.nodes) if (n.ufwValue !== undefined && n.key!.toLowerCase() === k) v = n.ufwValue;
    return v;
  }

  /** The value the shell (ufw-init) reads for a key, as written. */
  shell(key: string): string | undefined {
    let v: string | undefined;
    for (const n of this.nodes) if (n.kind === 'assignment' && n.key === key) v = n.value;
    return v;
  }

  /** The line of the assignment ufw takes for a key. */
  lineOfKey(key: string): number | undefined {
    const k = key.toLowerCase();
    let found: ConfNode | undefined;
    for (const n of this.nodes) if (n.ufwValue !== undefined && n.key!.toLowerCase() === k) found = n;
    return found ? this.lineOf(found) : undefined;
  }

  /** ufw's set_default: every line starting `KEY=` becomes `KEY=value`; none, and the line is appended. */
  set(key: string, value: string): void {
    if (!/^\w+$/.test(key)) throw new RangeError(`invalid option '${key}'`);
    if (/[\r\n]/.test(value)) throw new RangeError('a value is one line');
    let found = false;
    for (const n of [...this.nodes]) {
      if (!n.raw.startsWith(key + '=')) continue;
      found = true;
      this.replaceNode(n, makeNode(`${key}=${value}${this.eol}`));
    }
    if (!found) this.splice(this.nodes.length, 0, makeNode(`${key}=${value}${this.eol}`));
  }

  toJSON(): UfwConfModel {
    const lines = this.lineMap();
    return {
      format: 'ufw-conf',
      settings: this.nodes
        .filter((n) => n.kind === 'assignment')
        .map((n) => ({ key: n.key!, value: n.value ?? '', ufw: n.ufwValue ?? null, line: lines.get(n)! })),
    };
  }
}

function makeNode(raw: string): ConfNode {
  const content = stripEol(raw);
  const t = content.trim();
  if (t === '') return new ConfNode(raw, 'blank');
  if (t.startsWith('#')) return new ConfNode(raw, 'comment');
  const m = /^\s*([A-Za-z_]\w*)=(.*)$/.exec(content);
  if (m) {
    const u = ufwReads(content);
    return new ConfNode(raw, 'assignment', m[1], shellValue(m[2]!) ?? m[2]!, u?.value);
  }
  return new ConfNode(raw, 'unknown');
}

/** Parses ufw.conf or /etc/default/ufw. Never throws on bad input; `doc.toString() === text`. */
export function parseConf(text: string, options: ParseOptions = {}): UfwConfDocument {
  if (typeof text !== 'string') throw new TypeError(`ufw-conf: expected the text as a string, got ${typeof text}`);
  const source = new SourceText(text, options.file);
  const nodes: ConfNode[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const l of source.lines) {
    const bom = l.index === 0 && text.startsWith(BOM) ? 1 : 0;
    const raw = text.slice(l.start, l.next);
    const n = makeNode(bom ? raw.slice(1) : raw);
    const node = bom ? new ConfNode(raw, n.kind, n.key, n.value, n.ufwValue) : n;
    nodes.push(node);
    if (node.kind === 'unknown')
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, 'ufw-conf/unknown-line', 'error', 'not a KEY=value line, a comment or a blank line (ufw-init sources this file with the shell)'));
    else if (node.kind === 'assignment' && node.value !== undefined && shellValue(text.slice(l.start + bom, l.end).replace(/^\s*\w+=/, '').replace(/\r$/, '')) === undefined)
      diagnostics.push(diagnosticAt(source, l.start + bom, l.end, 'ufw-conf/shell-value', 'warning', 'a value the shell expands or splits (quote it plainly)'));
  }
  return new UfwConfDocument(nodes, options.file, diagnostics);
}

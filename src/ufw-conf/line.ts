/** The line node of ufw's settings files: one physical line, an assignment read as the shell and as ufw read it. */
import type { RawNode } from '../core/lines.js';
import { stripEol } from '../core/text.js';

/** What a line of a settings file is. */
export type ConfLineKind = 'blank' | 'comment' | 'assignment' | 'unknown';

/** One physical line of a settings file: the node the Document keeps. `raw` includes the line ending. */
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

/** What ufw's python reads from a line (backend._get_defaults), or undefined. */
export function ufwReads(line: string): { key: string; value: string } | undefined {
  if (!/^\w+="?\w+"?/.test(line)) return undefined;
  const parts = line.trim().split('=');
  return { key: parts[0]!.toLowerCase(), value: parts[1]!.toLowerCase().replace(/^["']+|["']+$/g, '') };
}

/** The value as the shell reads it (plain quotes removed), or undefined when the shell expands or splits it. */
export function shellValue(v: string): string | undefined {
  const t = v.replace(/\s+#.*$/, '').trim();
  if (/^"[^"`$\\]*"$/.test(t) || /^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/^[^\s"'`$\\;&|<>()]*$/.test(t)) return t;
  return undefined;
}

/** The node of one line (`raw` with its ending). */
export function makeNode(raw: string): ConfNode {
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

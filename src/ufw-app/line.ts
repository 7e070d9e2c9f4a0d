/** The line node of ufw's application profiles: one physical line, as configparser reads it (section, entry, continuation …). */
import { SET_RAW, type RawNode, type RawWriteHook } from '../core/lines.js';
import type { Decor, Decorated } from '../core/decor.js';
import { BOM, stripEol } from '../core/text.js';

/** What a line of a profile file is. */
export type AppLineKind = 'blank' | 'comment' | 'section' | 'entry' | 'continuation' | 'unknown';

/** An entry line: the key and separator before its value, the value, the blanks after it (the line ending aside). */
const ENTRY = /^([^=:]*?)(\s*[=:]\s*)(.*?)(\s*)$/s;

/** One physical line of a profile file: the node the Document keeps. `raw` includes the line ending. */
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

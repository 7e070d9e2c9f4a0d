/**
 * The line node of xinetd files: one physical line, read lazily (class, words, attribute) the way
 * xinetd's parser reads it, with the hand-written scanner of scan.ts (see there why not the
 * generated parser) or, for tests, the grammar's start rules.
 */
import { parse as parseGrammar } from '../../grammars/xinetd.peggy';
import type { AttributeSyntax, LineClass, Word } from './model.js';
import { SET_RAW, type RawWriteHook } from '../core/lines.js';
import type { Decor, Decorated } from '../core/decor.js';
import { scanAttribute, scanClass, scanWords } from './scan.js';

/** What a line is read with: the grammar's start rules (`grammar`) or the scanner (`SCANNER`). */
export interface LineReaders {
  lineClass(content: string): LineClass;
  words(content: string): Word[];
  attribute(content: string): AttributeSyntax;
}

/** The Document's readers: the hand-written scanner in scan.ts. */
export const SCANNER: LineReaders = { lineClass: scanClass, words: scanWords, attribute: scanAttribute };

/**
 * The grammar's start rules, for tests and tools; the reader uses the equivalent hand-written
 * scanner in scan.ts (test/xinetd/scan.test.ts checks that they agree, and that `read` gives the same
 * reading through either).
 */
export const grammar: LineReaders = {
  lineClass(content: string): LineClass {
    const r = parseGrammar(content, { startRule: 'Line' }) as LineClass | AttributeSyntax;
    return typeof r === 'string' ? r : 'text';
  },
  words(content: string): Word[] {
    return (parseGrammar(content, { startRule: 'EntryLine' }) as { words: Word[] }).words;
  },
  attribute(content: string): AttributeSyntax {
    return parseGrammar(content, { startRule: 'AttributeLine' }) as AttributeSyntax;
  },
};

/** One physical line of a file: the node the Document keeps. `raw` includes the line ending. */
export class XinetdLine implements RawWriteHook, Decorated {
  private _raw: string;
  private _content: string | undefined;
  private _class: LineClass | undefined;
  private _words: Word[] | undefined;
  private _attr: AttributeSyntax | undefined;
  private readonly _read: LineReaders;

  /** `readers`: the scanner unless a test says otherwise. */
  constructor(raw: string, readers: LineReaders = SCANNER) {
    this._raw = raw;
    this._read = readers;
  }

  get raw(): string {
    return this._raw;
  }

  /** Core's write of the raw text (a document's edit): what was read from the old text goes with it. */
  [SET_RAW](raw: string): void {
    if (raw === this._raw) return;
    this._raw = raw;
    this._content = this._class = this._words = this._attr = undefined;
  }

  /** What xinetd sees of the line: without its `\n`, with the `\r` of a CRLF ending, up to a NUL byte. */
  get content(): string {
    if (this._content === undefined) {
      let c = this._raw.endsWith('\n') ? this._raw.slice(0, -1) : this._raw;
      const nul = c.indexOf('\0');
      if (nul >= 0) c = c.slice(0, nul);
      this._content = c;
    }
    return this._content;
  }

  /** The line ending: '', '\n' or '\r\n'. */
  get eol(): '' | '\n' | '\r\n' {
    return this._raw.endsWith('\r\n') ? '\r\n' : this._raw.endsWith('\n') ? '\n' : '';
  }

  get lineClass(): LineClass {
    return (this._class ??= this._read.lineClass(this.content));
  }

  /** The line's words, split on space and tab (an entry line between entries). */
  get words(): Word[] {
    return (this._words ??= this._read.words(this.content));
  }

  /** The line read as an attribute line (inside an entry). */
  get attribute(): AttributeSyntax {
    return (this._attr ??= this._read.attribute(this.content));
  }

  /**
   * The trivia around an attribute's value, which here is the operator and the values (an edit may
   * change the operator): the indentation, name and gap before the operator, and the line ending.
   * What xinetd does not read (after a NUL byte) goes with the old value. Undefined on a line that is
   * no attribute.
   */
  decor(): Decor | undefined {
    const a = this.attribute;
    if (a.type !== 'attribute') return undefined;
    return { prefix: this.content.slice(0, a.opStart), suffix: this.eol };
  }
}

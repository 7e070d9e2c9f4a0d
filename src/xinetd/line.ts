/**
 * The line node of xinetd files: one physical line, read lazily (class, words, attribute) the way
 * xinetd's parser reads it, with the grammar's start rules (grammars/xinetd.peggy). A `Line` result
 * gives the class of every line and the attribute reading of a text line (one `File` parse gives it
 * for every line of a parsed file, a `Line` parse for a line made or rewritten by an edit);
 * `AttributeLine` and `EntryLine` are parsed only when the reader or the style asks for them.
 */
import { parse as parseGrammar } from '../../grammars/xinetd.peggy';
import type { AttributeSyntax, LineClass, Word } from './model.js';
import { SET_RAW, type RawWriteHook } from '../core/lines.js';
import { spanDecor, type Decor, type Decorated } from '../core/decor.js';

const FILE = { startRule: 'File' } as const;
const LINE = { startRule: 'Line' } as const;
const ENTRY_LINE = { startRule: 'EntryLine' } as const;
const ATTRIBUTE_LINE = { startRule: 'AttributeLine' } as const;

/** A value without the CR that a CRLF line ending leaves on the last word. */
export function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

/** The lines of a file, read with one `File` parse (a parse per line costs the parser's set-up each time). */
export function readLines(text: string, raws: readonly string[]): XinetdLine[] {
  const read = parseGrammar(text, FILE) as (Exclude<LineClass, 'text'> | AttributeSyntax)[];
  return raws.map((raw, i) => new XinetdLine(raw, read[i]));
}

/** One physical line of a file: the node the Document keeps. `raw` includes the line ending. */
export class XinetdLine implements RawWriteHook, Decorated {
  private _raw: string;
  private _content: string | undefined;
  /** The `Line` parse: the class of a non-text line, or a text line's attribute reading. */
  private _line: Exclude<LineClass, 'text'> | AttributeSyntax | undefined;
  private _words: Word[] | undefined;
  private _attr: AttributeSyntax | undefined;

  /** `read`: the line's `Line` result when the file was read at once ({@link readLines}). */
  constructor(raw: string, read?: Exclude<LineClass, 'text'> | AttributeSyntax) {
    this._raw = raw;
    this._line = read;
  }

  get raw(): string {
    return this._raw;
  }

  /** Core's write of the raw text (a document's edit): what was read from the old text goes with it. */
  [SET_RAW](raw: string): void {
    if (raw === this._raw) return;
    this._raw = raw;
    this._content = this._line = this._words = this._attr = undefined;
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

  private get line(): Exclude<LineClass, 'text'> | AttributeSyntax {
    return (this._line ??= parseGrammar(this.content, LINE) as Exclude<LineClass, 'text'> | AttributeSyntax);
  }

  /** 'blank', 'comment', 'open' or 'close' (`{` or `}` alone), or 'text' for any other line. */
  get lineClass(): LineClass {
    const l = this.line;
    return typeof l === 'string' ? l : 'text';
  }

  /** The line's words, split on space and tab (an entry line between entries). */
  get words(): Word[] {
    return (this._words ??= (parseGrammar(this.content, ENTRY_LINE) as { words: Word[] }).words);
  }

  /** The line read as an attribute line (inside an entry). */
  get attribute(): AttributeSyntax {
    if (this._attr === undefined) {
      const l = this.line;
      this._attr = typeof l === 'string' ? (parseGrammar(this.content, ATTRIBUTE_LINE) as AttributeSyntax) : l;
    }
    return this._attr;
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

  /**
   * The trivia around the name of an entry line (`service NAME`): the indentation, keyword and gap
   * before it, and everything after it (other words, the CR of a CRLF ending, what follows a NUL
   * byte, the line ending). Undefined on a line with fewer than two words.
   */
  nameDecor(): Decor | undefined {
    const w = this.words[1];
    if (w === undefined) return undefined;
    return spanDecor(this._raw, w.start, this._raw, w.start + stripCr(w.text).length);
  }
}

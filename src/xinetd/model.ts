/**
 * The typed model of an xinetd configuration file: what `doc.toJSON()` returns and `fwconf parse
 * --format xinetd` prints. Plain data; the shape is public API.
 */

/** An attribute operator: `=` sets, `+=` adds to, `-=` removes from a modifiable attribute. */
export type Op = '=' | '+=' | '-=';

/** One `name op values...` line. */
export interface AttributeModel {
  /** As written (xinetd matches names case-insensitively). */
  name: string;
  op: Op;
  /** The words after the operator, split on space and tab (no quoting exists). A CR of a CRLF ending is not included. */
  values: string[];
  /** 1-based line. */
  line: number;
}

/** A `service NAME { ... }` entry. */
export interface ServiceModel {
  /** The service name (the second word of the `service` line). */
  name: string;
  /** 1-based line of the `service` line. */
  line: number;
  /** Attribute lines in file order (repeats included: xinetd's own rules decide which one counts). */
  attributes: AttributeModel[];
  /**
   * Present when xinetd drops the whole entry while reading it (a syntax error inside it, or no
   * closing `}`): the reason, as a short sentence.
   */
  dropped?: string;
}

/** The `defaults { ... }` entry. */
export interface DefaultsModel {
  line: number;
  attributes: AttributeModel[];
  dropped?: string;
}

/** An `include FILE` or `includedir DIR` line between entries. */
export interface IncludeModel {
  kind: 'include' | 'includedir';
  path: string;
  line: number;
}

/** `doc.toJSON()`: the file's entries in the order xinetd reads them. */
export interface XinetdModel {
  /** The first `defaults` entry xinetd accepts in this file, or null. */
  defaults: DefaultsModel | null;
  services: ServiceModel[];
  includes: IncludeModel[];
}

/** Attribute input for edits and rendering: values as words (a string is split on whitespace), numbers allowed. */
export type AttributeValue = string | number | boolean | readonly (string | number)[];

/** An attribute to write: `[name, values]`, `[name, values, op]`, or an object. */
export type AttributeInput =
  | readonly [name: string, values: AttributeValue]
  | readonly [name: string, values: AttributeValue, op: Op]
  | { name: string; values: AttributeValue; op?: Op };

/** A word of a line, with its 0-based offsets in the line's content. */
export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** What a line is to xinetd's reader: blank, a comment, `{`, `}`, or text. */
export type LineClass = 'blank' | 'comment' | 'open' | 'close' | 'text';

/** An attribute line as read: its name, operator and values, or the syntax error xinetd reports. */
export type AttributeSyntax =
  | { type: 'attribute'; name: Word; op: Op; opStart: number; opEnd: number; values: Word[] }
  | { type: 'error'; error: 'needs-space' | 'nothing-after' | 'bad-operator'; name: Word; opStart?: number };

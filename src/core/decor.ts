/**
 * The trivia around a value, owned by the node that holds it (as toml_edit's `Decor`): the text before
 * the value and the text after it on its line, line ending included. A value edit is
 * `decorate(node.decor(), value)`: everything but the value stays the node's own text.
 *
 * A value may span several lines (an INI value with continuation lines): its decor is then the text
 * before the value on its first line and the text after it on its last line (that line's ending
 * included), and the value in between carries its own line breaks and the continuation lines'
 * indentation, which are the value's style and the format's to write (`spanDecor`).
 */

/** The text around a node's value: `prefix + value + suffix` is the node's line. */
export interface Decor {
  /** Everything before the value (indentation, key, separator). */
  readonly prefix: string;
  /** Everything after it on its line (spacing, a trailing comment), the line ending included. */
  readonly suffix: string;
}

/** A node that holds a value and knows the text around it, computed from its parsed offsets. */
export interface Decorated {
  /** The node's decor; undefined when the node holds no value. */
  decor(): Decor | undefined;
}

/**
 * The decor of a value that starts at offset `start` of `first` (a line's text) and ends at offset
 * `end` of `last` (the same line for a one-line value): `first`'s text before the value and `last`'s
 * after it. Format-agnostic: the format says where its value starts and ends.
 */
export function spanDecor(first: string, start: number, last: string, end: number): Decor {
  return { prefix: first.slice(0, start), suffix: last.slice(end) };
}

/** A line with `value` in the place of the old one: `prefix + value + suffix`. */
export function decorate(decor: Decor, value: string): string {
  return decor.prefix + value + decor.suffix;
}

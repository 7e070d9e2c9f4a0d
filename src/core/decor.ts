/**
 * The trivia around a value, owned by the node that holds it (as toml_edit's `Decor`): the text before
 * the value and the text after it on its line, line ending included. A value edit is
 * `decorate(node.decor(), value)`: everything but the value stays the node's own text.
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

/** A line with `value` in the place of the old one: `prefix + value + suffix`. */
export function decorate(decor: Decor, value: string): string {
  return decor.prefix + value + decor.suffix;
}

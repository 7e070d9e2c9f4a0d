/**
 * Attribute input for edits and rendering: turns values into words and refuses anything that would
 * change the file's structure when written (line breaks, a `{`/`}` line, a `#` line, NUL bytes).
 */
import type { AttributeInput, AttributeValue, Op } from './model.js';

/** Input that cannot be written safely; `field` names what was wrong (`service thp-pasv: server_args`). */
export class XinetdInputError extends TypeError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'XinetdInputError';
    this.field = field;
  }
}

const OPS: readonly Op[] = ['=', '+=', '-='];

/** A service name: one word that makes `service NAME` an entry line. */
export function checkServiceName(name: unknown, field = 'service name'): string {
  if (typeof name !== 'string') throw new XinetdInputError(field, `expected a string, got ${typeof name}`);
  if (name === '') throw new XinetdInputError(field, 'is empty');
  if (/[\s\0]/.test(name)) throw new XinetdInputError(field, `${JSON.stringify(name)} contains whitespace or a line break (xinetd splits words on space and tab)`);
  if (name.startsWith('#')) throw new XinetdInputError(field, `${JSON.stringify(name)} starts with '#'`);
  if (name === '{' || name === '}') throw new XinetdInputError(field, `${JSON.stringify(name)} is a brace`);
  return name;
}

/** An attribute name: letters, digits and `_` (every name xinetd knows has this form). */
export function checkAttributeName(name: unknown, field: string): string {
  if (typeof name !== 'string') throw new XinetdInputError(field, `expected an attribute name string, got ${typeof name}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new XinetdInputError(field, `${JSON.stringify(name)} is not an attribute name (letters, digits and _ only)`);
  return name;
}

export function checkOp(op: unknown, field: string): Op {
  if (!OPS.includes(op as Op)) throw new XinetdInputError(field, `operator ${JSON.stringify(op)} is not one of =, +=, -=`);
  return op as Op;
}

/**
 * Values as words. A string is split on spaces and tabs (xinetd has no quoting, so a value cannot
 * hold a space); an array gives one word per element; numbers and booleans (`yes`/`no`) are written
 * as words. Line breaks, CR, NUL and other control characters are refused.
 */
export function toWords(values: AttributeValue, field: string): string[] {
  let words: string[];
  if (typeof values === 'string') words = values.split(/[ \t]+/).filter((w) => w !== '');
  else if (typeof values === 'number') {
    if (!Number.isFinite(values)) throw new XinetdInputError(field, `${values} is not a finite number`);
    words = [String(values)];
  } else if (typeof values === 'boolean') words = [values ? 'yes' : 'no'];
  else if (Array.isArray(values)) {
    words = values.map((v, i) => {
      if (typeof v === 'number') return String(v);
      if (typeof v !== 'string') throw new XinetdInputError(`${field}[${i}]`, `expected a string or number, got ${typeof v}`);
      if (v === '') throw new XinetdInputError(`${field}[${i}]`, 'is empty (xinetd cannot read an empty word)');
      if (/[ \t]/.test(v)) throw new XinetdInputError(`${field}[${i}]`, `${JSON.stringify(v)} contains a space or tab (xinetd has no quoting; pass separate words)`);
      return v;
    });
  } else throw new XinetdInputError(field, `expected a string, number, boolean or array of words, got ${typeof values}`);
  for (const w of words) {
    // eslint-disable-next-line no-control-regex
    if (/[\r\n\0\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(w))
      throw new XinetdInputError(field, `${JSON.stringify(w)} contains a line break or control character`);
  }
  return words;
}

/** Normalizes one attribute input. */
export function normalizeAttribute(input: AttributeInput, field: string): { name: string; op: Op; values: string[] } {
  let name: unknown;
  let values: AttributeValue;
  let op: unknown = '=';
  if (Array.isArray(input)) {
    [name, values, op = '='] = input as [unknown, AttributeValue, unknown];
  } else if (input && typeof input === 'object') {
    const o = input as { name: unknown; values: AttributeValue; op?: unknown };
    name = o.name;
    values = o.values;
    op = o.op ?? '=';
  } else throw new XinetdInputError(field, 'expected [name, values] or { name, values, op }');
  const n = checkAttributeName(name, field);
  return { name: n, op: checkOp(op, `${field}: ${n}`), values: toWords(values, `${field}: ${n}`) };
}

/** A comment line's text: no line breaks. */
export function checkComment(text: unknown, field: string): string {
  if (typeof text !== 'string') throw new XinetdInputError(field, `expected a string, got ${typeof text}`);
  if (/[\r\n\0]/.test(text)) throw new XinetdInputError(field, 'contains a line break');
  return text;
}

/**
 * The one error every builder throws for a value it cannot write safely: it names the field (a
 * dotted path such as `ssh.match[0].settings.ForceCommand`) so the caller can point at it.
 */
export class BuilderError extends Error {
  /** Dotted path of the offending field. */
  readonly field: string;
  /** Stable code, `builder/<kebab-name>`. */
  readonly code: string;
  /** The reason, without the field. */
  readonly reason: string;

  constructor(field: string, reason: string, code = 'builder/invalid-value') {
    super(`${field}: ${reason}`);
    this.name = 'BuilderError';
    this.field = field;
    this.reason = reason;
    this.code = code;
  }
}

/** Control characters no line-oriented config file can carry (tab excepted). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029\u0085]/;

/** Names a character for an error message. */
export function describeChar(c: string): string {
  const names: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', '\u0000': 'a NUL byte', ' ': 'a space' };
  return names[c] ?? (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(c) ? `control character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`);
}

/** Refuses control characters (newline, CR, NUL, ...); tabs only when `allowTab`. */
export function refuseControl(field: string, value: string, allowTab = false): void {
  const m = CONTROL.exec(value) ?? (!allowTab ? /\t/.exec(value) : null);
  if (m) throw new BuilderError(field, `must not contain ${describeChar(m[0])}`, 'builder/unsafe-character');
}

/** Refuses `value` unless every character is in `allowed` (a character-class regex body). */
export function requireChars(field: string, value: string, allowed: RegExp, what: string): void {
  if (value === '') throw new BuilderError(field, `must not be empty`, 'builder/empty-value');
  for (const c of value) {
    if (!allowed.test(c)) throw new BuilderError(field, `${describeChar(c)} is not allowed in ${what}`, 'builder/unsafe-character');
  }
}

export function requireInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BuilderError(field, `must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`, 'builder/out-of-range');
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw new BuilderError(field, `must be one of ${values.join(', ')}, not ${JSON.stringify(value)}`, 'builder/invalid-value');
  return value as T;
}

export function asArray<T>(v: T | readonly T[] | undefined): readonly T[] {
  return v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

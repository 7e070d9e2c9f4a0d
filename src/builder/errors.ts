import type { Diagnostic } from '../core/diagnostics.js';
import type { BuilderCode } from './codes.js';

/**
 * The one error every builder throws for a value it cannot write safely: it names the field (a
 * dotted path such as `ssh.match[0].settings.ForceCommand`) so the caller can point at it.
 */
export class BuilderError extends Error {
  /** Dotted path of the offending field. */
  readonly field: string;
  /** Stable code, one of src/builder/codes.ts. */
  readonly code: BuilderCode;
  /** The reason, without the field. */
  readonly reason: string;

  /** Further problems found in the same pass (a rendered file the daemon would refuse for several reasons). */
  readonly also: readonly BuilderError[];

  constructor(field: string, reason: string, code: BuilderCode = 'builder/invalid-value', also: readonly BuilderError[] = []) {
    super(`${field}: ${reason}`);
    this.name = 'BuilderError';
    this.field = field;
    this.reason = reason;
    this.code = code;
    this.also = also;
  }
}

/**
 * Refuses a rendered file that its format's own check (what `fwconf check` runs) finds errors in:
 * one BuilderError for the first error, the others in its `also`, each at the field `fieldAt` names
 * for the diagnostic's line and column.
 */
export function refuseRejected(ds: readonly Diagnostic[], text: string, daemon: string, fieldAt: (d: Diagnostic) => string): void {
  const errors = ds.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  const lines = text.split('\n');
  const all = errors.map((d) => {
    const line = lines[d.line - 1] ?? '';
    const where = line === '' || line.startsWith('#') ? 'the rendered file' : `the rendered line '${line.trim()}'`;
    return new BuilderError(fieldAt(d), `${daemon} would refuse ${where}: ${d.message} (${d.code})`, 'builder/daemon-rejects');
  });
  throw new BuilderError(all[0]!.field, all[0]!.reason, all[0]!.code, all.slice(1));
}

/** Control characters no line-oriented config file can carry (tab excepted). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029\u0085]/;

/** Names a character for an error message. */
export function describeChar(c: string): string {
  const names: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', '\u0000': 'a NUL byte', ' ': 'a space' };
  return names[c] ?? (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(c) ? `control character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`);
}

/** A UTF-16 surrogate without its other half: no UTF-8 form (writing it gives U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The string with each unpaired surrogate written as its JSON escape (`\ud800`), for messages. */
export function escapeLoneSurrogates(value: string): string {
  return value.replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Why a string cannot be written as UTF-8 (it holds an unpaired surrogate), or undefined. */
export function notUnicode(value: string): string | undefined {
  const m = LONE_SURROGATE.exec(value);
  if (!m) return undefined;
  const u = `U+${m[0].charCodeAt(0).toString(16).toUpperCase()}`;
  return `contains an unpaired surrogate ${u} (character ${m.index + 1}): it is not a Unicode character and has no UTF-8 form (it would be written as U+FFFD)`;
}

/** Refuses control characters (newline, CR, NUL, ...), tabs unless `allowTab`, and unpaired surrogates. */
export function refuseControl(field: string, value: string, allowTab = false): void {
  const m = CONTROL.exec(value) ?? (!allowTab ? /\t/.exec(value) : null);
  if (m) throw new BuilderError(field, `must not contain ${describeChar(m[0])}`, 'builder/unsafe-character');
  const bad = notUnicode(value);
  if (bad) throw new BuilderError(field, bad, 'builder/invalid-unicode');
}

/** Refuses `value` unless every character is in `allowed` (a character-class regex body). */
export function requireChars(field: string, value: string, allowed: RegExp, what: string): void {
  if (value === '') throw new BuilderError(field, `must not be empty`, 'builder/empty-value');
  const bad = notUnicode(value);
  if (bad) throw new BuilderError(field, bad, 'builder/invalid-unicode');
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

/** Text of a spec path: `fail2ban.jails.sshd.port`, `ufw.rules[2].comment`. */
export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) {
    // A key that is not Unicode (an unpaired surrogate) is named by its escape, as JSON writes it.
    const k = typeof p === 'string' ? escapeLoneSurrogates(p) : p;
    s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  }
  return s === '' ? '(spec)' : s;
}

/**
 * Diagnostics: every format reports problems the same way, and one printer writes them as
 * `file:line:col: severity: message [code]`.
 */
import type { FwconfCode } from './codes.js';
import type { SourceText } from './text.js';

/** How bad a diagnostic is: `error` (the daemon would refuse the file or misread it), `warning`, `info`. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * Every code fwconf reports, by namespace: `{ fwconf: FwconfCode }` here, and each namespace's codes file
 * (src/sshd/codes.ts, src/builder/codes.ts, ...) adds its own list to this interface
 * (`declare module '../core/diagnostics.js'`). So core names no format, yet `diagnostic()` refuses, at
 * compile time, a code that is in no list. DIAGNOSTICS.md is written from the lists (`npm run docs:codes`).
 */
export interface DiagnosticCodes {
  fwconf: FwconfCode;
}

/** A code of one of the lists: the union of every namespace's codes. */
export type DiagnosticCode = DiagnosticCodes[keyof DiagnosticCodes];

/** A namespace's codes without their `<namespace>/`: `CodeName<'host'>` is `'ban-before-accept' | ...`. */
export type CodeName<N extends keyof DiagnosticCodes> = Unprefixed<DiagnosticCodes[N], N>;
type Unprefixed<C, N extends string> = C extends `${N}/${infer Name}` ? Name : never;

/** A problem found in a file, at a 1-based line and column range, with a stable code (`fwconf check` prints it as `file:line:col: severity: message [code]`). */
export interface Diagnostic {
  /** Stable code, `<format>/<kebab-name>`, e.g. `sshd/unknown-keyword`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file?: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Where a diagnostic is: a 1-based line and column, and where it ends (default: the same place). */
export interface Range {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Makes a diagnostic with a listed code (see DIAGNOSTICS.md) at a range of `file`. */
export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  range: Range,
  file?: string,
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity,
    message,
    ...(file !== undefined ? { file } : {}),
    line: range.line,
    column: range.column,
    endLine: range.endLine ?? range.line,
    endColumn: range.endColumn ?? range.column,
  };
  return d;
}

/**
 * The one reporter: collects diagnostics for one file in the coordinates the formats read in, so no
 * format needs a helper of its own; `Reporter<SshdCode>` takes only that namespace's codes. `span` takes a line reader's coordinates (0-based line index,
 * 0-based columns, end exclusive), `at` a 1-based line and columns, `offsets` two offsets of a text.
 */
export class Reporter<C extends DiagnosticCode = DiagnosticCode> {
  constructor(
    readonly file: string | undefined,
    /** Where the diagnostics go (given, so a reporter can add to a list that already holds some). */
    readonly diagnostics: Diagnostic[] = [],
  ) {}

  /** On line index `line` (0-based), columns `start` to `end` (0-based, end exclusive). */
  span(line: number, start: number, end: number, code: C, severity: Severity, message: string): Diagnostic {
    return this.add(diagnostic(code, severity, message, { line: line + 1, column: start + 1, endLine: line + 1, endColumn: end + 1 }, this.file));
  }

  /** On 1-based `line`, from `column` to `endColumn` (1-based; default the line's start). */
  at(line: number, code: C, severity: Severity, message: string, column = 1, endColumn = column): Diagnostic {
    return this.add(diagnostic(code, severity, message, { line, column, endLine: line, endColumn }, this.file));
  }

  /** Spanning offsets `start`..`end` of a source text. */
  offsets(source: SourceText, start: number, end: number, code: C, severity: Severity, message: string): Diagnostic {
    return this.add(diagnosticAt(source, start, end, code, severity, message));
  }

  private add(d: Diagnostic): Diagnostic {
    this.diagnostics.push(d);
    return d;
  }
}

/** A diagnostic spanning offsets `start`..`end` of a source text. */
export function diagnosticAt(
  source: SourceText,
  start: number,
  end: number,
  code: DiagnosticCode,
  severity: Severity,
  message: string,
): Diagnostic {
  const a = source.positionAt(start);
  const b = source.positionAt(Math.max(start, end));
  return diagnostic(code, severity, message, { line: a.line, column: a.column, endLine: b.line, endColumn: b.column }, source.file);
}

/**
 * `file:line:col: severity: message [code]`, one line whatever the message holds: control characters,
 * a byte-order mark and line breaks quoted from the input are shown escaped (`\r`, `\u0000`).
 * `fallbackFile` names input that has no file (stdin).
 */
export function formatDiagnostic(d: Diagnostic, fallbackFile = '<input>'): string {
  return `${d.file ?? fallbackFile}:${d.line}:${d.column}: ${d.severity}: ${visible(d.message)} [${d.code}]`;
}

const ESCAPES: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

function visible(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ufeff]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when any of the diagnostics is an error (warnings and infos are not). */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Orders by file, line, column, then code; stable for equal keys. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

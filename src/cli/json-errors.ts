/**
 * `--json` on error: whatever the command, standard output is then one JSON document. A command that
 * fails (exit status not 0) without printing its own document prints `{"diagnostics": [...]}`: the
 * diagnostics it wrote to standard error, parsed back from their `file:line:col: severity: message
 * [code]` lines, and every other line it wrote there as an error without a position (a usage error
 * is `fwconf/usage`). Standard error keeps the same lines.
 */
import { json, type Io } from './io.js';

/** The shape every command's --json uses for a diagnostic (io.ts diagnosticRecord), keys in this order. */
export interface JsonDiagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

/** Whether the command line asks for JSON (`--json` before any `--`). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

const LINE = /^(.*?):(\d+):(\d+): (error|warning|info): (.*?)(?: \[([a-z0-9-]+\/[a-z0-9-]+)\])?$/;

/** The diagnostics standard error held, one per line (usage text after a usage error left out). */
export function parseErrorText(text: string, usageError: boolean): JsonDiagnostic[] {
  const lines = text.split('\n');
  // After a usage error comes a blank line and the usage: only the first line is the error.
  const relevant = usageError ? lines.slice(0, Math.max(1, lines.indexOf(''))) : lines;
  const out: JsonDiagnostic[] = [];
  for (const line of relevant) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (m) {
      // The text line gives where a diagnostic starts, not where it ends: the end is that place.
      const [l, c] = [Number(m[2]), Number(m[3])];
      out.push({ file: m[1]!, line: l, column: c, endLine: l, endColumn: c, severity: m[4] as JsonDiagnostic['severity'], code: m[6] ?? 'fwconf/error', message: m[5]! });
    } else {
      const none = { file: null, line: null, column: null, endLine: null, endColumn: null };
      if (/^note: /.test(line)) out.push({ ...none, severity: 'info', code: 'fwconf/note', message: line.slice(6) });
      else out.push({ ...none, severity: 'error', code: usageError ? 'fwconf/usage' : 'fwconf/error', message: line });
    }
  }
  return out;
}

/**
 * Wraps an Io for a `--json` run; `finish(code)` prints the diagnostics document when the command
 * failed and printed nothing on standard output.
 */
export function jsonErrors(io: Io): { io: Io; finish(code: number, usageError?: boolean): void } {
  let printed = false;
  let errText = '';
  const wrapped: Io = {
    ...io,
    stdout(t) {
      if (t.length > 0) printed = true;
      io.stdout(t);
    },
    stderr(t) {
      errText += t;
      io.stderr(t);
    },
  };
  return {
    io: wrapped,
    finish(code, usageError = false) {
      if (code === 0 || printed) return;
      io.stdout(json({ diagnostics: parseErrorText(errText, usageError) }));
    },
  };
}

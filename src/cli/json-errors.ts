/**
 * `--json` on error: whatever the command, standard output is then one JSON document. A command that
 * fails (exit status not 0) without printing its own document prints `{"diagnostics": [...]}`: the
 * diagnostics it wrote to standard error, parsed back from their `file:line:col: severity: message
 * [code]` lines, and every other line it wrote there as an error without a position (a usage error
 * is `fwconf/usage`). Standard error keeps the same lines.
 */
import type { Io } from './io.js';

export interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file?: string;
  line?: number;
  column?: number;
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
      out.push({ code: m[6] ?? 'fwconf/error', severity: m[4] as JsonDiagnostic['severity'], message: m[5]!, file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
    } else if (/^note: /.test(line)) {
      out.push({ code: 'fwconf/note', severity: 'info', message: line.slice(6) });
    } else {
      out.push({ code: usageError ? 'fwconf/usage' : 'fwconf/error', severity: 'error', message: line });
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
      io.stdout(JSON.stringify({ diagnostics: parseErrorText(errText, usageError) }, null, 2) + '\n');
    },
  };
}

/**
 * `fwconf check`'s three outputs: text (`file:line:col: severity: message [code]`, then the related
 * places and the fix on indented lines), JSON (`{"diagnostics":[…]}`) and SARIF 2.1.0 for code scanning.
 */
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { HostDiagnostic } from '../host/index.js';
import { diagnosticRecord } from './io.js';

declare const __FWCONF_VERSION__: string | undefined;
const VERSION = typeof __FWCONF_VERSION__ === 'string' ? __FWCONF_VERSION__ : '0.0.0-dev';

/** The text lines of diagnostics: each one's line, then `  FILE:LINE: note: …` per related place and `  fix: …`. */
export function formatHostDiagnostics(ds: readonly HostDiagnostic[]): string[] {
  const out: string[] = [];
  for (const d of ds) {
    out.push(formatDiagnostic(d));
    for (const r of d.related ?? []) out.push(`  ${r.file}:${r.line}: note: ${r.message ?? 'related'}`);
    if (d.fix) out.push(`  fix: ${d.fix}${d.command ? ` (\`${d.command}\`)` : ''}`);
  }
  return out;
}

/** A whole-input problem line (`file:line:col: severity: message [code]`) back as a diagnostic. */
function problemDiagnostic(line: string): Diagnostic {
  const m = /^(.*):(\d+):(\d+): (error|warning|info): (.*) \[([^\]]+)\]$/.exec(line);
  if (!m) return { code: 'fwconf/input', severity: 'error', message: line, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { code: m[6]!, severity: m[4] as Diagnostic['severity'], message: m[5]!, file: m[1]!, line: Number(m[2]), column: Number(m[3]), endLine: Number(m[2]), endColumn: Number(m[3]) };
}

const asDiagnostics = (items: ReadonlyArray<string | HostDiagnostic>): HostDiagnostic[] => items.map((x) => (typeof x === 'string' ? problemDiagnostic(x) : x));

/**
 * `{"diagnostics":[{file, line, column, endLine, endColumn, severity, code, message}]}` — the shape of
 * every command's --json — with `related: [{file, line, message}]`, `fix` and `command` where the
 * whole-host findings have them.
 */
export function jsonReport(items: ReadonlyArray<string | HostDiagnostic>): string {
  const diagnostics = asDiagnostics(items).map((d) => ({
    ...diagnosticRecord(d),
    ...(d.related && d.related.length ? { related: d.related.map((r) => ({ file: r.file, line: r.line, ...(r.message ? { message: r.message } : {}) })) } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.command ? { command: d.command } : {}),
  }));
  return JSON.stringify({ diagnostics }, null, 2) + '\n';
}

/** A file name as a SARIF artifact URI: absolute paths as file:// URIs, relative ones as relative references. */
function uri(file: string): string {
  const enc = file.split('/').map(encodeURIComponent).join('/');
  return file.startsWith('/') ? `file://${enc}` : enc;
}

function location(file: string | undefined, line: number, column?: number, endLine?: number, endColumn?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: uri(file ?? '<input>') },
      region: { startLine: Math.max(1, line), ...(column ? { startColumn: Math.max(1, column) } : {}), ...(endLine ? { endLine: Math.max(line, endLine) } : {}), ...(endColumn && endLine === line && column && endColumn > column ? { endColumn } : {}) },
    },
  };
}

/** A SARIF 2.1.0 log of one run of fwconf: one rule per code, one result per diagnostic. */
export function sarifReport(items: ReadonlyArray<string | HostDiagnostic>): string {
  const ds = asDiagnostics(items);
  const codes = [...new Set(ds.map((d) => d.code))].sort();
  const results = ds.map((d) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note',
    message: { text: d.fix ? `${d.message}. Fix: ${d.fix}${d.command ? ` (${d.command})` : ''}` : d.message },
    locations: [location(d.file, d.line, d.column, d.endLine, d.endColumn)],
    ...(d.related && d.related.length
      ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.file, r.line), message: { text: r.message ?? 'related' } })) }
      : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'fwconf', version: VERSION, rules: codes.map((id) => ({ id, shortDescription: { text: id } })) } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * Diagnostics as a SARIF 2.1.0 log (what code-scanning services read): one run, one result per
 * diagnostic, its code as the rule id, its file, line and column as the region.
 */
import type { Diagnostic } from './diagnostics.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function toSarif(diagnostics: readonly Diagnostic[], tool: { name: string; version: string; informationUri?: string }, fallbackFile = '<input>'): object {
  const rules = [...new Set(diagnostics.map((d) => d.code))].map((id) => ({ id }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, ...(tool.informationUri ? { informationUri: tool.informationUri } : {}), rules } },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: (d.file ?? fallbackFile).replace(/^\//, '') },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** The codes of `fwconf export`, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const EXPORT_CODES = {
  'export/cannot-vary':
    'a spec value the export makes a per-host variable (the SSH port, a jail\'s `enabled`) changes more than itself in a rendered file when it takes another value, so no template can carry it.',
} as const;

export type ExportCode = keyof typeof EXPORT_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    export: ExportCode;
  }
}

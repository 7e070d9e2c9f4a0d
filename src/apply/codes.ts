/** The codes of `fwconf apply`, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const APPLY_CODES = {
  'apply/not-utf8': 'a fail2ban file of yours that fwconf would edit is not UTF-8: fail2ban skips such a file, so the settings would not be read; convert it first.',
} as const;

/** A diagnostic code of apply (`apply/...`), listed with a sentence in DIAGNOSTICS.md. */
export type ApplyCode = keyof typeof APPLY_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    apply: ApplyCode;
  }
}

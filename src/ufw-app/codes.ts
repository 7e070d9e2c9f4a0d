/** The codes of ufw's application profiles (format `ufw-app`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const UFW_APP_CODES = {
  'ufw-app/duplicate': 'a profile or a key given twice in one file: configparser refuses the file and ufw skips it whole.',
  'ufw-app/unknown-line': 'a line configparser cannot read (before the first `[profile]`, or without `=`/`:`): ufw skips the whole file.',
} as const;

export type UfwAppCode = keyof typeof UFW_APP_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    'ufw-app': UfwAppCode;
  }
}

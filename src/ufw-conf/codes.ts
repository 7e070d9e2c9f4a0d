/** The codes of ufw's settings files (format `ufw-conf`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const UFW_CONF_CODES = {
  'ufw-conf/bad-value': 'a policy ufw refuses to run with (error), or a LOGLEVEL, ENABLED or application policy it ignores (warning).',
  'ufw-conf/shell-value': '(warning) a value the shell of ufw-init expands or splits.',
  'ufw-conf/unknown-line': 'a line that is not `KEY=value`, a comment or blank.',
} as const;

export type UfwConfCode = keyof typeof UFW_CONF_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    'ufw-conf': UfwConfCode;
  }
}

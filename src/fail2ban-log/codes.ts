/** The codes of fail2ban.log files, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const FAIL2BAN_LOG_CODES = {
  'fail2ban-log/stray-line': "a line without a log header after a one-line (INFO, NOTICE) record: kept as that record's continuation, but fail2ban did not write it so.",
  'fail2ban-log/unknown-line': 'a line without a log header before the first record.',
} as const;

/** A diagnostic code of the fail2ban.log format (`fail2ban-log/...`), listed with a sentence in DIAGNOSTICS.md. */
export type Fail2banLogCode = keyof typeof FAIL2BAN_LOG_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    'fail2ban-log': Fail2banLogCode;
  }
}

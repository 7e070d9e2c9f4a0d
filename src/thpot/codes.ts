/** The codes of thpot capture logs, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const THPOT_CODES = {
  'thpot/blank-line': 'a blank line, which thpot writes only before a start line of the multi-line layout.',
  'thpot/empty-source': "`SRC=` is empty: thpot could not find the peer, and fail2ban's `SRC=<HOST>` cannot ban it.",
  'thpot/invalid-line': 'a line that is not a capture line.',
  'thpot/locale-month': 'a month name written under another `LC_TIME`, which fail2ban may not read; run thpot with `LC_TIME=POSIX`.',
  'thpot/mangled-source': 'a source that is not an IP address (thpot splits IPv6 peers at the first `:`).',
} as const;

/** A diagnostic code of the thpot format (`thpot/...`), listed with a sentence in DIAGNOSTICS.md. */
export type ThpotCode = keyof typeof THPOT_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    thpot: ThpotCode;
  }
}

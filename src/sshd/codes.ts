/** The codes of sshd_config, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const SSHD_CODES = {
  'sshd/auth-methods-disabled': 'no list of `AuthenticationMethods` can be satisfied by the authentication methods that are enabled, so sshd refuses to start.',
  'sshd/bad-match': 'a `Match` line (or its `LocalPort` criterion) that sshd rejects.',
  'sshd/bad-listen-address': 'a `ListenAddress` literal of the other family than `AddressFamily` allows (`10.0.0.1` with `inet6`): sshd stops ("Address family for hostname not supported").',
  'sshd/bad-value': "a keyword's value that sshd rejects (not a number, not one of the allowed words, ...).",
  'sshd/command-without-user': '`AuthorizedKeysCommand` or `AuthorizedPrincipalsCommand` is set without its `...User`, which sshd requires.',
  'sshd/deprecated': 'a keyword sshd still reads but has deprecated.',
  'sshd/duplicate-subsystem': 'a `Subsystem` defined twice, which sshd rejects.',
  'sshd/extra-arguments': 'more arguments than the keyword takes.',
  'sshd/ignored-line': 'a line sshd ignores as a whole (an unterminated quote in the keyword).',
  'sshd/ignored-value': 'the keyword is already set earlier; sshd uses the first value and ignores this one.',
  'sshd/include-depth': "`Include` nested too deeply (sshd's limit on recursive includes).",
  'sshd/invalid-quotes': 'a quote in the arguments is not closed.',
  'sshd/match-lport-missing': 'the file has `Match LocalPort`, but the connection given for `sshd effective` has no `lport`.',
  'sshd/missing-argument': 'a keyword with no argument after it.',
  'sshd/missing-value': "a value the keyword needs is missing (sshd's \"missing ...\" errors).",
  'sshd/not-allowed-in-match': 'a keyword that sshd does not accept inside a `Match` block.',
  'sshd/nul-byte': 'a NUL byte: sshd drops the rest of the line and joins the next line to it.',
  'sshd/unknown-keyword': '`Bad configuration option`: sshd does not know the keyword (a typo, or a byte-order mark before the first one).',
  'sshd/unsupported': 'a keyword this sshd build reads but does not support.',
} as const;

/** `fwconf sshd audit` reports each broken policy rule as `sshd/audit-<id>`, `<id>` the rule's id (DIAGNOSTICS.md describes the family). */
export type SshdAuditCode = `sshd/audit-${string}`;

/** A diagnostic code of the sshd format (`sshd/...`, and the audit's policy rules), listed in DIAGNOSTICS.md. */
export type SshdCode = keyof typeof SSHD_CODES | SshdAuditCode;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    sshd: SshdCode;
  }
}

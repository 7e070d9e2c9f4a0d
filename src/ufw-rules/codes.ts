/** The codes of ufw's rule files (format `ufw-rules`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const UFW_RULES_CODES = {
  'ufw-rules/bad-tuple': 'a `### tuple ###` line ufw skips (wrong number of fields, a bad port, address, protocol, direction, interface or log type) or, for two `comment=` fields or a comment that is not hex UTF-8, one ufw stops on.',
  'ufw-rules/missing-commit': 'a table without its `COMMIT` (iptables-restore fails).',
  'ufw-rules/no-v4-twin': '(warning) a rule without an address in user6.rules whose IPv4 twin is missing from user.rules (ufw adds both).',
  'ufw-rules/no-v6-twin': '(warning) a rule without an address in user.rules whose IPv6 twin is missing from user6.rules (with IPV6=yes).',
  'ufw-rules/outside-table': 'a chain, rule or `COMMIT` before any `*table` line (iptables-restore fails).',
  'ufw-rules/shadowed': '(warning) a rule an earlier rule of the same file matches entirely: it never applies (redundant when both have the same action).',
  'ufw-rules/tuple-mismatch': '(warning) the iptables lines under a tuple are not the ones ufw writes for it: the kernel gets the lines, `ufw status` shows the tuple.',
  'ufw-rules/unknown-line': 'a line that is not a comment, `*table`, `:chain`, a rule or `COMMIT`.',
  'ufw-rules/untupled-rule': 'a rule line in a ufw user chain with no tuple above it: `ufw status` does not show it and ufw drops it the next time it writes the file.',
} as const;

export type UfwRulesCode = keyof typeof UFW_RULES_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    'ufw-rules': UfwRulesCode;
  }
}

/** The codes of `ufw status` output, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const UFW_CODES = {
  'ufw/bad-address': "a rule's address is not an IPv4 or IPv6 address or network.",
  'ufw/bad-interface': 'an interface name longer than 15 characters.',
  'ufw/bad-port': 'a port, list or range ufw does not accept.',
  'ufw/duplicate-status': 'a second `Status:` line (two outputs concatenated?).',
  'ufw/incomplete-verbose': '`ufw status verbose` output without one of its header lines.',
  'ufw/localized-output': 'output printed in another language, which fwconf cannot read reliably; capture it with `LANG=C`.',
  'ufw/misaligned': 'columns that are not where ufw prints them.',
  'ufw/missing-direction': "verbose output without the rule's direction (`ALLOW IN`).",
  'ufw/missing-header': 'rule lines without the `To  Action  From` header.',
  'ufw/missing-status': 'output that does not start with `Status: active` or `Status: inactive`.',
  'ufw/mixed-families': 'IPv4 and IPv6 addresses in one rule.',
  'ufw/numbering': 'a `[N]` rule number other than the one ufw would print.',
  'ufw/order': "rules not in ufw's order (inbound, outbound, then route; IPv4 before IPv6 in each).",
  'ufw/out-mark': '`(out)` on an inbound rule.',
  'ufw/rules-while-inactive': 'rules listed while ufw is inactive, which ufw never prints.',
  'ufw/unexpected-direction': '`IN` in plain `ufw status` output (is this verbose output without its header?).',
  'ufw/unknown-line': 'a line fwconf cannot read as ufw status output.',
} as const;

/** A diagnostic code of the ufw formats (`ufw/...`), listed with a sentence in DIAGNOSTICS.md. */
export type UfwCode = keyof typeof UFW_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    ufw: UfwCode;
  }
}

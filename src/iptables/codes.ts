/** The codes of iptables-save dumps, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const IPTABLES_CODES = {
  'iptables/ambiguous-option': 'an abbreviated option that matches more than one.',
  'iptables/bad-counters': 'chain counters that are not `[packets:bytes]`.',
  'iptables/bad-negation': '`!` before something that cannot be negated.',
  'iptables/bad-rule-number': 'a rule number that is not a number.',
  'iptables/carriage-return': "a line ending in `\\r`, which iptables-restore reads as part of the line.",
  'iptables/chain-name-too-long': 'a chain name longer than iptables allows.',
  'iptables/double-negation': 'two `!` in a row.',
  'iptables/duplicate-chain': 'a chain declared twice in a table.',
  'iptables/family-assumed': '(info) nothing in the file says whether it is for iptables or ip6tables; the message names the family assumed.',
  'iptables/host-name': 'a host name where an address belongs: iptables-restore resolves it at load time (one rule per address, or a failure without DNS).',
  'iptables/intrapositioned-negation': 'the deprecated `--option !` form; write `! --option`.',
  'iptables/invalid-chain-name': 'a chain name starting with `-` or `!`.',
  'iptables/invalid-policy': "a built-in chain's policy other than ACCEPT or DROP.",
  'iptables/jump-to-builtin': 'a jump to a built-in chain, which iptables refuses.',
  'iptables/match-needs-protocol': 'a match module that needs its protocol (`-m tcp` needs `-p tcp`).',
  'iptables/missing-argument': 'an option without its argument.',
  'iptables/missing-chain-name': '`:` with no chain name after it.',
  'iptables/missing-commit': 'a table not closed by `COMMIT`.',
  'iptables/missing-policy': 'a chain line with no policy (ACCEPT, DROP, or `-` for a user chain).',
  'iptables/missing-table-name': '`*` with no table name after it.',
  'iptables/multiple-commands': 'more than one command (`-A`, `-I`, ...) on a line.',
  'iptables/multiple-targets': 'a second target on a rule.',
  'iptables/no-command': 'a rule line with no command.',
  'iptables/other-family': '(info) a rule for the other family (`-4` in an ip6tables file, `-6` in an iptables one), which the restore skips.',
  'iptables/outside-table': 'a line outside any table (before the first `*table`) or one that cannot be read at all.',
  'iptables/trailing-text': 'text after the table name, which iptables-restore ignores.',
  'iptables/unexpected-argument': 'an argument no option takes.',
  'iptables/unknown-chain': 'a rule in a chain that is not declared in its table.',
  'iptables/unknown-module': 'a match module fwconf does not know; its options are kept as written.',
  'iptables/unknown-option': 'an option that neither iptables nor the loaded matches and target take.',
  'iptables/unknown-table': 'a table name that is not one of the built-in tables.',
  'iptables/unknown-target': 'a jump to a chain or target that does not exist in the table.',
  'iptables/unterminated-quote': 'a quote that is not closed: the argument runs to the end of the line.',
  'iptables/user-chain-policy': 'a policy on a user chain, which iptables-restore ignores (write `-`).',
  'iptables/warning-line': 'a warning iptables-save wrote into the dump (such as a legacy-tables notice).',
  'iptables/wrong-family': 'an IPv6 address in an iptables file or an IPv4 one in an ip6tables file.',
} as const;

/** A diagnostic code of the iptables format (`iptables/...`), listed with a sentence in DIAGNOSTICS.md. */
export type IptablesCode = keyof typeof IPTABLES_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    iptables: IptablesCode;
  }
}

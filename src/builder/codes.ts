/** The codes of host specs (`fwconf render`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const BUILDER_CODES = {
  'builder/ambiguous-methods': 'a flat list of authentication methods: write a list of lists to say whether all are required or any one suffices.',
  'builder/daemon-rejects': "the daemon's own check would refuse the rendered file; the message quotes it.",
  'builder/duplicate-key': 'the same key or item twice where it must be unique (a chain listed twice, ...).',
  'builder/duplicate-name': 'two honeypots with the same name.',
  'builder/duplicate-port': 'the SSH port set in `ssh.settings.Port`: set it with `ssh.port`.',
  'builder/empty-value': 'an empty list or value where one is needed.',
  'builder/honeypot-blocked': "(warning) ufw does not allow a honeypot's port, so it only sees what ufw lets through.",
  'builder/honeypot-locale': '(warning) a thpot honeypot without `LC_TIME=POSIX` in its environment, so fail2ban may not read its capture dates.',
  'builder/invalid-unicode': 'a string (a value or a key) that has no UTF-8 form, such as one with a lone surrogate.',
  'builder/invalid-value': 'a value the target file cannot hold.',
  'builder/jail-port': 'the sshd jail does not watch the SSH port, so its bans would not block SSH.',
  'builder/missing-value': "a field that another field's value requires (a port list needs `proto tcp` or `udp`, ...).",
  'builder/not-in-match': 'an sshd setting that is not allowed inside a Match block.',
  'builder/out-of-range': 'a number outside the range the daemon accepts.',
  'builder/port-conflict': 'a port claimed twice (SSH and a honeypot, two honeypots).',
  'builder/schema': 'a value of the wrong type or shape for the spec.',
  'builder/ssh-port-blocked': 'no ufw rule allows the SSH port: enabling ufw would lock you out.',
  'builder/unknown-key': 'a key the spec does not have.',
  'builder/unknown-keyword': 'a field or keyword the builder does not know.',
  'builder/unsafe-character': "a value the file's syntax would read otherwise than meant (a leading `=` for sshd, an unbalanced quote, white space or a leading `#` for xinetd, a trailing `\\`, ...).",
  'builder/yaml-syntax': 'the spec is not valid YAML (or YAML warns about it).',
  'builder/yaml-aliases': "the spec's YAML aliases expand to too many copies (a guard against an alias bomb): write the values out or nest fewer aliases.",
} as const;

/** A diagnostic code of the builder and the spec loader (`builder/...`), listed with a sentence in DIAGNOSTICS.md. */
export type BuilderCode = keyof typeof BUILDER_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    builder: BuilderCode;
  }
}

/** The codes of xinetd.conf, each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const XINETD_CODES = {
  'xinetd/bad-operator': 'an operator other than `=`, `+=` or `-=`.',
  'xinetd/bad-value': 'a value xinetd cannot parse, for which it disables the service.',
  'xinetd/bom': 'the file starts with a byte-order mark, which xinetd reads as part of the first word.',
  'xinetd/crlf': "CRLF line endings: xinetd keeps the `\\r` as part of the last word of each line.",
  'xinetd/duplicate-attribute': 'an attribute set twice in an entry; xinetd keeps the first value.',
  'xinetd/duplicate-defaults': 'a second `defaults` entry, which xinetd ignores.',
  'xinetd/duplicate-id': 'two services with the same id; give each entry its own.',
  'xinetd/include-loop': 'a file includes itself; xinetd has no guard against it and crashes.',
  'xinetd/include-missing': 'an `include` names a file that cannot be opened.',
  'xinetd/includedir-missing': 'an `includedir` names a directory that cannot be read.',
  'xinetd/incomplete-entry': 'the file ends before a `}` closes the entry.',
  'xinetd/inline-comment': 'a `#` after a value: xinetd has no inline comments and reads it as more values.',
  'xinetd/missing-attribute': 'a service lacks an attribute xinetd requires for it, so xinetd rejects it.',
  'xinetd/missing-close': 'the last entry has no closing `}`.',
  'xinetd/missing-name': '`service` without a name.',
  'xinetd/missing-open': 'the `{` is not alone on the line after `service NAME` (or `defaults`).',
  'xinetd/missing-operator': 'an attribute name with nothing after it.',
  'xinetd/needs-space': "no space between an attribute's name and its operator.",
  'xinetd/no-continuation': "a line ending in `\\`: xinetd has no line continuation.",
  'xinetd/not-a-file': 'an `includedir` entry that is not a regular file, which xinetd skips.',
  'xinetd/not-an-entry': 'a line that is not `service NAME`, `defaults`, `include` or `includedir` where an entry must start.',
  'xinetd/nul-byte': 'a NUL byte: xinetd ignores the rest of the line.',
  'xinetd/operator-not-allowed': '`+=` or `-=` on an attribute that does not take them; xinetd ignores the line.',
  'xinetd/service-rejected': 'xinetd would drop the service for another reason, given in the message.',
  'xinetd/unknown-attribute': 'an attribute xinetd does not know in this kind of entry; it ignores the line.',
  'xinetd/unreadable': 'a configuration file that cannot be read.',
  'xinetd/value-count': 'an attribute with more or fewer values than it takes.',
} as const;

/** A diagnostic code of the xinetd format (`xinetd/...`), listed with a sentence in DIAGNOSTICS.md. */
export type XinetdCode = keyof typeof XINETD_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    xinetd: XinetdCode;
  }
}

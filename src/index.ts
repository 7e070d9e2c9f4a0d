/**
 * fwconf: lossless parsers, daemon-accurate semantics and safe generation for the files of a
 * Linux server's SSH hardening. Each format is a namespace here and a subpath export
 * (`fwconf/sshd`, `fwconf/fail2ban`, ...).
 */
export * as core from './core/index.js';
export * as sshd from './sshd/index.js';
export * as xinetd from './xinetd/index.js';
export * as fail2ban from './fail2ban/index.js';
export * as iptables from './iptables/index.js';
export * as ufw from './ufw/index.js';
export * as thpot from './thpot/index.js';
/** fail2ban.log (fail2ban-server's log): lossless parse into records and typed events, streaming for logs of any size, and its summary. */
export * as fail2banLog from './fail2ban-log/index.js';
export * as builder from './builder/index.js';
export * as apply from './apply/index.js';
export { exportAnsible, ExportError, EXPORT_MARKER, type AnsibleExport, type ExportedFile, type ExportedVariable } from './export/ansible.js';
export { formats, detectFormat, type Detection } from './formats.js';
export type { Diagnostic, Severity } from './core/diagnostics.js';
export { formatDiagnostic } from './core/diagnostics.js';
// Every code with its sentence; importing it also puts every namespace's list into core's DiagnosticCode.
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';
export type { Format, FormatDocument, FormatName } from './core/format.js';
export { MemoryFileSource, NodeFileSource, type FileSource } from './core/files.js';

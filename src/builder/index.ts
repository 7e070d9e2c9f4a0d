/**
 * The typed builder and the host spec: `render(spec)` gives every file of the hardening setup;
 * the per-format builders (`buildSshd`, `buildXinetd`, `buildJailLocal`, `buildFilterLocal`,
 * `buildActionLocal`, `buildUfwScript`, `buildIptables`) write one file each and throw
 * `BuilderError` (naming the field) for any value they cannot write safely.
 */
export type * from './model.js';
export { BuilderError } from './errors.js';
export type * from './sshd.js';
export { buildSshd, buildSshdDocument } from './sshd.js';
export type * from './xinetd.js';
export { buildXinetd, buildXinetdDocument } from './xinetd.js';
export type * from './fail2ban.js';
export { literal, buildJailLocal, buildJailLocalDocument, buildFilterLocal, buildFilterLocalDocument, buildActionLocal, buildActionLocalDocument } from './fail2ban.js';
export type * from './ufw.js';
export { buildUfwScript } from './ufw.js';
export type * from './iptables.js';
export { buildIptables, buildIptablesDocument } from './iptables.js';
export { specSchema, type HostSpec, type HostSpecInput, type SshSpec, type HoneypotSpec, type Fail2banSpec, type UfwSpec } from './spec.js';
export type { SpecIssue } from './validate.js';
export { loadSpec, type LoadResult } from './load.js';
export { render, validateSpec, SpecError, isRenderedByFwconf } from './render.js';
export { DEFAULT_SPEC, EXAMPLE_SPEC_YAML } from './default-spec.js';
export type { BuilderCode } from './codes.js';
/** How each value is quoted and laid out, the keyword and attribute tables, and the spec's cross-field rules. */
export * as syntax from './syntax.js';

/**
 * The typed builder and the host spec: `render(spec)` gives every file of the hardening setup;
 * the per-format builders (`buildSshd`, `buildXinetd`, `buildJailLocal`, `buildFilterLocal`,
 * `buildActionLocal`, `buildUfwScript`, `buildIptables`) write one file each and throw
 * `BuilderError` (naming the field) for any value they cannot write safely.
 */
export * from './model.js';
export { BuilderError } from './errors.js';
export * from './sshd.js';
export * from './xinetd.js';
export * from './fail2ban.js';
export * from './ufw.js';
export * from './iptables.js';
export { specSchema, type HostSpec, type HostSpecInput, type SshSpec, type HoneypotSpec, type Fail2banSpec, type UfwSpec } from './spec.js';
export { crossFieldIssues, specIssues, type SpecIssue } from './validate.js';
export { loadSpec, formatPath, type LoadResult } from './load.js';
export { render, validateSpec, SpecError, MARKER, PATHS, isRenderedByFwconf } from './render.js';
export { DEFAULT_SPEC, EXAMPLE_SPEC_YAML } from './default-spec.js';

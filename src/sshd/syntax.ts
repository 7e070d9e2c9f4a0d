/**
 * sshd_config below the Document: the line reader, quoting, the keyword and algorithm tables, the
 * OpenSSH releases' defaults and the audit's pieces. `import { syntax } from 'fwconf/sshd'`.
 */
export { parseLine } from './parse.js';
export { quoteArgument, directiveValue, matchCriteria } from './document.js';
export { renderDirective } from './render.js';
export { KEYWORDS, ALIASES, DUMP_ORDER, MATCH_CRITERIA, canonicalKeyword } from './keywords.js';
export { ALGORITHMS } from './algorithms.js';
export { SSHD_RELEASES, DEFAULT_OPENSSH, sshdRelease } from './defaults.js';
export { groupLookup } from './accounts.js';
export { auditClasses, matchClass, findingDiagnostic } from './audit.js';
export { BASELINE_YAML, weakAlgorithms } from './policy.js';
export { readTree, type SshdTree, type SshdTreeDirective, type SshdTreeMatch } from './tree.js';

/**
 * The builders' pieces: how each value is quoted and laid out in its file, the keyword and attribute
 * tables the builders accept, and the spec's cross-field rules. `import { syntax } from 'fwconf/builder'`.
 */
export { SSHD_KEYWORDS, SSHD_KEYWORD_NAMES, SSHD_MATCH_KEYWORD_NAMES, quoteSshdArg, sshdKeywordLines, listenAddress, methodLists, describeMethodLists, sshdMatchLine, quotesBalanced, commentLines } from './sshd.js';
export { XINETD_ATTRIBUTE_ORDER, xinetdAttributes } from './xinetd.js';
export { f2bValueLine, f2bOption, jailOptions } from './fail2ban.js';
export { ufwRuleSpecs, ufwState } from './ufw.js';
export { quoteIptablesText, iptablesRule, iptablesModel, iptablesRuleLine } from './iptables.js';
export { crossFieldIssues, specIssues } from './validate.js';
export { INVALID, salvage, keysAt, type Salvaged, type Invalid, type Whole } from './schema-walk.js';
export { formatPath } from './load.js';
export { MARKER, PATHS } from './render.js';

/**
 * iptables-save below the Document: the tokenizer and quoting, a rule's arguments read as iptables
 * reads them, canonical forms, the match and target modules, and the family helpers.
 * `import { syntax } from 'fwconf/iptables'`.
 */
export { familyDiagnostic } from './check.js';
export { withHostPrefix, ruleKey, readRule, familyFromFileName } from './document.js';
export { canonicalAddress, ruleFamily, SERVICES, ICMP_TYPES, ICMPV6_TYPES } from './canonical.js';
export { interpret, ruleArgs, ruleArgv } from './rule.js';
export { tokenize, saveString, quotedString, restoreArg, shellQuote } from './scan.js';
export { blocktypeOf, jailOfChain, CHAIN_PREFIXES } from './fail2ban.js';
export { matchModules, targetExtensions, BUILTIN_CHAINS, STANDARD_TARGETS } from './modules.js';

/**
 * `ufw status` below the Document: the line reader, the column splitter and field reader, the layout
 * ufw prints, its translations, the rule keys and the command pieces, and the address form ufw stores.
 * `import { syntax } from 'fwconf/ufw'`.
 */
export { parseLine } from './parse.js';
export { splitRuleLine, parseField } from './columns.js';
export { ruleLine, ruleTable, sideText, statusText, statusOrder, appTuple } from './layout.js';
export { TRANSLATIONS } from './translations.js';
export { shellQuote, ruleArgs, appendCommands, collapseApps, ruleKey, canPair, isAnywhere, commentProblem } from './commands.js';
export { sortPorts } from './apps.js';
export { withoutHostPrefix } from './address.js';
export { PROTOCOLS, IPV4_ONLY_PROTOCOLS, PORTLESS_PROTOCOLS } from './model.js';

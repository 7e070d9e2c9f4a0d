/**
 * ufw's own files: the three formats `ufw-rules` (src/ufw-rules: user.rules, user6.rules,
 * before/after(6).rules and the timestamped copies `ufw reset` leaves), `ufw-conf` (src/ufw-conf:
 * ufw.conf and /etc/default/ufw) and `ufw-app` (src/ufw-app: applications.d profiles), re-exported
 * here under their names; and what belongs to the tree as a whole: what `ufw status` and
 * `ufw show added` print for a tree, its findings, logging, rule inserts across both families,
 * reset backups and the files ufw holds for a state.
 */
export { format as rulesFormat, isUfwRulesName, isUfwRulesContent } from '../ufw-rules/index.js';
export { parseRules, rulesFileOf, matchRules, UfwRulesDocument, RulesNode, type UfwFileRule, type UfwRulesModel, type RulesFileKind, type RulesLineKind } from '../ufw-rules/index.js';
export { readTuple, tupleText, chainLines, formatRule, userChain, decodeComment, encodeComment, validAddress, isTupleLine, type TupleRead } from '../ufw-rules/index.js';
export { checkRules, checkFamilies, covers, shadowed } from '../ufw-rules/index.js';
export { format as confFormat, parseConf, ufwReads, UfwConfDocument, ConfNode, checkConf, type UfwConfModel } from '../ufw-conf/index.js';
export { format as appFormat, parseApp, UfwAppDocument, AppNode, type UfwAppModel, type UfwAppFileProfile, type AppProfileInput } from '../ufw-app/index.js';
export {
  readTree,
  setting,
  usesIpv6,
  isEnabled,
  treeRules,
  statusOutput,
  showAdded,
  ruleCommand,
  checkTree,
  forwardingFromFiles,
  RESET_FILES,
  type UfwTree,
  type StatusOptions,
} from './tree.js';
export { listBackups, backupPath, type BackupSet } from './backups.js';
export { renderUfwFiles, type UfwFile } from './render.js';
export { insertUfwRule, ruleCount } from './insert.js';
export { setUfwLogging, loggingPolicies } from './logging.js';
export { setRulesLogging, loggingLines, writtenRules, LOG_LEVELS, type UfwLogLevel, type LoggingPolicies } from '../ufw-rules/logging.js';

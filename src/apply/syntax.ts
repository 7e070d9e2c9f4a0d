/**
 * The apply's pieces: running programs, reading planned files, the ufw script, the planned tree as a
 * file source, nftables tables, and the lock's owner checks. `import { syntax } from 'fwconf/apply'`.
 */
export { formatArgv, runProgram } from './executor.js';
export { changes, readText, unifiedDiff, enabledJails, SSHD_CONFIG, FAIL2BAN_DIR } from './plan.js';
export { readUfwScript, allowsTcpPort, ufwRestoreScript } from './ufw-script.js';
export { PlannedTreeSource, overPlannedTree } from './tree-source.js';
export { handMadeTables, parseNftTables, isXtablesTable, nftablesCheck, tableName, XTABLES_TABLES, FAIL2BAN_TABLE } from './nftables.js';
export { ownerAlive, currentOwner, LockFile } from './lock.js';

/**
 * fwconf/apply: put rendered files in place safely — plan with diffs, back up, install atomically,
 * validate with the daemons' own checkers, reload, verify, roll back on failure.
 *
 * ```ts
 * const exec = new LocalExecutor({ root: '/tmp/scratch' });
 * const plan = await planApply(render(spec).files, exec, { operator: { user: 'alice' } });
 * console.log(formatPlan(plan));
 * const result = await executePlan(plan, exec);
 * ```
 */
export {
  LocalExecutor,
  RecordingExecutor,
  DryRunExecutor,
  PathEscapeError,
  formatArgv,
  runProgram,
  type Executor,
  type FileInfo,
  type FileKind,
  type RunResult,
  type RunOptions,
  type WriteOptions,
  type RecordedOp,
} from './executor.js';
export {
  planApply,
  PlanRefusal,
  changes,
  readText,
  unifiedDiff,
  enabledJails,
  SSHD_CONFIG,
  FAIL2BAN_DIR,
  JOURNAL,
  type Plan,
  type PlannedFile,
  type PlannedCommand,
  type PlannedLibraryCheck,
  type PlannedSnapshot,
  type PlanOptions,
  type Operator,
} from './plan.js';
export {
  executePlan,
  recoverInterrupted,
  writeRefusals,
  formatPlan,
  formatResult,
  type ApplyResult,
  type ApplyStatus,
  type ExecuteOptions,
  type StepRecord,
  type StepKind,
  type Journal,
} from './transaction.js';
export { readUfwScript, allowsTcpPort, ufwRestoreScript, type UfwScript, type UfwScriptRule } from './ufw-script.js';
export { editUserLocal, type LocalEdit } from './fail2ban-edits.js';
export { missingLogAdvice, explainFail2banTest, specEnables, type SpecEnables } from './fail2ban-refusals.js';
export { PlannedTreeSource, overPlannedTree } from './tree-source.js';
export { includesFile, insertInclude, rerootIncludes, commentOutPorts, setsPort } from './sshd-edits.js';
export {
  handMadeTables,
  parseNftTables,
  isXtablesTable,
  nftablesCheck,
  tableName,
  XTABLES_TABLES,
  FAIL2BAN_TABLE,
  type NftTable,
  type NftablesCheck,
} from './nftables.js';
export type { MemFile } from './executor.js';
export { LockBusyError, ownerAlive, currentOwner, LockFile, type LockOwner, type ApplyLock } from './lock.js';
export type { TreeLock } from './executor.js';

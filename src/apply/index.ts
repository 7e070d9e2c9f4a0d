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
export type { UfwScript, UfwScriptRule } from './ufw-script.js';
export { editUserLocal, type LocalEdit } from './fail2ban-edits.js';
export { missingLogAdvice, explainFail2banTest, specEnables, type SpecEnables } from './fail2ban-refusals.js';
export { includesFile, insertInclude, rerootIncludes, commentOutPorts, setsPort } from './sshd-edits.js';
export type { NftTable, NftablesCheck } from './nftables.js';
export type { MemFile } from './executor.js';
export { LockBusyError, type LockOwner, type ApplyLock } from './lock.js';
export type { TreeLock } from './executor.js';
export type { ApplyCode } from './codes.js';
/** Running programs, planned files, the ufw script, nftables tables and the lock's owner checks. */
export * as syntax from './syntax.js';

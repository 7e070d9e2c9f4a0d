/**
 * `ufw status` output (ufw-status): lossless parse of every form (plain, verbose, numbered,
 * inactive), the typed rule model, the ufw commands that create and delete rules, plans from one
 * status to another, and the script that recreates a `ufw status verbose`.
 */
import type { Format } from '../core/format.js';
import { check } from './check.js';
import { UfwStatusDocument } from './document.js';
import { matchHeaderLine } from './locale.js';
import { parse } from './parse.js';

export * from './model.js';
export { parse, parseLine, type UfwLine } from './parse.js';
export { check } from './check.js';
export { UfwStatusDocument, UfwNode } from './document.js';
export { splitRuleLine, parseField, type FieldValue, type RuleColumns } from './columns.js';
export { ruleLine, ruleTable, sideText, statusText, statusOrder, appTuple } from './layout.js';
export { ruleToSpec, specToRule } from './tuple.js';
export { TRANSLATIONS, type UfwTranslation } from './translations.js';

const STATUS_RE = /^\uFEFF?Status: (?:active|inactive)(?:\r?\n|$)/;

export const format: Format<UfwStatusDocument> = {
  name: 'ufw-status',
  parse,
  check: (doc, options) => check(doc, options),
  detect(file, text) {
    // The first line is the status line, in English or in a language ufw ships.
    const first = /^\uFEFF?([^\r\n]*)/.exec(text)![1]!;
    const content = STATUS_RE.test(text) || matchHeaderLine(first)?.kind === 'status' ? 1 : 0;
    const name = file !== undefined && /ufw[-_.]?status|(^|\/)ufw[^/]*\.txt$/i.test(file) ? 2 : 0;
    return name + content;
  },
};
export {
  shellQuote,
  ruleArgs,
  createCommand,
  deleteCommand,
  deleteNumberCommand,
  planRules,
  appendCommands,
  collapseApps,
  ruleKey,
  canPair,
  isAnywhere,
  commentProblem,
  type UfwCommand,
  type UfwPlan,
  type NumberedSpec,
  type CommandOptions,
} from './commands.js';
export { renderStatus, renderScript, ruleCommands, type ScriptOptions } from './render.js';
export { loadAppProfiles, parseAppProfiles, expandRule, sortPorts, type UfwAppProfile, type UfwRuleInput } from './apps.js';
export { withoutHostPrefix } from './address.js';
export type { HeaderMatch } from './locale.js';
export type { Span, SplitResult } from './columns.js';

/**
 * `ufw status` output (ufw-status): lossless parse of every form (plain, verbose, numbered,
 * inactive), the typed rule model, the ufw commands that create and delete rules, plans from one
 * status to another, and the script that recreates a `ufw status verbose`.
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import { UfwStatusDocument } from './document.js';
import { matchHeaderLine } from './locale.js';
import { parse } from './parse.js';
import { renderStatus } from './render.js';
import type { UfwState, UfwStatusMode } from './model.js';

export type * from './model.js';
export { ruleSpec } from './model.js';
export { parse, type UfwLine } from './parse.js';
export { check } from './check.js';
export { UfwStatusDocument, UfwNode } from './document.js';
export type { FieldValue, RuleColumns } from './columns.js';
export { ruleToSpec, specToRule } from './tuple.js';
export type { UfwTranslation } from './translations.js';
export type { UfwCode } from './codes.js';
/** The line reader, columns, layout, translations and command pieces the Document is built from. */
export * as syntax from './syntax.js';

const STATUS_RE = /^\uFEFF?Status: (?:active|inactive)(?:\r?\n|$)/;

/** The `ufw status` output format: parse, check, render, semantics and detection (by its status and table lines). */
export const format: Format<UfwStatusDocument, UfwState, UfwState | undefined, { mode?: UfwStatusMode }> = {
  name: 'ufw-status',
  parse,
  check: (doc, options) => check(doc, options),
  detect: detector({
    name: (path) => /ufw[-_.]?status|(^|\/)ufw[^/]*\.txt$/i.test(path),
    // The first line is the status line, in English or in a language ufw ships.
    content: (head) => STATUS_RE.test(head) || matchHeaderLine(/^\uFEFF?([^\r\n]*)/.exec(head)![1]!)?.kind === 'status',
  }),
  /** What `ufw status` prints for the state (`verbose` unless `options.mode` says otherwise). */
  render: (state, options) => renderStatus(state, options?.mode ?? 'verbose'),
  semanticsVerb: 'state',
  /** The firewall state the output shows (undefined when the output does not show it whole, as plain `ufw status`). */
  semantics: (doc) => doc.state(),
};
export {
  createCommand,
  deleteCommand,
  deleteNumberCommand,
  planRules,
  type UfwCommand,
  type UfwPlan,
  type NumberedSpec,
  type CommandOptions,
} from './commands.js';
export { renderStatus, renderScript, ruleCommands, type ScriptOptions } from './render.js';
export { loadAppProfiles, parseAppProfiles, expandRule, type UfwAppProfile, type UfwRuleInput } from './apps.js';
export type { HeaderMatch } from './locale.js';
export type { Span, SplitResult } from './columns.js';
/** ufw's own files (user.rules, ufw.conf, applications.d): formats ufw-rules, ufw-conf, ufw-app; offline status. */
export * as files from '../ufw-files/index.js';

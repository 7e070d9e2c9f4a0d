/**
 * fail2ban configuration: the lossless INI document (jail.conf, jail.local, jail.d/, filter.d/,
 * action.d/, paths-*.conf), the .conf/.local/.d overlay with `[INCLUDES]`, `%(name)s`
 * interpolation, resolved jails with provenance, checks, rendering, and the ban command of an action.
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import { parse, type Fail2banDocument } from './document.js';
import { render, type RenderSpec } from './render.js';
import { resolve, type Resolution, type ResolveDocumentOptions } from './resolve.js';

/** 2 for a path under a fail2ban directory, 1 for a .conf/.local (or unnamed) text with fail2ban's sections or keys. */
const detect = detector({
  name: (path) => /fail2ban/.test(path),
  content: (head, path) =>
    (path === undefined || /\.(conf|local)$/.test(path)) &&
    (/^\s*\[(Definition|INCLUDES|Init)\]/m.test(head) || (/^\s*\[[^\]\n]+\]/m.test(head) && /^\s*(enabled|filter|logpath|bantime|findtime|maxretry|banaction|failregex)\s*[=:]/m.test(head))),
});

/** The fail2ban format: parse, check, render, semantics and detection (jail, filter and action files, by path and content). */
export const format: Format<Fail2banDocument, RenderSpec, Resolution, { file?: string; eol?: '\n' | '\r\n' }, ResolveDocumentOptions> = {
  name: 'fail2ban',
  parse,
  check,
  detect,
  render: (spec, options) => render(spec, options),
  semanticsVerb: 'resolve',
  /** The jails of the tree the Document belongs to (its `file` places it), with the Document's text in its place. */
  semantics: (doc, options) => resolve(doc, options),
};

export { parse, Fail2banDocument, SectionView, type Fail2banFileJSON, type SectionJSON, type OptionJSON } from './document.js';
export type { ParsedIni, IniLine, IniEntry, IniSection, IniContent, RawOption, LineKind } from './parse.js';
export { InterpolationError, NoOptionError, NoSectionError, type Val, type Origin, type InterpolationStep } from './config.js';
export { resolve, FAIL2BAN_VERSION, type ResolveDocumentOptions, type Resolution, type ResolvedJail, type ResolvedFilter, type ResolvedAction, type Provenance, type ResolveOptions, type Command, type PyData } from './resolve.js';
export { toResolvedJSON } from './json.js';
export { check, checkConfig, type CheckConfigOptions } from './check.js';
export { OptionSyntaxError, TagRecursionError } from './options.js';
export { banCommand, type BanTicket, type BanCommand } from './tags.js';
export { parseTime, type ResolvedJSON } from './model.js';
export { render, renderText, type RenderSpec, type RenderSection, type RenderValue } from './render.js';
export type { OptionSpec } from './keywords.js';
export type { PyValue } from './pytext.js';
export type { Fail2banCode } from './codes.js';
/** The INI reader, interpolation, option syntax, Python conversions and option tables the Documents and the resolver are built from. */
export * as syntax from './syntax.js';
/** The filter engine: fail2ban's date detector, regexes and Filter, filters and jails loaded as the client passes them, and the bans a jail would make. */
export * as filter from './filter/index.js';
export type { ParseOptions } from './parse.js';
export type { Vars } from './config.js';
/** The ban database (fail2ban.sqlite3), read without SQLite: its tables, reconcile against the firewall, and unban plans. */
export * as db from './db/index.js';
/** The ban database: `readBanDatabase` here; reconcile, unban and the SQLite reader under `db`. */
export { readBanDatabase, type BanDatabase, type BanRow, type BanView, type JailBans } from './db/index.js';
export type { Drift, DriftKind, Reconciliation } from './db/reconcile.js';
export type { UnbanPlan, UnbanResult } from './db/unban.js';
/** `fail2ban-client status [JAIL]` output: `status.parseStatus`, `status.StatusDocument`. */
export * as status from './status.js';
export type { StatusItem, StatusJSON, ServerStatus, JailStatus } from './status.js';
export { readGeneralSettings, type GeneralSettings, type GeneralReading } from './general.js';

/**
 * fail2ban configuration: the lossless INI document (jail.conf, jail.local, jail.d/, filter.d/,
 * action.d/, paths-*.conf), the .conf/.local/.d overlay with `[INCLUDES]`, `%(name)s`
 * interpolation, resolved jails with provenance, checks, rendering, and the ban command of an action.
 */
import type { Format } from '../core/format.js';
import { check } from './check.js';
import { parse, type Fail2banDocument } from './document.js';

function detect(file: string | undefined, text: string): number {
  const name = file !== undefined && /fail2ban/.test(file) ? 2 : 0;
  const ext = file === undefined || /\.(conf|local)$/.test(file);
  const head = text.slice(0, 65536);
  const content = ext && (/^\s*\[(Definition|INCLUDES|Init)\]/m.test(head) || (/^\s*\[[^\]\n]+\]/m.test(head) && /^\s*(enabled|filter|logpath|bantime|findtime|maxretry|banaction|failregex)\s*[=:]/m.test(head))) ? 1 : 0;
  return name + content;
}

export const format: Format<Fail2banDocument> = {
  name: 'fail2ban',
  parse,
  check,
  detect,
};

export { parse, Fail2banDocument, SectionView, type Fail2banFileJSON, type SectionJSON, type OptionJSON } from './document.js';
export { parseIni, splitPythonLines, type ParsedIni, type IniLine, type IniEntry, type IniSection, type IniContent, type RawOption, type LineKind } from './parse.js';
export { PyConfig, InterpolationError, NoOptionError, NoSectionError, overrideChain, MAX_INTERPOLATION_DEPTH, MAX_INTERPOLATED_LENGTH, MAX_INTERPOLATION_REFERENCES, type Val, type Origin, type InterpolationStep } from './config.js';
export { FileCache } from './overlay.js';
export { resolve, shlexSplit, FAIL2BAN_VERSION, type Resolution, type ResolvedJail, type ResolvedFilter, type ResolvedAction, type Provenance, type ResolveOptions, type Command, type PyData } from './resolve.js';
export { toResolvedJSON } from './json.js';
export { check, checkConfig, checkDocument, fileRole, type CheckConfigOptions } from './check.js';
export { extractOptions, splitWithOptions, splitwords, substituteRecursiveTags, asBool, pyInt, pyRepr, OptionSyntaxError, TagRecursionError } from './options.js';
export { banCommand, ipFamily, ipReverse, type BanTicket, type BanCommand } from './tags.js';
export { parseTime, type ResolvedJSON } from './model.js';
export { parseDump, parsePyLiteral, commandsByJail } from './dump.js';
export { render, renderText, type RenderSpec, type RenderSection, type RenderValue } from './render.js';
export { ACTION_OPTIONS, FILTER_OPTIONS, JAIL_OPTIONS, KNOWN_JAIL_OPTIONS, TIME_OPTIONS, type OptionSpec } from './keywords.js';
export type { PyValue } from './pytext.js';
export * as filter from './filter/index.js';
export type { ParseOptions } from './parse.js';
export type { Vars } from './config.js';
export { parseStatus, StatusDocument, type StatusItem, type StatusJSON, type ServerStatus, type JailStatus } from './status.js';
export { readGeneralSettings, typeGeneral, type GeneralSettings, type GeneralReading } from './general.js';

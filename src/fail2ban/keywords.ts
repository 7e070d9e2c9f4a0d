/**
 * fail2ban 1.0.2's option tables, as data: what JailReader, FilterReader and ActionReader read
 * (`_configOpts`), with their types and defaults, in the order fail2ban reads (and emits) them.
 */
import type { PyValue } from './pytext.js';

/** `[type, name, default]`: type `bool` / `int` are converted, `string` kept; a null default means "omit when unset". */
export type OptionSpec = readonly ['string' | 'bool' | 'int', string, PyValue];

/** FilterReader._configOpts. */
export const FILTER_OPTIONS: readonly OptionSpec[] = [
  ['string', 'usedns', null],
  ['string', 'prefregex', null],
  ['string', 'ignoreregex', null],
  ['string', 'failregex', null],
  ['int', 'maxlines', null],
  ['string', 'datepattern', null],
  ['string', 'journalmatch', null],
];

/** JailReader._configOpts1st: the first pass. */
export const JAIL_OPTIONS_FIRST: readonly OptionSpec[] = [
  ['bool', 'enabled', false],
  ['string', 'backend', 'auto'],
  ['string', 'filter', ''],
];

/** JailReader._configOpts (with FilterReader's appended, as fail2ban's dict.update does). */
export const JAIL_OPTIONS: readonly OptionSpec[] = [
  ['bool', 'enabled', false],
  ['string', 'backend', 'auto'],
  ['int', 'maxretry', null],
  ['int', 'maxmatches', null],
  ['string', 'findtime', null],
  ['string', 'bantime', null],
  ['bool', 'bantime.increment', null],
  ['string', 'bantime.factor', null],
  ['string', 'bantime.formula', null],
  ['string', 'bantime.multipliers', null],
  ['string', 'bantime.maxtime', null],
  ['string', 'bantime.rndtime', null],
  ['bool', 'bantime.overalljails', null],
  ['string', 'ignorecommand', null],
  ['bool', 'ignoreself', null],
  ['string', 'ignoreip', null],
  ['string', 'ignorecache', null],
  ['string', 'filter', ''],
  ['string', 'logtimezone', null],
  ['string', 'logencoding', null],
  ['string', 'logpath', null],
  ['string', 'action', ''],
  ...FILTER_OPTIONS,
];

/** ActionReader._configOpts. */
export const ACTION_OPTIONS: readonly OptionSpec[] = [
  ['string', 'actionstart', null],
  ['bool', 'actionstart_on_demand', null],
  ['string', 'actionstop', null],
  ['string', 'actionflush', null],
  ['string', 'actionreload', null],
  ['string', 'actioncheck', null],
  ['string', 'actionrepair', null],
  ['bool', 'actionrepair_on_unban', null],
  ['string', 'actionban', null],
  ['string', 'actionprolong', null],
  ['string', 'actionreban', null],
  ['string', 'actionunban', null],
  ['bool', 'norestored', null],
];

/** Options fail2ban's jail reader knows; anything else in a jail is only a `%()s` variable. */
export const KNOWN_JAIL_OPTIONS: ReadonlySet<string> = new Set(JAIL_OPTIONS.map((o) => o[1]));

/** Keys that jail.conf's stock DEFAULT defines as helpers for interpolation (not jail options, but not typos either). */
export const STOCK_HELPER_KEYS: ReadonlySet<string> = new Set([
  'before', 'after', 'mode', 'port', 'protocol', 'chain', 'banaction', 'banaction_allports', 'mta', 'destemail', 'sender',
  'action_', 'action_mw', 'action_mwl', 'action_xarf', 'action_cf_mwl', 'action_blocklist_de', 'action_abuseipdb',
  'fail2ban_agent', 'sshd_backend', 'dropbear_backend', 'apache_backend', 'nginx_backend', 'postfix_backend',
  'exim_backend', 'syslog_backend', 'logtarget', 'name', 'known/failregex', 'known/ignoreregex',
]);

/** Options whose values are fail2ban time spans (`10m`, `1h`, `-1`, `1d 2h`). */
export const TIME_OPTIONS: readonly string[] = ['bantime', 'findtime', 'bantime.maxtime', 'bantime.rndtime', 'dbpurgeage'];

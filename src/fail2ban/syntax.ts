/**
 * fail2ban below the Document and the resolver: the INI reader with Python's line rules, configparser's
 * interpolation (PyConfig), fail2ban's option syntax (`name[k=v]`, `<tag>`), the Python conversions, the
 * option tables, and the `fail2ban-client -d` dump reader. `import { syntax } from 'fwconf/fail2ban'`.
 */
export { parseIni, splitPythonLines } from './parse.js';
export { PyConfig, overrideChain, MAX_INTERPOLATION_DEPTH, MAX_INTERPOLATED_LENGTH, MAX_INTERPOLATION_REFERENCES } from './config.js';
export { FileCache } from './overlay.js';
export { shlexSplit, confDirOf } from './resolve.js';
export { checkDocument, fileRole } from './check.js';
export { extractOptions, splitWithOptions, splitwords, substituteRecursiveTags, asBool, pyInt, pyRepr } from './options.js';
export { ipFamily, ipReverse } from './tags.js';
export { parseDump, parsePyLiteral, commandsByJail } from './dump.js';
export { ACTION_OPTIONS, FILTER_OPTIONS, JAIL_OPTIONS, KNOWN_JAIL_OPTIONS, TIME_OPTIONS } from './keywords.js';
export { typeGeneral } from './general.js';

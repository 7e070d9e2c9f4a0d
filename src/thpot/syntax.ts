/**
 * thpot capture logs below the Document: the line writers, the month names thpot writes under each
 * LC_TIME, and how fail2ban reads a capture line's date and host. `import { syntax } from 'fwconf/thpot'`.
 */
export { checkEntry } from './check.js';
export { renderCapture, renderRecord, formatDuration } from './render.js';
export { C_MONTHS, LOCALE_MONTHS, monthInfo } from '../core/months.js';
export { failregexHost, fail2banReadsDate, fail2banOwnDate, fail2banLogDates } from './fail2ban.js';

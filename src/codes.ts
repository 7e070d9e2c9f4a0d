/**
 * Every diagnostic code fwconf reports, with its sentence, namespace by namespace (in DIAGNOSTICS.md's
 * order). Each namespace keeps its list in its own folder (src/sshd/codes.ts, ...); this file only gathers
 * them, for DIAGNOSTICS.md (`npm run docs:codes`) and for users who want the list at run time. Nothing
 * below src/ imports it.
 */
import { APPLY_CODES } from './apply/codes.js';
import { BUILDER_CODES } from './builder/codes.js';
import { EXPORT_CODES } from './export/codes.js';
import { FWCONF_CODES } from './core/codes.js';
import type { DiagnosticCode } from './core/diagnostics.js';
import { FAIL2BAN_CODES } from './fail2ban/codes.js';
import { FAIL2BAN_LOG_CODES } from './fail2ban-log/codes.js';
import { HOST_CODES, UFW_SCRIPT_CODES } from './host/codes.js';
import { IPTABLES_CODES } from './iptables/codes.js';
import { SSHD_CODES, type SshdAuditCode } from './sshd/codes.js';
import { THPOT_CODES } from './thpot/codes.js';
import { UFW_CODES } from './ufw/codes.js';
import { UFW_APP_CODES } from './ufw-app/codes.js';
import { UFW_CONF_CODES } from './ufw-conf/codes.js';
import { UFW_RULES_CODES } from './ufw-rules/codes.js';
import { XINETD_CODES } from './xinetd/codes.js';

/** Every diagnostic code, per namespace, with its sentence (what DIAGNOSTICS.md lists). */
export const DIAGNOSTIC_CODES = {
  fwconf: FWCONF_CODES,
  sshd: SSHD_CODES,
  xinetd: XINETD_CODES,
  fail2ban: FAIL2BAN_CODES,
  'fail2ban-log': FAIL2BAN_LOG_CODES,
  iptables: IPTABLES_CODES,
  ufw: UFW_CODES,
  'ufw-rules': UFW_RULES_CODES,
  'ufw-conf': UFW_CONF_CODES,
  'ufw-app': UFW_APP_CODES,
  thpot: THPOT_CODES,
  host: HOST_CODES,
  'ufw-script': UFW_SCRIPT_CODES,
  builder: BUILDER_CODES,
  apply: APPLY_CODES,
  export: EXPORT_CODES,
} as const;

type Lists = typeof DIAGNOSTIC_CODES;
type Gathered = { [N in keyof Lists]: keyof Lists[N] }[keyof Lists];
/** Compiles only while every list that core's `DiagnosticCode` knows is gathered above (the audit family has no fixed names). */
const complete: [Exclude<DiagnosticCode, SshdAuditCode>] extends [Gathered] ? true : never = true;
void complete;

export type { DiagnosticCode };

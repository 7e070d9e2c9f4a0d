/**
 * fwconf/host: the whole host below a root, read into one typed Host, and the findings over it that
 * no single file shows (`fwconf check --host`). A format's own check sees its files alone; the host
 * facts — users, executables, logs, the locale, the firewall's state — are read here.
 *
 * ```ts
 * const host = readHost(new NodeFileSource({ root: '/srv/scratch' }));
 * for (const d of checkHost(host)) console.log(formatDiagnostic(d));
 * ```
 */
import { diagnostic, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { hostFindings, type HostFinding } from './findings.js';
import type { Host } from './read.js';

export { readHost, timeLocale, XINETD_CONF, FAIL2BAN_DIR, UFW_SCRIPT, NFTABLES_CONF, type Host, type HostInputs, type HostLocale, type HostLocaleValue } from './read.js';
export { readSshd, sshdLogin, SSHD_CONFIG, type HostSshd, type HostSshdMatch, type HostSshdLogin, type HostSshdDirective, type HostSshdPort } from './sshd.js';
export { readUfwFiles, readUfwStatus, readUfwScriptState, readUserRules, ufwAllows, type HostUfw, type HostUfwRule } from './ufw.js';
export { readUfwScript, allowsTcpPort, checkUfwScript, looksLikeUfwScript, type UfwScript, type UfwScriptRule } from './ufw-script.js';
export { readNftRuleset, foreignTables, tableLetsIn, type NftRulesetTable, type NftBaseChain } from './nftables.js';
export { hostFindings, englishMonths, type HostFinding, type RelatedPlace } from './findings.js';

/** A diagnostic of `check --host`: a format's own, or a cross-file finding (with `related` and `fix`). */
export type HostDiagnostic = Diagnostic & Partial<Pick<HostFinding, 'related' | 'fix' | 'command'>>;

/**
 * Everything `fwconf check --host` reports: what each daemon's configuration says with the host's
 * facts (sshd's check of its tree; xinetd's evaluation with the root's users, groups, services and
 * executables; fail2ban's check of its tree), then the cross-file findings. fail2ban's "logpath matches
 * no file" is reported once, as host/jail-log-missing with its real cause.
 */
export function checkHost(host: Host): HostDiagnostic[] {
  const own: Diagnostic[] = [
    ...host.inputDiagnostics,
    ...(host.sshd?.diagnostics ?? []),
    ...(host.xinetd?.diagnostics ?? []),
    ...host.fail2banDiagnostics.filter((d) => d.code !== 'fail2ban/logpath-no-file'),
  ];
  const seen = new Set<string>();
  const unique = own.filter((d) => {
    const k = `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const nothing = host.empty
    ? [diagnostic('host/nothing-read', 'warning', 'no sshd_config, xinetd.conf, fail2ban jail.conf or ufw configuration below the root: nothing was checked', { line: 1, column: 1 }, '/')]
    : [];
  return [...nothing, ...sortDiagnostics(unique), ...hostFindings(host)];
}

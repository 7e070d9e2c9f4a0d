/**
 * Why fail2ban will refuse the planned tree, in apply's words: the facts are host/'s (readHost's
 * fail2ban resolution, host/jail-log-missing's real cause), the fix names the place to change — the
 * spec for a jail fwconf enables, the user's own file for theirs.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { Fail2banDocument } from '../fail2ban/document.js';
import { missingLogs, type MissingLog } from '../host/findings.js';
import type { Host } from '../host/read.js';

/** Whether the spec sets `enabled` of a jail in a file (in a file fwconf renders whole, every jail). */
export type SpecEnables = (file: string, jail: string) => boolean;

/**
 * `rendered`: the files fwconf renders whole; `edited`: the user's files fwconf edits in place, each
 * with fwconf's rendered text for it.
 */
export function specEnables(rendered: Iterable<string>, edited: ReadonlyMap<string, string> = new Map()): SpecEnables {
  const whole = new Set(rendered);
  const docs = new Map([...edited].map(([p, text]) => [p, new Fail2banDocument(text, { file: p })] as const));
  return (file, jail) => whole.has(file) || docs.get(file)?.get(jail, 'enabled') !== undefined;
}

/** Why a jail's logpath matches nothing (the first missing directory, say), and the two ways out. */
export function missingLogAdvice(m: MissingLog, enables: SpecEnables): string {
  const { jail } = m;
  const patterns = jail.logpathPatterns;
  const where = m.raw !== undefined ? `logpath = ${m.raw}, ${m.at.file}:${m.at.line}; ` : '';
  const what = `jail [${jail.name}]: logpath ${patterns.join(', ') || '(none)'} matches no file (${where}${m.causes.join('; ')})${m.hint}`;
  // The directory of the log, when it is missing altogether, usually names the service.
  const dirs = [...new Set(patterns.map((p) => p.slice(0, p.lastIndexOf('/'))).filter((d) => d && !/[*?[]/.test(d)))];
  const service = dirs.map((d) => /^\/var\/log\/([^/]+)$/.exec(d)?.[1]).find((s) => s !== undefined);
  const install = service ? `install and start ${service} (the service that writes ${patterns.join(', ')})` : `install and start the service that writes ${patterns.join(', ') || 'its log'}`;
  const enabled = jail.provenance.enabled;
  const disable =
    enabled?.file && !enables(enabled.file, jail.name)
      ? `set \`enabled = false\` in [${jail.name}] of ${enabled.file}:${enabled.line}`
      : `disable the jail in the spec (fail2ban.jails.${jail.name}.enabled: false)`;
  return `${what}. To fix it: ${m.hint ? 'set `backend = systemd` in the jail, ' : ''}${install}, or ${disable}`;
}

/**
 * What went wrong, from `fail2ban-client -t`'s output and host/'s reading of the same tree: the jail
 * without a log file (with its real cause and the fix), or the errors fail2ban's check finds.
 */
export function explainFail2banTest(host: Host, enables: SpecEnables, output: string): string | undefined {
  const missing = missingLogs(host);
  const named = [...output.matchAll(/Have not found any log file for (\S+) jail/g)].map((m) => m[1]!);
  const jails = named.length ? missing.filter((m) => named.includes(m.jail.name)) : /log file/i.test(output) ? missing : [];
  // A jail fail2ban names that has its log as fwconf reads the tree: fail2ban looked elsewhere.
  const elsewhere = named.filter((n) => !missing.some((m) => m.jail.name === n)).map((n) => {
    const j = host.fail2ban?.jails.find((x) => x.name === n);
    return j ? `jail [${n}]: fail2ban-client found no log file for ${j.logpathPatterns.join(', ')}, while fwconf finds ${j.logpath.map((l) => l.path).join(', ') || 'none'} in the tree it checks (fail2ban-client reads log paths on this machine, not below a --root)` : `jail [${n}]: fail2ban-client found no log file for it`;
  });
  if (jails.length || elsewhere.length) return [...jails.map((m) => missingLogAdvice(m, enables)), ...elsewhere].join('; ');
  const errors = host.fail2banDiagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (errors.length) return errors.slice(0, 3).map((d) => `${d.file ?? ''}${d.file ? `:${d.line}: ` : ''}${d.message}`).join('; ');
  return undefined;
}

/**
 * The cross-file findings over a Host: what breaks between sshd, xinetd, fail2ban, ufw and the
 * firewall although every file is valid on its own. Each finding has a stable code (`host/…`), a
 * severity, the place of each side (the finding's own file:line and `related` ones), and the fix as
 * a sentence, with the command or edit where there is one.
 *
 * - host/honeypot-port-conflict (error): an xinetd service on a port sshd listens on, or two services on one port
 * - host/ssh-port-not-allowed (error): ufw is active, or the ufw script enables it, and an sshd port is not let in
 * - host/jail-port-mismatch (error): the sshd jail's `port` does not cover every port sshd listens on
 * - host/ban-misses-ssh (error): the sshd jail's action blocks ports that do not include sshd's
 * - host/jail-log-missing (error): a jail's logpath matches no file (fail2ban refuses to start)
 * - host/jail-filter-missing (error): a jail's filter file does not exist (fail2ban skips the jail)
 * - host/jail-filter-never-matches (error, warning or info): no line of the last ones of a jail's log
 *   matches its filter, as fail2ban-regex counts; why, when the lines say (no date fail2ban reads, all
 *   ignored, the prefregex fails), else an info: the log may hold no attack yet
 * - host/locale-dates (error): the honeypot writes dates in a locale whose months fail2ban cannot read,
 *   or a watched log holds such dates
 * - host/drop-in-overrides (error): a file sshd reads earlier sets a keyword of the hardening drop-in
 *   to another value (sshd takes the first value); (warning) a Match block sets it to another value,
 *   and for a connection it matches (`sshd -T -C`) that value decides
 * - host/ufw-with-nftables (warning; error when it drops sshd's port): nftables.service is enabled
 *   while ufw is, or a given `nft list ruleset` has tables neither ufw (iptables-nft) nor fail2ban made
 * - host/ban-before-accept (error): ban chains that an ESTABLISHED accept rule bypasses
 * - host/recidive-vs-dbpurgeage (error): recidive looks further back than fail2ban keeps bans
 */
import * as nodePath from 'node:path';
import { diagnostic, type CodeName, type Diagnostic, type Severity } from '../core/diagnostics.js';
import { isRenderedByFwconf } from '../builder/render.js';
import { NodeFileSource } from '../core/files.js';
import { parseTime, type ResolvedJail } from '../fail2ban/index.js';
import { Filter, FilterSpecError, foreignMonth as logForeignMonth, specOf } from '../fail2ban/filter/index.js';
import { matchClass } from '../sshd/audit.js';
import { lookupKeyword, type SshdConnection } from '../sshd/index.js';
import { dumpName } from '../sshd/keywords.js';
import { C_MONTHS, LOCALE_MONTHS, monthInfo } from '../core/months.js';
import type { EffectiveService } from '../xinetd/index.js';
import { logTail } from './logs.js';
import { foreignTables, tableLetsIn, type NftRulesetTable } from './nftables.js';
import { timeLocale, type Host } from './read.js';
import type { HostSshdMatch, HostSshdPort } from './sshd.js';
import { ufwAllows, type HostUfw } from './ufw.js';

const posix = nodePath.posix;

/** A place a finding points to besides its own. */
export interface RelatedPlace {
  readonly file: string;
  readonly line: number;
  readonly message?: string;
}

export interface HostFinding extends Diagnostic {
  readonly file: string;
  readonly related: readonly RelatedPlace[];
  /** The fix, as a sentence. */
  readonly fix: string;
  /** The command that fixes it, when there is one. */
  readonly command?: string;
}

function finding(code: CodeName<'host'>, severity: Severity, message: string, at: { file: string; line: number; column?: number }, related: RelatedPlace[], fix: string, command?: string): HostFinding {
  return { ...diagnostic(`host/${code}`, severity, message, { line: at.line, column: at.column ?? 1 }, at.file), file: at.file, related, fix, ...(command ? { command } : {}) };
}

const portWhere = (host: Host, p: HostSshdPort) => ({ file: p.file ?? host.sshd!.main, line: p.line ?? 1 });
const portText = (p: HostSshdPort) => (p.file ? `Port ${p.port} (${p.file}:${p.line})` : `port ${p.port} (sshd's default: no Port line)`);

/** Every cross-file finding over the host, in a stable order (by code, then place). */
export function hostFindings(host: Host): HostFinding[] {
  const out: HostFinding[] = [
    ...portConflicts(host),
    ...sshPortNotAllowed(host),
    ...jailPorts(host),
    ...jailLogs(host),
    ...jailFilters(host),
    ...jailFilterNeverMatches(host),
    ...localeDates(host),
    ...dropInOverrides(host),
    ...ufwWithNftables(host),
    ...banBeforeAccept(host),
    ...recidive(host),
  ];
  return out;
}

// --- honeypot-port-conflict -------------------------------------------------------------------

function xinetdTcp(host: Host): EffectiveService[] {
  return (host.xinetd?.services ?? []).filter((s) => s.port !== undefined && (s.protocol ?? 'tcp').toLowerCase() === 'tcp');
}

/** host/honeypot-port-conflict alone (apply's conflict guard). */
export function portConflicts(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  const services = xinetdTcp(host);
  for (const s of services) {
    const p = host.sshd?.ports.find((x) => x.port === s.port);
    if (!p) continue;
    out.push(
      finding(
        'honeypot-port-conflict',
        'error',
        `xinetd service ${s.name} listens on ${s.port}/tcp, where sshd also listens (${portText(p)}): whichever starts second cannot bind the port`,
        { file: s.file, line: s.line },
        [{ ...portWhere(host, p), message: `sshd listens on ${p.port}` }],
        p.file
          ? `move sshd off ${p.port}: change the \`Port ${p.port}\` line at ${p.file}:${p.line} to sshd's own port (or comment it out when a drop-in sets the port) and reload sshd`
          : `give sshd its own port (a Port line; fwconf's drop-in sets one) so that it stops listening on ${p.port}`,
      ),
    );
  }
  const seen = new Map<number, EffectiveService>();
  for (const s of services) {
    const first = seen.get(s.port!);
    if (!first) {
      seen.set(s.port!, s);
      continue;
    }
    out.push(
      finding(
        'honeypot-port-conflict',
        'error',
        `xinetd services ${first.name} and ${s.name} both listen on ${s.port}/tcp: xinetd cannot bind the second one`,
        { file: s.file, line: s.line },
        [{ file: first.file, line: first.line, message: `${first.name} listens on ${s.port}` }],
        `give one of them another port, or disable it (\`disable = yes\`)`,
      ),
    );
  }
  return out;
}

// --- ssh-port-not-allowed ---------------------------------------------------------------------

function sshPortNotAllowed(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  if (!host.sshd) return out;
  /** `later`: the state fwconf's ufw script will leave; a port it lets in is blocked only until it runs. */
  const check = (state: HostUfw | undefined, when: string, later?: HostUfw) => {
    if (!state || !state.enabled) return;
    const blocked = host.sshd!.ports.filter((p) => !ufwAllows(state, p.port).allowed);
    if (blocked.length === 0) return;
    const all = blocked.length === host.sshd!.ports.length;
    for (const p of blocked) {
      const { rule } = ufwAllows(state, p.port);
      const fixedLater = later !== undefined && later.enabled && ufwAllows(later, p.port).allowed;
      const related: RelatedPlace[] = [{ file: state.file, line: state.enabledLine, message: `ufw ${when}` }];
      if (rule) related.push({ file: rule.file, line: rule.line, message: `this rule ${rule.action === 'deny' ? 'drops' : 'rejects'} ${p.port}/tcp first` });
      if (fixedLater) related.push({ file: later.file, line: later.enabledLine, message: `${later.file} allows ${p.port}/tcp` });
      out.push(
        finding(
          'ssh-port-not-allowed',
          all && !fixedLater ? 'error' : 'warning',
          `sshd listens on ${p.port}/tcp (${portText(p)}) and ufw ${when} does not let it in${fixedLater ? ` until ${later.file} runs` : all ? ': no SSH port is reachable, the next login is locked out' : ''}`,
          portWhere(host, p),
          related,
          fixedLater
            ? `run ${later.file} (fwconf apply does) before sshd moves to ${p.port}, or allow the port now`
            : `allow the port in ufw before it is enabled${state.source === 'script' ? ` (add \`ufw allow ${p.port}/tcp\` to ${state.file} before \`ufw enable\`)` : ''}`,
          `ufw allow ${p.port}/tcp`,
        ),
      );
    }
  };
  check(host.ufwPlanned, `as ${host.ufwPlanned?.file} leaves it (it enables ufw)`);
  check(host.ufw, host.ufw?.source === 'status' ? `(active in ${host.ufw.file})` : `(enabled in ${host.ufw?.file})`, host.ufwPlanned);
  return out;
}

// --- fail2ban ---------------------------------------------------------------------------------

/** The jails that watch sshd: named sshd, or with the sshd filter. */
function sshdJails(host: Host): ResolvedJail[] {
  return (host.fail2ban?.jails ?? []).filter((j) => !j.error && (j.name === 'sshd' || j.filter?.name === 'sshd'));
}

/** The ports of a fail2ban port value (`ssh`, `2201`, `ssh,2201`, `1000:2000`); undefined for all ports. */
function jailPortSet(host: Host, spec: string): { covers(port: number): boolean; unknown: string[] } | undefined {
  const t = spec.trim();
  if (t === '' || /^(all|any|0:65535|1:65535)$/i.test(t)) return undefined;
  const ranges: Array<[number, number]> = [];
  const unknown: string[] = [];
  for (const part of t.split(/[,\s]+/).filter(Boolean)) {
    const r = /^(\d+)(?::(\d+))?$/.exec(part);
    if (r) ranges.push([Number(r[1]), Number(r[2] ?? r[1])]);
    else {
      const n = host.servicePort(part, 'tcp') ?? WELL_KNOWN[part.toLowerCase()];
      if (n === undefined) unknown.push(part);
      else ranges.push([n, n]);
    }
  }
  return { covers: (p) => ranges.some(([a, b]) => p >= a && p <= b), unknown };
}

/** Port names fail2ban's stock jails use, for a root without /etc/services. */
const WELL_KNOWN: Record<string, number> = { ssh: 22, http: 80, https: 443, smtp: 25, ftp: 21 };

/** Where an option of a jail is written: the last file of the merge that sets it in the jail's section, else in [DEFAULT]. */
function optionOrigin(host: Host, jail: string, key: string): { file: string; line: number; raw: string } | undefined {
  const files = host.fail2ban?.files ?? [];
  const find = (section: string) => {
    let found: { file: string; line: number; raw: string } | undefined;
    for (const file of files) {
      const text = host.files.read(file);
      if (text === undefined) continue;
      let current = '';
      text.split('\n').forEach((l, i) => {
        const s = /^\[([^\]]+)\]/.exec(l);
        if (s) current = s[1]!.trim();
        const m = new RegExp(`^${key}\\s*[=:]\\s*(.*?)\\s*$`).exec(l.replace(/\r$/, ''));
        if (m && current === section) found = { file, line: i + 1, raw: m[1]! };
      });
    }
    return found;
  };
  return find(jail) ?? find('DEFAULT');
}

function jailPorts(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  if (!host.sshd) return out;
  for (const j of sshdJails(host)) {
    const origin = optionOrigin(host, j.name, 'port');
    const spec = origin?.raw.includes('%(') ? (j.actions[0]?.args['port'] ?? origin.raw) : (origin?.raw ?? j.actions[0]?.args['port'] ?? 'ssh');
    const set = jailPortSet(host, spec);
    const at = origin ? { file: origin.file, line: origin.line } : { file: j.provenance['enabled']?.file ?? '/etc/fail2ban/jail.conf', line: j.provenance['enabled']?.line ?? 1 };
    const missing = set ? host.sshd.ports.filter((p) => !set.covers(p.port)) : [];
    if (missing.length > 0) {
      out.push(
        finding(
          'jail-port-mismatch',
          'error',
          `jail [${j.name}] watches port ${spec}${set!.unknown.length ? ` (${set!.unknown.join(', ')} not in /etc/services)` : ''}, but sshd listens on ${missing.map((p) => p.port).join(', ')}: its bans do not block the port the attacks come in on`,
          at,
          missing.map((p) => ({ ...portWhere(host, p), message: `sshd listens on ${p.port}` })),
          `set \`port = ${host.sshd.ports.map((p) => p.port).join(',')}\` in [${j.name}] of /etc/fail2ban/jail.local`,
        ),
      );
      continue;
    }
    // The jail's port is right; each action must block it too (an action with its own port, a port-less one).
    for (const a of j.actions) {
      if (/allports/.test(a.file) || a.file === 'ufw') continue;
      const ap = a.args['port'] ?? (typeof a.params['port'] === 'string' ? (a.params['port'] as string) : undefined);
      if (ap === undefined) continue;
      const aset = jailPortSet(host, ap);
      const miss = aset ? host.sshd.ports.filter((p) => !aset.covers(p.port)) : [];
      if (miss.length === 0) continue;
      const prov = j.provenance['action'];
      out.push(
        finding(
          'ban-misses-ssh',
          'error',
          `jail [${j.name}]'s action ${a.name} blocks port ${ap}, not sshd's ${miss.map((p) => p.port).join(', ')}: a banned address still reaches sshd`,
          { file: prov?.file ?? at.file, line: prov?.line ?? at.line },
          miss.map((p) => ({ ...portWhere(host, p), message: `sshd listens on ${p.port}` })),
          `give the action sshd's port (\`${a.file}[port="${host.sshd.ports.map((p) => p.port).join(',')}"]\`) or use an allports action`,
        ),
      );
    }
  }
  return out;
}

/** A jail whose logpath matches no file: where the logpath is written, and the real cause. */
export interface MissingLog {
  readonly jail: ResolvedJail;
  readonly at: { file: string; line: number };
  /** The logpath as written (`%(nginx_error_log)s`), when it is written in a file. */
  readonly raw?: string;
  /** For each pattern, why nothing matches: the first missing directory, or no file matching. */
  readonly causes: readonly string[];
  /** The systemd-backend hint, when sshd logs to the journal only ('' otherwise). */
  readonly hint: string;
}

/** The jails fail2ban refuses to start with, for a logpath that matches no file (host/jail-log-missing's facts). */
export function missingLogs(host: Host): MissingLog[] {
  const out: MissingLog[] = [];
  for (const j of host.fail2ban?.jails ?? []) {
    if (j.error || j.backend.startsWith('systemd') || j.logpathPatterns.length === 0 || j.logpath.length > 0) continue;
    const prov = j.provenance['logpath'];
    const at = { file: prov?.file ?? '/etc/fail2ban/jail.conf', line: prov?.line ?? 1 };
    // The real cause: the first directory of the path that is missing, else the file itself.
    const causes = j.logpathPatterns.map((p) => {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) {
        const dir = '/' + parts.slice(0, i).join('/');
        if (/[*?[]/.test(parts[i - 1]!)) break;
        if (host.files.stat(dir) !== 'dir') return `${dir} does not exist`;
      }
      return `no file matches ${p}`;
    });
    let hint = '';
    const journalOnly = host.files.stat('/etc/systemd/system') === 'dir' && !host.enabledUnits.has('rsyslog.service') && !host.enabledUnits.has('syslog-ng.service');
    if ((j.name === 'sshd' || j.filter?.name === 'sshd') && journalOnly && host.files.stat('/var/log') === 'dir')
      hint = '; no syslog daemon is enabled, so sshd logs to the journal only: set `backend = systemd` in [' + j.name + ']';
    out.push({ jail: j, at, ...(prov?.file ? { raw: prov.raw } : {}), causes: [...new Set(causes)], hint });
  }
  return out;
}

function jailLogs(host: Host): HostFinding[] {
  return missingLogs(host).map(({ jail: j, at, causes, hint }) =>
    finding(
      'jail-log-missing',
      'error',
      `jail [${j.name}]: logpath ${j.logpathPatterns.join(', ')} matches no file (${causes.join('; ')}): fail2ban refuses to start with this configuration${hint}`,
      at,
      [],
      hint ? `set \`backend = systemd\` in [${j.name}] of /etc/fail2ban/jail.local` : `install and start the service that writes ${j.logpathPatterns.join(', ')} (or create the file), or disable the jail`,
    ),
  );
}

function jailFilters(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  for (const j of host.fail2ban?.jails ?? []) {
    if (!j.error || !/Unable to read the filter/.test(j.error)) continue;
    const prov = j.provenance['filter'];
    const name = /filter '?([^'\s]+)'?/.exec(j.error)?.[1] ?? prov?.raw ?? j.name;
    out.push(
      finding(
        'jail-filter-missing',
        'error',
        `jail [${j.name}]: ${j.error}: fail2ban skips the jail`,
        { file: prov?.file ?? '/etc/fail2ban/jail.conf', line: prov?.line ?? 1 },
        [],
        `create /etc/fail2ban/filter.d/${name}.conf (or .local), or name an existing filter in [${j.name}]`,
      ),
    );
  }
  return out;
}

// --- jail-filter-never-matches ---------------------------------------------------------------

/** How many of a log's last lines the filter is run over. */
export const FILTER_TAIL_LINES = 1000;

type Miss = 'nodate' | 'ignored' | 'prefregex' | 'exception' | 'failregex';

function jailFilterNeverMatches(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  for (const j of host.fail2ban?.jails ?? []) {
    if (j.error || !j.filter || j.backend.startsWith('systemd')) continue;
    for (const { path } of j.logpath) {
      const tail = logTail(host.files, path, FILTER_TAIL_LINES);
      if (!tail) continue;
      let filter: Filter;
      try {
        // As fail2ban-regex runs a jail's filter: no check against now and findtime, hosts kept raw.
        filter = new Filter(specOf(j.filter, j), { checkAllRegex: false, returnRawHost: true, checkFindTime: false });
      } catch (e) {
        if (e instanceof FilterSpecError) break; // fail2ban's check of the tree reports the filter itself
        throw e;
      }
      const counts: Record<Miss, number> = { nodate: 0, ignored: 0, prefregex: 0, exception: 0, failregex: 0 };
      const first: Partial<Record<Miss, number>> = {};
      let lines = 0;
      let matched = false;
      let month: { name: string; locales: readonly string[] } | undefined;
      let exception: string | undefined;
      tail.lines.forEach((line, i) => {
        if (matched || line === '' || line.startsWith('#')) return;
        lines++;
        const r = filter.processLine(line);
        const found = r.failures.filter((f) => f.fid !== null && !f.fail.nofail);
        if (!r.ignored.length && found.length) {
          matched = true;
          return;
        }
        let why: Miss;
        if (r.exception) {
          why = 'exception';
          exception ??= r.exception;
        } else if (r.ignored.length) why = 'ignored';
        else if (r.date.template === undefined || r.date.noDate) {
          why = 'nodate';
          month ??= logForeignMonth(r.line);
        } else if (filter.prefRegex && !filter.prefRegex.hasMatched()) why = 'prefregex';
        else why = 'failregex';
        counts[why]++;
        first[why] ??= tail.firstLine + i;
      });
      if (matched || lines === 0) continue;
      const name = j.filter.name + (Object.keys(j.filter.args).length ? `[${Object.entries(j.filter.args).map(([k, v]) => `${k}=${v}`).join(', ')}]` : '');
      const parts: string[] = [];
      if (counts.nodate) parts.push(`${counts.nodate} have no date fail2ban can read${month ? ` ('${month.name}' is a month name of ${month.locales.join(', ')}, not English: fail2ban reads English months only)` : ''}`);
      if (counts.ignored) parts.push(`${counts.ignored} are ignored by its ignoreregex`);
      if (counts.prefregex) parts.push(`${counts.prefregex} fail its prefregex (they are not lines of the program the filter is for)`);
      if (counts.exception) parts.push(`${counts.exception} make fail2ban fail (${exception})`);
      if (counts.failregex) parts.push(`${counts.failregex} match no failregex`);
      const main: Miss = counts.failregex ? 'failregex' : (['nodate', 'ignored', 'prefregex', 'exception'] as const).reduce((a, b) => (counts[b] > counts[a] ? b : a));
      const severity: Severity = counts.failregex ? 'info' : counts.nodate === lines ? 'error' : 'warning';
      const root = host.files instanceof NodeFileSource && host.files.root !== '/' ? ` --root ${host.files.root}` : '';
      const fixes: Record<Miss, string> = {
        nodate: month
          ? `run the program that writes ${path} with LC_TIME=POSIX (for an xinetd service: \`env = LC_TIME=POSIX\`), or give the filter a datepattern that matches its dates`
          : `give the filter a \`datepattern\` that matches the dates of ${path}`,
        ignored: `narrow the ignoreregex of filter ${j.filter.name} so that it leaves the failures`,
        prefregex: `point [${j.name}]'s logpath at the log of the program the filter ${j.filter.name} is for, or use the filter of the program that writes ${path}`,
        exception: `fix the filter ${j.filter.name} so that fail2ban can run it on these lines`,
        failregex: `nothing, if ${path} has had no failure yet; else compare the filter with the lines that should match`,
      };
      const related: RelatedPlace[] = [];
      const fp = j.provenance['filter'];
      if (fp?.file) related.push({ file: fp.file, line: fp.line ?? 1, message: `filter of [${j.name}]` });
      const lp = j.provenance['logpath'];
      if (lp?.file) related.push({ file: lp.file, line: lp.line ?? 1, message: `logpath of [${j.name}]` });
      out.push(
        finding(
          'jail-filter-never-matches',
          severity,
          `jail [${j.name}]: none of the last ${lines} lines of ${path} matches its filter ${name}: ${parts.join('; ')}${severity === 'info' ? '; the log may hold no failure yet' : ': the jail bans no one'}`,
          { file: path, line: first[main] ?? tail.firstLine },
          related,
          fixes[main],
          `fwconf fail2ban test${root} --jail ${j.name} --show-missed ${path}`,
        ),
      );
    }
  }
  return out;
}

// --- locale-dates -----------------------------------------------------------------------------

/** Whether fail2ban reads the months `%b` prints in a locale (English or C); undefined when unknown. */
export function englishMonths(locale: string): boolean | undefined {
  const base = locale.replace(/[.@].*$/, '');
  if (base === 'C' || base === 'POSIX' || base === '' || /^en(_|$)/.test(base)) return true;
  const months = LOCALE_MONTHS[base];
  if (!months) return undefined;
  return months.every((m, i) => m.trim().toLowerCase() === C_MONTHS[i]!.toLowerCase());
}

function honeypots(host: Host): EffectiveService[] {
  return (host.xinetd?.services ?? []).filter((s) => /thpot|honeypot/i.test(posix.basename(s.server ?? '')));
}

function localeDates(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  const sys: Record<string, string | undefined> = {};
  for (const k of ['LANG', 'LC_TIME', 'LC_ALL'] as const) if (host.locale[k]) sys[k] = host.locale[k]!.value;
  const sysAt = host.locale.LC_ALL ?? host.locale.LC_TIME ?? host.locale.LANG;
  for (const s of honeypots(host)) {
    const env: Record<string, string | undefined> = {};
    const pass = s.attributes['passenv'];
    for (const [k, v] of Object.entries(sys)) if (!pass || pass.includes(k)) env[k] = v;
    for (const e of s.attributes['env'] ?? []) {
      const i = e.indexOf('=');
      if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
    }
    const lc = timeLocale(env);
    if (englishMonths(lc) !== false) continue;
    const fromEnv = (s.attributes['env'] ?? []).some((e) => /^(LC_ALL|LC_TIME|LANG)=/.test(e));
    out.push(
      finding(
        'locale-dates',
        'error',
        `honeypot ${s.name} runs ${s.server} with LC_TIME ${lc}${fromEnv ? '' : ' (the system locale, which xinetd passes on)'}: it writes capture dates with strftime("%b"), whose months in ${lc} fail2ban cannot read, so no capture is ever counted`,
        { file: s.file, line: s.line },
        sysAt ? [{ file: sysAt.file, line: sysAt.line, message: `the system locale` }] : [],
        env['LC_ALL'] ? `add \`env = LC_ALL=C\` to the service (LC_ALL overrides LC_TIME)` : `add \`env = LC_TIME=POSIX\` to the service`,
      ),
    );
  }
  // Logs a jail watches that already hold dates in another locale.
  for (const j of host.fail2ban?.jails ?? []) {
    if (j.error) continue;
    for (const { path } of j.logpath) {
      // The last 200 lines, read from the end of the file (a live log can be gigabytes).
      const tail = logTail(host.files, path, 200);
      if (!tail) continue;
      const idx = tail.lines.findIndex((l) => foreignMonth(l) !== undefined);
      if (idx < 0) continue;
      const lineNo = tail.firstLine + idx;
      const m = foreignMonth(tail.lines[idx]!)!;
      out.push(
        finding(
          'locale-dates',
          'error',
          `jail [${j.name}] watches ${path}, whose dates have the month '${m.name}' (${m.locales.join(', ')}): fail2ban reads English months only, so these lines never count`,
          { file: path, line: lineNo },
          j.provenance['logpath']?.file ? [{ file: j.provenance['logpath'].file, line: j.provenance['logpath'].line ?? 1, message: `logpath of [${j.name}]` }] : [],
          `run the program that writes ${path} with LC_TIME=POSIX (for an xinetd service: \`env = LC_TIME=POSIX\`)`,
        ),
      );
    }
  }
  return out;
}

const FOREIGN = (() => {
  const names = new Set<string>();
  for (const ms of Object.values(LOCALE_MONTHS)) for (const m of ms) if (!monthInfo(m).fail2ban) names.add(m.trim());
  return [...names].sort((a, b) => b.length - a.length);
})();

/** A month name at the start of a log line (before the day and time) that fail2ban cannot read. */
function foreignMonth(line: string): { name: string; locales: readonly string[] } | undefined {
  const t = line.trimStart();
  for (const name of FOREIGN) {
    if (!t.startsWith(name)) continue;
    if (!/^\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}/.test(t.slice(name.length))) continue;
    return { name, locales: monthInfo(name).locales };
  }
  return undefined;
}

// --- drop-in-overrides ------------------------------------------------------------------------

/** host/drop-in-overrides alone (apply's notes). */
export function dropInOverrides(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  const sshd = host.sshd;
  if (!sshd) return out;
  const hardening = sshd.files.filter((f) => f !== sshd.main && isRenderedByFwconf(host.files.read(f) ?? ''));
  for (const file of hardening) {
    for (const d of sshd.directives.filter((x) => x.file === file)) {
      if (lookupKeyword(d.keyword)?.info.wins !== 'first') continue;
      const first = sshd.directives.find((x) => x.keyword === d.keyword);
      if (!first || first.file === file) continue;
      if (first.args.join(' ').toLowerCase() === d.args.join(' ').toLowerCase()) continue;
      out.push(
        finding(
          'drop-in-overrides',
          'error',
          `${first.written} ${first.args.join(' ')} is read before the hardening drop-in's ${d.written} ${d.args.join(' ')} (${file}:${d.line}): sshd takes the first value, so the drop-in's setting does not apply`,
          { file: first.file, line: first.line, column: first.column },
          [{ file, line: d.line, message: `the drop-in's ${d.written}` }],
          `remove the line or set it to \`${d.written} ${d.args.join(' ')}\`${first.file === sshd.main ? ` (or put fwconf's Include before it in ${sshd.main})` : ` (or rename ${posix.basename(first.file)} so that it sorts after ${posix.basename(file)})`}`,
        ),
      );
    }
  }
  out.push(...matchOverrides(host, hardening));
  return out;
}

/** A connection in a Match block's class (the audit's example values), on sshd's first port unless the block names one. */
function matchConnection(host: Host, m: HostSshdMatch): { connection: SshdConnection; groups: Map<string, string[]> } {
  const x = matchClass(m, host.sshd?.ports[0]?.port ?? 22);
  return { connection: x.class.connection, groups: x.groups };
}

const connectionText = (c: SshdConnection) =>
  (['user', 'host', 'addr', 'laddr', 'lport', 'rdomain'] as const)
    .filter((k) => c[k] !== undefined)
    .map((k) => `${k}=${c[k]}`)
    .join(',');

/**
 * Match blocks that set a keyword of the hardening drop-in to another value and decide it for the
 * connections they match: evaluated for a connection of the block's class, as `sshd -T -C` would.
 */
function matchOverrides(host: Host, hardening: readonly string[]): HostFinding[] {
  const out: HostFinding[] = [];
  const sshd = host.sshd!;
  for (const file of hardening) {
    for (const d of sshd.directives.filter((x) => x.file === file)) {
      // Only where the drop-in decides globally (else the global finding above says so).
      if (sshd.directives.find((x) => x.keyword === d.keyword) !== d) continue;
      for (const m of sshd.matches) {
        const md = m.directives.find((x) => x.keyword === d.keyword);
        if (!md || md.args.join(' ').toLowerCase() === d.args.join(' ').toLowerCase()) continue;
        const c = matchConnection(host, m);
        const eff = sshd.forConnection(c.connection, (u) => c.groups.get(u) ?? (u === c.connection.user ? [] : undefined));
        const why = eff.explain(dumpName(d.keyword));
        if (!why.winner || why.winner.file !== md.file || why.winner.line !== md.line) continue;
        const conn = connectionText(c.connection);
        out.push(
          finding(
            'drop-in-overrides',
            'warning',
            `Match ${m.written} (${m.file}:${m.line}) sets ${md.written} ${md.args.join(' ')}: for the connections it matches (sshd -T -C ${conn} prints ${dumpName(d.keyword)} ${why.value.join(' ')}) sshd takes that, not the hardening drop-in's ${d.written} ${d.args.join(' ')}`,
            { file: md.file, line: md.line, column: md.column },
            [
              { file, line: d.line, message: `the drop-in's ${d.written}` },
              { file: m.file, line: m.line, message: `Match ${m.written}` },
            ],
            `remove ${md.written} from the Match block (or set it to \`${d.written} ${d.args.join(' ')}\`) unless these connections are meant to differ`,
          ),
        );
      }
    }
  }
  return out;
}

// --- firewall ---------------------------------------------------------------------------------

/** What a foreign table does to sshd's ports: the first one its input chain drops, if any. */
function dropsSsh(host: Host, t: NftRulesetTable) {
  for (const p of host.sshd?.ports ?? []) {
    const r = tableLetsIn(t, p.port);
    if (!r.allowed) return { port: p, chain: r.chain! };
  }
  return undefined;
}

function tableText(t: NftRulesetTable): string {
  const chains = t.chains.map((c) => `${c.name}: hook ${c.hook}, policy ${c.policy}`);
  return `table ${t.family} ${t.name}${chains.length ? ` (${chains.join('; ')})` : ''}`;
}

function ufwWithNftables(host: Host): HostFinding[] {
  const ufw = host.ufw?.enabled ? host.ufw : host.ufwPlanned?.enabled ? host.ufwPlanned : undefined;
  if (!ufw) return [];
  const out: HostFinding[] = [];
  const ufwPlace: RelatedPlace = { file: ufw.file, line: ufw.enabledLine, message: 'ufw is enabled' };
  const advice = (tables: readonly NftRulesetTable[]) =>
    `remove ${tables.length === 1 ? 'it' : 'them'} (${tables.map((t) => `nft delete table ${t.family} ${t.name}`).join('; ')}) and keep nftables.service from loading /etc/nftables.conf (systemctl disable nftables; not --now: stopping it flushes the whole ruleset, ufw's tables too), or use nftables alone`;
  const link = host.enabledUnits.get('nftables.service');
  if (link) {
    const conf = foreignTables(host.nftablesConf ?? [], 'file');
    const drop = conf.map((t) => ({ t, d: dropsSsh(host, t) })).find((x) => x.d);
    out.push(
      finding(
        'ufw-with-nftables',
        drop ? 'error' : 'warning',
        `nftables.service is enabled (${link}) while ufw is: at boot it loads /etc/nftables.conf${conf.length ? `, whose ${conf.map(tableText).join(', ')} filter${conf.length === 1 ? 's' : ''} the same packets as ufw's` : ''}, and a packet must pass both${drop ? `: its input chain ${drop.d!.chain.name} drops ${drop.d!.port.port}/tcp, where sshd listens, whatever ufw allows` : ''}`,
        { file: link, line: 1 },
        [ufwPlace, ...conf.map((t) => ({ file: t.file, line: t.line, message: `table ${t.family} ${t.name}` }))],
        conf.length ? advice(conf) : 'disable nftables.service when ufw is the firewall',
        'systemctl disable nftables',
      ),
    );
  }
  if (host.nftRuleset) {
    for (const t of foreignTables(host.nftRuleset.tables, 'ruleset')) {
      const d = dropsSsh(host, t);
      out.push(
        finding(
          'ufw-with-nftables',
          d ? 'error' : 'warning',
          `the ruleset has ${tableText(t)}, which neither ufw (iptables-nft) nor fail2ban made: its chains see every packet alongside ufw's, and a drop in either is final${d ? `; its input chain ${d.chain.name} drops ${d.port.port}/tcp, where sshd listens (${portText(d.port)}), whatever ufw allows: the next login is locked out` : ''}`,
          { file: t.file, line: t.line },
          [...(d ? [{ file: t.file, line: d.chain.dropsAt ?? d.chain.line, message: d.chain.dropsAt !== undefined && d.chain.policy !== 'drop' ? `chain ${d.chain.name}: drops what is left` : `chain ${d.chain.name}: policy ${d.chain.policy}` }] : []), ufwPlace],
          advice([t]),
          `nft delete table ${t.family} ${t.name}`,
        ),
      );
    }
  }
  return out;
}

interface DumpRule {
  readonly chain: string;
  readonly text: string;
  readonly line: number;
}

/** The filter table's `-A` rules of an iptables-save dump, by chain. */
function filterRules(text: string): Map<string, DumpRule[]> {
  const chains = new Map<string, DumpRule[]>();
  let table = '';
  text.split('\n').forEach((l, i) => {
    const t = l.replace(/\r$/, '');
    if (t.startsWith('*')) table = t.slice(1).trim();
    const m = /^-A\s+(\S+)\s/.exec(t);
    if (table === 'filter' && m) {
      const list = chains.get(m[1]!) ?? [];
      list.push({ chain: m[1]!, text: t, line: i + 1 });
      chains.set(m[1]!, list);
    }
  });
  return chains;
}

function banBeforeAccept(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
  // From the dump: walk INPUT in order, into the chains it jumps to.
  if (host.iptablesSave) {
    const chains = filterRules(host.iptablesSave.text);
    let accept: DumpRule | undefined;
    const late: DumpRule[] = [];
    const walk = (chain: string, depth: number) => {
      if (depth > 8) return;
      for (const r of chains.get(chain) ?? []) {
        const target = /\s-j\s+(\S+)/.exec(r.text)?.[1];
        if (!target) continue;
        if (target === 'ACCEPT' && /--(?:ct)?state\s+\S*ESTABLISHED/.test(r.text) && !/\s-p\s|--dport|-s\s/.test(r.text.replace(/-p\s+all/, ''))) {
          accept ??= r;
          continue;
        }
        if (target.startsWith('f2b-')) {
          if (accept) late.push(r);
          continue;
        }
        if (chains.has(target)) walk(target, depth + 1);
      }
    };
    walk('INPUT', 0);
    for (const r of late) {
      out.push(
        finding(
          'ban-before-accept',
          'error',
          `the ban chain ${/-j\s+(\S+)/.exec(r.text)![1]} is reached only after ${accept!.chain}'s ESTABLISHED accept rule: a banned address keeps its open connections`,
          { file: host.iptablesSave.file, line: r.line },
          [{ file: host.iptablesSave.file, line: accept!.line, message: 'the ESTABLISHED accept rule' }],
          "let fail2ban insert its jump at the top of INPUT (its iptables actions' default chain = INPUT), not in a chain after ufw's before-input",
        ),
      );
    }
  }
  // From the jails: ufw's action adds `deny from IP` to ufw's user rules, which come after ufw's
  // ESTABLISHED accept; without kill-mode the banned address keeps its connection.
  if (host.ufw?.enabled || host.ufwPlanned?.enabled) {
    for (const j of host.fail2ban?.jails ?? []) {
      for (const a of j.error ? [] : j.actions) {
        if (a.file !== 'ufw' || a.args['kill-mode'] || (typeof a.params['kill-mode'] === 'string' && a.params['kill-mode'] !== '')) continue;
        const prov = j.provenance['action'] ?? j.provenance['banaction'];
        out.push(
          finding(
            'ban-before-accept',
            'warning',
            `jail [${j.name}] bans with ufw: its deny rule goes into ufw's user rules, after ufw's RELATED,ESTABLISHED accept, so a banned address keeps the connections it has open`,
            { file: prov?.file ?? '/etc/fail2ban/jail.conf', line: prov?.line ?? 1 },
            [],
            `use an iptables action (iptables-multiport, iptables-allports), which inserts its chain before ufw's, or set \`kill-mode = ss\` on the ufw action`,
          ),
        );
      }
    }
  }
  return out;
}

// --- recidive ---------------------------------------------------------------------------------

function recidive(host: Host): HostFinding[] {
  const j = host.fail2ban?.jails.find((x) => x.name === 'recidive' && !x.error);
  if (!j) return [];
  const findtime = parseTime(String(j.options['findtime'] ?? '1d'));
  let purge: { value: number; file: string; line: number } | undefined;
  const files = ['/etc/fail2ban/fail2ban.conf', ...(host.files.list('/etc/fail2ban/fail2ban.d') ?? []).filter((n) => n.endsWith('.conf')).sort().map((n) => `/etc/fail2ban/fail2ban.d/${n}`), '/etc/fail2ban/fail2ban.local', ...(host.files.list('/etc/fail2ban/fail2ban.d') ?? []).filter((n) => n.endsWith('.local')).sort().map((n) => `/etc/fail2ban/fail2ban.d/${n}`)];
  for (const file of files) {
    const text = host.files.read(file);
    let section = '';
    text?.split('\n').forEach((l, i) => {
      const s = /^\[([^\]]+)\]/.exec(l);
      if (s) section = s[1]!.trim();
      const m = /^dbpurgeage\s*[=:]\s*(.*?)\s*$/.exec(l.replace(/\r$/, ''));
      const v = m ? parseTime(m[1]!) : undefined;
      if (m && section === 'Definition' && v !== undefined) purge = { value: v, file, line: i + 1 };
    });
  }
  const age = purge?.value ?? 86400;
  if (findtime === undefined || findtime <= age) return [];
  const prov = j.provenance['findtime'];
  return [
    finding(
      'recidive-vs-dbpurgeage',
      'error',
      `jail [recidive] looks back ${j.options['findtime']} (findtime) for repeated bans, but fail2ban purges bans older than ${purge ? `dbpurgeage ${age}s` : 'dbpurgeage (1d by default)'} from its database: after a restart recidive forgets them`,
      { file: prov?.file ?? '/etc/fail2ban/jail.conf', line: prov?.line ?? 1 },
      purge ? [{ file: purge.file, line: purge.line, message: 'dbpurgeage' }] : [],
      `set \`dbpurgeage = ${j.options['findtime']}\` (at least recidive's findtime) in [Definition] of /etc/fail2ban/fail2ban.local`,
    ),
  ];
}

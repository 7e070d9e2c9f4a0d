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
 * - host/locale-dates (error): the honeypot writes dates in a locale whose months fail2ban cannot read,
 *   or a watched log holds such dates
 * - host/drop-in-overrides (error): a file sshd reads earlier sets a keyword of the hardening drop-in
 *   to another value (sshd takes the first value)
 * - host/ufw-with-nftables (warning): nftables.service is enabled while ufw is
 * - host/ban-before-accept (error): ban chains that an ESTABLISHED accept rule bypasses
 * - host/recidive-vs-dbpurgeage (error): recidive looks further back than fail2ban keeps bans
 */
import * as nodePath from 'node:path';
import { diagnostic, type CodeName, type Diagnostic, type Severity } from '../core/diagnostics.js';
import { isRenderedByFwconf } from '../builder/render.js';
import { parseTime, type ResolvedJail } from '../fail2ban/index.js';
import { lookupKeyword } from '../sshd/index.js';
import { C_MONTHS, LOCALE_MONTHS, monthInfo } from '../thpot/months.js';
import type { EffectiveService } from '../xinetd/index.js';
import { timeLocale, type Host } from './read.js';
import type { HostSshdPort } from './sshd.js';
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

function jailLogs(host: Host): HostFinding[] {
  const out: HostFinding[] = [];
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
    out.push(
      finding(
        'jail-log-missing',
        'error',
        `jail [${j.name}]: logpath ${j.logpathPatterns.join(', ')} matches no file (${[...new Set(causes)].join('; ')}): fail2ban refuses to start with this configuration${hint}`,
        at,
        [],
        hint ? `set \`backend = systemd\` in [${j.name}] of /etc/fail2ban/jail.local` : `install and start the service that writes ${j.logpathPatterns.join(', ')} (or create the file), or disable the jail`,
      ),
    );
  }
  return out;
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
      const text = host.files.read(path);
      if (!text) continue;
      const lines = text.split('\n').slice(-200);
      const idx = lines.findIndex((l) => foreignMonth(l) !== undefined);
      if (idx < 0) continue;
      const all = text.split('\n').length;
      const lineNo = all - lines.length + idx + 1;
      const m = foreignMonth(lines[idx]!)!;
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
  return out;
}

// --- firewall ---------------------------------------------------------------------------------

function ufwWithNftables(host: Host): HostFinding[] {
  const link = host.enabledUnits.get('nftables.service');
  const ufw = host.ufw?.enabled ? host.ufw : host.ufwPlanned?.enabled ? host.ufwPlanned : undefined;
  if (!link || !ufw) return [];
  return [
    finding(
      'ufw-with-nftables',
      'warning',
      `nftables.service is enabled (${link}) while ufw is: at boot it loads /etc/nftables.conf, whose tables filter the same packets as ufw's, and a packet must pass both`,
      { file: link, line: 1 },
      [{ file: ufw.file, line: ufw.enabledLine, message: 'ufw is enabled' }],
      'disable nftables.service when ufw is the firewall',
      'systemctl disable --now nftables',
    ),
  ];
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

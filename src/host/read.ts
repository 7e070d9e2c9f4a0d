/**
 * The whole host below a root, read into one typed Host: what sshd listens on and sets, the services
 * xinetd runs, the jails fail2ban runs, ufw's state (now, and as fwconf's ufw script will leave it),
 * the locale, the system databases, the enabled systemd units, and an iptables-save dump when given.
 * Everything is read through a FileSource (a root on disk, the tree apply plans, or memory); nothing
 * is run.
 */
import * as nodePath from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { FileSource } from '../core/files.js';
import { checkConfig, resolve, type Resolution } from '../fail2ban/index.js';
import { effectiveFromFile as xinetdEffective, systemLookup, type EffectiveConfig as XinetdConfig } from '../xinetd/index.js';
import { format as iptablesFormat } from '../iptables/index.js';
import { format as ufwFormat } from '../ufw/index.js';
import { readSshd, type HostSshd } from './sshd.js';
import { readUfwFiles, readUfwScriptState, readUfwStatus, type HostUfw } from './ufw.js';
import { readNftRuleset, type NftRulesetTable } from './nftables.js';

const posix = nodePath.posix;

export const XINETD_CONF = '/etc/xinetd.conf';
export const FAIL2BAN_DIR = '/etc/fail2ban';
export const UFW_SCRIPT = '/etc/fwconf/ufw.sh';
export const NFTABLES_CONF = '/etc/nftables.conf';

/** A locale setting and where it is written. */
export interface HostLocaleValue {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

/** The system locale (etc/default/locale, else etc/locale.conf): the variables that decide LC_TIME. */
export interface HostLocale {
  readonly LANG?: HostLocaleValue;
  readonly LC_TIME?: HostLocaleValue;
  readonly LC_ALL?: HostLocaleValue;
}

export interface HostInputs {
  /** The output of `ufw status verbose` (with its file name), used instead of ufw's files. */
  ufwStatus?: { text: string; file: string };
  /** An `iptables-save` dump (with its file name), for the ban-chain findings. */
  iptablesSave?: { text: string; file: string };
  /** The output of `nft list ruleset` (with its file name), for the tables beside ufw's. */
  nftRuleset?: { text: string; file: string };
  /** Read only these daemons' configurations (default all); apply's conflict guard reads sshd and xinetd. */
  only?: ReadonlyArray<'sshd' | 'xinetd' | 'fail2ban' | 'ufw'>;
}

export interface Host {
  readonly files: FileSource;
  readonly sshd?: HostSshd;
  readonly xinetd?: XinetdConfig;
  readonly fail2ban?: Resolution;
  /** checkConfig's findings on the fail2ban tree. */
  readonly fail2banDiagnostics: readonly Diagnostic[];
  /** ufw as it is: from `--ufw-status` when given, else from its files. */
  readonly ufw?: HostUfw;
  /** ufw as fwconf's ufw script (etc/fwconf/ufw.sh) will leave it. */
  readonly ufwPlanned?: HostUfw;
  readonly locale: HostLocale;
  /** Enabled systemd units: the names linked in etc/systemd/system/*.wants/, each once. */
  readonly enabledUnits: ReadonlyMap<string, string>;
  readonly iptablesSave?: { text: string; file: string };
  /** The tables of the given `nft list ruleset` output. */
  readonly nftRuleset?: { readonly file: string; readonly tables: readonly NftRulesetTable[] };
  /** The tables /etc/nftables.conf declares (what nftables.service loads at boot), when the file exists. */
  readonly nftablesConf?: readonly NftRulesetTable[];
  /** What the given inputs (`--ufw-status`, `--iptables-save`) say of themselves: their parse diagnostics. */
  readonly inputDiagnostics: readonly Diagnostic[];
  /** Nothing of sshd, xinetd, fail2ban or ufw was found below the root. */
  readonly empty: boolean;
  /** /etc/services: `name/proto` → port; undefined when the root has none. */
  servicePort(name: string, proto?: string): number | undefined;
}

/** Reads the host below the FileSource's root. */
export function readHost(files: FileSource, inputs: HostInputs = {}): Host {
  const want = (part: 'sshd' | 'xinetd' | 'fail2ban' | 'ufw') => !inputs.only || inputs.only.includes(part);
  const sshd = want('sshd') ? readSshd(files) : undefined;
  const xinetd = want('xinetd') && files.read(XINETD_CONF) !== undefined ? xinetdEffective(XINETD_CONF, { files, system: systemLookup(files) }) : undefined;
  let fail2ban: Resolution | undefined;
  let fail2banDiagnostics: Diagnostic[] = [];
  if (want('fail2ban') && files.stat(`${FAIL2BAN_DIR}/jail.conf`) === 'file') {
    fail2ban = resolve(FAIL2BAN_DIR, { files });
    fail2banDiagnostics = checkConfig(FAIL2BAN_DIR, { files, resolution: fail2ban });
  }
  const ufw = !want('ufw') ? undefined : inputs.ufwStatus ? readUfwStatus(inputs.ufwStatus.text, inputs.ufwStatus.file) : readUfwFiles(files);
  const ufwPlanned = want('ufw') ? readUfwScriptState(files, UFW_SCRIPT) : undefined;
  const services = systemLookup(files);
  const nftConf = want('ufw') ? files.read(NFTABLES_CONF) : undefined;
  const inputDiagnostics: Diagnostic[] = [];
  if (inputs.ufwStatus) inputDiagnostics.push(...ufwFormat.parse(inputs.ufwStatus.text, { file: inputs.ufwStatus.file }).diagnostics);
  if (inputs.nftRuleset) {
    const { text, file } = inputs.nftRuleset;
    const first = text.split('\n').findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (first >= 0 && readNftRuleset(text, file).length === 0)
      inputDiagnostics.push(diagnostic('host/nft-no-table', 'error', 'no nftables table in this file: give the output of `nft list ruleset`', { line: first + 1, column: 1 }, file));
  }
  if (inputs.iptablesSave) inputDiagnostics.push(...iptablesFormat.parse(inputs.iptablesSave.text, { file: inputs.iptablesSave.file }).diagnostics);
  return {
    inputDiagnostics,
    empty: !sshd && !xinetd && !fail2ban && !ufw && !ufwPlanned,
    files,
    ...(sshd ? { sshd } : {}),
    ...(xinetd ? { xinetd } : {}),
    ...(fail2ban ? { fail2ban } : {}),
    fail2banDiagnostics,
    ...(ufw ? { ufw } : {}),
    ...(ufwPlanned ? { ufwPlanned } : {}),
    locale: readLocale(files),
    enabledUnits: enabledUnits(files),
    ...(inputs.iptablesSave ? { iptablesSave: inputs.iptablesSave } : {}),
    ...(inputs.nftRuleset && want('ufw') ? { nftRuleset: { file: inputs.nftRuleset.file, tables: readNftRuleset(inputs.nftRuleset.text, inputs.nftRuleset.file) } } : {}),
    ...(nftConf !== undefined ? { nftablesConf: readNftRuleset(nftConf, NFTABLES_CONF) } : {}),
    servicePort: (name, proto = 'tcp') => services.servicePort?.(name, proto) ?? undefined,
  };
}

function readLocale(files: FileSource): HostLocale {
  for (const file of ['/etc/default/locale', '/etc/locale.conf']) {
    const text = files.read(file);
    if (text === undefined) continue;
    const out: Record<string, HostLocaleValue> = {};
    text.split('\n').forEach((l, i) => {
      const m = /^\s*(?:export\s+)?(LANG|LC_TIME|LC_ALL)\s*=\s*(.*?)\s*$/.exec(l.replace(/\r$/, ''));
      if (m) out[m[1]!] = { value: m[2]!.replace(/^["']|["']$/g, ''), file, line: i + 1 };
    });
    return out;
  }
  return {};
}

function enabledUnits(files: FileSource): Map<string, string> {
  const out = new Map<string, string>();
  for (const base of ['/etc/systemd/system']) {
    for (const d of files.list(base) ?? []) {
      if (!d.endsWith('.wants')) continue;
      for (const unit of files.list(posix.join(base, d)) ?? []) if (!out.has(unit)) out.set(unit, posix.join(base, d, unit));
    }
  }
  return out;
}

/** The LC_TIME a process gets from an environment (LC_ALL, then LC_TIME, then LANG; `C` when none). */
export function timeLocale(env: Readonly<Record<string, string | undefined>>): string {
  return env['LC_ALL'] || env['LC_TIME'] || env['LANG'] || 'C';
}

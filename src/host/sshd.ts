/**
 * sshd as the host runs it: the effective global settings (the sshd format's `effective`, as `sshd -T`
 * prints them), the ports it listens on, and where each setting was written — the file and line of
 * every global directive and of every Match block, read through the Includes in the order sshd reads
 * them — and the settings for one connection (`sshd -T -C`), Match blocks applied.
 */
import type { FileSource } from '../core/files.js';
import * as sshd from '../sshd/index.js';
import type { Diagnostic } from '../core/diagnostics.js';

export const SSHD_CONFIG = '/etc/ssh/sshd_config';

/** One global directive as sshd reads it, with where it is written. */
export type HostSshdDirective = sshd.syntax.SshdTreeDirective;

/** A port sshd listens on, and the line that makes it listen there (none for the default 22). */
export interface HostSshdPort {
  readonly port: number;
  readonly file?: string;
  readonly line?: number;
}

/** A Match block as sshd reads it: where it is, its criteria, and the directives of its body. */
export type HostSshdMatch = sshd.syntax.SshdTreeMatch;

/** What decides whether a login works, with sshd's defaults. */
export interface HostSshdLogin {
  readonly passwordAuthentication: boolean;
  readonly kbdInteractiveAuthentication: boolean;
  readonly permitRootLogin: string;
  readonly pubkeyAuthentication: boolean;
  readonly authorizedKeysFile: readonly string[];
}

export interface HostSshd {
  /** The main configuration file read. */
  readonly main: string;
  /** Every file read, in sshd's order. */
  readonly files: readonly string[];
  /** The global directives in the order sshd reads them (Match blocks left out). */
  readonly directives: readonly HostSshdDirective[];
  /** TCP ports sshd listens on (Port lines, ListenAddress with a port), each once. */
  readonly ports: readonly HostSshdPort[];
  /** Effective global settings, `sshd -T` keywords → values. */
  readonly settings: Readonly<Record<string, readonly string[]>>;
  /** The Match blocks, in the order sshd reads them (through the Includes). */
  readonly matches: readonly HostSshdMatch[];
  /** What the sshd format's check says of the tree (syntax, values, Includes). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The settings for one connection, Match blocks applied, as `sshd -T -C` prints them. `groups`: the
   * groups of a user for `Match Group` (default: as sshd finds them in the root's /etc/group).
   */
  forConnection(connection: sshd.SshdConnection, groups?: (user: string) => readonly string[] | undefined): sshd.EffectiveConfig;
}

/** Reads sshd's configuration below the FileSource's root; undefined when there is no main file. */
export function readSshd(files: FileSource, main = SSHD_CONFIG): HostSshd | undefined {
  const text = files.read(main);
  if (text === undefined) return undefined;
  const doc = sshd.parse(text, { file: main });
  const { files: read, directives, matches } = sshd.syntax.readTree(files, main, doc);
  const eff = sshd.effective(doc, {}, { files });
  const settings: Record<string, string[]> = {};
  for (const e of eff.entries) (settings[e.keyword] ??= []).push(e.value);
  const diagnostics = sshd.check(doc, { files });
  return { main, files: read, directives, ports: listenPorts(directives, settings), settings, matches, diagnostics, forConnection: (c, groups) => sshd.effective(doc, c, { files, ...(groups ? { groups } : {}) }) };
}

/** The settings of a login over one connection (sshd's defaults where nothing is set). */
export function sshdLogin(config: sshd.EffectiveConfig): HostSshdLogin {
  const one = (k: string) => config.get(k)?.[0]?.toLowerCase();
  const yes = (k: string, dflt: boolean) => (one(k) === undefined ? dflt : one(k) === 'yes');
  return {
    passwordAuthentication: yes('passwordauthentication', true),
    kbdInteractiveAuthentication: yes('kbdinteractiveauthentication', true),
    permitRootLogin: one('permitrootlogin') ?? 'prohibit-password',
    pubkeyAuthentication: yes('pubkeyauthentication', true),
    authorizedKeysFile: config.get('authorizedkeysfile')?.[0]?.split(/\s+/) ?? ['.ssh/authorized_keys', '.ssh/authorized_keys2'],
  };
}

/** The ports sshd binds: its Port lines (22 when none), and the port of each ListenAddress that names one. */
function listenPorts(directives: readonly HostSshdDirective[], settings: Record<string, readonly string[]>): HostSshdPort[] {
  const out: HostSshdPort[] = [];
  const add = (p: HostSshdPort) => {
    if (!out.some((o) => o.port === p.port)) out.push(p);
  };
  const portLines = directives.filter((d) => d.keyword === 'port');
  const listen = directives.filter((d) => d.keyword === 'listenaddress');
  // ListenAddress without a port listens on every Port; with one (host:port, [v6]:port) on that port only.
  const explicit = listen.map((d) => ({ d, port: /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(d.args[0] ?? '')?.[1] }));
  const everyPort = listen.length === 0 || explicit.some((x) => x.port === undefined);
  if (everyPort) {
    for (const d of portLines) {
      const n = Number(d.args[0]);
      if (Number.isInteger(n)) add({ port: n, file: d.file, line: d.line });
    }
    if (portLines.length === 0) {
      const eff = (settings['port'] ?? []).map(Number).filter(Number.isInteger);
      for (const n of eff.length ? eff : [22]) add({ port: n });
    }
  }
  for (const x of explicit) if (x.port !== undefined) add({ port: Number(x.port), file: x.d.file, line: x.d.line });
  return out;
}

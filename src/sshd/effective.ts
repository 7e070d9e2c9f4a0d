/**
 * The effective sshd configuration for a connection, as `sshd -T -C …` prints it: follows Includes
 * through a FileSource, applies first-value-wins, last-value-wins and accumulation, evaluates Match
 * blocks with sshd's semantics (the connection pass is copied over the global values). Never runs a
 * program.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { NodeFileSource, type FileSource } from '../core/files.js';
import type { SshdDocument } from './document.js';
import { DUMP_ORDER, dumpName, KEYWORDS, KEYWORDS_9_2, type KeywordInfo } from './keywords.js';
import type { SshdConnection } from './model.js';
import { sshdRelease, DEFAULT_OPENSSH, SSHD_RELEASES, type SshdRelease } from './defaults.js';
import { copyMatchOptions, listenLines, newPass, postChecks, walkConfig, type LineRef, type PassState, type TrailEntry, type WalkEnvironment } from './servconf.js';
import { groupLookup } from './accounts.js';
import { serviceLookup } from './services.js';

/** Options of `effective`: the connection, where files are read, the OpenSSH release. */
export interface EffectiveOptions {
  /** The connection, as `sshd -T -C user=…,addr=…` takes it. Default `{}`: like `sshd -T` without `-C`. */
  connection?: SshdConnection;
  /** Where Included files (and /etc/services) are read; default: the real file system below `root`. */
  files?: FileSource;
  /** Read files below this directory instead of `/` (when `files` is not given). */
  root?: string;
  /** Groups of a user for `Match Group` (undefined: no such user). Default: as sshd finds them, in /etc/passwd and /etc/group of `files`. */
  groups?: (user: string) => readonly string[] | undefined;
  /** sshd's working directory, for relative paths such as `Banner banner.txt` (default `/`). */
  cwd?: string;
  /** Home directory for `~/` in paths (sshd runs as root: default `/root`). */
  home?: string;
  /** Every line `sshd -T` prints, the compiled-in defaults included (default: only what the files set, and what it implies). */
  all?: boolean;
  /** The OpenSSH release whose defaults `all` prints, and whose algorithm lists `+`, `-` and `^` expand against (default: Debian 12's, '9.2p1'). */
  openssh?: string;
}

/** One `sshd -T` line. */
export interface EffectiveEntry {
  /** Lowercase keyword as `sshd -T` prints it. */
  keyword: string;
  value: string;
}

/** A line that sets a keyword but does not decide it, and why. */
export interface ShadowedLine extends LineRef {
  reason: string;
}

/** Why a keyword has its value: the deciding line(s), or a default, and the lines it shadows. */
export interface Explanation {
  /** Lowercase keyword as `sshd -T` prints it. */
  keyword: string;
  /** Its `sshd -T` values, one per printed line (empty: sshd prints no line for it). */
  value: string[];
  /** The line that decided it, or null for a compiled-in (or derived) default. */
  winner: LineRef | null;
  /** For keywords that accumulate (Port, ListenAddress, HostKey, AcceptEnv, ...): every line that adds to the value, the winner first. */
  contributors: LineRef[];
  /** Lines that set it without effect for this connection. */
  shadowed: ShadowedLine[];
  /** How a default was arrived at, when winner is null. */
  default?: string;
}

/** The effective configuration, as `sshd -T` (`-C` for a connection) prints it, with the errors that would stop sshd. */
export interface EffectiveConfig {
  /** Lines in `sshd -T` order, only for keywords the configuration sets. */
  readonly entries: readonly EffectiveEntry[];
  /** Errors that would stop sshd (from the startup or the connection pass). */
  readonly diagnostics: readonly Diagnostic[];
  /** The Match lines whose blocks apply to the connection, in the order sshd reads them. */
  readonly matched: readonly LineRef[];
  /** Values of a keyword (any spelling; one element per `sshd -T` line), undefined when not set. */
  get(keyword: string): string[] | undefined;
  /** `keyword value` lines, each ending with a newline. */
  toString(): string;
  /** Which line decides `keyword` for this connection, and which lines it shadows. */
  explain(keyword: string): Explanation;
}

/** A release's keywords by the name `sshd -T` prints them under. */
const byDumpOf = (keywords: ReadonlyMap<string, KeywordInfo>) => new Map<string, KeywordInfo>([...keywords.values()].filter((k) => k.dump).map((k) => [k.dump!, k]));
const BY_DUMP = byDumpOf(KEYWORDS);
const BY_DUMP_OF = new Map([...SSHD_RELEASES.values()].map((r) => [r.name, r.keywords === KEYWORDS_9_2 ? BY_DUMP : byDumpOf(r.keywords.keywords)]));

export function walkEnvironment(options: EffectiveOptions): WalkEnvironment {
  const files = options.files ?? new NodeFileSource(options.root !== undefined ? { root: options.root } : {});
  const release = options.openssh !== undefined ? sshdRelease(options.openssh) : undefined;
  return {
    files,
    services: serviceLookup(files),
    cwd: options.cwd ?? '/',
    home: options.home ?? '/root',
    groups: options.groups ?? groupLookup(files),
    ...(release ? { algorithms: release.algorithms, keywords: release.keywords, ...(release.reads ? { reads: release.reads } : {}) } : {}),
  };
}

const CONNECTION_KEYS: readonly (keyof SshdConnection)[] = ['user', 'host', 'addr', 'laddr', 'lport', 'rdomain'];

/**
 * The effective configuration of `doc` for `options.connection` (default `{}`: like `sshd -T` without
 * `-C`), as `sshd -T -C …` prints it.
 */
export function effective(doc: SshdDocument, options?: EffectiveOptions): EffectiveConfig;
/**
 * @deprecated The connection goes in the options: `effective(doc, { connection, ...options })`. This form
 * (the connection second, `effective(doc, { user: 'alice' })` included) is still read the old way.
 */
export function effective(doc: SshdDocument, connection: SshdConnection, options?: EffectiveOptions): EffectiveConfig;
export function effective(doc: SshdDocument, second: EffectiveOptions | SshdConnection = {}, third?: EffectiveOptions): EffectiveConfig {
  if (!doc || typeof doc.toString !== 'function' || !('nodes' in doc)) throw new TypeError('effective: expected an SshdDocument');
  if (second === null || typeof second !== 'object') throw new TypeError('effective: expected an options object');
  // The deprecated form: a third argument, or connection fields in the second (the two sets of names are disjoint).
  const keys = Object.keys(second);
  const legacy = third !== undefined || (!('connection' in second) && keys.some((k) => (CONNECTION_KEYS as readonly string[]).includes(k)));
  if (legacy && third === undefined && keys.some((k) => !(CONNECTION_KEYS as readonly string[]).includes(k)))
    throw new TypeError(`effective: ${keys.join(', ')}: put the connection in options.connection`);
  const options: EffectiveOptions = legacy ? (third ?? {}) : (second as EffectiveOptions);
  const connection: SshdConnection = legacy ? (second as SshdConnection) : (options.connection ?? {});
  if (connection === null || typeof connection !== 'object') throw new TypeError('effective: expected a connection object');
  if (options.openssh !== undefined && !sshdRelease(options.openssh)) throw new RangeError(`effective: no defaults for OpenSSH ${options.openssh} (known: ${[...SSHD_RELEASES.keys()].join(', ')})`);
  const env = walkEnvironment(options);
  const file = doc.file ?? '/etc/ssh/sshd_config';
  const global = newPass();
  walkConfig(doc, file, null, env, global);
  postChecks(global, file);
  // fill_default_server_options() drops a lone global `ChannelTimeout none`; one set by a matching
  // Match block is copied afterwards and printed.
  if (global.values.get('channeltimeout')?.[0]?.toLowerCase() === 'none') global.values.delete('channeltimeout');
  const conn = newPass();
  walkConfig(doc, file, connection, env, conn);
  const byDump = (options.openssh !== undefined ? BY_DUMP_OF.get(options.openssh) : undefined) ?? BY_DUMP;
  copyMatchOptions(global, conn, (k) => byDump.get(k)?.match ?? false);
  const release = options.all ? sshdRelease(options.openssh ?? DEFAULT_OPENSSH) : undefined;
  // Without `all`, the set keywords in the named release's order (its new keywords included).
  const entries = dumpEntries(global, release, (release ?? (options.openssh !== undefined ? sshdRelease(options.openssh) : undefined))?.dumpOrder);
  // Startup errors, then what stops the connection pass (`Match LocalPort` without `lport`).
  const seen = new Set<string>();
  // A source made here from `root` says what the root's symbolic links met (loops) only to us.
  const linkProblems = !options.files && env.files instanceof NodeFileSource ? env.files.problems : [];
  const diagnostics = [...global.diagnostics, ...conn.diagnostics, ...linkProblems].filter((d) => {
    const k = `${d.file}|${d.line}|${d.column}|${d.code}`;
    if (d.severity !== 'error' || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    entries,
    diagnostics,
    matched: conn.matched,
    get(keyword: string) {
      const dump = dumpName(keyword);
      const vs = entries.filter((e) => e.keyword === dump).map((e) => e.value);
      return vs.length ? vs : undefined;
    },
    toString() {
      return entries.map((e) => `${e.keyword} ${e.value}\n`).join('');
    },
    explain(keyword: string) {
      const key = dumpName(keyword);
      const all = dumpEntries(global, sshdRelease(options.openssh ?? DEFAULT_OPENSSH));
      return explainKey(key, all.filter((e) => e.keyword === key).map((e) => e.value), global, conn, byDump);
    },
  };
}

const sameLine = (a: LineRef, b: LineRef): boolean => a.file === b.file && a.line === b.line;
const at = (r: LineRef): string => `${r.file ?? '(input)'}:${r.line}`;

/** The deciding lines of `key` and the reason each other line that sets it has no effect. */
function explainKey(key: string, value: string[], global: PassState, conn: PassState, byDump: ReadonlyMap<string, KeywordInfo>): Explanation {
  const contributors = global.origins.get(key) ?? [];
  const winner = contributors[0] ?? null;
  const fromMatch = conn.origins.get(key) === global.origins.get(key) && conn.origins.has(key);
  const info = byDump.get(key);
  const shadowed: ShadowedLine[] = [];
  const reasonOf = (t: TrailEntry): string | undefined => {
    if (contributors.some((c) => sameLine(c, t))) return undefined;
    if (t.match) {
      if (!t.active) return `in the block of "${t.match.text}" (${at(t.match)}), which does not match the connection`;
      return winner ? `an earlier matching line decides it first (${at(winner)})` : 'its block matches, but its value is not used';
    }
    if (fromMatch && winner) return `the Match block of ${at(winner)} sets it for this connection`;
    if (!winner) return 'not applied';
    if (info?.wins === 'last') return `a later line sets it again (${at(winner)}); the last value wins`;
    return `sshd keeps the first value it reads (${at(winner)}), in Include order and with globs sorted; this one is ignored`;
  };
  const seen: LineRef[] = [];
  // Global lines as the startup pass read them; Match lines as the connection pass judged them.
  for (const t of [...global.trail.filter((x) => !x.match), ...conn.trail.filter((x) => x.match)]) {
    if (t.key !== key || seen.some((s) => sameLine(s, t))) continue;
    seen.push(t);
    const reason = reasonOf(t);
    if (reason) shadowed.push({ file: t.file, line: t.line, reason });
  }
  const out: Explanation = { keyword: key, value, winner, contributors: info?.wins === 'accumulate' ? contributors : winner ? [winner] : [], shadowed };
  if (!winner) out.default = value.length ? defaultNote(key) : 'sshd prints no line for it when no line sets it';
  return out;
}

function defaultNote(key: string): string {
  if (key === 'port') return 'derived: port 22 when no Port line is given';
  if (key === 'listenaddress') return 'derived: every Port on [::] and 0.0.0.0, as AddressFamily allows, when no ListenAddress line is given';
  if (key === 'hostkey') return 'derived: the host keys of /etc/ssh when no HostKey line is given';
  return 'compiled-in default';
}

/**
 * The `sshd -T` lines of a pass's values, in dump_config() order: what the files set and what it
 * implies (a Port without ListenAddress listens on every address); with `release`, also every
 * compiled-in default. `order` is the release's dump order (default: `release`'s, else 9.2p1's).
 */
export function dumpEntries(st: PassState, release?: SshdRelease, order: readonly string[] = release?.dumpOrder ?? DUMP_ORDER): EffectiveEntry[] {
  const out: EffectiveEntry[] = [];
  const family = st.values.get('addressfamily')?.[0] ?? release?.defaults.addressfamily;
  for (const key of order) {
    const v = st.values.get(key);
    let lines: string[];
    if (!v) {
      if (key === 'listenaddress' && (release || st.ports.length)) lines = defaultListen(st.ports.length ? st.ports : [22], family);
      else if (!release) continue;
      else if (key === 'port') lines = ['22'];
      else if (key === 'hostkey') lines = [...release.hostKeys];
      else if (release.defaults[key] !== undefined) lines = [release.defaults[key]!];
      else continue;
    } else if (key === 'listenaddress') lines = listenLines(st, st.values.get('addressfamily')?.[0]);
    else if (key === 'maxstartups') {
      const [b, r, f] = st.maxStartups;
      lines = [`${b === -1 ? 10 : b}:${r === -1 ? 30 : r}:${f === -1 ? 100 : f}`];
    } else if (key === 'rekeylimit') lines = [`${st.rekey.limit ?? 0} ${st.rekey.interval ?? 0}`];
    else lines = v;
    for (const value of lines) out.push({ keyword: key, value });
  }
  return out;
}

/** add_listen_addr(NULL): each port on `[::]` then `0.0.0.0`, as AddressFamily allows. */
function defaultListen(ports: readonly number[], family: string | undefined): string[] {
  const out: string[] = [];
  for (const p of ports) {
    if (family !== 'inet') out.push(`[::]:${p}`);
    if (family !== 'inet6') out.push(`0.0.0.0:${p}`);
  }
  return out;
}

/**
 * The effective sshd configuration for a connection, as `sshd -T -C …` prints it: follows Includes
 * through a FileSource, applies first-value-wins, last-value-wins and accumulation, evaluates Match
 * blocks with sshd's semantics (the connection pass is copied over the global values). Never runs a
 * program.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { NodeFileSource, type FileSource } from '../core/files.js';
import type { SshdDocument } from './document.js';
import { DUMP_ORDER, KEYWORDS, type KeywordInfo } from './keywords.js';
import type { SshdConnection } from './model.js';
import { copyMatchOptions, listenLines, newPass, postChecks, walkConfig, type PassState, type WalkEnvironment } from './options.js';
import { serviceLookup } from './services.js';

export interface EffectiveOptions {
  /** Where Included files (and /etc/services) are read; default: the real file system below `root`. */
  files?: FileSource;
  /** Read files below this directory instead of `/` (when `files` is not given). */
  root?: string;
  /** Groups of a user for `Match Group` (undefined: no such user). Default: no user exists. */
  groups?: (user: string) => readonly string[] | undefined;
  /** sshd's working directory, for relative paths such as `Banner banner.txt` (default `/`). */
  cwd?: string;
  /** Home directory for `~/` in paths (sshd runs as root: default `/root`). */
  home?: string;
}

/** One `sshd -T` line. */
export interface EffectiveEntry {
  /** Lowercase keyword as `sshd -T` prints it. */
  keyword: string;
  value: string;
}

export interface EffectiveConfig {
  /** Lines in `sshd -T` order, only for keywords the configuration sets. */
  readonly entries: readonly EffectiveEntry[];
  /** Errors that would stop sshd (from the startup or the connection pass). */
  readonly diagnostics: readonly Diagnostic[];
  /** Values of a keyword (any spelling; one element per `sshd -T` line), undefined when not set. */
  get(keyword: string): string[] | undefined;
  /** `keyword value` lines, each ending with a newline. */
  toString(): string;
}

const BY_DUMP = new Map<string, KeywordInfo>([...KEYWORDS.values()].filter((k) => k.dump).map((k) => [k.dump!, k]));

export function walkEnvironment(options: EffectiveOptions): WalkEnvironment {
  const files = options.files ?? new NodeFileSource(options.root !== undefined ? { root: options.root } : {});
  return {
    files,
    services: serviceLookup(files),
    cwd: options.cwd ?? '/',
    home: options.home ?? '/root',
    groups: options.groups ?? (() => undefined),
  };
}

/** The effective configuration of `doc` for a connection (`{}`: like `sshd -T` without `-C`). */
export function effective(doc: SshdDocument, connection: SshdConnection = {}, options: EffectiveOptions = {}): EffectiveConfig {
  if (!doc || typeof doc.toString !== 'function' || !('nodes' in doc)) throw new TypeError('effective: expected an SshdDocument');
  if (connection === null || typeof connection !== 'object') throw new TypeError('effective: expected a connection object');
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
  copyMatchOptions(global, conn, (k) => BY_DUMP.get(k)?.match ?? false);
  const entries = dumpEntries(global);
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
    get(keyword: string) {
      const k = keyword.toLowerCase();
      const info = KEYWORDS.get(k) ?? [...KEYWORDS.values()].find((x) => x.name.toLowerCase() === k);
      const dump = info?.dump ?? k;
      const vs = entries.filter((e) => e.keyword === dump).map((e) => e.value);
      return vs.length ? vs : undefined;
    },
    toString() {
      return entries.map((e) => `${e.keyword} ${e.value}\n`).join('');
    },
  };
}

/** The `sshd -T` lines of a pass's values, in dump_config() order. */
export function dumpEntries(st: PassState): EffectiveEntry[] {
  const out: EffectiveEntry[] = [];
  for (const key of DUMP_ORDER) {
    const v = st.values.get(key);
    if (!v) continue;
    let lines: string[];
    if (key === 'listenaddress') lines = listenLines(st, st.values.get('addressfamily')?.[0]);
    else if (key === 'maxstartups') {
      const [b, r, f] = st.maxStartups;
      lines = [`${b === -1 ? 10 : b}:${r === -1 ? 30 : r}:${f === -1 ? 100 : f}`];
    } else if (key === 'rekeylimit') lines = [`${st.rekey.limit ?? 0} ${st.rekey.interval ?? 0}`];
    else lines = v;
    for (const value of lines) out.push({ keyword: key, value });
  }
  return out;
}

/**
 * The server options as sshd 9.2 builds them (servconf.c): one walk over the configuration, its
 * Includes and Match blocks, applying each directive's handler. `check` uses the startup pass (no
 * connection: only `Match All` applies, and every error sshd reports is collected); `effective`
 * adds the per-connection pass whose values are copied over the global ones.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { glob, type FileSource } from '../core/files.js';
import { ALGORITHMS, type AlgorithmSet } from './algorithms.js';
import type { SshdDocument } from './document.js';
import { lookupKeyword, type KeywordInfo, type KeywordTable } from './keywords.js';
import type { SshdConnection } from './model.js';
import { parse } from './parse.js';
import type { SshdDirectiveLine, SshdToken } from './parse.js';
import type { ServiceLookup } from './services.js';
import {
  a2port,
  addrMatchList,
  canonicalAddress,
  cleanhostname,
  convtime,
  hpdelim,
  INT_MAX,
  ipqosName,
  matchPatternList,
  parseIpqos,
  scanInt,
  scanScaled,
  strtolOctalPrefix,
  strtonum,
} from './values.js';
import type { SshdCode } from './codes.js';

/** Everything the walk needs besides the document. */
export interface WalkEnvironment {
  files: FileSource;
  services: ServiceLookup;
  /** sshd's working directory, for relative paths (`Banner x` → `/cwd/x`). */
  cwd: string;
  /** Home directory of the user sshd runs as, for `~/…`. */
  home: string;
  /** Groups of a user, for `Match Group`; undefined when the user does not exist. */
  groups: (user: string) => readonly string[] | undefined;
  /** The algorithm lists `+`, `-` and `^` expand against (default: 9.2p1's, algorithms.ts). */
  algorithms?: Readonly<Record<string, AlgorithmSet>>;
  /** Where the release reads a value otherwise than 9.2p1 (default: as 9.2p1). */
  reads?: ReleaseReads;
  /** The release's keyword table (default: 9.2p1's, the one the parser looked the keyword up in). */
  keywords?: KeywordTable;
}

/** How a release's servconf.c reads values where it differs from 9.2p1's. */
export interface ReleaseReads {
  /**
   * IPQoS takes DSCP names and decimal numbers only: `lowdelay`, `throughput` and `reliability`
   * are deprecated and read as `none`, and a TOS value prints as hex (Debian's 10.0p1).
   */
  readonly ipqosDscpOnly?: boolean;
  /**
   * PermitOpen and PermitListen read every argument, an empty one too (a bad port), and `any` or
   * `none` after another argument is fatal (10.0p1); 9.2p1 stops at an empty argument and takes
   * `any` or `none` as the only one.
   */
  readonly permitEveryArgument?: boolean;
  /**
   * Subsystem: a name already defined is skipped (debug only), not fatal, and the command and its
   * arguments are joined by argv_assemble(), which quotes and escapes them (10.0p1); 9.2p1 joins the
   * arguments with spaces.
   */
  readonly subsystemAssembled?: boolean;
}

/** misc.c@10.0p1 argv_assemble(): backslashes and quotes escaped, an argument with a blank double-quoted. */
function argvAssemble(av: readonly string[]): string {
  return av.map((a) => {
    const e = a.replace(/[\\'"]/g, (c) => `\\${c}`);
    return /[ \t]/.test(a) ? `"${e}"` : e;
  }).join(' ');
}

/** Values by `sshd -T` name: each element is one printed line's value. */
export type OptionValues = Map<string, string[]>;

/** State of one pass. */
export interface PassState {
  values: OptionValues;
  /** MaxStartups begin, rate, full (sscanf writes them in place). */
  maxStartups: [number, number, number];
  rekey: { limit?: number; interval?: number };
  subsystems: string[];
  listen: { addr: string; port: number; rdomain: string | null; at?: { file: string | undefined; line: number; column: number; endColumn: number } }[];
  ports: number[];
  diagnostics: Diagnostic[];
  /**
   * Keywords whose first value won, with where, for "later value ignored" warnings; keyed by scope
   * too: a Match block's value is applied per connection over the global one, never ignored for it.
   */
  firstSeen: Map<string, { file: string | undefined; line: number }>;
  ignoredLater: Diagnostic[];
  /** The lines whose values a key holds now, in order (one for a single value, each contributor for an accumulating key). */
  origins: Map<string, LineRef[]>;
  /** Every directive line the pass read, in order, with whether it applied: the material of `explain`. */
  trail: TrailEntry[];
  /** The Match lines that matched the pass's connection, in the order read. */
  matched: LineRef[];
  /**
   * The value lists this pass made itself, which it may extend in place: appending to a copy each
   * time made thousands of AcceptEnv lines cost quadratic time. A list taken from another pass (a
   * Match's copy of the global values) is copied on its first append.
   */
  owned: WeakSet<string[]>;
}

/** A line of a file. */
export interface LineRef {
  file: string | undefined;
  line: number;
}

/** One directive line a pass read. */
export interface TrailEntry extends LineRef {
  /** The `sshd -T` key it sets. */
  key: string;
  /** Whether it applied in this pass (false: in a Match block that does not match, or not this pass's lines). */
  active: boolean;
  /** The Match line whose block holds it, or null for the global section. */
  match: (LineRef & { text: string }) | null;
}

export function newPass(): PassState {
  return {
    values: new Map(),
    maxStartups: [-1, -1, -1],
    rekey: {},
    subsystems: [],
    listen: [],
    ports: [],
    diagnostics: [],
    firstSeen: new Map(),
    ignoredLater: [],
    origins: new Map(),
    trail: [],
    matched: [],
    owned: new WeakSet(),
  };
}

interface Flags {
  matchOnly: boolean;
  neverMatch: boolean;
  /** The line is inside a Match block (of this file or of the file that included it). */
  inMatch: boolean;
}

/** A connection as match_cfg_line() sees it (`test` mode: a missing field never matches). */
interface ConnInfo {
  user?: string;
  host?: string;
  addr?: string;
  laddr?: string;
  lport?: number;
  rdomain?: string;
}

class Fatal extends Error {}

/** Error reporting for one line. */
interface LineReporter {
  /** A counted error: sshd goes on and fails at the end. */
  error(message: string, arg?: number): void;
  /** A fatal error: sshd stops here. */
  fatal(message: string, arg?: number): never;
  warn(code: SshdCode, message: string, arg?: number): void;
  /** A fatal error of the connection pass (`sshd -T -C …`), reported in every pass. */
  connectionFatal(code: SshdCode, message: string, at: { column: number; endColumn: number }): never;
}

const SSHDIR = '/etc/ssh';

/** The GSS key exchange method prefixes of Debian's OpenSSH 9.2 (kex.h KEX_GSS_*_ID). */
const GSS_KEX_PREFIXES = ['gss-group1-sha1-', 'gss-group14-sha1-', 'gss-group14-sha256-', 'gss-group16-sha512-', 'gss-gex-sha1-', 'gss-nistp256-sha256-', 'gss-curve25519-sha256-'];

/**
 * Walks a document (and what it includes) like parse_server_config(): `ci` null is the startup pass.
 * Returns false when a fatal error stopped the walk.
 */
export function walkConfig(
  doc: SshdDocument,
  file: string,
  ci: SshdConnection | null,
  env: WalkEnvironment,
  st: PassState,
  options: { continueAfterFatal?: boolean } = {},
): boolean {
  const active = { v: ci === null };
  const conn: ConnInfo | null =
    ci === null
      ? null
      : {
          ...ci,
          lport: ci.lport === undefined ? undefined : Number(ci.lport),
        };
  const cache = new Map<string, SshdDocument>();
  let ok = true;
  /** The Match line whose block is being read (a block ends with its file, as activep is restored after an Include). */
  let currentMatch: TrailEntry['match'] = null;
  const walk = (d: SshdDocument, name: string | undefined, flags: Flags, depth: number): void => {
    if (depth > 16) {
      st.diagnostics.push(diagnostic('sshd/include-depth', 'error', 'Too many recursive configuration includes', { line: 1, column: 1 }, name));
      throw new Fatal();
    }
    if (depth > 0 && ci === null) st.diagnostics.push(...d.diagnostics);
    let line = 0;
    for (const node of d.nodes) {
      line++;
      const p = node.parsed;
      if (p.kind !== 'directive') continue;
      try {
        processLine(p, name, line, active, flags, depth, (incPath, f) => {
          let inc = cache.get(incPath);
          if (!inc) {
            const text = env.files.read(incPath) ?? '';
            inc = parse(text, { file: incPath });
            cache.set(incPath, inc);
          }
          const outer = currentMatch;
          walk(inc, incPath, f, depth + 1);
          currentMatch = outer;
        });
      } catch (e) {
        if (!(e instanceof Fatal)) throw e;
        ok = false;
        if (!options.continueAfterFatal) throw e;
      }
    }
  };

  const processLine = (
    p: SshdDirectiveLine,
    name: string | undefined,
    line: number,
    activep: { v: boolean },
    flags: Flags,
    depth: number,
    include: (path: string, flags: Flags) => void,
  ): void => {
    const at = (arg?: number) => {
      const a = arg !== undefined ? p.args[arg] : undefined;
      return a ? { line, column: a.start + 1, endColumn: a.end + 1 } : { line, column: p.keywordStart + 1, endColumn: p.keywordEnd + 1 };
    };
    const rep: LineReporter = {
      error: (message, arg) => {
        if (ci === null) st.diagnostics.push(diagnostic(codeFor(message), 'error', message, at(arg), name));
      },
      fatal: (message, arg) => {
        if (ci === null) st.diagnostics.push(diagnostic(codeFor(message), 'error', message, at(arg), name));
        throw new Fatal();
      },
      warn: (code, message, arg) => {
        if (ci === null) st.diagnostics.push(diagnostic(code, 'warning', message, at(arg), name));
      },
      connectionFatal: (code, message, where) => {
        st.diagnostics.push(diagnostic(code, 'error', message, { line, ...where }, name));
        throw new Fatal();
      },
    };
    if (p.rest === null || p.rest === '') return; // reported by the parser
    if (p.invalidQuotes) return; // reported by the parser
    const kw = p.keyword;
    const look = env.keywords ? lookupKeyword(kw, env.keywords) : undefined;
    const info = env.keywords ? look?.info : p.info;
    const matchAllowed = env.keywords ? (look?.match ?? false) : p.matchAllowed;
    if (!info) {
      // sshd's words; a byte-order mark glued to the first keyword is invisible in them, so name it.
      rep.error(kw.startsWith('\uFEFF') ? `Bad configuration option: ${kw.slice(1)} (after a byte-order mark, which sshd reads as part of the keyword: save the file without it)` : `Bad configuration option: ${kw}`);
      return;
    }
    if (info.kind === 'match') {
      currentMatch = { file: name, line, text: `${p.keyword} ${p.rest}` };
      const r = matchLine(p, flags.neverMatch ? null : conn, rep, env);
      activep.v = flags.neverMatch ? false : r;
      if (activep.v && ci !== null) st.matched.push({ file: name, line });
      flags.matchOnly = false;
      flags.inMatch = true;
      return;
    }
    if (!activep.v && !matchAllowed) {
      if (ci === null) rep.fatal(`Directive '${kw}' is not allowed within a Match block`);
      return;
    }
    if (info.kind === 'include') {
      const oactive = activep.v;
      for (let i = 0; i < p.args.length; i++) {
        const arg = p.args[i]!.value;
        if (arg === '') {
          rep.error(`keyword ${kw} empty argument`, i);
          continue;
        }
        const pattern = arg.startsWith('/') || arg.startsWith('~') ? arg : `${SSHDIR}/${arg}`;
        const paths = arg.startsWith('~') ? [] : glob(env.files, pattern);
        for (const path of paths) {
          const f: Flags = { matchOnly: flags.matchOnly, neverMatch: flags.matchOnly ? false : !oactive, inMatch: flags.inMatch };
          include(path, f);
          activep.v = oactive;
        }
      }
      return;
    }
    const key = info.dump ?? info.name.toLowerCase();
    const before = st.values.get(key);
    // Accumulating lists grow in place (PassState.owned): a longer list is a change too.
    const beforeLength = before?.length ?? 0;
    const consumed = applyDirective(info, p, activep.v, flags.inMatch, st, env, rep, name, line);
    st.trail.push({ key, file: name, line, active: activep.v, match: flags.inMatch ? currentMatch : null });
    const after = st.values.get(key);
    if (after !== undefined && (after !== before || after.length !== beforeLength)) {
      const ref = { file: name, line };
      if (info.wins === 'accumulate' && before !== undefined) st.origins.get(key)?.push(ref);
      else st.origins.set(key, [ref]);
    }
    if (consumed < p.args.length) rep.error(`keyword ${kw} extra arguments at end of line`, consumed);
  };

  try {
    walk(doc, file, { matchOnly: ci !== null, neverMatch: false, inMatch: false }, 0);
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    ok = false;
  }
  return ok;
}

function codeFor(message: string): SshdCode {
  if (message.startsWith('Bad configuration option')) return 'sshd/unknown-keyword';
  if (message.includes('not allowed within a Match block')) return 'sshd/not-allowed-in-match';
  if (message.includes('extra arguments')) return 'sshd/extra-arguments';
  if (message.includes('already defined')) return 'sshd/duplicate-subsystem';
  if (/Match|LocalPort/.test(message)) return 'sshd/bad-match';
  if (message.startsWith('missing') || message.includes('missing') || message.includes('Missing')) return 'sshd/missing-value';
  return 'sshd/bad-value';
}

/** match_cfg_line(): whether the block applies; reports bad criteria. */
function matchLine(p: SshdDirectiveLine, ci: ConnInfo | null, rep: LineReporter, env: WalkEnvironment): boolean {
  const toks = p.tokens ?? [];
  let result = true;
  let attributes = 0;
  let localPort: SshdToken | undefined;
  const bad = (msg: string): never => rep.fatal(`${msg}; Bad Match condition`);
  for (let i = 0; i < toks.length; i++) {
    const attrib = toks[i]!.value;
    if (attrib === null || attrib === '') break;
    if (attrib.startsWith('#')) break;
    attributes++;
    const a = attrib.toLowerCase();
    if (a === 'all') {
      const next = toks[i + 1]?.value;
      if (attributes > 1 || (next !== undefined && next !== null && next !== '' && !next.startsWith('#')))
        bad("'all' cannot be combined with other Match attributes");
      return true;
    }
    const argTok = toks[i + 1];
    const arg = argTok?.value;
    if (arg === undefined || arg === null || arg === '' || arg.startsWith('#')) bad(`Missing Match criteria for ${attrib}`);
    i++;
    const pat = arg as string;
    switch (a) {
      case 'user':
        if (!ci || ci.user === undefined) result = false;
        else if (matchPatternList(ci.user, pat) !== 1) result = false;
        break;
      case 'group': {
        if (!ci || ci.user === undefined) {
          result = false;
          break;
        }
        const groups = env.groups(ci.user);
        if (!groups) {
          result = false;
          break;
        }
        let found = false;
        let negated = false;
        for (const g of groups) {
          const r = matchPatternList(g, pat);
          if (r === -1) negated = true;
          if (r === 1) found = true;
        }
        if (negated || !found) result = false;
        break;
      }
      case 'host':
        if (!ci || ci.host === undefined) result = false;
        else if (matchPatternList(ci.host.toLowerCase(), pat, true) !== 1) result = false;
        break;
      case 'address':
      case 'localaddress': {
        if (addrMatchList(undefined, pat) === -2) rep.fatal(`Invalid Match address argument '${pat}'`);
        const v = a === 'address' ? ci?.addr : ci?.laddr;
        if (!ci || v === undefined) result = false;
        else if (addrMatchList(v, pat) !== 1) result = false;
        break;
      }
      case 'localport': {
        const port = a2port(pat, env.services);
        if (port === -1) bad(`Invalid LocalPort '${pat}' on Match line`);
        localPort ??= toks[i - 1];
        if (!ci || ci.lport === undefined || Number.isNaN(ci.lport)) result = false;
        else if (port !== ci.lport) result = false;
        break;
      }
      case 'rdomain':
        if (!ci || ci.rdomain === undefined) result = false;
        else if (matchPatternList(ci.rdomain, pat) !== 1) result = false;
        break;
      default:
        bad(`Unsupported Match attribute ${attrib}`);
    }
  }
  if (attributes === 0) bad('One or more attributes required for Match');
  // sshd 9.2 (servconf.c): in test mode a LocalPort criterion needs `lport` in the connection, even
  // when another criterion already failed; checked once the whole line has been read.
  if (ci && localPort && (ci.lport === undefined || Number.isNaN(ci.lport)))
    rep.connectionFatal('sshd/match-lport-missing', "'Match LocalPort' in configuration but 'lport' not in connection test specification.", {
      column: localPort.start + 1,
      endColumn: localPort.end + 1,
    });
  return result;
}

function derelativise(path: string, env: WalkEnvironment): string {
  if (path.toLowerCase() === 'none') return 'none';
  const expanded = tildeExpand(path, env);
  if (expanded.startsWith('/')) return expanded;
  return `${env.cwd.replace(/\/$/, '')}/${expanded}`;
}

function tildeExpand(path: string, env: WalkEnvironment): string {
  if (path === '~') return env.home;
  if (path.startsWith('~/')) return env.home.replace(/\/$/, '') + path.slice(1);
  return path;
}

/**
 * Applies one directive (servconf.c's switch). Returns how many arguments the handler consumed;
 * the caller reports the rest as extra arguments.
 */
/** One PermitOpen/PermitListen target as sshd stores it (a bare PermitListen port is `*:PORT`); a bad host or port is fatal. */
function permitTarget(info: KeywordInfo, x: string, i: number, env: WalkEnvironment, rep: LineReporter, kw: string): string {
  if (info.name === 'PermitListen' && !x.includes(':')) {
    if (a2port(x, env.services) <= 0 && x !== '*') rep.fatal(`${kw} bad port number`, i);
    return `*:${x}`;
  }
  const h = hpdelim(x);
  if (!h) rep.fatal(`${kw} missing host`, i);
  const portText = h!.rest;
  if (portText === null || (portText !== '*' && a2port(portText, env.services) <= 0)) rep.fatal(`${kw} bad port number`, i);
  return x;
}

/**
 * PermitOpen and PermitListen as servconf.c@V_10_0_P1 reads them: every argument, an empty one
 * included; `any` and `none` are stored like the others, fatal only after another argument.
 */
function permitForward10(info: KeywordInfo, av: readonly string[], env: WalkEnvironment, rep: LineReporter, kw: string, first: (v: string[]) => void): number {
  const out: string[] = [];
  for (let i = 0; i < av.length; i++) {
    const x = av[i]!;
    if (x === 'any' || x === 'none') {
      if (out.length) rep.fatal(`${x} must appear alone on a ${kw} line.`, i);
      out.push(x);
      continue;
    }
    out.push(permitTarget(info, x, i, env, rep, kw));
  }
  if (!out.length) rep.fatal(`${kw} missing argument.`);
  first([out.join(' ')]);
  return av.length;
}

function applyDirective(
  info: KeywordInfo,
  p: SshdDirectiveLine,
  active: boolean,
  inMatch: boolean,
  st: PassState,
  env: WalkEnvironment,
  rep: LineReporter,
  file: string | undefined,
  line: number,
): number {
  const av = p.args.map((a) => a.value);
  const kw = p.keyword;
  const key = info.dump ?? info.name.toLowerCase();
  const values = st.values;
  const first = (v: string[]) => {
    if (!active) return;
    const scoped = `${inMatch ? 'match' : 'global'}:${key}`;
    if (!values.has(key)) values.set(key, v);
    if (!st.firstSeen.has(scoped)) st.firstSeen.set(scoped, { file, line });
    else if (info.wins === 'first' || info.wins === 'first-line') {
      const was = st.firstSeen.get(scoped);
      st.ignoredLater.push(
        diagnostic(
          'sshd/ignored-value',
          'warning',
          `${kw} is already set${was ? ` on line ${was.line}${was.file !== file ? ` of ${was.file ?? 'the main file'}` : ''}` : ''}; sshd uses the first value and ignores this one`,
          { line, column: p.keywordStart + 1, endColumn: p.keywordEnd + 1 },
          file,
        ),
      );
    }
  };
  const last = (v: string[]) => {
    if (active) values.set(key, v);
  };
  const append = (v: string[]) => {
    if (!active) return;
    const cur = values.get(key);
    if (cur && st.owned.has(cur)) for (const x of v) cur.push(x);
    else {
      const list = cur ? [...cur, ...v] : [...v];
      st.owned.add(list);
      values.set(key, list);
    }
  };
  const arg0 = av[0];
  const need = (msg: string): string => {
    if (arg0 === undefined || arg0 === '') rep.fatal(msg);
    return arg0 as string;
  };

  switch (info.kind) {
    case 'flag':
    case 'enum': {
      const a = need(`${kw} missing argument.`);
      const vals = info.values!;
      const k = info.caseSensitive ? a : a.toLowerCase();
      const hit = Object.prototype.hasOwnProperty.call(vals, k) ? vals[k] : undefined;
      if (hit === undefined)
        rep.fatal(info.name === 'PermitTunnel' ? `bad PermitTunnel argument ${a}` : `unsupported option "${a}".`, 0);
      if (info.wins === 'last') last([hit!]);
      else first([hit!]);
      return 1;
    }
    case 'integer': {
      const a = need(`${kw} missing argument.`);
      const v = strtonum(a, 0, INT_MAX);
      if (typeof v !== 'number') rep.fatal(`${kw} integer value ${v}.`, 0);
      first([String(v)]);
      return 1;
    }
    case 'integer-or-none': {
      const a = need(`missing ${kw}`);
      let v: number;
      if (a === 'none') v = INT_MAX;
      else {
        const r = strtonum(a, 0, INT_MAX);
        if (typeof r !== 'number') rep.fatal(`integer value ${r}.`, 0);
        v = r;
      }
      last([v === INT_MAX ? 'none' : String(v)]);
      return 1;
    }
    case 'time':
    case 'time-or-none': {
      const a = need('missing time value.');
      let v: number;
      if (info.kind === 'time-or-none' && a === 'none') v = 0;
      else {
        v = convtime(a);
        if (v === -1) rep.fatal('invalid time value.', 0);
      }
      first([info.kind === 'time-or-none' && v === 0 ? 'none' : String(v)]);
      return 1;
    }
    case 'port': {
      const a = need('missing port number.');
      const port = a2port(a, env.services);
      if (port <= 0) rep.fatal('Badly formatted port number.', 0);
      if (st.ports.length >= 256) rep.fatal('too many ports.');
      if (active) st.ports.push(port);
      append([String(port)]);
      return 1;
    }
    case 'listen-address': {
      const a = need('missing address');
      let host: string;
      let port = 0;
      const colon = a.indexOf(':');
      if (!a.includes('[') && colon >= 0 && a.indexOf(':', colon + 1) >= 0) host = a;
      else {
        const h = hpdelim(a);
        if (!h) rep.fatal('bad address:port usage', 0);
        host = cleanhostname(h!.host);
        if (h!.rest !== null) {
          port = a2port(h!.rest, env.services);
          if (port <= 0) rep.fatal('bad port number', 0);
        }
      }
      let rdomain: string | null = null;
      let used = 1;
      if (av.length > 1) {
        if (av[1] !== 'rdomain' || av[2] === undefined) rep.fatal('bad ListenAddress syntax', 1);
        rdomain = av[2]!;
        used = 3;
      }
      const arg = p.args[0]!;
      if (active) st.listen.push({ addr: host, port, rdomain, at: { file, line, column: arg.start + 1, endColumn: arg.end + 1 } });
      if (active) values.set(key, ['(listen)']);
      return used;
    }
    case 'word': {
      const a = need(`${kw} missing argument.`);
      first([a]);
      return 1;
    }
    case 'path': {
      const a = need('missing file name.');
      let v: string;
      if (info.name === 'HostKeyAgent' && a === 'SSH_AUTH_SOCK') v = a;
      else if (info.name === 'SecurityKeyProvider' && a.toLowerCase() === 'internal') v = a;
      else v = derelativise(a, env);
      if (info.wins === 'accumulate') append([v]);
      else first([v]);
      return 1;
    }
    case 'raw-path': {
      const a = need('missing file name.');
      first([info.name === 'AuthorizedPrincipalsFile' ? tildeExpand(a, env) : a]);
      return 1;
    }
    case 'rest-of-line': {
      const v = p.rest!.replace(/^[ \t\r\n]+/, '');
      if (info.name === 'VersionAddendum') {
        if (v.includes('\r')) rep.fatal(`Invalid ${kw} argument`);
        first([v.toLowerCase() === 'none' ? 'none' : v]);
      } else first([v]);
      return av.length;
    }
    case 'command': {
      const v = p.rest!.replace(/^[ \t\r\n]+/, '');
      if (active && !values.has(key) && !v.startsWith('/') && v.toLowerCase() !== 'none')
        rep.fatal(`${kw} must be an absolute path`);
      first([v]);
      return av.length;
    }
    case 'words': {
      const name = info.name;
      if (name === 'AuthorizedKeysFile') {
        for (let i = 0; i < av.length; i++)
          if (av[i] === '') {
            rep.error(`keyword ${kw} empty argument`, i);
            return av.length;
          }
        first([av.map((x) => tildeExpand(x, env)).join(' ')]);
        return av.length;
      }
      const users = name === 'AllowUsers' || name === 'DenyUsers';
      for (let i = 0; i < av.length; i++) {
        const x = av[i]!;
        if (users) {
          const atSign = x.lastIndexOf('@');
          if (x === '' || (atSign >= 0 && addrMatchList(undefined, x.slice(atSign + 1)) === -2))
            rep.fatal(`invalid ${kw} pattern: "${x}"`, i);
        } else if (x === '') rep.fatal(`empty ${kw} pattern`, i);
      }
      append(av);
      return av.length;
    }
    case 'acceptenv': {
      for (let i = 0; i < av.length; i++) if (av[i] === '' || av[i]!.includes('=')) rep.fatal('Invalid environment name.', i);
      append(av);
      return av.length;
    }
    case 'setenv': {
      const out: string[] = [];
      for (let i = 0; i < av.length; i++) {
        const x = av[i]!;
        if (x === '' || !x.includes('=')) rep.fatal('Invalid environment.', i);
        const nm = x.slice(0, x.indexOf('='));
        if (!out.some((o) => o.slice(0, o.indexOf('=')) === nm)) out.push(x);
      }
      first(out);
      return av.length;
    }
    case 'algorithms': {
      const a = need(`${kw} missing argument.`);
      const set = (env.algorithms ?? ALGORITHMS)[key];
      if (key === 'gssapikexalgorithms') {
        // Debian's GSSAPI patch, kex_gss_names_valid(): each name starts with a known GSS key exchange
        // prefix (case-sensitive); the list is kept as written.
        if (a.split(',').some((n) => n !== '' && !GSS_KEX_PREFIXES.some((p) => n.startsWith(p)))) rep.fatal(`Bad GSSAPI KexAlgorithms '${a}'.`, 0);
        first([a]);
        return 1;
      }
      if (!set) {
        first([a]);
        return 1;
      }
      if (!a.startsWith('-') && !algorithmsValid(a.startsWith('+') || a.startsWith('^') ? a.slice(1) : a, set))
        rep.fatal(`${set.error} '${a}'.`, 0);
      const expanded = assembleNames(a, set);
      if (expanded === undefined) rep.fatal(`${set.error} '${a}'.`, 0);
      first([expanded!]);
      return 1;
    }
    case 'subsystem': {
      const a = need(`${kw} missing argument.`);
      if (!active) return 2;
      if (st.subsystems.includes(a)) {
        if (env.reads?.subsystemAssembled) return av.length;
        rep.fatal(`Subsystem '${a}' already defined.`, 0);
      }
      if (av[1] === undefined || av[1] === '') rep.fatal('Missing subsystem command.');
      st.subsystems.push(a);
      append([`${a} ${env.reads?.subsystemAssembled ? argvAssemble(av.slice(1)) : av.slice(1).join(' ')}`]);
      return av.length;
    }
    case 'maxstartups': {
      const a = need('missing MaxStartups spec.');
      const ms = st.maxStartups;
      const x = scanInt(a);
      let n = 0;
      if (x) {
        ms[0] = x.value;
        n = 1;
        const y = x.rest.startsWith(':') ? scanInt(x.rest.slice(1)) : undefined;
        if (y) {
          ms[1] = y.value;
          n = 2;
          const z = y.rest.startsWith(':') ? scanInt(y.rest.slice(1)) : undefined;
          if (z) {
            ms[2] = z.value;
            n = 3;
          }
        }
      }
      if (n === 3) {
        if (ms[0] > ms[2] || ms[1] > 100 || ms[1] < 1) rep.fatal(`Invalid ${kw} spec.`, 0);
      } else if (n !== 1) rep.fatal(`Invalid ${kw} spec.`, 0);
      else ms[2] = ms[0];
      if (ms[2] <= 0 || ms[0] <= 0) rep.fatal(`Invalid ${kw} spec.`, 0);
      values.set(key, ['(maxstartups)']);
      return 1;
    }
    case 'netblocksize': {
      const a = need(`missing ${kw}`);
      const x = scanInt(a);
      let n = 0;
      let v1 = 0;
      let v2 = 0;
      if (x) {
        v1 = x.value;
        n = 1;
        const y = x.rest.startsWith(':') ? scanInt(x.rest.slice(1)) : undefined;
        if (y) {
          v2 = y.value;
          n = 2;
        }
      }
      if (n === 2 && (v2 < 0 || v2 > 128)) n = -1;
      if ((n === 1 || n === 2) && (v1 < 0 || v1 > 32)) n = -1;
      if (n !== 1 && n !== 2) rep.fatal(`Invalid ${kw} spec.`, 0);
      last([`${v1}:${v2}`]);
      return 1;
    }
    case 'rekeylimit': {
      const a = need('Missing argument.');
      let v: number;
      if (a === 'default') v = 0;
      else {
        const s = scanScaled(a);
        if (s === undefined) rep.fatal(`Bad ${kw} number '${a}'`, 0);
        v = s!;
        if (v !== 0 && v < 16) rep.fatal(`${kw} too small`, 0);
      }
      if (active && st.rekey.limit === undefined) st.rekey.limit = v;
      if (av.length > 1) {
        if (av[1] === 'none') {
          if (active) values.set(key, ['(rekey)']);
          return 2;
        }
        if (av[1] === '') rep.fatal('missing time value.', 1);
        const t = convtime(av[1]!);
        if (t === -1) rep.fatal('invalid time value.', 1);
        if (active && st.rekey.interval === undefined) st.rekey.interval = t;
        if (active) values.set(key, ['(rekey)']);
        return 2;
      }
      if (active) values.set(key, ['(rekey)']);
      return 1;
    }
    case 'octal-mask': {
      const a = need(`missing ${kw} argument.`);
      const v = strtolOctalPrefix(a);
      if (v === undefined || v < 0 || v > 0o777) rep.fatal('Bad mask.', 0);
      last(['0' + v!.toString(8)]);
      return 1;
    }
    case 'ipqos': {
      const a = need(`${kw} missing argument.`);
      const dscp = env.reads?.ipqosDscpOnly ?? false;
      const read = (x: string) => parseIpqos(x, dscp);
      const v1 = read(a);
      if (v1 === -1) rep.fatal(`Bad ${kw} value: ${a}`, 0);
      let v2 = v1;
      if (av.length > 1) {
        v2 = read(av[1]!);
        if (v2 === -1) rep.fatal(`Bad ${kw} value: ${av[1]}`, 1);
      }
      last([`${ipqosName(v1, dscp)} ${ipqosName(v2, dscp)}`]);
      return Math.min(av.length, 2);
    }
    case 'channel-timeout': {
      for (let i = 0; i < av.length; i++) {
        const x = av[i]!;
        if (x.toLowerCase() === 'none') {
          if (i > 0 || av.length > 1) {
            rep.error(`keyword ${kw} "none" argument must appear alone.`, i);
            return av.length;
          }
        } else {
          const eq = x.indexOf('=');
          if (eq <= 0 || convtime(x.slice(eq + 1)) === -1) rep.fatal(`invalid channel timeout ${x}`, i);
        }
      }
      first([av.join(' ')]);
      return av.length;
    }
    case 'permit-user-environment': {
      const a = need(`${kw} missing argument.`);
      first([a === 'yes' ? 'yes' : a === 'no' ? 'no' : a]);
      return 1;
    }
    case 'pubkey-auth-options': {
      let touch = false;
      let verify = false;
      for (let i = 0; i < av.length; i++) {
        const x = av[i]!.toLowerCase();
        if (x === 'none') continue;
        if (x === 'touch-required') touch = true;
        else if (x === 'verify-required') verify = true;
        else {
          rep.error(`unsupported ${kw} option ${av[i]}`, i);
          return av.length;
        }
      }
      const parts = [...(touch ? ['touch-required'] : []), ...(verify ? ['verify-required'] : [])];
      first([parts.length ? parts.join(' ') : 'none']);
      return av.length;
    }
    case 'permit-forward': {
      if (env.reads?.permitEveryArgument) return permitForward10(info, av, env, rep, kw, first);
      const a = need(`${kw} missing argument.`);
      if (a === 'any' || a === 'none') {
        first([a]);
        return 1;
      }
      const out: string[] = [];
      let i = 0;
      for (; i < av.length && av[i] !== ''; i++) {
        const x = av[i]!;
        out.push(permitTarget(info, x, i, env, rep, kw));
      }
      first([out.join(' ')]);
      return i < av.length ? i + 1 : i;
    }
    case 'log-verbose': {
      for (let i = 0; i < av.length; i++) {
        if (av[i] === '') {
          rep.error(`keyword ${kw} empty argument`, i);
          return av.length;
        }
        if (av[i]!.toLowerCase() === 'none' && (i > 0 || av.length > 1)) {
          rep.error(`keyword ${kw} "none" argument must appear alone.`, i);
          return av.length;
        }
      }
      first([av.join(' ')]);
      return av.length;
    }
    case 'auth-methods': {
      // servconf.c sAuthenticationMethods: "any" is fatal once a list is stored (this line's or an
      // earlier active one's) or before another list; lists are stored only when active and unset.
      const found = !values.has(key);
      let stored = values.get(key)?.length ?? 0;
      let sawAny = false;
      for (let i = 0; i < av.length; i++) {
        const x = av[i]!;
        if (x === 'any') {
          if (stored > 0) rep.fatal(`"any" must appear alone in ${kw}`, i);
          sawAny = true;
        } else if (sawAny) rep.fatal(`"any" must appear alone in ${kw}`, i);
        else if (!authMethodsValid(x)) rep.fatal(`invalid ${kw} method list.`, i);
        if (found && active) stored++;
      }
      first([av.join(' ')]);
      return av.length;
    }
    case 'rdomain':
      rep.fatal('setting RDomain not supported on this platform.');
      return 1;
    case 'address-list': {
      // servconf.c@10.0p1 sPerSourcePenaltyExemptList.
      const a = need('missing argument.');
      if (addrMatchList(undefined, a) !== 0) rep.fatal(`keyword ${kw} invalid address argument.`, 0);
      first([a]);
      return 1;
    }
    case 'penalties':
      return perSourcePenalties(av, active, st, rep, kw);
    case 'ignored':
      if (info.status === 'deprecated') rep.warn('sshd/deprecated', `Deprecated option ${kw}`);
      else if (info.status === 'unsupported') rep.warn('sshd/unsupported', `Unsupported option ${kw}`);
      return av.length;
    case 'include':
    case 'match':
      return av.length;
  }
}

/** PerSourcePenalties' fields in dump_config()'s order, with fill_default_server_options()'s values (10.0p1). */
const PENALTY_FIELDS: readonly [name: string, fallback: string][] = [
  ['crash', '90'], ['authfail', '5'], ['noauth', '1'], ['grace-exceeded', '10'], ['refuseconnection', '10'], ['max', '600'], ['min', '15'],
  ['max-sources4', '65536'], ['max-sources6', '65536'], ['overflow', 'permissive'], ['overflow6', ''],
];
/** Where a pass keeps the PerSourcePenalties fields set so far (never printed: not in any dump order). */
const PENALTY_STATE = '(persourcepenalties)';

/**
 * servconf.c@10.0p1 sPerSourcePenalties: `yes`/`no` alone, or `name:value` fields; each field (and
 * whether penalties are on) takes its first value, and any field turns penalties on. The printed line
 * is dump_config()'s, the unset fields at their defaults (overflow6 defaults to overflow).
 */
function perSourcePenalties(av: readonly string[], active: boolean, st: PassState, rep: LineReporter, kw: string): number {
  const set = new Map((st.values.get(PENALTY_STATE) ?? []).map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
  if (av.length === 0) rep.fatal(`no ${kw} specified`);
  for (let i = 0; i < av.length; i++) {
    const arg = av[i]!;
    const lower = arg.toLowerCase();
    if (lower === 'no' || lower === 'yes') {
      if (i < av.length - 1) rep.fatal(`keyword ${kw} "${arg}" argument must appear alone.`, i);
      if (active && !set.has('enabled')) set.set('enabled', lower === 'yes' ? '1' : '0');
      continue;
    }
    const colon = arg.indexOf(':');
    const name = colon > 0 ? arg.slice(0, colon) : '';
    const text = arg.slice(colon + 1);
    let value: string;
    if (['crash', 'authfail', 'noauth', 'grace-exceeded', 'refuseconnection', 'max', 'min'].includes(name)) {
      const t = convtime(text);
      if (t === -1) rep.fatal(`invalid ${kw} time value.`, i);
      value = String(t);
    } else if (name === 'max-sources4' || name === 'max-sources6') {
      const v = text === '' ? 'missing' : strtonum(text, 0, INT_MAX);
      if (typeof v !== 'number') rep.fatal(`${kw} value ${v}.`, i);
      value = String(v);
    } else if ((name === 'overflow' || name === 'overflow6') && (text === 'deny-all' || text === 'permissive')) value = text;
    else rep.fatal(`unsupported ${kw} keyword ${arg}`, i);
    if (active && !set.has(name)) {
      set.set(name, value!);
      set.set('enabled', '1');
    }
  }
  if (active) {
    st.values.set(PENALTY_STATE, [...set].map(([k, v]) => `${k}=${v}`));
    const overflow = set.get('overflow') ?? 'permissive';
    st.values.set(
      'persourcepenalties',
      [set.get('enabled') === '0' ? 'no' : PENALTY_FIELDS.map(([k, d]) => `${k}:${set.get(k) ?? (k === 'overflow6' ? overflow : d)}`).join(' ')],
    );
  }
  return av.length;
}

const AUTH_METHODS = ['none', 'publickey', 'gssapi-with-mic', 'password', 'keyboard-interactive', 'hostbased'];

function authMethodsValid(list: string): boolean {
  for (const m of list.split(',')) {
    const name = m.split(':')[0]!;
    if (!AUTH_METHODS.includes(name)) return false;
  }
  return true;
}

function algorithmsValid(list: string, set: AlgorithmSet): boolean {
  if (list === '') return false;
  for (const name of list.split(',')) {
    if (name === '') break;
    if (set.all.includes(name)) continue;
    if (set.validate === 'keytypes' && set.all.some((k) => matchPatternList(k, name) !== 0)) continue;
    return false;
  }
  return true;
}

/** kex_names_cat(). */
function namesCat(a: string[], b: string[]): string[] {
  if (a.length === 0) return [...b];
  const out = [...a];
  for (const n of b) {
    if (n === '') break;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** kex_assemble_names(): the expanded list as sshd -T prints it, or undefined when it is invalid. */
export function assembleNames(spec: string, set: AlgorithmSet): string | undefined {
  if (spec === '') return set.defaults.join(',');
  const def = [...set.defaults];
  let list: string[];
  if (spec.startsWith('+')) list = namesCat(def, spec.slice(1).split(','));
  else if (spec.startsWith('-')) return def.filter((n) => matchPatternList(n, spec.slice(1)) !== 1).join(',');
  else if (spec.startsWith('^')) list = namesCat(spec.slice(1).split(','), def);
  else list = spec.split(',');
  let ret: string[] = [];
  for (const cp of list) {
    if (cp.startsWith('!')) return undefined;
    const matching = set.all.filter((n) => matchPatternList(n, cp) === 1);
    ret = namesCat(ret, matching);
  }
  if (ret.length === 0) return undefined;
  return ret.join(',');
}

/** Whether auth2.c counts a method as enabled (its `enabled` option, at its default when unset). */
const METHOD_ENABLED: Record<string, [key: string | null, byDefault: boolean]> = {
  none: [null, true],
  publickey: ['pubkeyauthentication', true],
  'gssapi-with-mic': ['gssapiauthentication', false],
  password: ['passwordauthentication', true],
  'keyboard-interactive': ['kbdinteractiveauthentication', true],
  hostbased: ['hostbasedauthentication', false],
};

/** auth2_methods_valid(list, need_enable=1): every method of the list exists and is enabled. */
function authListEnabled(list: string, values: OptionValues): boolean {
  for (const m of list.split(',')) {
    const name = m.split(':')[0]!;
    if (!Object.hasOwn(METHOD_ENABLED, name)) return false;
    const e = METHOD_ENABLED[name]!;
    const [key, byDefault] = e;
    const v = key === null ? undefined : values.get(key)?.[0];
    if (!(v === undefined ? byDefault : v === 'yes')) return false;
  }
  return true;
}

/** Post-parse checks sshd.c makes on the global options. */
export function postChecks(st: PassState, file: string | undefined): void {
  const v = st.values;
  // process_queued_listen_addrs(): getaddrinfo() with AddressFamily's family refuses an address
  // literal of the other family, and sshd stops (host names are resolved only when sshd runs).
  const family = v.get('addressfamily')?.[0];
  if (family === 'inet' || family === 'inet6') {
    for (const l of st.listen) {
      const a = l.addr === 'localhost' ? undefined : canonicalAddress(l.addr);
      if (!a || a.v6 === (family === 'inet6')) continue;
      st.diagnostics.push(
        diagnostic('sshd/bad-listen-address', 'error', `bad addr or host: ${l.addr} (Address family for hostname not supported)`, { line: l.at?.line ?? 1, column: l.at?.column ?? 1, endColumn: l.at?.endColumn ?? 1 }, l.at?.file ?? file),
      );
      return;
    }
  }
  const methods = v.get('authenticationmethods')?.[0];
  if (methods !== undefined && methods !== 'any' && !methods.split(' ').some((list) => authListEnabled(list, v))) {
    const at = st.firstSeen.get('global:authenticationmethods') ?? st.firstSeen.get('match:authenticationmethods');
    st.diagnostics.push(
      diagnostic(
        'sshd/auth-methods-disabled',
        'error',
        'AuthenticationMethods cannot be satisfied by enabled authentication methods',
        { line: at?.line ?? 1, column: 1 },
        at?.file ?? file,
      ),
    );
  }
  for (const [cmd, user] of [
    ['authorizedkeyscommand', 'authorizedkeyscommanduser'],
    ['authorizedprincipalscommand', 'authorizedprincipalscommanduser'],
  ] as const) {
    const c = v.get(cmd)?.[0];
    if (c !== undefined && c.toLowerCase() !== 'none' && !v.has(user)) {
      const name = cmd === 'authorizedkeyscommand' ? 'AuthorizedKeysCommand' : 'AuthorizedPrincipalsCommand';
      st.diagnostics.push(
        diagnostic('sshd/command-without-user', 'error', `${name} set without ${name}User`, { line: 1, column: 1 }, file),
      );
    }
  }
}

/** The M keywords copy_set_server_options() copies from the connection pass over the global values. */
export function copyMatchOptions(dst: PassState, src: PassState, isMatchKey: (key: string) => boolean): void {
  for (const [k, v] of src.values) {
    if (!isMatchKey(k)) continue;
    if (k === 'rekeylimit') continue;
    dst.values.set(k, v);
    const from = src.origins.get(k);
    if (from) dst.origins.set(k, from);
  }
  if (src.rekey.limit !== undefined) dst.rekey.limit = src.rekey.limit;
  if (src.rekey.interval !== undefined) dst.rekey.interval = src.rekey.interval;
  if (src.values.has('rekeylimit')) {
    dst.values.set('rekeylimit', ['(rekey)']);
    const from = src.origins.get('rekeylimit');
    if (from) dst.origins.set('rekeylimit', from);
  }
}

/** Expands queued ListenAddress entries (after every Port is known), as sshd -T prints them. */
export function listenLines(st: PassState, addressFamily: string | undefined): string[] {
  const ports = st.ports.length ? st.ports : [22];
  const out: string[] = [];
  for (const l of st.listen) {
    const addr = canonical(l.addr);
    if (addr && addressFamily === 'inet' && addr.v6) continue;
    if (addr && addressFamily === 'inet6' && !addr.v6) continue;
    const text = addr ? addr.text : l.addr;
    const v6 = addr ? addr.v6 : false;
    for (const port of l.port === 0 ? ports : [l.port]) {
      out.push(`${v6 ? `[${text}]` : text}:${port}${l.rdomain !== null ? ` rdomain ${l.rdomain}` : ''}`);
    }
  }
  return out;
}

function canonical(a: string): { text: string; v6: boolean } | undefined {
  if (a === 'localhost') return { text: '127.0.0.1', v6: false };
  return canonicalAddress(a);
}

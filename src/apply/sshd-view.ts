/**
 * What apply needs to know about an sshd configuration tree, read the way sshd reads it: the global
 * section of the main file and of every file it includes (first value wins, `Port` accumulates),
 * whether the drop-in directory is included, and where an `Include` line belongs.
 *
 * This is a narrow reader (keyword and arguments per line, quotes honoured, Match blocks skipped), not
 * the sshd format: it never rewrites a line, it only finds offsets.
 */
import * as nodePath from 'node:path';
import type { FileSource } from '../core/files.js';
import { compileGlob } from '../core/glob.js';
import * as sshd from '../sshd/index.js';

const posix = nodePath.posix;

export interface SshdLine {
  /** 0-based index of the line. */
  readonly index: number;
  /** Lower-case keyword. */
  readonly keyword: string;
  readonly args: readonly string[];
}

/** Splits a config into lines with their keyword and arguments (comments and blank lines left out). */
export function sshdLines(text: string): SshdLine[] {
  const out: SshdLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const tokens = tokenize(raw.replace(/\r$/, ''));
    if (!tokens || tokens.length === 0) return;
    const [kw, ...args] = tokens;
    if (!kw || kw.startsWith('#')) return;
    out.push({ index, keyword: kw.toLowerCase(), args });
  });
  return out;
}

/** sshd's argument splitting: whitespace separates, `"` quotes, a token starting with `#` ends the line. */
function tokenize(line: string): string[] | undefined {
  const tokens: string[] = [];
  let i = 0;
  // keyword: up to whitespace or a single '='
  const m = /^[ \t]*=?[ \t]*/.exec(line)!;
  i = m[0].length;
  let first = true;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t' || line[i] === '\f') {
      i++;
      continue;
    }
    if (line[i] === '#' && !first) break;
    let tok = '';
    let quoted = false;
    while (i < line.length && !(line[i] === ' ' || line[i] === '\t' || (first && line[i] === '='))) {
      if (line[i] === '"') {
        const end = line.indexOf('"', i + 1);
        if (end < 0) return undefined;
        tok += line.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      tok += line[i];
      i++;
    }
    if (first) {
      if (tok === '' && !quoted) return [];
      if (tok.startsWith('#')) return [];
      // one '=' may separate the keyword from its arguments
      const sep = /^[ \t]*=?/.exec(line.slice(i))!;
      i += sep[0].length;
      first = false;
    }
    tokens.push(tok);
  }
  return tokens;
}

/** Reads files by daemon path (synchronously, from a tree already loaded). */
export interface TreeReader {
  read(path: string): string | undefined;
  list(dir: string): string[] | undefined;
}

/** The Include targets of one Include argument, in glob order. */
export function expandInclude(tree: TreeReader, arg: string): string[] {
  const abs = arg.startsWith('/') ? arg : arg.startsWith('~') ? arg : posix.join('/etc/ssh', arg);
  if (!abs.startsWith('/')) return [];
  const dir = posix.dirname(abs);
  const base = posix.basename(abs);
  if (!/[*?[]/.test(base)) return tree.read(abs) !== undefined ? [abs] : [];
  const isMatch = compileGlob(base, 'glob3', { period: true });
  return (tree.list(dir) ?? [])
    .filter((n) => isMatch(n))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => posix.join(dir, n))
    .filter((p) => tree.read(p) !== undefined);
}

/** Whether an Include argument names the given file. */
export function includeMatches(arg: string, file: string): boolean {
  const abs = arg.startsWith('/') ? arg : posix.join('/etc/ssh', arg);
  if (posix.dirname(abs) !== posix.dirname(file)) return false;
  const base = posix.basename(abs);
  return compileGlob(base, 'glob3', { period: true })(posix.basename(file));
}

/** The global directives sshd would see, in order, through Includes (Match blocks left out). */
export function globalDirectives(tree: TreeReader, main: string, depth = 0): Array<SshdLine & { file: string }> {
  const text = tree.read(main);
  if (text === undefined || depth > 16) return [];
  const out: Array<SshdLine & { file: string }> = [];
  for (const line of sshdLines(text)) {
    if (line.keyword === 'match') break;
    if (line.keyword === 'include') {
      for (const arg of line.args) for (const f of expandInclude(tree, arg)) out.push(...globalDirectives(tree, f, depth + 1));
      continue;
    }
    out.push({ ...line, file: main });
  }
  return out;
}

/** The settings apply's safety checks need, with sshd's defaults. */
export interface SshdEssentials {
  ports: number[];
  passwordAuthentication: boolean;
  kbdInteractiveAuthentication: boolean;
  permitRootLogin: string;
  pubkeyAuthentication: boolean;
  authorizedKeysFile: string[];
}

/**
 * The settings for a login by `user`, as sshd evaluates them (the sshd format's `effective`, Match
 * blocks applied for that user); falls back to the global section when the evaluation is not possible.
 */
export function sshdEssentialsFor(tree: TreeReader, user: string | undefined, main = '/etc/ssh/sshd_config'): SshdEssentials {
  const fallback = sshdEssentials(tree, main);
  try {
    const doc = sshd.parse(tree.read(main) ?? '', { file: main });
    const files: FileSource = {
      read: (p) => tree.read(p),
      list: (d) => tree.list(d),
      stat: (p) => (tree.read(p) !== undefined ? 'file' : tree.list(p) ? 'dir' : undefined),
    };
    const eff = sshd.effective(doc, user ? { user, addr: '192.0.2.1', host: 'client.invalid' } : {}, { files });
    const one = (k: string) => eff.get(k)?.[0]?.toLowerCase();
    const yes = (k: string, dflt: boolean) => (one(k) === undefined ? dflt : one(k) === 'yes');
    const ports = eff.get('port')?.map(Number).filter(Number.isInteger);
    return {
      ports: ports && ports.length > 0 ? ports : fallback.ports,
      passwordAuthentication: yes('passwordauthentication', fallback.passwordAuthentication),
      kbdInteractiveAuthentication: yes('kbdinteractiveauthentication', fallback.kbdInteractiveAuthentication),
      permitRootLogin: one('permitrootlogin') ?? fallback.permitRootLogin,
      pubkeyAuthentication: yes('pubkeyauthentication', fallback.pubkeyAuthentication),
      authorizedKeysFile: eff.get('authorizedkeysfile')?.[0]?.split(/\s+/) ?? fallback.authorizedKeysFile,
    };
  } catch {
    return fallback;
  }
}

/** The global section's settings (first value wins, Port accumulates), with sshd's defaults. */
export function sshdEssentials(tree: TreeReader, main = '/etc/ssh/sshd_config'): SshdEssentials {
  const first = new Map<string, string[]>();
  const ports: number[] = [];
  for (const d of globalDirectives(tree, main)) {
    if (d.keyword === 'port') {
      const n = Number(d.args[0]);
      if (Number.isInteger(n)) ports.push(n);
      continue;
    }
    if (!first.has(d.keyword)) first.set(d.keyword, [...d.args]);
  }
  const yes = (k: string, dflt: boolean) => {
    const v = first.get(k)?.[0]?.toLowerCase();
    return v === undefined ? dflt : v === 'yes';
  };
  return {
    ports: ports.length > 0 ? ports : [22],
    passwordAuthentication: yes('passwordauthentication', true),
    kbdInteractiveAuthentication: yes('kbdinteractiveauthentication', yes('challengeresponseauthentication', true)),
    permitRootLogin: (first.get('permitrootlogin')?.[0] ?? 'prohibit-password').toLowerCase(),
    pubkeyAuthentication: yes('pubkeyauthentication', true),
    authorizedKeysFile: first.get('authorizedkeysfile') ?? ['.ssh/authorized_keys', '.ssh/authorized_keys2'],
  };
}

/** Whether the main config includes `file` from its global section (an Include inside Match is conditional). */
export function includesFile(mainText: string, file: string): boolean {
  for (const line of sshdLines(mainText)) {
    if (line.keyword === 'match') return false;
    if (line.keyword === 'include' && line.args.some((a) => includeMatches(a, file))) return true;
  }
  return false;
}

/**
 * Inserts `Include <pattern>` into the main config text near the top — before the first directive,
 * so that (first value wins) the drop-ins override the main file, and in any case before the first
 * Match block. The edit goes through the sshd format's lossless Document: the line is rendered in
 * the file's own style (separator, line ending) and every other byte stays.
 */
export function insertInclude(mainText: string, pattern: string, file = '/etc/ssh/sshd_config'): string {
  const doc = sshd.parse(mainText, { file });
  const firstDirective = doc.nodes.find((n) => n.directive !== undefined && n.directive !== null);
  if (!firstDirective) return doc.add('Include', pattern).toString();
  // The line as the Document renders it in this file's style, then placed before the first directive.
  const styled = sshd.parse(mainText, { file }).add('Include', pattern);
  const line = styled.global.directives('Include').at(-1)!.node.raw.replace(/\r?\n$/, '');
  doc.store.insertBefore(firstDirective, new sshd.SshdNode(line + doc.store.eol));
  doc.touched();
  return doc.toString();
}

/**
 * The main config for validating a tree below a root: Include arguments are made absolute and
 * prefixed with the root, so `sshd -t -f` reads the root's drop-ins, not the host's.
 */
export function rerootIncludes(mainText: string, hostPath: (p: string) => string): string {
  const lines = mainText.split('\n');
  for (const l of sshdLines(mainText)) {
    if (l.keyword !== 'include') continue;
    const eol = lines[l.index]!.endsWith('\r') ? '\r' : '';
    const args = l.args.map((a) => hostPath(a.startsWith('/') ? a : posix.join('/etc/ssh', a)));
    lines[l.index] = `Include ${args.map((a) => (/[\s"#]/.test(a) ? `"${a}"` : a)).join(' ')}${eol}`;
  }
  return lines.join('\n');
}

/**
 * Comments out the active `Port` lines of the main config's global section (`Port 22` → `#Port 22`,
 * indentation kept, every other byte untouched), for a drop-in that sets sshd's port: `Port`
 * accumulates, so a `Port 22` left in sshd_config keeps sshd on 22 besides the drop-in's port — where
 * the honeypot wants to listen. Commented out rather than changed to the drop-in's port: the same port
 * written twice makes sshd bind it twice, and the second bind fails with an error at every start.
 * Returns the new text and the 1-based numbers of the lines changed.
 */
export function commentOutPorts(mainText: string, file = '/etc/ssh/sshd_config'): { text: string; lines: number[]; ports: string[] } {
  const doc = sshd.parse(mainText, { file });
  const found = doc.global.directives('Port');
  if (found.length === 0) return { text: mainText, lines: [], ports: [] };
  const lines: number[] = [];
  const ports: string[] = [];
  for (const { node, directive } of found) {
    const indent = /^[ \t]*/.exec(node.raw)![0];
    node.raw = `${indent}#${node.raw.slice(indent.length)}`;
    lines.push(doc.store.lineOf(node));
    ports.push(directive.args.map((a) => a.value).join(' '));
  }
  doc.touched();
  return { text: doc.toString(), lines, ports };
}

/**
 * sshd as the host runs it: the effective global settings (the sshd format's `effective`, as `sshd -T`
 * prints them), the ports it listens on, and where each setting was written — the file and line of
 * every global directive, read through the Includes in the order sshd reads them.
 */
import * as nodePath from 'node:path';
import { glob, type FileSource } from '../core/files.js';
import * as sshd from '../sshd/index.js';
import type { Diagnostic } from '../core/diagnostics.js';

const posix = nodePath.posix;

export const SSHD_CONFIG = '/etc/ssh/sshd_config';

/** One global directive as sshd reads it, with where it is written. */
export interface HostSshdDirective {
  /** Lower-case canonical keyword (aliases resolved). */
  readonly keyword: string;
  /** The keyword as written. */
  readonly written: string;
  readonly args: readonly string[];
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

/** A port sshd listens on, and the line that makes it listen there (none for the default 22). */
export interface HostSshdPort {
  readonly port: number;
  readonly file?: string;
  readonly line?: number;
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
  /** What the sshd format's check says of the tree (syntax, values, Includes). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads sshd's configuration below the FileSource's root; undefined when there is no main file. */
export function readSshd(files: FileSource, main = SSHD_CONFIG): HostSshd | undefined {
  const text = files.read(main);
  if (text === undefined) return undefined;
  const doc = sshd.parse(text, { file: main });
  const read: string[] = [];
  const directives: HostSshdDirective[] = [];
  walk(files, main, doc, directives, read, 0);
  const eff = sshd.effective(doc, {}, { files });
  const settings: Record<string, string[]> = {};
  for (const e of eff.entries) (settings[e.keyword] ??= []).push(e.value);
  const diagnostics = sshd.check(doc, { files });
  return { main, files: read, directives, ports: listenPorts(directives, settings), settings, diagnostics };
}

function walk(files: FileSource, path: string, doc: sshd.SshdDocument, out: HostSshdDirective[], read: string[], depth: number): void {
  if (depth > 16) return;
  read.push(path);
  const model = doc.toJSON();
  for (const e of model.global) {
    if (e.type !== 'directive') continue;
    const keyword = (e.canonical ?? e.keyword).toLowerCase();
    const args = e.args.map((a) => a.value);
    if (keyword === 'include') {
      for (const arg of args) {
        const pattern = arg.startsWith('/') ? arg : posix.join('/etc/ssh', arg);
        for (const f of glob(files, pattern)) {
          const t = files.read(f);
          if (t !== undefined) walk(files, f, sshd.parse(t, { file: f }), out, read, depth + 1);
        }
      }
      continue;
    }
    out.push({ keyword, written: e.keyword, args, file: path, line: e.line, column: e.indent.length + 1 });
  }
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

/**
 * The configuration tree as sshd reads it: every global directive and every Match block, through the
 * Includes, in sshd's order, each with the file and line it is written at. `host` (the host check)
 * and `audit` (one connection class per Match block) both read Match blocks from here.
 *
 * sshd's scoping (servconf.c, process_server_config_line_depth(), `Include`): an included file is read
 * with the including line's Match state, and that state is restored after it ("Don't let included
 * files clobber the containing file's Match state"). So a Match block in an included file ends with
 * that file; the lines of an included file before its first Match line belong to the block (or the
 * global section) the Include line is in; and a Match block in a file included from a Match block is
 * evaluated only for connections the outer block matches (`within`).
 */
import * as nodePath from 'node:path';
import { glob, type FileSource } from '../core/files.js';
import type { SshdDocument } from './document.js';
import type { SshdEntry, SshdMatchCriterion } from './model.js';
import { parse } from './parse.js';

const posix = nodePath.posix;

/** sshd's SSHDIR: where relative Include paths are resolved. */
const SSHDIR = '/etc/ssh';

/** Include nesting sshd allows (READCONF_MAX_DEPTH). */
const MAX_DEPTH = 16;

/** One directive as sshd reads it, with where it is written. */
export interface SshdTreeDirective {
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

/** A Match block as sshd reads it: where it is, its criteria, and the directives of its body. */
export interface SshdTreeMatch {
  readonly file: string;
  /** 1-based line of the `Match` line. */
  readonly line: number;
  /** The criteria as written (`LocalPort 2201`, `Address 10.0.0.0/8,!10.0.0.1`). */
  readonly written: string;
  readonly criteria: readonly SshdMatchCriterion[];
  /** The directives of its body, Included files' lines in their place. */
  readonly directives: readonly SshdTreeDirective[];
  /** The block whose Include brought this one in: it applies only to connections both match. */
  readonly within?: SshdTreeMatch;
}

/** An sshd_config with its Includes followed, as sshd reads it: the files, the global directives and every Match block. */
export interface SshdTree {
  /** Every file read, in sshd's order (the main file first). */
  readonly files: readonly string[];
  /** The global directives in the order sshd reads them (Match blocks left out, Includes followed). */
  readonly directives: readonly SshdTreeDirective[];
  /** Every Match block, in the order sshd reads them (through the Includes). */
  readonly matches: readonly SshdTreeMatch[];
}

function directiveOf(e: SshdEntry, file: string): SshdTreeDirective | undefined {
  if (e.type !== 'directive') return undefined;
  return { keyword: (e.canonical ?? e.keyword).toLowerCase(), written: e.keyword, args: e.args.map((a) => a.value), file, line: e.line, column: e.indent.length + 1 };
}

/** The files an Include argument names, in glob order (as servconf.ts reads them: `~` is not expanded). */
function included(files: FileSource, arg: string): string[] {
  if (arg === '' || arg.startsWith('~')) return [];
  return glob(files, arg.startsWith('/') ? arg : posix.join(SSHDIR, arg));
}

/** Reads `doc` (the file `main`) and what it includes through `files`. */
export function readTree(files: FileSource, main: string, doc: SshdDocument): SshdTree {
  const read: string[] = [];
  const directives: SshdTreeDirective[] = [];
  const matches: SshdTreeMatch[] = [];
  const parsed = (f: string) => {
    const t = files.read(f);
    return t === undefined ? undefined : parse(t, { file: f });
  };
  /** The entries of one section: directives go to `out`, Included files are read in place. */
  const section = (entries: readonly SshdEntry[], file: string, out: SshdTreeDirective[], within: SshdTreeMatch | undefined, depth: number) => {
    for (const e of entries) {
      const d = directiveOf(e, file);
      if (!d) continue;
      if (d.keyword !== 'include') {
        out.push(d);
        continue;
      }
      if (depth >= MAX_DEPTH) continue;
      for (const f of d.args.flatMap((a) => included(files, a))) {
        const inc = parsed(f);
        if (inc) readFile(f, inc, out, within, depth + 1);
      }
    }
  };
  /** A file: its lines before the first Match line join `out`; its Match blocks end with it. */
  const readFile = (file: string, d: SshdDocument, out: SshdTreeDirective[], within: SshdTreeMatch | undefined, depth: number) => {
    read.push(file);
    const model = d.toJSON();
    section(model.global, file, out, within, depth);
    for (const m of model.matches) {
      const body: SshdTreeDirective[] = [];
      const block: SshdTreeMatch = { file, line: m.line, written: m.value, criteria: m.criteria, directives: body, ...(within ? { within } : {}) };
      // Listed before the blocks its Includes bring in, which sshd reads after its Match line.
      matches.push(block);
      section(m.body, file, body, block, depth);
    }
  };
  readFile(main, doc, directives, undefined, 0);
  return { files: read, directives, matches };
}

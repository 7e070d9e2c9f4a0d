/**
 * The edits apply makes to the main sshd_config, through the sshd format's lossless Document: the
 * `Include` of the drop-in directory, the main file's own `Port` lines commented out, and the Include
 * paths re-rooted for validating a tree below a root. What sshd reads and sets is asked of src/host
 * (readHost's sshd): this file only changes text.
 */
import * as nodePath from 'node:path';
import { compileGlob } from '../core/glob.js';
import * as sshd from '../sshd/index.js';
import { quoteArgument } from '../sshd/document.js';

const posix = nodePath.posix;

/** Whether an Include argument names the given file. */
export function includeMatches(arg: string, file: string): boolean {
  const abs = arg.startsWith('/') ? arg : posix.join('/etc/ssh', arg);
  if (posix.dirname(abs) !== posix.dirname(file)) return false;
  return compileGlob(posix.basename(abs), 'glob3', { period: true })(posix.basename(file));
}

/** Whether the main config includes `file` from its global section (an Include inside Match is conditional). */
export function includesFile(mainText: string, file: string): boolean {
  return sshd
    .parse(mainText)
    .global.directives('Include')
    .some(({ directive }) => directive.args.some((a) => includeMatches(a.value, file)));
}

/** Whether a config sets `Port` in its global section. */
export function setsPort(text: string): boolean {
  return sshd.parse(text).global.has('Port');
}

/**
 * Inserts `Include <pattern>` into the main config text near the top — before the first directive,
 * so that (first value wins) the drop-ins override the main file, and in any case before the first
 * Match block. The line is rendered in the file's own style (separator, line ending) and every other
 * byte stays.
 */
export function insertInclude(mainText: string, pattern: string, file = '/etc/ssh/sshd_config'): string {
  const doc = sshd.parse(mainText, { file });
  const firstDirective = doc.nodes.find((n) => n.directive !== undefined && n.directive !== null);
  if (!firstDirective) return doc.add('Include', pattern).toString();
  // The line as the Document renders it in this file's style, then placed before the first directive.
  const styled = sshd.parse(mainText, { file }).add('Include', pattern);
  const line = styled.global.directives('Include').at(-1)!.node.raw.replace(/\r?\n$/, '');
  doc.insertNodes(doc.nodes.indexOf(firstDirective), new sshd.SshdNode(line + doc.eol));
  return doc.toString();
}

/**
 * The main config for validating a tree below a root: Include arguments are made absolute and
 * prefixed with the root, so `sshd -t -f` reads the root's drop-ins, not the host's. Each Include line
 * (in the global section and in Match blocks) gets the new arguments through the Document's value
 * edit: its indentation, keyword spelling, separator (`=`, tabs), trailing comment and line ending
 * stay (the node's decor), and the edit is recorded; nothing else changes.
 */
export function rerootIncludes(mainText: string, hostPath: (p: string) => string): string {
  const doc = sshd.parse(mainText);
  let changed = false;
  for (const n of doc.nodes) {
    const d = n.directive;
    if (!d || d.keyword.toLowerCase() !== 'include' || d.args.length === 0) continue;
    const args = d.args.map((a) => hostPath(a.value.startsWith('/') ? a.value : posix.join('/etc/ssh', a.value)));
    doc.rewriteValue(n, args.map(quoteArgument).join(' '));
    changed = true;
  }
  if (!changed) return mainText;
  return doc.toString();
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
    doc.rewriteNode(node, `${indent}#${node.raw.slice(indent.length)}`);
    lines.push(doc.lineOf(node));
    ports.push(directive.args.map((a) => a.value).join(' '));
  }
  return { text: doc.toString(), lines, ports };
}

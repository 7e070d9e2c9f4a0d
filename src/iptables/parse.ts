/**
 * text → IptablesDocument. Each line is classified by its first byte, as iptables-restore does
 * (xtables-restore.c): blank, `#` comment, `*table`, `:chain`, `COMMIT`, otherwise a command line.
 * Rule lines are kept raw and read into their typed model on demand.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { HEADER, FOOTER, IptablesDocument, WARNING_COMMENT, WARNING_LINE, type DumpNode, type IptablesParseOptions, type TableBlock } from './document.js';
import { BUILTIN_CHAINS } from './modules.js';
import { scanCounters, skipSeparators, wordAt } from './scan.js';
import type { IptablesCode } from './codes.js';

/** What iptables-save (nf_tables) prints on stderr when legacy tables exist. */
const STDERR_WARNING = '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them';

/**
 * @example
 * ```ts
 * import { parse } from 'fwconf/iptables';
 * const dump = parse('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', { file: 'rules.v4' });
 * dump.rules({ chain: 'INPUT' }).length; // 1
 * dump.family; // 'ipv4'
 * ```
 */
export function parse(text: string, options: IptablesParseOptions = {}): IptablesDocument {
  if (typeof text !== 'string') throw new TypeError(`expected the dump's text as a string, got ${typeof text}`);
  const file = options.file;
  if (options.family !== undefined && options.family !== 'ipv4' && options.family !== 'ipv6') throw new TypeError(`family is 'ipv4' or 'ipv6', not ${String(options.family)}`);
  const nodes: DumpNode[] = [];
  const blocks: TableBlock[] = [];
  const diags: Diagnostic[] = [];
  const d = (line: number, column: number, endColumn: number, code: IptablesCode, severity: 'error' | 'warning' | 'info', message: string) =>
    diags.push(diagnostic(code, severity, message, { line, column, endLine: line, endColumn }, file));
  let block: TableBlock | undefined;
  let crReported = false;
  let lf = 0;
  let crlf = 0;
  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    lineNo++;
    let nl = text.indexOf('\n', start);
    const next = nl < 0 ? n : nl + 1;
    if (nl < 0) nl = n;
    const raw = text.slice(start, next);
    start = next;
    const c0 = raw.charCodeAt(0);
    const len = nl - (next - raw.length);
    const cr = len > 0 && raw.charCodeAt(len - 1) === 13 && len < raw.length;
    if (len < raw.length) cr ? crlf++ : lf++;
    if (!crReported && len > 0 && raw.charCodeAt(len - 1) === 13) {
      crReported = true;
      d(lineNo, len, len + 1, 'iptables/carriage-return', 'error', 'line ends with \\r: iptables-restore reads it as part of the line (CRLF files fail)');
    }
    if (len === 0) {
      nodes.push({ raw, kind: 'blank', block });
      continue;
    }
    if (c0 === 35) {
      const c = raw.slice(0, len);
      let kind: DumpNode['kind'] = 'comment';
      if (HEADER.test(c)) kind = 'header';
      else if (FOOTER.test(c)) kind = 'footer';
      else if (WARNING_COMMENT.test(c)) {
        kind = 'warning';
        d(lineNo, 1, len + 1, 'iptables/warning-line', 'warning', `warning in the dump: ${c.replace(/^# /, '').replace(/\r$/, '')}`);
      }
      nodes.push({ raw, kind, block });
      continue;
    }
    if (!block) {
      if (c0 === 42) {
        const c = raw.slice(0, len);
        const at = skipSeparators(c, 1);
        const w = wordAt(c, at);
        const node: DumpNode = { raw, kind: 'table', block: undefined };
        block = { name: w.value, header: node, chains: [], rules: [], commit: undefined };
        node.block = block;
        blocks.push(block);
        nodes.push(node);
        if (w.value === '') d(lineNo, 1, 2, 'iptables/missing-table-name', 'error', 'table name missing after *');
        else if (!BUILTIN_CHAINS[w.value]) d(lineNo, at + 1, w.end + 1, 'iptables/unknown-table', 'warning', `'${w.value}' is not a built-in table (filter, nat, mangle, raw, security)`);
        const rest = skipSeparators(c, w.end);
        if (rest < len) d(lineNo, rest + 1, len + 1, 'iptables/trailing-text', 'warning', 'text after the table name is ignored by iptables-restore');
        continue;
      }
      const c = raw.slice(0, len);
      if (WARNING_LINE.test(c)) {
        nodes.push({ raw, kind: 'warning', block });
        d(lineNo, 1, len + 1, 'iptables/warning-line', 'warning', `warning in the dump: ${c.replace(/\r$/, '')}`);
        continue;
      }
      nodes.push({ raw, kind: 'unknown', block });
      d(
        lineNo,
        1,
        len + 1,
        'iptables/outside-table',
        'error',
        c0 === 58 || c === 'COMMIT' || c0 === 45 || c0 === 91 ? `'${c.slice(0, 40)}' outside a table: a *table line must come first` : `cannot read '${c.slice(0, 40)}': expected *table, a comment or a blank line`,
      );
      continue;
    }
    if (c0 === 58) {
      const c = raw.slice(0, len);
      const a = skipSeparators(c, 1);
      const name = wordAt(c, a);
      const b = skipSeparators(c, name.end);
      const policy = wordAt(c, b);
      const e = skipSeparators(c, policy.end);
      const ctr = wordAt(c, e);
      const counters = ctr.value !== '' ? scanCounters(ctr.value) : undefined;
      if (name.value === '') {
        nodes.push({ raw, kind: 'unknown', block });
        d(lineNo, 1, len + 1, 'iptables/missing-chain-name', 'error', 'chain name missing after :');
        continue;
      }
      const node: DumpNode = {
        raw,
        kind: 'chain',
        block,
        chainLine: {
          name: name.value,
          policy: policy.value,
          counters: counters && counters.text.length === ctr.value.length ? { packets: Number(counters.packets), bytes: Number(counters.bytes) } : undefined,
        },
      };
      if (policy.value === '') d(lineNo, name.end + 1, name.end + 1, 'iptables/missing-policy', 'error', `chain ${name.value} has no policy (ACCEPT, DROP, or - for a user chain)`);
      if (ctr.value !== '' && !node.chainLine!.counters) d(lineNo, e + 1, ctr.end + 1, 'iptables/bad-counters', 'error', 'counters must be [packets:bytes]');
      const after = skipSeparators(c, ctr.end);
      if (after < len) d(lineNo, after + 1, len + 1, 'iptables/trailing-text', 'warning', 'text after the counters is ignored by iptables-restore');
      block.chains.push(node);
      nodes.push(node);
      continue;
    }
    if (len === 6 && raw.startsWith('COMMIT')) {
      const node: DumpNode = { raw, kind: 'commit', block };
      block.commit = node;
      nodes.push(node);
      block = undefined;
      continue;
    }
    if (c0 !== 45 && c0 !== 91 && c0 !== 33 && c0 !== 32 && c0 !== 9) {
      const c = raw.slice(0, len);
      if (WARNING_LINE.test(c)) {
        nodes.push({ raw, kind: 'warning', block });
        d(lineNo, 1, len + 1, 'iptables/warning-line', 'warning', `warning in the dump: ${c.replace(/\r$/, '')}`);
        continue;
      }
    }
    const hash = raw.indexOf('#', 1);
    const w = hash > 0 ? raw.indexOf(STDERR_WARNING, hash) : -1;
    let node: DumpNode;
    if (!(w > 0 && w < len)) node = { raw, kind: 'rule', block };
    else {
      // iptables-save's stderr warning written into the middle of a rule (2>&1 with stdout buffered):
      // the rule goes on at the start of the next line. The node keeps both lines; the rule is read
      // with the warning cut out.
      d(lineNo, w + 1, len + 1, 'iptables/warning-line', 'warning', 'warning written into a rule line (stderr interleaved with stdout): ' + STDERR_WARNING.slice(2));
      let joined = raw.slice(0, w);
      let whole = raw; // the node's text: the line, and the rule's rest on the next one
      let nl2 = text.indexOf('\n', start);
      const next2 = nl2 < 0 ? n : nl2 + 1;
      if (nl2 < 0) nl2 = n;
      const cont = text.slice(start, nl2);
      if (start < n && !/^(?:-|\[|:|#|\*|COMMIT)/.test(cont)) {
        joined += cont;
        whole = raw + text.slice(start, next2);
        start = next2;
        lineNo++;
      }
      node = { raw: whole, kind: 'rule', block, repaired: joined };
    }
    block.rules.push(node);
    nodes.push(node);
  }
  if (block) d(lineNo || 1, 1, 1, 'iptables/missing-commit', 'error', `table ${block.name} is not closed by COMMIT (iptables-restore: "COMMIT expected")`);
  return new IptablesDocument(nodes, blocks, diags, crlf > lf ? '\r\n' : '\n', file, options.family);
}

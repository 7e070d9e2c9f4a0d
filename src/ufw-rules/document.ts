/**
 * ufw's rule files (format `ufw-rules`): user.rules and user6.rules — iptables-restore text with a
 * `### tuple ###` comment before each rule's lines, the tuple being what ufw reads back — and
 * before.rules, after.rules (and their 6 variants), plain iptables-restore text ufw loads as is.
 * One node per physical line; the rules are read from the tuples as ufw reads them.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { UfwRuleSpec } from '../ufw/model.js';
import { RULE_LINE, RulesNode } from './line.js';
import type { RulesFileKind, UfwFileRule, UfwRulesModel } from './model.js';
import { chainLines, readTuple, tupleText } from './tuple.js';

/** A rule line in one of the chains ufw writes a tuple's lines to (the user chains and their logging chains). */
function underTuple(n: RulesNode): boolean {
  return n.kind === 'rule' && n.chain !== undefined && /^ufw6?-user-(?:logging-)?(?:input|output|forward)$/.test(n.chain);
}

/** A rule file, lossless: prints back byte for byte; reads and edits the rules as ufw does. */
export class UfwRulesDocument extends LineDocument<RulesNode> {
  readonly kind: RulesFileKind;
  readonly v6: boolean;

  /** @internal use `parseRules()`. */
  constructor(nodes: RulesNode[], kind: RulesFileKind, v6: boolean, file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, file, diagnostics });
    this.kind = kind;
    this.v6 = v6;
  }

  /** The rules ufw reads from the tuples, in file order. */
  rules(): UfwFileRule[] {
    const out: UfwFileRule[] = [];
    const nodes = this.nodes;
    const lines = this.lineMap();
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind !== 'tuple' || !n.tuple?.ok) continue;
      const chain: string[] = [];
      for (let j = i + 1; j < nodes.length && underTuple(nodes[j]!); j++) chain.push(nodes[j]!.text);
      out.push({ spec: n.tuple.spec, line: lines.get(n)!, chainLines: chain });
    }
    return out;
  }

  /** Rule lines not under a tuple, in ufw's user chains: ufw does not show them and drops them when it next writes the file. */
  untupled(): { node: RulesNode; line: number }[] {
    const out: { node: RulesNode; line: number }[] = [];
    const lines = this.lineMap();
    let under = false;
    let logging = false; // ufw writes the LOGGING section itself (`-I ufw-user-logging-input -j RETURN` with logging off)
    for (const n of this.nodes) {
      if (n.kind === 'comment' && n.text.trim() === '### LOGGING ###') logging = true;
      else if (n.kind === 'comment' && n.text.trim() === '### END LOGGING ###') logging = false;
      if (logging) under = false;
      else if (n.kind === 'tuple') under = true;
      else if (!underTuple(n)) under = false;
      else if (!under) out.push({ node: n, line: lines.get(n)! });
    }
    return out;
  }

  private blocks(): { start: number; end: number }[] {
    // Each rule's block: the blank line ufw writes before its tuple, the tuple, its chain lines.
    const nodes = this.nodes;
    const out: { start: number; end: number }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind !== 'tuple' || !n.tuple?.ok) continue;
      let end = i + 1;
      while (end < nodes.length && underTuple(nodes[end]!)) end++;
      const start = i > 0 && nodes[i - 1]!.kind === 'blank' ? i - 1 : i;
      out.push({ start, end });
    }
    return out;
  }

  private ruleNodes(spec: UfwRuleSpec, blank = true): RulesNode[] {
    const eol = this.eol;
    const nodes = [new RulesNode(tupleText(spec) + eol, 'tuple', readTuple(tupleText(spec), this.v6))];
    if (blank) nodes.unshift(new RulesNode(eol, 'blank'));
    for (const l of chainLines(spec)) nodes.push(new RulesNode(l + eol, 'rule', undefined, RULE_LINE.exec(l)?.[1]));
    return nodes;
  }

  /** Declares the chains a rule's lines jump to when the file lacks them (ufw's stock user.rules has no logging chains). */
  private declareChains(spec: UfwRuleSpec): void {
    const declared = new Set(this.nodes.filter((n) => n.kind === 'chain').map((n) => n.chain));
    const wanted: string[] = [];
    for (const l of chainLines(spec)) {
      for (const m of [RULE_LINE.exec(l)?.[1], / -j (ufw6?-\S+)/.exec(l)?.[1]]) if (m !== undefined && !declared.has(m) && !wanted.includes(m)) wanted.push(m);
    }
    if (wanted.length === 0) return;
    const nodes = this.nodes;
    let at = -1;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.kind === 'chain') at = i;
    if (at < 0) at = nodes.findIndex((n) => n.kind === 'table');
    if (at < 0) throw new RangeError('the file has no *filter table to add chains to');
    this.insertAt(at + 1, ...wanted.map((c) => new RulesNode(`:${c} - [0:0]${this.eol}`, 'chain', undefined, c)));
  }

  private checkFamily(spec: UfwRuleSpec): void {
    if (this.kind !== 'user') throw new RangeError('rules with tuples go in user.rules or user6.rules');
    if (spec.v6 !== this.v6) throw new RangeError(`an ${spec.v6 ? 'IPv6' : 'IPv4'} rule goes in ${spec.v6 ? 'user6.rules' : 'user.rules'}`);
  }

  /** Where a new last rule goes: after the last rule's lines, else after `### RULES ###`. */
  private appendIndex(): number {
    const b = this.blocks();
    if (b.length) return b[b.length - 1]!.end;
    const nodes = this.nodes;
    const marker = nodes.findIndex((n) => n.kind === 'comment' && n.text.trim() === '### RULES ###');
    if (marker >= 0) return marker + 1;
    const commit = nodes.findIndex((n) => n.kind === 'commit');
    if (commit >= 0) return commit;
    throw new RangeError('the file has no ### RULES ### section and no COMMIT');
  }

  /**
   * Adds a rule as `ufw allow|deny|… RULE` does: a rule that is already there is skipped, one that
   * differs only in its action, log type or comment is replaced in place ("Rule updated"), any other
   * is appended as ufw writes it — a blank line, its tuple, its iptables lines.
   */
  addRule(spec: UfwRuleSpec): 'added' | 'updated' | 'skipped' {
    this.checkFamily(spec);
    const rules = this.rules();
    for (let i = 0; i < rules.length; i++) {
      const m = matchRules(rules[i]!.spec, spec);
      if (m === 0) return 'skipped';
      if (m < 0) {
        this.declareChains(spec);
        const at = this.blocks()[i]!; // after the chains it needs, if it needed any
        this.splice(at.start, at.end - at.start, ...this.ruleNodes(spec, this.nodes[at.start]!.kind === 'blank'));
        return 'updated';
      }
    }
    this.declareChains(spec);
    this.splice(this.appendIndex(), 0, ...this.ruleNodes(spec));
    return 'added';
  }

  /** Deletes a rule as `ufw delete RULE` does: the first rule that matches it exactly. Returns whether one did. */
  removeRule(spec: UfwRuleSpec): boolean {
    const rules = this.rules();
    const i = rules.findIndex((r) => matchRules(r.spec, spec) === 0 || (matchRules(r.spec, spec) === -2 && spec.comment === null));
    if (i < 0) return false;
    this.deleteRule(i + 1);
    return true;
  }

  /**
   * Inserts a rule before this file's rule number `position` (1-based; 0 or past the end appends), as
   * ufw's backend does for `ufw insert`: skipped when the file has the rule already (even with another
   * action, log type or comment). See insertUfwRule for the position of `ufw insert N`.
   */
  insertRule(position: number, spec: UfwRuleSpec): 'added' | 'skipped' {
    if (!Number.isInteger(position) || position < 0) throw new RangeError(`insertRule: position ${position} is not a rule number`);
    this.checkFamily(spec);
    if (this.rules().some((r) => matchRules(r.spec, spec) < 1)) return 'skipped';
    this.declareChains(spec);
    const b = this.blocks();
    if (position === 0 || position > b.length) this.splice(this.appendIndex(), 0, ...this.ruleNodes(spec));
    else this.splice(b[position - 1]!.start, 0, ...this.ruleNodes(spec));
    return 'added';
  }

  /** Deletes this file's rule number `position` (1-based): its blank line, tuple and iptables lines. */
  deleteRule(position: number): UfwRuleSpec {
    const b = this.blocks();
    const block = b[position - 1];
    if (!block) throw new RangeError(`deleteRule: no rule ${position} (the file has ${b.length})`);
    const spec = (this.nodes[this.nodes[block.start]!.kind === 'tuple' ? block.start : block.start + 1]!.tuple as { spec: UfwRuleSpec }).spec;
    this.splice(block.start, block.end - block.start);
    return spec;
  }

  /**
   * Sets the rule lines of the `### LOGGING ###` … `### END LOGGING ###` section, and the LOG line of
   * the rate-limit chain at the top of `### RATE LIMITING ###` (`limitLog`; undefined: none, as with
   * logging off). False, and nothing changed, when the file has no LOGGING section.
   */
  setLoggingSection(lines: readonly string[], limitLog: string | undefined): boolean {
    const marker = (text: string, from = 0) => this.nodes.findIndex((n, i) => i >= from && n.kind === 'comment' && n.text.trim() === text);
    const start = marker('### LOGGING ###');
    const end = start < 0 ? -1 : marker('### END LOGGING ###', start);
    if (end < 0) return false;
    const node = (l: string) => new RulesNode(l + this.eol, 'rule', undefined, RULE_LINE.exec(l)?.[1]);
    const current = this.nodes.slice(start + 1, end).map((n) => n.text);
    if (current.length !== lines.length || current.some((l, i) => l !== lines[i])) this.splice(start + 1, end - start - 1, ...lines.map(node));
    const limit = marker('### RATE LIMITING ###');
    if (limit < 0) return true;
    const stop = marker('### END RATE LIMITING ###', limit);
    const logs: number[] = [];
    for (let i = limit + 1; i < (stop < 0 ? this.nodes.length : stop); i++) {
      const n = this.nodes[i]!;
      if (n.kind === 'rule' && /^ufw6?-user-limit$/.test(n.chain ?? '') && / -j LOG /.test(n.text)) logs.push(i);
    }
    if (limitLog === undefined) for (const i of logs.reverse()) this.splice(i, 1);
    else if (logs.length === 0) this.splice(limit + 1, 0, node(limitLog));
    return true;
  }

  /** @internal The whole file replaced (ufw writing it anew): the nodes of the same file read from the new text. */
  replaceNodes(nodes: readonly RulesNode[]): void {
    this.splice(0, this.nodes.length, ...nodes);
  }

  /** Appends an iptables-restore rule line after the last line of its chain (before.rules, after.rules). */
  appendChainRule(chain: string, args: string): void {
    const nodes = this.nodes;
    let at = -1;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.chain === chain) at = i;
    if (at < 0) throw new RangeError(`no chain ${chain} in this file`);
    const line = `-A ${chain} ${args}`;
    this.splice(at + 1, 0, new RulesNode(line + this.eol, 'rule', undefined, chain));
  }

  toJSON(): UfwRulesModel {
    const lines = this.lineMap();
    const skipped: UfwRulesModel['skipped'] = [];
    for (const n of this.nodes) if (n.tuple && !n.tuple.ok) skipped.push({ line: lines.get(n)!, reason: n.tuple.reason });
    return {
      format: 'ufw-rules',
      kind: this.kind,
      v6: this.v6,
      tables: this.nodes.filter((n) => n.kind === 'table').map((n) => n.text.trim().slice(1)),
      chains: this.nodes.filter((n) => n.kind === 'chain').map((n) => n.chain!),
      rules: this.rules(),
      skipped,
    };
  }
}

/**
 * UFWRule.match: 0 the same rule, -1 the same but for the action, log type and/or comment, -2 the
 * same but for the comment, 1 another rule.
 */
export function matchRules(x: UfwRuleSpec, y: UfwRuleSpec): 0 | 1 | -1 | -2 {
  const keys = ['dport', 'sport', 'proto', 'src', 'dst', 'v6', 'dapp', 'sapp', 'interfaceIn', 'interfaceOut', 'direction', 'route'] as const;
  for (const k of keys) if (x[k] !== y[k]) return 1;
  if (x.action === y.action && x.log === y.log) return x.comment === y.comment ? 0 : -2;
  return -1;
}

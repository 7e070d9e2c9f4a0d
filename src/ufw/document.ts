/**
 * UfwStatusDocument: the output of `ufw status` (plain, verbose or numbered) as a list of line
 * nodes. Untouched lines print back byte for byte; queries speak ufw's words (status, logging,
 * defaults, rules, rule number N).
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { RawNode } from '../core/lines.js';
import { ruleLine } from './layout.js';
import type {
  UfwAppPolicy,
  UfwDefaults,
  UfwLogging,
  UfwRule,
  UfwRuleSpec,
  UfwState,
  UfwStatusMode,
  UfwStatusModel,
} from './model.js';
import { parseLine, type UfwLine } from './line.js';
import { ruleToSpec, specToRule } from './tuple.js';

/** One physical line of the output. */
export class UfwNode implements RawNode {
  readonly raw: string;
  readonly parsed: UfwLine;
  /** The typed rule of a rule line. */
  rule: UfwRule | undefined;

  constructor(raw: string, parsed: UfwLine) {
    this.raw = raw;
    this.parsed = parsed;
  }

  get kind(): UfwLine['kind'] {
    return this.parsed.kind;
  }
}

/**
 * @example
 * ```ts
 * import { createCommand, parse } from 'fwconf/ufw';
 * const status = parse('Status: active\n\nTo                         Action      From\n--                         ------      ----\n2201/tcp                   ALLOW       Anywhere\n');
 * status.specs().map((s) => createCommand(s).text); // ['ufw allow from 0.0.0.0/0 to any port 2201 proto tcp']
 * ```
 */
export class UfwStatusDocument extends LineDocument<UfwNode> {
  /** @internal use `parse()`. */
  constructor(nodes: UfwNode[], eol: '\n' | '\r\n', file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, eol, file, diagnostics });
  }

  private first<K extends UfwLine['kind']>(kind: K): Extract<UfwLine, { kind: K }> | undefined {
    for (const n of this.nodes) if (n.parsed.kind === kind) return n.parsed as Extract<UfwLine, { kind: K }>;
    return undefined;
  }

  /** `active` / `inactive`; null when the text has no status line. */
  get status(): 'active' | 'inactive' | null {
    return this.first('status')?.status ?? null;
  }

  /** Which `ufw status` form printed this; null for `Status: inactive` (the same in every form). */
  get mode(): UfwStatusMode | null {
    if (this.status === 'inactive') return null;
    const nodes = this.nodes;
    if (nodes.some((n) => (n.parsed.kind === 'rule' && n.parsed.columns.number !== null) || (n.parsed.kind === 'header' && n.parsed.numbered)))
      return 'numbered';
    if (nodes.some((n) => n.parsed.kind === 'logging' || n.parsed.kind === 'default' || n.parsed.kind === 'new-profiles')) return 'verbose';
    return 'plain';
  }

  get logging(): UfwLogging | null {
    return this.first('logging')?.logging ?? null;
  }

  get defaults(): UfwDefaults | null {
    return this.first('default')?.defaults ?? null;
  }

  get newProfiles(): UfwAppPolicy | null {
    return this.first('new-profiles')?.policy ?? null;
  }

  /** `C` when the labels are English, else the language of the ufw catalogue that printed them. */
  get language(): string {
    return languageOf(this.nodes);
  }

  /** The rules, in printed order. */
  get rules(): UfwRule[] {
    const out: UfwRule[] = [];
    for (const n of this.nodes) if (n.rule) out.push(n.rule);
    return out;
  }

  /** Rule `[N]` of `ufw status numbered`. */
  rule(number: number): UfwRule | undefined {
    return this.rules.find((r) => r.number === number);
  }

  /** The rules as ufw stores them, as far as the output tells (see ruleToSpec). */
  specs(): UfwRuleSpec[] {
    return this.rules.map(ruleToSpec);
  }

  /**
   * The full state (status, logging, defaults, app policy, rules): only `ufw status verbose` and
   * `Status: inactive` show all of it. undefined for other forms or unreadable text.
   */
  state(): UfwState | undefined {
    if (this.status === 'inactive')
      return {
        status: 'inactive',
        logging: { state: 'on', level: 'low' },
        defaults: { incoming: 'deny', outgoing: 'allow', routed: 'disabled' },
        newProfiles: 'skip',
        rules: [],
      };
    if (this.status !== 'active' || this.mode !== 'verbose') return undefined;
    const logging = this.logging;
    const defaults = this.defaults;
    const newProfiles = this.newProfiles;
    if (!logging || !defaults || !newProfiles) return undefined;
    return { status: 'active', logging, defaults, newProfiles, rules: this.specs() };
  }

  /** Removes a rule's line (the rest of the text is untouched). */
  removeRule(rule: UfwRule): void {
    const node = this.nodes.find((n) => n.rule === rule);
    if (!node) throw new RangeError('the rule is not part of this document');
    this.removeNode(node);
    this.renumberLines();
  }

  /**
   * Adds a rule line after `after` (default: the last rule line), printed as ufw prints it in this
   * document's mode. Numbering and grouping are the caller's business.
   */
  insertRule(spec: UfwRuleSpec, after?: UfwRule, number?: number): UfwRule {
    const mode = this.mode ?? 'verbose';
    const nodes = this.nodes;
    const anchor = after ? nodes.find((n) => n.rule === after) : [...nodes].reverse().find((n) => n.rule);
    const text = ruleLine(spec, mode, number);
    const rule = specToRule(spec, mode, mode === 'numbered' ? (number ?? null) : null);
    const node = new UfwNode(text + this.eol, parseLine(text));
    node.rule = rule;
    if (anchor) this.insertAfter(anchor, node);
    else this.insertAt(nodes.length, node);
    this.renumberLines();
    return rule;
  }

  /** Sets every rule's `line` to where it sits in the current text (an insert or removal shifts the rules after it). */
  private renumberLines(): void {
    for (const [n, line] of this.lineMap()) if (n.rule) n.rule.line = line;
  }

  /** The typed model as plain data (what `fwconf parse --format ufw-status` prints). */
  toJSON(): UfwStatusModel {
    return {
      format: 'ufw-status',
      status: this.status,
      mode: this.mode,
      logging: this.logging,
      defaults: this.defaults,
      newProfiles: this.newProfiles,
      language: this.language,
      rules: this.rules,
    };
  }
}

/** `C` when the labels are English, else the language of the ufw catalogue that printed them. */
export function languageOf(nodes: readonly UfwNode[]): string {
  for (const n of nodes) {
    const p = n.parsed;
    if ('language' in p && p.language !== 'C') return p.language;
  }
  return 'C';
}

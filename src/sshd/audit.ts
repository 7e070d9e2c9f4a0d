/**
 * `fwconf sshd audit`: the effective configuration of each connection class — the global section
 * (a connection no Match block is written for) and each Match block's criteria — against a policy.
 * Each finding names the line that decides the value (from `explain`) or where a line must be added,
 * and the edit; `fixes` turns the findings into lossless edits of the files that hold those lines.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { MemoryFileSource, type FileSource } from '../core/files.js';
import type { SshdDocument } from './document.js';
import { effective, walkEnvironment, type EffectiveOptions } from './effective.js';
import { dumpName, KEYWORDS } from './keywords.js';
import type { SshdConnection } from './model.js';
import type { LineRef } from './servconf.js';
import { parse } from './parse.js';
import type { PolicyRule, SshdPolicy } from './policy.js';
import { readTree, type SshdTreeMatch } from './tree.js';

/** A class of connections the audit evaluates. */
export interface AuditClass {
  /** `global`, or the Match line's text. */
  label: string;
  /** The Match line, or null for the global class. */
  at: LineRef | null;
  /** A connection that falls in the class. */
  connection: SshdConnection;
  /**
   * Whether that connection falls in the block (by sshd's evaluation of the Match lines). False when
   * no connection the audit can make does (`User !root` alone, or a block Included from a block whose
   * criteria exclude its own): its lines are not judged. Set by `audit`; `auditClasses` and
   * `matchClass` leave it true.
   */
  applies: boolean;
}

/** What a fix does to one file. */
export interface AuditEdit {
  file: string;
  /** Set the directive on this line, or (undefined) add the keyword to the global section. */
  line?: number;
  keyword: string;
  value: string;
}

/** One finding of an audit: the policy rule, the keyword and its value, the connection class, what was expected and why, the deciding line and the edit that fixes it. */
export interface AuditFinding {
  rule: string;
  severity: 'error' | 'warning';
  keyword: string;
  /** The connection class it was found in. */
  class: string;
  /** The class's Match line (in an Included file for a block written there), or null for the global class. */
  classAt: LineRef | null;
  /** The effective value (sshd -T's lines, joined by a space). */
  actual: string;
  /** What is wrong with it, in words (`is yes`, `includes hmac-sha1`). */
  problem: string;
  /** What the policy asks, in words. */
  expected: string;
  why: string;
  /** The line that decides the value, or null when it is a default. */
  winner: LineRef | null;
  /** The edit that fixes it, or undefined when the policy cannot name one. */
  edit?: AuditEdit;
}

/** An audit of a configuration: its connection classes, the findings, and the errors that keep sshd from starting. */
export interface AuditResult {
  classes: AuditClass[];
  findings: AuditFinding[];
  /** Errors that keep sshd from starting (the audit is still run). */
  diagnostics: Diagnostic[];
}

const canonicalName = (keyword: string) => KEYWORDS.get(keyword.toLowerCase())?.name ?? keyword;

const DEFAULT_CONNECTION = { user: 'fwconf-audit', host: 'audit.invalid', addr: '192.0.2.1', laddr: '192.0.2.2', lport: 22 };

/** A value that matches an sshd pattern list: its first positive pattern with wildcards made concrete. */
function patternExample(list: string): string | undefined {
  const p = list.split(',').find((x) => x && !x.startsWith('!'));
  return p?.replace(/\*/g, 'x').replace(/\?/g, 'x');
}

/** An address inside `10.0.0.0/8`-style CIDR, literal or wildcard (`10.*`, `192.168.?.1`) patterns. */
function addressExample(list: string): string | undefined {
  const p = list.split(',').find((x) => x && !x.startsWith('!'));
  if (!p) return undefined;
  if (/[*?]/.test(p)) {
    const filled = p.replace(/[*?]/g, '1');
    // An IPv4 prefix pattern (`10.*`) stands for a whole address: fill the missing parts.
    if (/^[\d.]+$/.test(filled)) {
      const parts = filled.split('.').filter(Boolean);
      while (parts.length < 4) parts.push('1');
      return parts.slice(0, 4).join('.');
    }
    return filled;
  }
  const [addr, bits] = p.split('/');
  if (bits === undefined || addr!.includes(':')) return addr;
  const parts = addr!.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !(n >= 0 && n <= 255))) return addr;
  if (Number(bits) < 32) parts[3] = (parts[3]! | 1) >>> 0;
  return parts.join('.');
}

/** A connection of a Match block's class: each criterion's first positive pattern made concrete. */
function blockConnection(m: SshdTreeMatch, port: number): { connection: SshdConnection; groups: string[] } {
  const chain: SshdTreeMatch[] = [];
  for (let b: SshdTreeMatch | undefined = m; b; b = b.within) chain.unshift(b);
  const c: Record<string, string | number> = { ...DEFAULT_CONNECTION, lport: port };
  const groups: string[] = [];
  // The outer block's criteria first: a block Included from a Match block needs both to match.
  for (const { criterion, patterns } of chain.flatMap((b) => b.criteria)) {
    if (patterns === null) continue;
    const k = criterion.toLowerCase();
    if (k === 'user') c.user = patternExample(patterns) ?? c.user!;
    else if (k === 'group') {
      const g = patternExample(patterns);
      if (g) groups.push(g);
    } else if (k === 'host') c.host = patternExample(patterns) ?? c.host!;
    else if (k === 'address') c.addr = addressExample(patterns) ?? c.addr!;
    else if (k === 'localaddress') c.laddr = addressExample(patterns) ?? c.laddr!;
    else if (k === 'localport' && /^\d+$/.test(patterns)) c.lport = Number(patterns);
    else if (k === 'rdomain') c.rdomain = patternExample(patterns) ?? 'x';
  }
  if (groups.length) c.user = `${c.user}-${groups.join('-')}`;
  return { connection: c as SshdConnection, groups };
}

const blockLabel = (m: SshdTreeMatch): string => `${m.within ? `${blockLabel(m.within)} > ` : ''}Match ${m.written}`.trim();

/** The audit class of one Match block (as `readTree` gives it): a connection it matches, and the groups that connection's user is in. */
export function matchClass(m: SshdTreeMatch, port = 22): { class: AuditClass; groups: Map<string, string[]> } {
  const { connection, groups } = blockConnection(m, port);
  return { class: { label: blockLabel(m), at: { file: m.file, line: m.line }, connection, applies: true }, groups: new Map(groups.length ? [[String(connection.user), groups]] : []) };
}

/**
 * The connection classes of a document: global, then one per Match block, in sshd's order — those of
 * Included files too (read through `files`), each ending with its file as sshd scopes them.
 */
export function auditClasses(doc: SshdDocument, port = 22, files: FileSource = new MemoryFileSource({})): { classes: AuditClass[]; groups: Map<string, string[]> } {
  const classes: AuditClass[] = [{ label: 'global', at: null, connection: { ...DEFAULT_CONNECTION, lport: port }, applies: true }];
  const groups = new Map<string, string[]>();
  for (const m of readTree(files, doc.file ?? '/etc/ssh/sshd_config', doc).matches) {
    const x = matchClass(m, port);
    classes.push(x.class);
    for (const [u, g] of x.groups) groups.set(u, g);
  }
  return { classes, groups };
}

function judge(rule: PolicyRule, values: string[]): { ok: boolean; problem: string; expected: string; fix?: string } {
  const low = values.map((v) => v.toLowerCase());
  const is = `is ${values.join(' ') || '(unset)'}`;
  if (rule.allow) {
    const ok = low.length > 0 && low.every((v) => rule.allow!.some((a) => a.toLowerCase() === v));
    return { ok, problem: is, expected: rule.allow.length === 1 ? rule.allow[0]! : `one of ${rule.allow.join(', ')}`, ...(rule.fix !== undefined ? { fix: rule.fix } : {}) };
  }
  if (rule.max !== undefined) {
    const n = Number(low[0]);
    return { ok: Number.isInteger(n) && n <= rule.max, problem: is, expected: `at most ${rule.max}`, ...(rule.fix !== undefined ? { fix: rule.fix } : {}) };
  }
  const forbid = new Set(rule.forbid!.map((f) => f.toLowerCase()));
  const names = (values[0] ?? '').split(',').filter(Boolean);
  const bad = names.filter((n) => forbid.has(n.toLowerCase()));
  const kept = names.filter((n) => !forbid.has(n.toLowerCase()));
  return {
    ok: bad.length === 0,
    problem: `includes ${bad.join(', ')}`,
    expected: 'none of them',
    ...(rule.fix !== undefined ? { fix: rule.fix } : kept.length ? { fix: kept.join(',') } : {}),
  };
}

/** Options of `audit`: how sshd is run (release, root, ...) and where files are read. */
export interface AuditOptions extends Omit<EffectiveOptions, 'connection'> {
  files?: FileSource;
}

/** Audits every connection class of `doc` against `policy`. */
export function audit(doc: SshdDocument, policy: SshdPolicy, options: AuditOptions = {}): AuditResult {
  // A connection with a local port: sshd -T without one stops at `Match LocalPort`, sshd itself does not.
  const base = effective(doc, { ...options, connection: DEFAULT_CONNECTION });
  const port = Number(base.get('port')?.[0] ?? 22);
  const { classes, groups } = auditClasses(doc, port, options.files ?? walkEnvironment(options).files);
  const findings: AuditFinding[] = [];
  const seen = new Set<string>();
  for (const cls of classes) {
    const userGroups = options.groups;
    const eff = effective(doc, {
      ...options,
      connection: cls.connection,
      groups: (u) => groups.get(u) ?? userGroups?.(u),
    });
    const at = cls.at;
    if (at && !eff.matched.some((m) => m.file === at.file && m.line === at.line)) {
      cls.applies = false;
      continue;
    }
    for (const rule of policy.rules) {
      const key = dumpName(rule.keyword);
      const x = eff.explain(key);
      const verdict = judge(rule, x.value);
      if (verdict.ok) continue;
      const winner = x.winner;
      // A global value that is wrong is reported once, in the global class; a Match class reports
      // only what its own block decides.
      const k = `${rule.id}|${winner ? `${winner.file}:${winner.line}` : 'default'}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const keyword = canonicalName(rule.keyword);
      const edit: AuditEdit | undefined =
        verdict.fix === undefined
          ? undefined
          : winner?.file !== undefined
            ? { file: winner.file, line: winner.line, keyword, value: verdict.fix }
            : doc.file !== undefined
              ? { file: doc.file, keyword, value: verdict.fix }
              : undefined;
      findings.push({
        rule: rule.id,
        severity: rule.severity,
        keyword,
        class: cls.label,
        classAt: cls.at,
        actual: x.value.join(' '),
        problem: verdict.problem,
        expected: verdict.expected,
        why: rule.why,
        winner,
        ...(edit ? { edit } : {}),
      });
    }
  }
  return { classes, findings, diagnostics: [...base.diagnostics] };
}

/** A finding as a diagnostic at the line to change (or the main file's first line for a default). */
export function findingDiagnostic(f: AuditFinding, mainFile: string | undefined): Diagnostic {
  const where = f.winner ?? { file: mainFile, line: 1 };
  const fix = f.edit ? (f.edit.line !== undefined ? `; set ${f.keyword} ${f.edit.value} here` : `; add '${f.keyword} ${f.edit.value}' to the global section`) : '';
  const src = f.winner ? '' : ' (the compiled-in default)';
  return diagnostic(
    `sshd/audit-${f.rule}`,
    f.severity,
    `${f.keyword} ${f.problem}${src} for ${f.classAt === null ? 'every connection' : `connections of "${f.class}" (${f.classAt.file ?? mainFile ?? '(input)'}:${f.classAt.line})`}; the policy wants ${f.expected}: ${f.why}${fix}`,
    { line: where.line, column: 1 },
    where.file,
  );
}

/**
 * The files the findings' edits change, each as its new text: the line that decides a value is
 * rewritten in place (only that line changes), a default gets a line in the global section. `read`
 * gives a file's current text.
 */
export function applyFixes(findings: readonly AuditFinding[], read: (file: string) => string | undefined): Map<string, string> {
  const docs = new Map<string, SshdDocument>();
  // Lines are set before anything is added, so the line numbers the findings name stay right.
  const edits = findings.flatMap((f) => (f.edit ? [f.edit] : [])).sort((a, b) => Number(a.line === undefined) - Number(b.line === undefined));
  for (const e of edits) {
    let d = docs.get(e.file);
    if (!d) {
      const text = read(e.file);
      if (text === undefined) continue;
      d = parse(text, { file: e.file });
      docs.set(e.file, d);
    }
    if (e.line !== undefined) d.setLine(e.line, e.value);
    else if (!d.global.has(e.keyword)) d.global.add(e.keyword, e.value);
  }
  return new Map([...docs].map(([f, d]) => [f, d.toString()]));
}

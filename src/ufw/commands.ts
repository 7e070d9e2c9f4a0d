/**
 * The ufw commands that create and delete rules (a port of ufw's UFWCommandRule.get_command, which
 * `ufw show added` prints), and plans that turn one rule set into another.
 *
 * ufw keeps IPv4 rules (user.rules) and IPv6 rules (user6.rules) in two lists. A command with no
 * address (`ufw allow 22/tcp`) adds a rule to both lists: the IPv4 rule for `Anywhere` and its
 * `(v6)` twin. A rule that must exist in one list only is pinned with `from 0.0.0.0/0` or
 * `from ::/0`, which ufw prints as `Anywhere` all the same.
 */
import { shellJoin } from '../core/shell.js';
import { appTuple } from './layout.js';
import { IPV4_ONLY_PROTOCOLS, type UfwRuleSpec } from './model.js';

export { shellQuote } from '../core/shell.js';

/** A command as argv (without the leading `ufw`) and as shell text. */
export interface UfwCommand {
  /** Arguments after `ufw`. */
  args: string[];
  /** `ufw ...`, each argument shell-quoted. */
  text: string;
}

function command(args: string[]): UfwCommand {
  return { args, text: shellJoin(['ufw', ...args]) };
}

/** The rule has no address on either side (ufw's `type = "both"` when added without addresses). */
export function isAnywhere(r: UfwRuleSpec): boolean {
  return r.dst === null && r.src === null;
}

/** One command can create this IPv4 rule and its IPv6 twin (and delete both). */
export function canPair(r: UfwRuleSpec): boolean {
  return isAnywhere(r) && !(r.proto !== null && IPV4_ONLY_PROTOCOLS.includes(r.proto));
}

/** Comment text ufw can take (ufw refuses `'`). */
export function commentProblem(comment: string | null): string | undefined {
  if (comment === null) return undefined;
  if (comment.includes("'")) return "ufw refuses comments that contain \"'\"";
  if (/[\x00-\x1f\x7f]/.test(comment)) return 'the comment has control characters';
  return undefined;
}

/** Options of the commands made for a rule. */
export interface CommandOptions {
  /**
   * `both`: the command also makes (or deletes) the `(v6)` twin of an IPv4 rule without addresses
   * (ufw's short form). `only` (default): the command touches exactly this rule, pinning the family
   * with `from 0.0.0.0/0` / `from ::/0` when the rule has no address.
   */
  family?: 'both' | 'only';
}

/**
 * The ufw arguments that create a rule: `allow 22/tcp`, `limit 2201/tcp comment 'ssh alt'`,
 * `allow from 203.0.113.103 proto tcp to any port 22`, `route allow in on eth0 out on eth1 ...`.
 */
export function ruleArgs(r: UfwRuleSpec, options: CommandOptions = {}): string[] {
  const both = options.family === 'both' && canPair(r);
  const pin = !both && isAnywhere(r) && !(r.proto !== null && IPV4_ONLY_PROTOCOLS.includes(r.proto) && !r.v6);
  const args: string[] = r.route ? ['route', r.action] : [r.action];
  const noIface = r.interfaceIn === null && r.interfaceOut === null;
  if (!pin && isAnywhere(r) && r.sport === null && r.sapp === null && noIface && (r.dport !== null || r.dapp !== null)) {
    // Short syntax.
    if (r.direction === 'out') args.push('out');
    if (r.log !== null) args.push(r.log);
    if (r.dapp !== null) args.push(r.dapp);
    else args.push(r.dport + (r.proto !== null ? '/' + r.proto : ''));
  } else {
    if (r.interfaceIn !== null) args.push('in', 'on', r.interfaceIn);
    if (r.interfaceOut !== null) args.push('out', 'on', r.interfaceOut);
    else if (r.direction === 'out') args.push('out');
    if (r.log !== null) args.push(r.log);
    const anyAddr = r.v6 ? '::/0' : '0.0.0.0/0';
    let located = false;
    for (const [word, addr, port, app] of [
      ['from', r.src, r.sport, r.sapp],
      ['to', r.dst, r.dport, r.dapp],
    ] as const) {
      const loc = addr ?? (pin && word === 'from' ? anyAddr : 'any');
      if (loc !== 'any' || port !== null || app !== null) {
        args.push(word, loc);
        located = true;
        if (app !== null) args.push('app', app);
        else if (port !== null) args.push('port', port);
      }
    }
    if (!located && noIface) args.push('to', 'any');
    if (r.proto !== null && r.dapp === null && r.sapp === null) args.push('proto', r.proto);
  }
  if (r.comment !== null && r.comment !== '') args.push('comment', r.comment);
  return args;
}

/** `ufw ...` that creates the rule (see ruleArgs). */
export function createCommand(r: UfwRuleSpec, options: CommandOptions = {}): UfwCommand {
  return command(ruleArgs(r, options));
}

/** `ufw delete ...` that deletes the rule by its specification. */
export function deleteCommand(r: UfwRuleSpec, options: CommandOptions = {}): UfwCommand {
  const args = ruleArgs(r, options);
  // `ufw delete` does not take a comment.
  const c = args.indexOf('comment');
  if (c >= 0 && c === args.length - 2) args.splice(c, 2);
  return command(args[0] === 'route' ? ['route', 'delete', ...args.slice(1)] : ['delete', ...args]);
}

/** `ufw --force delete N` (numbers from `ufw status numbered`; no confirmation prompt). */
export function deleteNumberCommand(n: number): UfwCommand {
  return command(['--force', 'delete', String(n)]);
}

/** What identifies a rule for ufw (the ports of an app side are the app's business). */
export function ruleKey(r: UfwRuleSpec): string {
  const anyApp = r.dapp !== null || r.sapp !== null;
  return JSON.stringify([
    r.action,
    r.log,
    anyApp ? null : r.proto,
    r.dst,
    r.dapp ?? r.dport,
    r.dapp !== null,
    r.src,
    r.sapp ?? r.sport,
    r.sapp !== null,
    r.direction,
    r.route,
    r.interfaceIn,
    r.interfaceOut,
    r.v6,
    r.comment,
  ]);
}

/** The same rule but for the other IP family. */
function twinKey(r: UfwRuleSpec): string {
  return ruleKey({ ...r, v6: !r.v6 });
}

/**
 * Collapses the lines of one app rule: a profile with tcp and udp ports is several stored rules
 * but one command (and one number in `ufw status numbered`).
 */
export function collapseApps<T extends UfwRuleSpec>(rules: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rules) {
    const t = appTuple(r);
    if (t !== undefined) {
      const k = `${r.v6}|${r.route}|${t}`;
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(r);
  }
  return out;
}

type Group = 'in' | 'out' | 'fwd';
const GROUPS: readonly Group[] = ['in', 'out', 'fwd'];
const groupOf = (r: UfwRuleSpec): Group => (r.route ? 'fwd' : r.direction);

/**
 * Commands that append `v4` and `v6` (each in order) to the end of ufw's two lists: one command
 * for an IPv4 rule without addresses and its `(v6)` twin when they can be added together without
 * breaking either order (a longest common subsequence of twins), one pinned command otherwise.
 */
export function appendCommands(v4: readonly UfwRuleSpec[], v6: readonly UfwRuleSpec[]): UfwCommand[] {
  const n = v4.length;
  const m = v6.length;
  const pairable = (a: UfwRuleSpec, b: UfwRuleSpec) => canPair(a) && canPair(b) && twinKey(a) === ruleKey(b);
  // LCS table from the ends.
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      L[i]![j] = pairable(v4[i]!, v6[j]!) ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const out: UfwCommand[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && pairable(v4[i]!, v6[j]!) && L[i]![j] === L[i + 1]![j + 1]! + 1) {
      out.push(createCommand(v4[i]!, { family: 'both' }));
      i++;
      j++;
    } else if (i < n && (j >= m || L[i + 1]![j]! >= L[i]![j + 1]!)) {
      out.push(createCommand(v4[i++]!));
    } else {
      out.push(createCommand(v6[j++]!));
    }
  }
  return out;
}

/** The ufw commands that turn one rule set into another: deletes, then adds, with counts and what ufw cannot do. */
export interface UfwPlan {
  /** Deletes (highest number first), then adds, in the order ufw needs them. */
  commands: UfwCommand[];
  /** Rules that stay as they are. */
  kept: number;
  deleted: number;
  added: number;
  /** Rules ufw cannot create as asked (e.g. a comment with `'`). */
  problems: string[];
}

/** A current rule, with its `ufw status numbered` number when known. */
export type NumberedSpec = UfwRuleSpec & { number?: number | null };

/**
 * From the current rules (from `ufw status numbered` for numbered deletes, or any form for
 * deletes by rule) to the desired ones. Only the order within each group (inbound, outbound,
 * route) of each list (IPv4, IPv6) matters to ufw — they are separate chains — so each group of
 * each list keeps its longest ordered prefix match, deletes the rest and appends what is missing.
 */
export function planRules(current: readonly NumberedSpec[], desired: readonly UfwRuleSpec[]): UfwPlan {
  const cur = collapseApps(current);
  const want = collapseApps(desired);
  const deletes: NumberedSpec[] = [];
  const adds: Record<'v4' | 'v6', UfwRuleSpec[]> = { v4: [], v6: [] };
  let kept = 0;
  const addsByGroup = new Map<string, { v4: UfwRuleSpec[]; v6: UfwRuleSpec[] }>();
  for (const g of GROUPS) addsByGroup.set(g, { v4: [], v6: [] });
  for (const fam of [false, true]) {
    for (const g of GROUPS) {
      const C = cur.filter((r) => r.v6 === fam && groupOf(r) === g);
      const D = want.filter((r) => r.v6 === fam && groupOf(r) === g);
      const keep = new Set<number>();
      let j = 0;
      let i = 0;
      for (; i < D.length; i++) {
        const k = ruleKey(D[i]!);
        let found = -1;
        for (let x = j; x < C.length; x++)
          if (ruleKey(C[x]!) === k) {
            found = x;
            break;
          }
        if (found < 0) break;
        keep.add(found);
        j = found + 1;
      }
      kept += keep.size;
      C.forEach((r, x) => {
        if (!keep.has(x)) deletes.push(r);
      });
      const tail = D.slice(i);
      addsByGroup.get(g)![fam ? 'v6' : 'v4'].push(...tail);
      adds[fam ? 'v6' : 'v4'].push(...tail);
    }
  }
  const commands: UfwCommand[] = [];
  const numbered = deletes.filter((r) => typeof r.number === 'number');
  const unnumbered = deletes.filter((r) => typeof r.number !== 'number');
  for (const r of [...numbered].sort((a, b) => b.number! - a.number!)) commands.push(deleteNumberCommand(r.number!));
  for (const r of unnumbered) commands.push(deleteCommand(r));
  for (const g of GROUPS) {
    const a = addsByGroup.get(g)!;
    commands.push(...appendCommands(a.v4, a.v6));
  }
  const problems: string[] = [];
  for (const r of [...adds.v4, ...adds.v6]) {
    const p = commentProblem(r.comment);
    if (p) problems.push(`${createCommand(r).text}: ${p}`);
  }
  return { commands, kept, deleted: deletes.length, added: adds.v4.length + adds.v6.length, problems };
}

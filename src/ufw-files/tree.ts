/**
 * ufw's files under a root (etc/ufw, etc/default/ufw) read as ufw reads them, and what ufw prints
 * for them without running it: `ufw status [verbose|numbered]` (backend_iptables.get_status, ported
 * in src/ufw/layout.ts) and `ufw show added` (frontend.get_show_added, parser get_command).
 */
import { compareCodePoints, type FileSource } from '../core/files.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { loggingLine, defaultLine, ruleTable } from '../ufw/layout.js';
import type { UfwAppPolicy, UfwLogging, UfwPolicy, UfwRuleSpec, UfwStatusMode } from '../ufw/model.js';
import { checkFamilies, checkRules } from '../ufw-rules/check.js';
import { checkConf } from '../ufw-conf/check.js';
import type { UfwConfDocument } from '../ufw-conf/document.js';
import { parseConf } from '../ufw-conf/parse.js';
import type { UfwRulesDocument } from '../ufw-rules/document.js';
import { parseRules } from '../ufw-rules/parse.js';

/** ufw's files under a root, parsed: ufw.conf, /etc/default/ufw, user.rules, user6.rules, and those missing. */
export interface UfwTree {
  readonly root: string;
  readonly conf: UfwConfDocument;
  readonly defaults: UfwConfDocument;
  readonly rules4: UfwRulesDocument;
  readonly rules6: UfwRulesDocument;
  /** The files that are missing (ufw refuses to run without them). */
  readonly missing: readonly string[];
}

export const CONF = 'etc/ufw/ufw.conf';
export const DEFAULTS = 'etc/default/ufw';
export const USER_RULES = 'etc/ufw/user.rules';
export const USER6_RULES = 'etc/ufw/user6.rules';
/** The rule files `ufw reset` backs up and replaces. */
export const RESET_FILES = ['user.rules', 'before.rules', 'after.rules', 'user6.rules', 'before6.rules', 'after6.rules'] as const;

function join(root: string, rel: string): string {
  return (root.endsWith('/') ? root : root + '/') + rel;
}

/** Reads the tree; missing files read as empty and are listed in `missing`. */
export function readTree(files: FileSource, root = '/'): UfwTree {
  const missing: string[] = [];
  const read = (rel: string) => {
    const t = files.read(join(root, rel));
    if (t === undefined) missing.push(join(root, rel));
    return t ?? '';
  };
  return {
    root,
    conf: parseConf(read(CONF), { file: join(root, CONF) }),
    defaults: parseConf(read(DEFAULTS), { file: join(root, DEFAULTS) }),
    rules4: parseRules(read(USER_RULES), { file: join(root, USER_RULES) }),
    rules6: parseRules(read(USER6_RULES), { file: join(root, USER6_RULES) }),
    missing,
  };
}

/** ufw's merged settings: /etc/default/ufw, then ufw.conf (a later line wins). */
export function setting(tree: UfwTree, key: string): string | undefined {
  return tree.conf.get(key) ?? tree.defaults.get(key);
}

/** IPV6=yes: ufw reads user6.rules (and the host has IPv6). */
export function usesIpv6(tree: UfwTree): boolean {
  return setting(tree, 'IPV6') === 'yes';
}

/** ENABLED=yes in ufw.conf: ufw starts at boot (and `ufw enable` sets it). */
export function isEnabled(tree: UfwTree): boolean {
  return setting(tree, 'ENABLED') === 'yes';
}

/** The rules ufw reads: user.rules, then user6.rules when IPV6=yes. */
export function treeRules(tree: UfwTree): UfwRuleSpec[] {
  const v4 = tree.rules4.rules().map((r) => r.spec);
  return usesIpv6(tree) ? [...v4, ...tree.rules6.rules().map((r) => r.spec)] : v4;
}

export function logging(tree: UfwTree): UfwLogging {
  const l = setting(tree, 'LOGLEVEL');
  if (l === undefined || !['off', 'low', 'medium', 'high', 'full'].includes(l)) return { state: 'unknown', level: null };
  return l === 'off' ? { state: 'off', level: null } : { state: 'on', level: l as UfwLogging['level'] };
}

function policy(v: string | undefined): UfwPolicy {
  return v === 'accept' ? 'allow' : v === 'reject' ? 'reject' : 'deny';
}

export function appPolicy(tree: UfwTree): UfwAppPolicy {
  const v = setting(tree, 'DEFAULT_APPLICATION_POLICY');
  return v === 'accept' ? 'allow' : v === 'drop' ? 'deny' : v === 'reject' ? 'reject' : 'skip';
}

/** What `ufw status` of a tree depends on besides its files. */
export interface StatusOptions {
  /**
   * Forwarding is on in the kernel (net.ipv4.ip_forward, or with IPv6 net.ipv6.conf.{default,all}.forwarding):
   * `ufw status verbose` says `disabled (routed)` otherwise.
   */
  forwarding: boolean;
}

/**
 * What `ufw status` (`plain`), `ufw status verbose` or `ufw status numbered` prints for these files
 * once ufw is running (ufw itself prints only `Status: inactive` while it is not).
 */
export function statusOutput(tree: UfwTree, mode: UfwStatusMode, options: StatusOptions): string {
  const table = ruleTable(treeRules(tree), mode);
  if (mode !== 'verbose') return `Status: active${table}\n`;
  const d = {
    incoming: policy(setting(tree, 'DEFAULT_INPUT_POLICY')),
    outgoing: policy(setting(tree, 'DEFAULT_OUTPUT_POLICY')),
    routed: options.forwarding ? policy(setting(tree, 'DEFAULT_FORWARD_POLICY')) : ('disabled' as const),
  };
  return `Status: active\n${loggingLine(logging(tree))}\n${defaultLine(d)}\nNew profiles: ${appPolicy(tree)}${table}\n`;
}

const quoteApp = (app: string) => (app.includes(' ') ? `'${app}'` : app);

/** parser.UFWCommandRule.get_command: the command `ufw show added` prints for a rule (without `ufw `). */
export function ruleCommand(r: UfwRuleSpec): string {
  let res = r.action;
  const comment = r.comment !== null && r.comment !== '' ? ` comment '${r.comment}'` : '';
  if (r.dst === null && r.src === null && r.sport === null && r.sapp === null && r.interfaceIn === null && r.interfaceOut === null && r.dport !== null) {
    if (r.direction === 'out') res += ' out';
    if (r.log !== null) res += ' ' + r.log;
    if (r.dapp !== null) res += ' ' + quoteApp(r.dapp);
    else res += ' ' + r.dport + (r.proto !== null ? '/' + r.proto : '');
    return (r.route ? 'route ' : '') + res + comment;
  }
  if (r.interfaceIn !== null) res += ` in on ${r.interfaceIn}`;
  if (r.interfaceOut !== null) res += ` out on ${r.interfaceOut}`;
  else if (r.direction === 'out') res += ' out';
  if (r.log !== null) res += ' ' + r.log;
  for (const [dir, loc, port, app] of [['from', r.src, r.sport, r.sapp], ['to', r.dst, r.dport, r.dapp]] as const) {
    if (loc === null && port === null && app === null) continue;
    res += ` ${dir} ${loc ?? 'any'}`;
    if (app !== null) res += ' app ' + quoteApp(app);
    else if (port !== null) res += ' port ' + port;
  }
  if (!res.includes(' to ') && !res.includes(' from ') && r.interfaceIn === null && r.interfaceOut === null) res += ' to any';
  if (r.proto !== null && r.dapp === null && r.sapp === null) res += ' proto ' + r.proto;
  return (r.route ? 'route ' : '') + res + comment;
}

/** What `ufw show added` prints. */
export function showAdded(tree: UfwTree): string {
  let out = "Added user rules (see 'ufw status' for running firewall):";
  const rules = treeRules(tree);
  if (rules.length === 0) return out + '\n(None)\n';
  const seen = new Set<string>();
  for (const r of rules) {
    const c = ruleCommand(r);
    if (seen.has(c)) continue;
    seen.add(c);
    out += '\nufw ' + c;
  }
  return out + '\n';
}

/** Every diagnostic and finding of the tree's files, the v4/v6 symmetry included (IPV6=yes). */
export function checkTree(tree: UfwTree): Diagnostic[] {
  const out = [...checkConf(tree.conf), ...checkConf(tree.defaults), ...checkRules(tree.rules4), ...checkRules(tree.rules6)];
  if (usesIpv6(tree)) out.push(...checkFamilies(tree.rules4, tree.rules6));
  return out;
}

const FORWARD_RE = /^\s*net[./](?:ipv4[./]ip_forward|ipv6[./]conf[./](?:default|all)[./]forwarding)\s*=\s*1\s*$/m;

/**
 * Whether forwarding will be on, from the files below a root: ufw's IPT_SYSCTL file (applied at
 * `ufw enable`), /etc/sysctl.conf and /etc/sysctl.d/*.conf. (For the running host read /proc instead.)
 */
export function forwardingFromFiles(files: FileSource, root: string): boolean {
  const paths = [join(root, 'etc/ufw/sysctl.conf'), join(root, 'etc/sysctl.conf')];
  for (const n of [...(files.list(join(root, 'etc/sysctl.d')) ?? [])].sort(compareCodePoints)) if (n.endsWith('.conf')) paths.push(join(root, 'etc/sysctl.d/' + n));
  return paths.some((p) => FORWARD_RE.test(files.read(p) ?? ''));
}

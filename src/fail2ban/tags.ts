/**
 * What fail2ban's server does with an action's parameters when it bans or unbans an address
 * (server/action.py CommandAction.replaceTag and replaceDynamicTags): static `<tags>` from the
 * action's parameters (with `?family=inet4|inet6` variants), then the ticket's values (`<ip>`,
 * `<failures>`, ...), which are passed as `f2bV_*` shell variables when they hold shell-special
 * characters. Use it to see the exact command fail2ban would run.
 */
import { substituteRecursiveTags } from './options.js';
import { pyStr, type PyValue } from './pytext.js';
import type { ResolvedAction } from './resolve.js';

/** The ticket of one ban, as the server knows it. */
export interface BanTicket {
  ip: string;
  failures?: number;
  /** Unix time of the ban. */
  time?: number;
  bantime?: number;
  bancount?: number;
  matches?: string;
  ipmatches?: string;
  ipjailmatches?: string;
  fid?: string;
  restored?: boolean;
  /** Further ticket data (`F-USER` ...). */
  [tag: string]: PyValue | undefined;
}

/** A ban or unban command after tag substitution, as fail2ban would run it. */
export interface BanCommand {
  /** The shell command, as fail2ban passes it to `sh -c`. */
  command: string;
  /** Environment variables fail2ban sets for escaped ticket values. */
  env: Record<string, string>;
}

const ESCAPED_TAGS = new Set(['matches', 'ipmatches', 'ipjailmatches']);
const ESCAPE_RE = /[\\#&;`|*?~<>^()[\]{}$'"\n\r]/;
const TAG_RE = /<([^ <>]+)>/g;
const ADD_REPL: Record<string, string> = { br: '\n', sp: ' ' };

/** The `<family>` tag of an address: `inet6` when it holds a `:`, else `inet4`. */
export function ipFamily(ip: string): 'inet4' | 'inet6' {
  return ip.includes(':') ? 'inet6' : 'inet4';
}

/** `ip-rev`: the PTR name without suffix (`4.3.2.1.` for 1.2.3.4). */
export function ipReverse(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').reverse().join('.') + '.';
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const hex = groups.map((g) => g.padStart(4, '0')).join('');
  return hex.split('').reverse().join('.') + '.';
}

/**
 * The command an action runs for `operation` (`actionban`, `actionunban`, `actionstart`...) and a
 * ticket: exactly the text fail2ban executes, and the variables it exports for escaped values.
 */
export function banCommand(action: Pick<ResolvedAction, 'params'>, ticket: BanTicket, operation = 'actionban', hostnames: { fq?: string; sh?: string } = {}): BanCommand {
  const props = new Map<string, PyValue>(Object.entries(action.params));
  const query = props.get(operation);
  if (query === undefined || query === null) return { command: '', env: {} };
  const family = ipFamily(ticket.ip);
  const conditional = 'family=' + family;
  const sub = substituteRecursiveTags(props, { conditional, ignore: ESCAPED_TAGS });
  const add: Record<string, string> = { ...ADD_REPL };
  if (hostnames.fq !== undefined) add['fq-hostname'] = hostnames.fq;
  if (hostnames.sh !== undefined) add['sh-hostname'] = hostnames.sh;
  let q = pyStr(query);
  for (let count = 26; q.includes('<'); ) {
    const v = q.replace(TAG_RE, (m, tag: string) => {
      let value = sub.get(tag + '?' + conditional);
      if (value === undefined || value === null) value = sub.get(tag);
      if (value === undefined || value === null) return add[tag] ?? m;
      return pyStr(value);
    });
    if (v === q) break;
    q = v;
    if (--count <= 0) throw new RangeError(`possible self referencing definitions in query: ${q}`);
  }
  // Dynamic (ticket) tags: no recursion; shell-special values become variables.
  const info: Record<string, PyValue> = {
    family,
    'ip-rev': ipReverse(ticket.ip),
    failures: ticket.failures ?? 1,
    time: ticket.time ?? 0,
    bantime: ticket.bantime ?? 600,
    bancount: ticket.bancount ?? 0,
    restored: ticket.restored ? 1 : 0,
    matches: ticket.matches ?? '',
    ipmatches: ticket.ipmatches ?? '',
    ipjailmatches: ticket.ipjailmatches ?? '',
    fid: ticket.fid ?? ticket.ip,
  };
  for (const [k, v] of Object.entries(ticket)) if (v !== undefined) info[k] = v as PyValue;
  const env: Record<string, string> = {};
  const command = q.replace(TAG_RE, (m, tag: string) => {
    if (!(tag in info)) return add[tag] ?? m;
    const value = pyStr(info[tag]!);
    if (ESCAPE_RE.test(value)) {
      const name = 'f2bV_' + tag.replace(/[^\p{L}\p{N}_]/gu, '_');
      env[name] = value;
      return '$' + name;
    }
    return value;
  });
  return { command, env };
}

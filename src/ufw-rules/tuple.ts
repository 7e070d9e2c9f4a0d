/**
 * The `### tuple ###` line of user.rules / user6.rules, as ufw 0.36 reads it (backend_iptables
 * `_read_rules` and the UFWRule setters of common.py) and writes it (`_write_rules`), and the
 * iptables-restore lines ufw writes under it (UFWRule.format_rule and `_get_rules_from_formatted`).
 */
import { ipv6Words } from '../core/ip.js';
import { PROTOCOLS, type UfwRuleSpec } from '../ufw/model.js';

/** What ufw makes of a tuple line: the rule, or why it skips the line (it warns and reads on). */
export type TupleRead =
  | { readonly ok: true; readonly spec: UfwRuleSpec; /** The comment's hex as stored. */ readonly hex: string }
  | { readonly ok: false; readonly reason: string; /** ufw itself stops with a traceback on this line. */ readonly fatal?: boolean };

const TUPLE_RE = /^### tuple ###\s*/;

/** True for a line ufw reads as a tuple (whatever it then makes of it). */
export function isTupleLine(line: string): boolean {
  return TUPLE_RE.test(line.includes(' comment=') ? line.split(' comment=')[0]! : line);
}

function validPort(port: string): boolean {
  if (port === 'any') return true;
  if (/^[,:]/.test(port) || /[,:]$/.test(port)) return false;
  if ((port.match(/[,:]/g) ?? []).length > 14) return false;
  for (const p of port.split(',')) {
    const range = /^(\d+):(\d+)$/.exec(p);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a < 1 || a > 65535 || b < 1 || b > 65535 || a >= b) return false;
    } else if (/^\d+$/.test(p)) {
      const n = Number(p);
      if (n < 1 || n > 65535) return false;
    } else return false; // ufw would look a service name up (getservbyname); files it writes never hold one
  }
  return true;
}

function validCidr(nm: string, v6: boolean): boolean {
  if (!/^\d+$/.test(nm)) return false;
  const n = Number(nm);
  return n >= 0 && n <= (v6 ? 128 : 32);
}

function dottedQuad(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

/** ufw.util.valid_address(addr, "any"). */
export function validAddress(addr: string): boolean {
  if (addr.length <= 31 && /^[0-9./]+$/.test(addr)) {
    const net = addr.split('/');
    if (net.length <= 2 && dottedQuad(net[0]!) && (net.length === 1 || validCidr(net[1]!, false) || dottedQuad(net[1]!))) return true;
  }
  if (addr.length <= 43 && /^[a-fA-F0-9:./]+$/.test(addr)) {
    const net = addr.split('/');
    if (net.length <= 2 && ipv6Words(net[0]!) !== undefined && (net.length === 1 || validCidr(net[1]!, true))) return true;
  }
  return false;
}

/** ufw.util.hex_decode: the comment's text (an odd last digit is dropped, as ufw does); undefined when not UTF-8 hex. */
export function decodeComment(hex: string): string | undefined {
  const h = hex.length % 2 ? hex.slice(0, -1) : hex;
  if (!/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const bytes = new Uint8Array(h.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** ufw.util.hex_encode. */
export function encodeComment(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const ANY4 = '0.0.0.0/0';
const ANY6 = '::/0';

/**
 * Reads a line as ufw does; undefined when it is not a tuple line. `line` is without its line ending.
 * `v6`: the line is in user6.rules.
 */
export function readTuple(line: string, v6: boolean): TupleRead | undefined {
  let text = line;
  let hex = '';
  if (line.includes(' comment=')) {
    const parts = line.split(' comment=');
    if (parts.length !== 2) {
      if (!TUPLE_RE.test(parts[0]!)) return undefined;
      return { ok: false, reason: 'a tuple with two comment= fields (ufw stops with a traceback)', fatal: true };
    }
    text = parts[0]!;
    hex = parts[1]!.trim();
  }
  const m = TUPLE_RE.exec(text);
  if (!m) return undefined;
  const tupl = text.slice(m[0].length);
  const f = tupl.trim().split(/\s+/);
  if (f.length < 6 || f.length > 9) return { ok: false, reason: `a tuple has 6 to 9 fields, this one ${tupl.trim() === '' ? 0 : f.length}` };
  let dtype = 'in';
  let ifIn = '';
  let ifOut = '';
  if (f.length === 7 || f.length === 9) {
    const last = f[f.length - 1]!;
    dtype = last.split('_')[0]!;
    if (last.includes('_')) {
      const part = (s: string) => s.slice(s.indexOf('_') + 1);
      if (last.includes('!') && /in_\w+/.test(last) && /out_\w+/.test(last)) {
        ifIn = part(last.split('!')[0]!);
        ifOut = part(last.split('!')[1]!);
      } else if (last.startsWith('in_')) ifIn = part(last);
      else if (last.startsWith('out_')) ifOut = part(last);
      else return { ok: false, reason: `bad interface field '${last}'` };
    }
  }
  let action = f[0]!;
  let route = false;
  if (action.includes(':')) {
    route = true;
    action = action.split(':')[1]!;
  }
  const at = action.toLowerCase().split('_');
  const act = at[0] === 'allow' || at[0] === 'reject' || at[0] === 'limit' ? at[0] : 'deny';
  const logtype = (at[1] ?? '').toLowerCase();
  if (logtype !== '' && logtype !== 'log' && logtype !== 'log-all') return { ok: false, reason: `invalid log type '${at[1]}'` };
  const proto = f[1]!;
  if (proto !== 'any' && !(PROTOCOLS as readonly string[]).includes(proto)) return { ok: false, reason: `unsupported protocol '${proto}'` };
  const dport = f[2]!;
  const sport = f[4]!;
  if (!validPort(dport)) return { ok: false, reason: `bad port '${dport}'` };
  if (!validPort(sport)) return { ok: false, reason: `bad port '${sport}'` };
  const src = f[5]!.toLowerCase();
  const dst = f[3]!.toLowerCase();
  if (src !== 'any' && !validAddress(src)) return { ok: false, reason: `bad source address '${f[5]}'` };
  if (dst !== 'any' && !validAddress(dst)) return { ok: false, reason: `bad destination address '${f[3]}'` };
  if (dtype !== 'in' && dtype !== 'out') return { ok: false, reason: `unsupported direction '${dtype}'` };
  for (const name of [ifIn, ifOut])
    if (name !== '' && (name.includes(':') || name === '.' || name === '..' || name.length > 15 || /[\s/]/.test(name)))
      return { ok: false, reason: `bad interface name '${name}'` };
  let comment: string | null = null;
  if (hex !== '') {
    const c = decodeComment(hex);
    if (c === undefined) return { ok: false, reason: `comment=${hex} is not hex-encoded UTF-8 (ufw fails on it)`, fatal: true };
    comment = c;
  }
  const anyAddr = (a: string) => a === 'any' || a === ANY4 || a === ANY6;
  const app = (i: number) => (f.length >= 8 && f[i] !== '-' ? f[i]!.replace(/%20/g, ' ') : null);
  const spec: UfwRuleSpec = {
    action: act as UfwRuleSpec['action'],
    log: logtype === '' ? null : (logtype as 'log' | 'log-all'),
    proto: proto === 'any' ? null : proto,
    dst: anyAddr(dst) ? null : dst,
    dport: dport === 'any' ? null : dport,
    dapp: app(6),
    src: anyAddr(src) ? null : src,
    sport: sport === 'any' ? null : sport,
    sapp: app(7),
    direction: dtype,
    route,
    interfaceIn: ifIn === '' ? null : ifIn,
    interfaceOut: ifOut === '' ? null : ifOut,
    v6,
    comment,
  };
  return { ok: true, spec, hex };
}

/** The action field: `allow`, `route:deny_log-all`. */
function actionField(r: UfwRuleSpec): string {
  return (r.route ? 'route:' : '') + r.action + (r.log !== null ? '_' + r.log : '');
}

function ifaceField(r: UfwRuleSpec): string {
  if (r.interfaceIn === null && r.interfaceOut === null) return r.direction;
  if (r.interfaceIn !== null && r.interfaceOut !== null) return `in_${r.interfaceIn}!out_${r.interfaceOut}`;
  return `${r.direction}_${r.interfaceIn ?? r.interfaceOut}`;
}

const addr = (a: string | null, v6: boolean) => a ?? (v6 ? ANY6 : ANY4);

/** The tuple line ufw writes for a rule (no line ending). */
export function tupleText(r: UfwRuleSpec, hex = r.comment === null ? '' : encodeComment(r.comment)): string {
  const fields = [actionField(r), r.proto ?? 'any', r.dport ?? 'any', addr(r.dst, r.v6), r.sport ?? 'any', addr(r.src, r.v6)];
  if (r.dapp !== null || r.sapp !== null) fields.push(r.dapp === null ? '-' : r.dapp.replace(/ /g, '%20'), r.sapp === null ? '-' : r.sapp.replace(/ /g, '%20'));
  fields.push(ifaceField(r));
  return '### tuple ### ' + fields.join(' ') + (hex !== '' ? ' comment=' + hex : '');
}

/** The user chain a rule goes in: `ufw-user-input`, `ufw6-user-forward`, … */
export function userChain(r: UfwRuleSpec): string {
  return `${r.v6 ? 'ufw6' : 'ufw'}-user-${r.route ? 'forward' : r.direction === 'out' ? 'output' : 'input'}`;
}

function isMulti(port: string | null): boolean {
  return port !== null && (port.includes(',') || port.includes(':'));
}

/** UFWRule.format_rule(). */
export function formatRule(r: UfwRuleSpec): string {
  let s = '';
  if (r.interfaceIn !== null) s += ` -i ${r.interfaceIn}`;
  if (r.interfaceOut !== null) s += ` -o ${r.interfaceOut}`;
  const multi = isMulti(r.dport) || isMulti(r.sport);
  if (r.proto === null) s += ' -p all';
  else {
    s += ' -p ' + r.proto;
    if (multi) {
      s += ' -m multiport';
      if (r.dport !== null && r.sport !== null) s += ` --dports ${r.dport} -m multiport --sports ${r.sport}`;
      else if (r.dport !== null) s += ' --dports ' + r.dport;
      else if (r.sport !== null) s += ' --sports ' + r.sport;
    }
  }
  if (r.dst !== null) s += ' -d ' + r.dst;
  if (!multi && r.dport !== null) s += ' --dport ' + r.dport;
  if (r.src !== null) s += ' -s ' + r.src;
  if (!multi && r.sport !== null) s += ' --sport ' + r.sport;
  const l = r.log !== null ? '_' + r.log : '';
  if (r.action === 'allow') s += ` -j ACCEPT${l}`;
  else if (r.action === 'reject') {
    s += ` -j REJECT${l}`;
    if (r.proto === 'tcp') s += ' --reject-with tcp-reset';
  } else if (r.action === 'limit') s += ` -j LIMIT${l}`;
  else s += ` -j DROP${l}`;
  if (r.dapp !== null || r.sapp !== null) {
    const parts: string[] = [];
    if (r.dapp !== null) parts.push('dapp_' + r.dapp.replace(/ /g, '%20'));
    if (r.sapp !== null) parts.push('sapp_' + r.sapp.replace(/ /g, '%20'));
    s += ` -m comment --comment '${parts.join(',')}'`;
  }
  return s.trim();
}

/** `_get_rules_from_formatted`: the iptables-restore lines of a rule (no line endings). */
export function chainLines(r: UfwRuleSpec): string[] {
  const prefix = r.v6 ? 'ufw6' : 'ufw';
  const suffix = r.route ? 'forward' : r.direction === 'out' ? 'output' : 'input';
  const frule = `-A ${userChain(r)} ${formatRule(r)}`;
  let snippets: string[] = [];
  if (frule.includes('-p all ')) {
    if (frule.includes('port ')) {
      const reject = /-j (REJECT(_log(-all)?)?)/;
      const tcp = reject.test(frule) ? frule.replace(reject, '-j $1 --reject-with tcp-reset') : frule;
      snippets.push(tcp.replace('-p all ', '-p tcp '));
      snippets.push(frule.replace('-p all ', '-p udp '));
    } else snippets.push(frule.replace('-p all ', ''));
  } else snippets.push(frule);

  const patLog = /^(.*)-j ([A-Z]+)_log(-all)?(.*)$/;
  const limitArgs = '-m limit --limit 3/min --limit-burst 10';
  const logChain = `${prefix}-user-logging-${suffix}`;
  const withChain = (s: string) => s.replace(/(-A|-D) ([a-zA-Z0-9-]+)/, `$1 ${logChain}`);
  const out: string[] = [];
  for (const s of snippets) {
    const m = patLog.exec(s);
    if (!m) {
      out.push(s);
      continue;
    }
    let policy = m[2]!.toLowerCase();
    policy = policy === 'accept' ? 'ALLOW' : policy === 'limit' ? 'LIMIT' : 'BLOCK';
    let lstr = `${limitArgs} -j LOG --log-prefix "[UFW ${policy}] "`;
    if (m[3] === undefined) lstr = '-m conntrack --ctstate NEW ' + lstr;
    // only the rule itself keeps what follows the target (ufw's substitutions drop it from the other three)
    out.push(withChain(m[1]! + lstr), withChain(m[1]! + '-j RETURN'), m[1]! + '-j ' + logChain, m[1]! + '-j ' + m[2]! + m[4]!);
  }
  snippets = [];
  for (const s of out) {
    if (!s.includes(' -j LIMIT')) {
      snippets.push(s);
      continue;
    }
    snippets.push(
      s.replace(' -j LIMIT', ' -m conntrack --ctstate NEW -m recent --set'),
      s.replace(' -j LIMIT', ` -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 -j ${prefix}-user-limit`),
      s.replace(' -j LIMIT', ` -j ${prefix}-user-limit-accept`),
    );
  }
  return snippets;
}

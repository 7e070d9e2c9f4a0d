/**
 * A typed rule → the rule iptables-save would print after iptables-restore loaded it: the value
 * rewrites the extensions' parse() and save() functions apply (libxt_*.c, libipt_*.c, libip6t_*.c in
 * iptables 1.8.9), found and checked by experiment against the real programs (test/iptables/system).
 *
 * Used for new and edited rules (typed edits, render), and by `diff` to compare two files as the
 * kernel would hold them; a parsed dump's lines are never rewritten.
 *
 * What cannot be known offline is left as written: host names in addresses (`-s localhost`, resolved by
 * iptables when the rule is added), user and group names in `-m owner` other than `root` (from the
 * host's passwd/group), service names in ports not in {@link SERVICES} (from the host's /etc/services),
 * and `--hashlimit` byte rates and `--hashlimit-rate-match` rates (left as written). A comma list in
 * `-s`/`-d` (which iptables splits into several rules) is kept as one rule.
 */
import { inetNtop6, ipv6Words } from '../core/ip.js';
import type { Match, Rule, RuleOption, Target } from './model.js';
import { PROTOCOL_NAMES } from './modules.js';

/** An address family: iptables (`ipv4`) or ip6tables (`ipv6`). */
export type Family = 'ipv4' | 'ipv6';

// ---------------------------------------------------------------------------------------------------
// Tables (data)

/** The order in which each extension's save() prints its options (names as iptables-save prints them). */
const SAVE_ORDER: Record<string, string> = {
  tcp: 'sport dport tcp-option tcp-flags',
  udp: 'sport dport',
  udplite: 'sport dport',
  sctp: 'sport dport chunk-types',
  dccp: 'sport dport dccp-types dccp-option',
  conntrack:
    'ctstate ctproto ctorigsrc ctorigdst ctreplsrc ctrepldst ctorigsrcport ctorigdstport ctreplsrcport ctrepldstport ctstatus ctexpire ctdir',
  limit: 'limit limit-burst',
  hashlimit:
    'hashlimit-upto hashlimit-above hashlimit-burst hashlimit-mode hashlimit-name hashlimit-htable-size hashlimit-htable-max hashlimit-htable-gcinterval hashlimit-htable-expire hashlimit-srcmask hashlimit-dstmask hashlimit-rate-match hashlimit-rate-interval',
  recent: 'set rcheck update remove seconds reap hitcount rttl name mask rsource rdest',
  connlimit: 'connlimit-upto connlimit-above connlimit-mask connlimit-saddr connlimit-daddr',
  iprange: 'src-range dst-range',
  physdev: 'physdev-in physdev-out physdev-is-in physdev-is-out physdev-is-bridged',
  statistic: 'mode probability every packet',
  addrtype: 'src-type dst-type limit-iface-in limit-iface-out',
  connbytes: 'connbytes connbytes-mode connbytes-dir',
  string: 'string hex-string algo from to icase',
  time: 'timestart timestop monthdays weekdays datestart datestop kerneltz contiguous',
  owner: 'socket-exists uid-owner gid-owner suppl-groups',
  LOG: 'log-prefix log-level log-tcp-sequence log-tcp-options log-ip-options log-uid log-macdecode',
  NFLOG: 'nflog-prefix nflog-group nflog-size nflog-threshold',
  CONNMARK: 'set-xmark save-mark restore-mark nfmask ctmask',
  TPROXY: 'on-port on-ip tproxy-mark',
};

const SAVE_RANK = new Map<string, Map<string, number>>(
  Object.entries(SAVE_ORDER).map(([k, v]) => [k, new Map(v.split(' ').map((n, i) => [n, i]))]),
);

/**
 * Service names iptables resolves in ports (`getservbyname`), as Debian's /etc/services lists them.
 * Other names depend on the host's /etc/services and are left as written.
 */
export const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, tftp: 69, http: 80, www: 80, kerberos: 88,
  pop3: 110, sunrpc: 111, ident: 113, auth: 113, nntp: 119, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138,
  'netbios-ssn': 139, imap: 143, imap2: 143, snmp: 161, 'snmp-trap': 162, bgp: 179, ldap: 389, https: 443,
  'microsoft-ds': 445, submissions: 465, syslog: 514, submission: 587, ldaps: 636, rsync: 873, imaps: 993,
  pop3s: 995, openvpn: 1194, mysql: 3306, 'ms-wbt-server': 3389, postgresql: 5432, 'http-alt': 8080,
};

/** ICMP type names (`iptables -p icmp -h`) → the `type[/code]` iptables-save prints. */
export const ICMP_TYPES: Readonly<Record<string, string>> = {
  'echo-reply': '0', pong: '0', 'destination-unreachable': '3', 'network-unreachable': '3/0', 'host-unreachable': '3/1',
  'protocol-unreachable': '3/2', 'port-unreachable': '3/3', 'fragmentation-needed': '3/4', 'source-route-failed': '3/5',
  'network-unknown': '3/6', 'host-unknown': '3/7', 'network-prohibited': '3/9', 'host-prohibited': '3/10',
  'TOS-network-unreachable': '3/11', 'TOS-host-unreachable': '3/12', 'communication-prohibited': '3/13',
  'host-precedence-violation': '3/14', 'precedence-cutoff': '3/15', 'source-quench': '4', redirect: '5',
  'network-redirect': '5/0', 'host-redirect': '5/1', 'TOS-network-redirect': '5/2', 'TOS-host-redirect': '5/3',
  'echo-request': '8', ping: '8', 'router-advertisement': '9', 'router-solicitation': '10', 'time-exceeded': '11',
  'ttl-exceeded': '11', 'ttl-zero-during-transit': '11/0', 'ttl-zero-during-reassembly': '11/1',
  'parameter-problem': '12', 'ip-header-bad': '12/0', 'required-option-missing': '12/1', 'timestamp-request': '13',
  'timestamp-reply': '14', 'address-mask-request': '17', 'address-mask-reply': '18',
};

/** ICMPv6 type names (`ip6tables -p ipv6-icmp -h`) → the `type[/code]` ip6tables-save prints. */
export const ICMPV6_TYPES: Readonly<Record<string, string>> = {
  'destination-unreachable': '1', 'no-route': '1/0', 'communication-prohibited': '1/1', 'beyond-scope': '1/2',
  'address-unreachable': '1/3', 'port-unreachable': '1/4', 'failed-policy': '1/5', 'reject-route': '1/6',
  'packet-too-big': '2', 'time-exceeded': '3', 'ttl-exceeded': '3', 'ttl-zero-during-transit': '3/0',
  'ttl-zero-during-reassembly': '3/1', 'parameter-problem': '4', 'bad-header': '4/0', 'unknown-header-type': '4/1',
  'unknown-option': '4/2', 'echo-request': '128', ping: '128', 'echo-reply': '129', pong: '129',
  'router-solicitation': '133', 'router-advertisement': '134', 'neighbour-solicitation': '135',
  'neighbor-solicitation': '135', 'neighbour-advertisement': '136', 'neighbor-advertisement': '136', redirect: '137',
};

/** `--reject-with` names iptables accepts → the name iptables-save prints. */
const REJECT_WITH: Record<Family, Record<string, string>> = {
  ipv4: {
    'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
    'port-unreach': 'icmp-port-unreachable', 'net-prohib': 'icmp-net-prohibited', 'host-prohib': 'icmp-host-prohibited',
    'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
  },
  ipv6: {
    'no-route': 'icmp6-no-route', 'adm-prohibited': 'icmp6-adm-prohibited', 'addr-unreach': 'icmp6-addr-unreachable',
    'port-unreach': 'icmp6-port-unreachable', 'policy-fail': 'icmp6-policy-fail',
    'reject-route': 'icmp6-reject-route',
  },
};

/** syslog level names `--log-level` accepts (LOG, libxt_LOG.c). */
const LOG_LEVELS: Record<string, number> = {
  emerg: 0, panic: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7,
};

const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const CT_STATUS = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];
const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];
const HASHLIMIT_MODES = ['srcip', 'srcport', 'dstip', 'dstport'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** DSCP class names (libxt_dscp_helper.c) → value. */
const DSCP_CLASSES: Record<string, number> = {
  CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0,
  AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22, AF31: 26, AF32: 28, AF33: 30, AF41: 34, AF42: 36, AF43: 38, EF: 46,
};
/** TOS names (tos_values.c): value/0x3f. */
const TOS_NAMES: Record<string, number> = {
  'Minimize-Delay': 0x10, 'Maximize-Throughput': 0x08, 'Maximize-Reliability': 0x04, 'Minimize-Cost': 0x02, 'Normal-Service': 0x00,
};
/** Well-known user and group names whose number is the same on every Linux host. */
const FIXED_IDS: Record<string, number> = { root: 0 };

// ---------------------------------------------------------------------------------------------------
// Numbers and addresses

/** strtoul(s, 0) for a whole string: `0x1f`, `017`, `15`; undefined when not a number. */
export function cNumber(s: string): number | undefined {
  const t = s.trim();
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(t))) return parseInt(m[1]!, 16);
  if (/^0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
  return undefined;
}

const hex = (n: number) => '0x' + (n >>> 0).toString(16);
const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');

function ipv4Parse(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const nums = parts.map(cNumber);
  if (nums.some((n) => n === undefined)) return undefined;
  if (nums.length === 1) return nums[0]! <= 0xffffffff ? nums[0]! : undefined; // inet_aton's single number
  if (nums.some((n) => n! > 255)) return undefined;
  while (nums.length < 4) nums.push(0); // xtables pads `10.1` to 10.1.0.0
  return ((nums[0]! << 24) | (nums[1]! << 16) | (nums[2]! << 8) | nums[3]!) >>> 0;
}
/**
 * What an `-s`/`-d` address is (each item of a comma list is one address): an IPv4 or IPv6 literal
 * (with or without a mask), or a host name iptables resolves when it loads the rule.
 */
export function addressKind(address: string): 'ipv4' | 'ipv6' | 'name' {
  const host = address.includes('/') ? address.slice(0, address.indexOf('/')) : address;
  if (host.includes(':')) return ipv6Words(host) ? 'ipv6' : 'name';
  return ipv4Parse(host) !== undefined ? 'ipv4' : 'name';
}
const ipv4Text = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

function prefixOfMask32(m: number): number | undefined {
  for (let p = 0; p <= 32; p++) if ((p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0) === m >>> 0) return p;
  return undefined;
}

/**
 * `-s`/`-d` as iptables-save prints them: host bits cleared, a contiguous mask as `/len`, `/32`
 * (`/128`) for a host, IPv6 in inet_ntop form. Undefined when the address disappears (prefix 0, not
 * negated). Host names are returned as written.
 */
export function canonicalAddress(address: string, negated: boolean, family: Family): string | undefined {
  const slash = address.indexOf('/');
  const host = slash < 0 ? address : address.slice(0, slash);
  const maskText = slash < 0 ? undefined : address.slice(slash + 1);
  if (family === 'ipv6' || host.includes(':')) {
    const w = ipv6Words(host);
    if (!w) return address;
    let mask: number[];
    let prefix: number | undefined;
    if (maskText === undefined) prefix = 128;
    else if (/^\d+$/.test(maskText) && Number(maskText) <= 128) prefix = Number(maskText);
    else {
      const m = ipv6Words(maskText);
      if (!m) return address;
      mask = m;
    }
    if (prefix !== undefined) mask = Array.from({ length: 8 }, (_, i) => (0xffff << (16 - Math.max(0, Math.min(16, prefix! - i * 16)))) & 0xffff);
    else {
      const bits = mask!.map((g) => g.toString(2).padStart(16, '0')).join('');
      if (/^1*0*$/.test(bits)) prefix = bits.indexOf('0') < 0 ? 128 : bits.indexOf('0');
    }
    if (prefix === 0 && !negated) return undefined;
    const net = w.map((g, i) => g & mask![i]!);
    return `${inetNtop6(net)}/${prefix !== undefined ? prefix : inetNtop6(mask!)}`;
  }
  const a = ipv4Parse(host);
  if (a === undefined) return address;
  let mask: number;
  if (maskText === undefined) mask = 0xffffffff;
  else if (/^\d+$/.test(maskText) && Number(maskText) <= 32) mask = Number(maskText) === 0 ? 0 : (0xffffffff << (32 - Number(maskText))) >>> 0;
  else {
    const m = ipv4Parse(maskText);
    if (m === undefined || !maskText.includes('.')) return address;
    mask = m;
  }
  if (mask === 0 && !negated) return undefined;
  const p = prefixOfMask32(mask);
  return `${ipv4Text((a & mask) >>> 0)}/${p !== undefined ? p : ipv4Text(mask)}`;
}

// ---------------------------------------------------------------------------------------------------
// Value rewrites

function port(s: string): string {
  const n = cNumber(s);
  if (n !== undefined) return String(n);
  return SERVICES[s] !== undefined ? String(SERVICES[s]) : s;
}

/** `a:a` → `a`, `a:` → `a:65535`, `:b` → `0:b`, names and hex to decimal. Undefined for the full range. */
function portRange(s: string, max = 65535, sep = ':'): string | undefined {
  const i = s.indexOf(sep);
  if (i < 0) return port(s);
  const lo = i === 0 ? '0' : port(s.slice(0, i));
  const hi = i === s.length - 1 ? String(max) : port(s.slice(i + 1));
  if (lo === hi) return lo;
  return `${lo}${sep}${hi}`;
}

/** `value[/mask]` → `0xV[/0xM]`, the mask left out when it is all ones. */
function markMask(s: string, allOnes = 0xffffffff): string {
  const [v, m] = s.split('/');
  const vn = cNumber(v ?? '');
  const mn = m === undefined ? allOnes : cNumber(m);
  if (vn === undefined || mn === undefined) return s;
  return mn === allOnes ? hex(vn) : `${hex(vn)}/${hex(mn)}`;
}

function flagList(s: string, order: readonly string[], upper = true): string {
  const items = s.split(',').map((x) => (upper ? x.toUpperCase() : x));
  return order.filter((o) => items.includes(o)).join(',') || s;
}

function tcpFlags(s: string): string {
  const u = s.toUpperCase();
  if (u === 'ALL') return 'FIN,SYN,RST,PSH,ACK,URG';
  if (u === 'NONE') return 'NONE';
  return flagList(u, TCP_FLAGS);
}

/** The rate period the kernel stores and the unit save() prints it in (libxt_limit / libxt_hashlimit print_rate). */
function rate(s: string, scale: number, max: number): string {
  const m = /^(\d+)(?:\/([a-zA-Z]+))?$/.exec(s);
  if (!m) return s;
  const units: [string, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['min', 60],
    ['sec', 1],
  ];
  const unit = m[2] ?? 'second';
  const full = ['second', 'minute', 'hour', 'day'].find((u) => u.startsWith(unit.toLowerCase()));
  if (!full) return s;
  const mult = scale * ({ second: 1, minute: 60, hour: 3600, day: 86400 } as Record<string, number>)[full]!;
  const r = Number(m[1]);
  if (r === 0) return s;
  const period = Math.floor(mult / r);
  if (period === 0 || period > max) return s;
  let i = 1;
  for (; i < units.length; i++) {
    const um = units[i]![1] * scale;
    if (period > um || Math.floor(um / period) < um % period) break;
  }
  const [name, secs] = units[i - 1]!;
  return `${Math.floor((secs * scale) / period)}/${name}`;
}

function rateQuantumMs(s: string): number | undefined {
  const m = /\/(\w+)$/.exec(s);
  return m ? ({ sec: 1000, min: 60000, hour: 3600000, day: 86400000 } as Record<string, number>)[m[1]!] : undefined;
}

/** %.11f of the probability the kernel keeps (a 31-bit fraction). */
function probability(s: string): string {
  const p = Number(s);
  if (!Number.isFinite(p) || p < 0 || p > 1) return s;
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}

function time(s: string): string {
  const m = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(s);
  if (!m) return s;
  return [m[1], m[2] ?? '0', m[3] ?? '0'].map((x) => x!.padStart(2, '0')).join(':');
}

function date(s: string): string {
  const m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?)?$/.exec(s);
  if (!m) return s;
  const p = (x: string | undefined, d: string) => (x ?? d).padStart(2, '0');
  return `${m[1]}-${p(m[2], '1')}-${p(m[3], '1')}T${p(m[4], '0')}:${p(m[5], '0')}:${p(m[6], '0')}`;
}

const ICMP_NAMES = Object.entries({ any: '255', ...ICMP_TYPES }).map(([n, t]) => [n.toLowerCase(), t] as const);
const ICMPV6_NAMES = Object.entries(ICMPV6_TYPES).map(([n, t]) => [n.toLowerCase(), t] as const);

/**
 * An ICMP type name as libipt_icmp.c / libip6t_icmp6.c parse it: any unique prefix of a name, case
 * ignored (`echo-req`, `ECHO-REQUEST`, `dest`); undefined for numbers, and for prefixes of two names
 * (`echo`, which iptables refuses).
 */
function icmpType(v: string, names: readonly (readonly [string, string])[]): string | undefined {
  if (v === '') return undefined;
  const lower = v.toLowerCase();
  let found: string | undefined;
  for (const [n, t] of names) {
    if (!n.startsWith(lower)) continue;
    if (found !== undefined) return undefined;
    found = t;
  }
  return found;
}

/**
 * `--u32` tests as libxt_u32.c save prints them: every number `0x%x`, a range `0xA:0xB` (one number
 * when both ends are equal), no spaces. Undefined when the text does not parse.
 */
function u32Tests(s: string): string | undefined {
  const hexOf = (t: string) => {
    const n = cNumber(t);
    return n === undefined || n > 0xffffffff ? undefined : hex(n);
  };
  const tests = s.replace(/\s+/g, '').split('&&');
  const out: string[] = [];
  for (const test of tests) {
    const eq = test.indexOf('=');
    if (eq < 0) return undefined;
    const location = test.slice(0, eq).split(/(&|<<|>>|@)/);
    const loc = location.map((part, i) => (i % 2 ? part : hexOf(part)));
    if (loc.some((p) => p === undefined)) return undefined;
    const values = test
      .slice(eq + 1)
      .split(',')
      .map((r) => {
        const [a, b, ...rest] = r.split(':');
        const lo = hexOf(a ?? '');
        const hi = b === undefined ? lo : hexOf(b);
        return rest.length || lo === undefined || hi === undefined ? undefined : lo === hi ? lo : `${lo}:${hi}`;
      });
    if (values.some((v) => v === undefined)) return undefined;
    out.push(`${loc.join('')}=${values.join(',')}`);
  }
  return out.join('&&');
}

function isPrintable(bytes: number[]): boolean {
  return bytes.every((b) => b >= 0x20 && b < 0x7f);
}

// ---------------------------------------------------------------------------------------------------
// Per-extension rewrites (the options list is edited in place; it is a copy)

interface Ctx {
  family: Family;
  rule: Rule;
}

type Rewrite = (o: RuleOption[], ctx: Ctx) => RuleOption[];

const opt = (name: string, ...args: string[]): RuleOption => ({ name, args, negated: false });
const has = (o: RuleOption[], ...names: string[]) => o.some((x) => names.includes(x.name));
const arg0 = (o: RuleOption, f: (s: string) => string | undefined): RuleOption | undefined => {
  const v = f(o.args[0] ?? '');
  return v === undefined ? undefined : { ...o, args: [v, ...o.args.slice(1)] };
};
const mapArg = (o: RuleOption[], names: string[], f: (s: string) => string | undefined): RuleOption[] =>
  o.flatMap((x) => {
    if (!names.includes(x.name) || x.args.length === 0) return [x];
    const y = arg0(x, f);
    return y ? [y] : x.negated ? [{ ...x, args: ['0:65535'] }] : [];
  });

/** tcp, udp, sctp, dccp: ports; the full range 0:65535 is not printed unless negated. */
const portRewrite = (o: RuleOption[]): RuleOption[] => mapArg(o, ['sport', 'dport'], (s) => fullToUndefined(portRange(s)));
const fullToUndefined = (s: string | undefined) => (s === '0:65535' ? undefined : s);

const MATCH_REWRITES: Record<string, Rewrite> = {
  tcp: (o) =>
    portRewrite(o).map((x) =>
      x.name === 'syn'
        ? { ...x, name: 'tcp-flags', args: ['FIN,SYN,RST,ACK', 'SYN'] }
        : x.name === 'tcp-flags'
          ? { ...x, args: x.args.map(tcpFlags) }
          : x.name === 'tcp-option'
            ? { ...x, args: [port(x.args[0] ?? '')] }
            : x,
    ),
  udp: portRewrite,
  udplite: portRewrite,
  sctp: portRewrite,
  dccp: portRewrite,
  esp: (o) => mapArg(o, ['espspi'], (s) => portRange(s, 0xffffffff)),
  ah: (o) => mapArg(o, ['ahspi'], (s) => portRange(s, 0xffffffff)),
  multiport: (o) =>
    o.map((x) => ({ ...x, args: [x.args[0]!.split(',').map((p) => p.split(':').map(port).join(':')).join(',')] })),
  icmp: (o) =>
    o.map((x) => {
      const v = x.args[0] ?? '';
      const t = icmpType(v, ICMP_NAMES) ?? v;
      return { ...x, args: [t === '255' ? 'any' : t] };
    }),
  icmp6: (o) => o.map((x) => ({ ...x, args: [icmpType(x.args[0] ?? '', ICMPV6_NAMES) ?? x.args[0]!] })),
  u32: (o) => o.map((x) => (x.name === 'u32' ? { ...x, args: [u32Tests(x.args[0] ?? '') ?? x.args[0]!] } : x)),
  state: (o) => o.map((x) => ({ ...x, args: [flagList(x.args[0] ?? '', STATES)] })),
  conntrack: (o) =>
    o.map((x) => {
      const v = x.args[0] ?? '';
      switch (x.name) {
        case 'ctstate':
          return { ...x, args: [flagList(v, CT_STATES)] };
        case 'ctstatus':
          return { ...x, args: [flagList(v, CT_STATUS)] };
        case 'ctproto': {
          const n = Object.entries(PROTOCOL_NAMES).find(([, name]) => name === v.toLowerCase())?.[0];
          return { ...x, args: [n && /^\d+$/.test(n) ? n : v] };
        }
        case 'ctorigsrcport':
        case 'ctorigdstport':
        case 'ctreplsrcport':
        case 'ctrepldstport':
          return { ...x, args: [portRange(v) ?? '0:65535'] };
        case 'ctexpire':
          return { ...x, args: [portRange(v, 0xffffffff) ?? v] };
        case 'ctdir':
          return { ...x, args: [v.toUpperCase()] };
        default:
          return x;
      }
    }),
  mark: (o) => o.map((x) => ({ ...x, args: [markMask(x.args[0] ?? '')] })),
  devgroup: (o) => o.map((x) => ({ ...x, args: [markMask(x.args[0] ?? '')] })),
  // `A:` and `A:` the largest count are printed as `A` (libxt_connbytes save).
  connbytes: (o) => o.map((x) => (x.name === 'connbytes' ? { ...x, args: [(x.args[0] ?? '').replace(/:(?:18446744073709551615)?$/, '')] } : x)),
  connmark: (o) => o.map((x) => ({ ...x, args: [markMask(x.args[0] ?? '')] })),
  limit: (o) => {
    let out = o.map((x) => (x.name === 'limit' ? { ...x, args: [rate(x.args[0] ?? '', 10000, 0xffffffff)] } : x));
    if (!has(out, 'limit')) out.unshift(opt('limit', '3/hour'));
    out = out.filter((x) => !(x.name === 'limit-burst' && cNumber(x.args[0] ?? '') === 5));
    return out;
  },
  hashlimit: (o, { family }) => {
    const mode = (x: RuleOption) => x.name === 'hashlimit-upto' || x.name === 'hashlimit-above';
    const bytes = o.some((x) => mode(x) && /b\//i.test(x.args[0] ?? ''));
    const rateMatch = has(o, 'hashlimit-rate-match');
    let out = o.map((x) => (mode(x) && !bytes && !rateMatch ? { ...x, args: [rate(x.args[0] ?? '', 1000000, Number.MAX_SAFE_INTEGER)] } : x));
    const r = out.find(mode);
    if (!bytes && !has(out, 'hashlimit-burst')) out.push(opt('hashlimit-burst', '5'));
    const quantum = !bytes && !rateMatch && r ? rateQuantumMs(r.args[0] ?? '') : undefined;
    const dmask = family === 'ipv6' ? 128 : 32;
    out = out.map((x) => (x.name === 'hashlimit-mode' ? { ...x, args: [flagList(x.args[0] ?? '', HASHLIMIT_MODES, false)] } : x));
    out = out.filter(
      (x) =>
        !(x.name === 'hashlimit-htable-gcinterval' && cNumber(x.args[0] ?? '') === 1000) &&
        !(x.name === 'hashlimit-htable-expire' && quantum !== undefined && cNumber(x.args[0] ?? '') === quantum) &&
        !((x.name === 'hashlimit-srcmask' || x.name === 'hashlimit-dstmask') && cNumber(x.args[0] ?? '') === dmask),
    );
    return out;
  },
  recent: (o, { family }) => {
    const out = [...o];
    if (!has(out, 'name')) out.push(opt('name', 'DEFAULT'));
    if (!has(out, 'mask')) out.push(opt('mask', family === 'ipv6' ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255'));
    if (!has(out, 'rsource', 'rdest')) out.push(opt('rsource'));
    return out;
  },
  connlimit: (o, { family }) => {
    const out = [...o];
    if (!has(out, 'connlimit-mask')) out.push(opt('connlimit-mask', family === 'ipv6' ? '128' : '32'));
    if (!has(out, 'connlimit-saddr', 'connlimit-daddr')) out.push(opt('connlimit-saddr'));
    return out;
  },
  iprange: (o) =>
    o.map((x) => {
      const range = x.args[0]!.includes('-') ? x.args[0]! : `${x.args[0]}-${x.args[0]}`;
      // IPv6 ends in inet_ntop form (lower case, compressed).
      const ends = range.split('-').map((a) => (a.includes(':') && ipv6Words(a) ? inetNtop6(ipv6Words(a)!) : a));
      return { ...x, args: [ends.join('-')] };
    }),
  length: (o) => mapArg(o, ['length'], (s) => portRange(s) ?? '0:65535'),
  tcpmss: (o) => mapArg(o, ['mss'], (s) => portRange(s) ?? '0:65535'),
  pkttype: (o) => o.map((x) => ({ ...x, args: [(x.args[0] ?? '').toLowerCase()] })),
  addrtype: (o) => o.map((x) => (x.args.length ? { ...x, args: [flagList(x.args[0]!, ADDR_TYPES)] } : x)),
  statistic: (o) => o.map((x) => (x.name === 'probability' ? { ...x, args: [probability(x.args[0] ?? '')] } : x)),
  owner: (o) =>
    o.map((x) => {
      if (x.name !== 'uid-owner' && x.name !== 'gid-owner') return x;
      const ids = (x.args[0] ?? '').split('-').map((p) => (FIXED_IDS[p] !== undefined ? String(FIXED_IDS[p]) : String(cNumber(p) ?? p)));
      return { ...x, args: [ids.length === 2 && ids[0] === ids[1] ? ids[0]! : ids.join('-')] };
    }),
  string: (o) => {
    let out = o.map((x) => {
      if (x.name !== 'hex-string') return x;
      const bytes: number[] = [];
      const s = x.args[0] ?? '';
      let inHex = false;
      for (let i = 0; i < s.length; i++) {
        if (s[i] === '|') inHex = !inHex;
        else if (!inHex) bytes.push(...new TextEncoder().encode(s[i]!));
        else if (/[0-9a-fA-F]{2}/.test(s.slice(i, i + 2))) bytes.push(parseInt(s.slice(i, i + 2), 16)), i++;
      }
      // libxt_string save: printable bytes as --string, otherwise every byte in one |hex| block.
      return isPrintable(bytes)
        ? { ...x, name: 'string', args: [String.fromCharCode(...bytes)] }
        : { ...x, args: [`|${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}|`] };
    });
    out = out.filter((x) => !(x.name === 'from' && cNumber(x.args[0] ?? '') === 0) && !(x.name === 'to' && cNumber(x.args[0] ?? '') === 65535));
    return out;
  },
  time: (o) => {
    let out = o.map((x) => {
      const v = x.args[0] ?? '';
      switch (x.name) {
        case 'timestart':
        case 'timestop':
          return { ...x, args: [time(v)] };
        case 'datestart':
        case 'datestop':
          return { ...x, args: [date(v)] };
        case 'weekdays': {
          const days = v.split(',').map((d) => (/^\d$/.test(d) ? WEEKDAYS[Number(d) - 1] ?? d : d));
          return { ...x, args: [WEEKDAYS.filter((w) => days.includes(w)).join(',') || v] };
        }
        case 'monthdays':
          return { ...x, args: [[...new Set(v.split(',').map(Number))].sort((a, b) => a - b).join(',')] };
        default:
          return x;
      }
    });
    // --localtz is the old name of --kerneltz; --utc is the default.
    out = out.filter((x) => x.name !== 'utc').map((x) => (x.name === 'localtz' ? { ...x, name: 'kerneltz' } : x));
    // A time of day is printed as both ends, the missing one at its default.
    if (has(out, 'timestart') && !has(out, 'timestop')) out.push(opt('timestop', '23:59:59'));
    if (has(out, 'timestop') && !has(out, 'timestart')) out.push(opt('timestart', '00:00:00'));
    if (!has(out, 'datestop')) out.push(opt('datestop', '2038-01-19T03:14:07'));
    return out;
  },
  mac: (o) => o.map((x) => ({ ...x, args: [(x.args[0] ?? '').toLowerCase()] })),
  dscp: (o) =>
    o.map((x) => {
      const v = x.name === 'dscp-class' ? DSCP_CLASSES[(x.args[0] ?? '').toUpperCase()] : cNumber(x.args[0] ?? '');
      return v === undefined ? x : { ...x, name: 'dscp', args: [hex2(v)] };
    }),
  tos: (o) => o.map((x) => ({ ...x, args: [tosValue(x.args[0] ?? '')] })),
  realm: (o) => o.map((x) => ({ ...x, args: [markMask(x.args[0] ?? '')] })),
  quota: (o) => o.map((x) => ({ ...x, args: [String(cNumber(x.args[0] ?? '') ?? x.args[0])] })),
  cgroup: (o) => o.map((x) => (x.name === 'cgroup' ? { ...x, args: [String(cNumber(x.args[0] ?? '') ?? x.args[0])] } : x)),
};

/** `--tos`/`--set-tos` value: a name gives value/0x3f, a bare number value/0xff. */
function tosValue(s: string): string {
  if (TOS_NAMES[s] !== undefined) return `${hex2(TOS_NAMES[s]!)}/0x3f`;
  const [v, m] = s.split('/');
  const vn = cNumber(v ?? '');
  const mn = m === undefined ? 0xff : cNumber(m);
  return vn === undefined || mn === undefined ? s : `${hex2(vn)}/${hex2(mn)}`;
}

/** MARK / CONNMARK `--set-mark`, `--and-mark`, `--or-mark`, `--xor-mark`, `--set-xmark` → `--set-xmark V/M`. */
function xmark(x: RuleOption): RuleOption {
  const [v, m] = (x.args[0] ?? '').split('/');
  const vn = cNumber(v ?? '');
  if (vn === undefined) return x;
  const mn = m === undefined ? undefined : cNumber(m);
  if (m !== undefined && mn === undefined) return x;
  let value = vn;
  let mask: number;
  switch (x.name) {
    case 'set-mark':
      mask = ((mn ?? 0xffffffff) | vn) >>> 0;
      break;
    case 'set-xmark':
      mask = mn ?? 0xffffffff;
      break;
    case 'and-mark':
      value = 0;
      mask = ~vn >>> 0;
      break;
    case 'or-mark':
      mask = vn;
      break;
    case 'xor-mark':
      mask = 0;
      break;
    default:
      return x;
  }
  return { ...x, name: 'set-xmark', args: [`${hex(value)}/${hex(mask)}`] };
}

const TARGET_REWRITES: Record<string, Rewrite> = {
  MARK: (o) => o.map(xmark),
  CONNMARK: (o) => {
    let out = o.map((x) => (['set-mark', 'set-xmark', 'and-mark', 'or-mark', 'xor-mark'].includes(x.name) ? xmark(x) : x));
    if (has(out, 'save-mark', 'restore-mark')) {
      const mask = out.find((x) => x.name === 'mask')?.args[0];
      out = out.filter((x) => x.name !== 'mask');
      if (!has(out, 'nfmask')) out.push(opt('nfmask', mask ?? '0xffffffff'));
      if (!has(out, 'ctmask')) out.push(opt('ctmask', mask ?? '0xffffffff'));
      out = out.map((x) => (x.name === 'nfmask' || x.name === 'ctmask' ? { ...x, args: [hex(cNumber(x.args[0] ?? '') ?? 0)] } : x));
    }
    return out;
  },
  LOG: (o) =>
    o
      .map((x) => (x.name === 'log-level' ? { ...x, args: [String(LOG_LEVELS[(x.args[0] ?? '').toLowerCase()] ?? cNumber(x.args[0] ?? '') ?? x.args[0])] } : x))
      .filter((x) => !(x.name === 'log-level' && x.args[0] === '4')),
  // --nflog-range is accepted and ignored (libxt_NFLOG.c): it is never printed.
  NFLOG: (o) => o.filter((x) => !(x.name === 'nflog-group' && cNumber(x.args[0] ?? '') === 0) && x.name !== 'nflog-range'),
  NFQUEUE: (o) => (has(o, 'queue-num', 'queue-balance') ? o : [opt('queue-num', '0'), ...o]),
  REJECT: (o, { family }) => {
    if (!has(o, 'reject-with')) return [opt('reject-with', family === 'ipv6' ? 'icmp6-port-unreachable' : 'icmp-port-unreachable')];
    return o.map((x) => (x.name === 'reject-with' ? { ...x, args: [REJECT_WITH[family][x.args[0] ?? ''] ?? x.args[0]!] } : x));
  },
  AUDIT: (o) => o.map((x) => ({ ...x, args: [(x.args[0] ?? '').toLowerCase()] })),
  DSCP: (o) =>
    o.map((x) => {
      const v = x.name === 'set-dscp-class' ? DSCP_CLASSES[(x.args[0] ?? '').toUpperCase()] : cNumber(x.args[0] ?? '');
      return v === undefined ? x : { ...x, name: 'set-dscp', args: [hex2(v)] };
    }),
  TOS: (o) =>
    o.map((x) => {
      const n = cNumber(x.args[0] ?? '');
      switch (x.name) {
        case 'set-tos':
          return { ...x, args: [tosValue(x.args[0] ?? '')] };
        case 'and-tos':
          return n === undefined ? x : { ...x, name: 'set-tos', args: [`0x00/${hex2(~n & 0xff)}`] };
        case 'or-tos':
          return n === undefined ? x : { ...x, name: 'set-tos', args: [`${hex2(n)}/${hex2(n)}`] };
        case 'xor-tos':
          return n === undefined ? x : { ...x, name: 'set-tos', args: [`${hex2(n)}/0x00`] };
        default:
          return x;
      }
    }),
  TPROXY: (o, { family }) => {
    const out = [...o];
    if (!has(out, 'on-ip')) out.push(opt('on-ip', family === 'ipv6' ? '::' : '0.0.0.0'));
    const m = out.find((x) => x.name === 'tproxy-mark');
    if (!m) out.push(opt('tproxy-mark', '0x0/0x0'));
    return out.map((x) => {
      if (x.name !== 'tproxy-mark') return x;
      const [v, k] = (x.args[0] ?? '').split('/');
      const vn = cNumber(v ?? '');
      const kn = k === undefined ? 0xffffffff : cNumber(k);
      return vn === undefined || kn === undefined ? x : { ...x, args: [`${hex(vn)}/${hex(kn)}`] };
    });
  },
  CLASSIFY: (o) =>
    o.map((x) => {
      // sscanf("%x:%x"), printed as %04x:%04x.
      const m = /^([0-9a-fA-F]+):([0-9a-fA-F]+)$/.exec(x.args[0] ?? '');
      return m ? { ...x, args: [m.slice(1, 3).map((h) => parseInt(h, 16).toString(16).padStart(4, '0')).join(':')] } : x;
    }),
  REDIRECT: (o) => mapArg(o, ['to-ports'], (s) => portRange(s, 65535, '-')),
  MASQUERADE: (o) => mapArg(o, ['to-ports'], (s) => portRange(s, 65535, '-')),
  NETMAP: (o, { family }) => o.map((x) => (x.name === 'to' ? { ...x, args: [canonicalAddress(x.args[0] ?? '', false, family) ?? x.args[0]!] } : x)),
};

function ordered(name: string, options: RuleOption[]): RuleOption[] {
  const rank = SAVE_RANK.get(name);
  if (!rank) return options;
  const n = rank.size;
  return options
    .map((o, i) => ({ o, k: (rank.get(o.name) ?? n) * 1000 + i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.o);
}

function canonicalMatch(m: Match, ctx: Ctx): Match {
  const copy = m.options.map((o) => ({ ...o, args: [...o.args] }));
  const rw = MATCH_REWRITES[m.name];
  const options = ordered(m.name, rw ? rw(copy, ctx) : copy);
  const out: Match = { name: m.name, known: m.known, options };
  if (m.implicit) out.implicit = true;
  return out;
}

function canonicalTarget(t: Target, ctx: Ctx): Target {
  const copy = t.options.map((o) => ({ ...o, args: [...o.args] }));
  const rw = t.goto ? undefined : TARGET_REWRITES[t.name];
  return { ...t, options: ordered(t.name, rw ? rw(copy, ctx) : copy) };
}

/** Whether a rule is for ip6tables, judged from its addresses and ICMPv6 use. */
export function ruleFamily(rule: Rule): Family {
  if (rule.onlyFamily) return rule.onlyFamily;
  return rule.source?.address.includes(':') ||
    rule.destination?.address.includes(':') ||
    rule.matches.some((m) => m.name === 'icmp6' || m.name === 'hl') ||
    /^(?:ipv6-icmp|icmpv6|58)$/i.test(rule.protocol?.name ?? '')
    ? 'ipv6'
    : 'ipv4';
}

/**
 * The rule as iptables-save would print it after loading it: a new typed rule (the input is not
 * changed). Rewrites: addresses (host bits, masks, `/32`, IPv6 form, `/0` dropped), `-i +` dropped,
 * protocol names (lower case, numbers → names, `all` dropped), every known extension's value rewrites
 * and defaults, each extension's options in its save() order.
 */
export function canonicalRule(rule: Rule, family: Family = ruleFamily(rule)): Rule {
  const ctx: Ctx = { family, rule };
  const out: Rule = { ...rule, matches: rule.matches.map((m) => canonicalMatch(m, ctx)) };
  for (const k of ['source', 'destination'] as const) {
    const a = rule[k];
    if (!a) continue;
    const c = canonicalAddress(a.address, a.negated, family);
    if (c === undefined) delete out[k];
    else out[k] = { ...a, address: c };
  }
  for (const k of ['inInterface', 'outInterface'] as const) {
    const i = rule[k];
    if (i && i.name === '+' && !i.negated) delete out[k];
  }
  if (rule.protocol) {
    const lower = rule.protocol.name.toLowerCase();
    const num = cNumber(lower);
    const name = PROTOCOL_NAMES[num !== undefined ? String(num) : lower] ?? (num !== undefined ? String(num) : lower);
    if ((name === 'all' || name === '0') && !rule.protocol.negated) delete out.protocol;
    else out.protocol = { ...rule.protocol, name };
  }
  if (rule.target) out.target = canonicalTarget(rule.target, ctx);
  return out;
}

/**
 * sshd's value readers, as in misc.c and servconf.c of OpenSSH 9.2: strtonum, convtime, a2port,
 * scan_scaled, IPQoS names, address and CIDR lists, wildcard pattern lists, hpdelim.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const INT_MAX = 2147483647;

const SPACE = '[ \\t\\n\\v\\f\\r]*';
// Compiled once: these run for every number of every line (a 2,000-line file has thousands).
const INTEGER = new RegExp(`^${SPACE}[+-]?\\d+$`);
const TIME_PART = new RegExp(`^(${SPACE}[+-]?\\d+)([sSmMhHdDwW]?)`);
const INT_PREFIX = new RegExp(`^${SPACE}([+-]?\\d+)`);
const C_INTEGER = new RegExp(`^${SPACE}([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\\d*)$`);
const OCTAL_PREFIX = new RegExp(`^${SPACE}([+-]?)([0-7]+)`);

/** strtonum(s, min, max): the value, or the error word sshd prints (`invalid`, `too small`, `too large`). */
export function strtonum(s: string, min: number, max: number): number | 'invalid' | 'too small' | 'too large' {
  if (!INTEGER.test(s)) return 'invalid';
  const v = Number(s.trim());
  if (v < min) return 'too small';
  if (v > max) return 'too large';
  return v;
}

/** convtime(): seconds, or -1 when the text is not a time. */
export function convtime(s: string): number {
  if (s === '') return -1;
  let total = 0;
  let p = s;
  const re = TIME_PART;
  while (p !== '') {
    const m = re.exec(p);
    if (!m) return -1;
    const secs = Number(m[1]!.trim());
    if (secs < 0 || secs >= INT_MAX) return -1;
    const unit = m[2]!.toLowerCase();
    const mult = unit === 'm' ? 60 : unit === 'h' ? 3600 : unit === 'd' ? 86400 : unit === 'w' ? 604800 : 1;
    if (secs > Math.floor(INT_MAX / mult)) return -1;
    if (total > INT_MAX - secs * mult) return -1;
    total += secs * mult;
    p = p.slice(m[0].length);
  }
  return total;
}

/** a2port(): 1..65535 or a service name; 0 or -1 when invalid (sshd rejects <= 0). */
export function a2port(s: string, service: (name: string) => number | undefined): number {
  const n = strtonum(s, 0, 65535);
  if (typeof n === 'number') return n;
  return service(s) ?? -1;
}

/** sscanf("%d") prefix reader: value and rest, or undefined when no number starts the text. */
export function scanInt(s: string): { value: number; rest: string } | undefined {
  const m = INT_PREFIX.exec(s);
  if (!m) return undefined;
  let v = Number(m[1]);
  if (v > INT_MAX) v = -1; // overflow: glibc gives an unspecified value; treat as invalid
  return { value: v, rest: s.slice(m[0].length) };
}

/** scan_scaled(): a size with an optional fraction and B/K/M/G/T/P/E unit (powers of 1024). */
export function scanScaled(s: string): number | undefined {
  const m = /^[ \t]*([+-]?)(\d+)(?:\.(\d+))?([bBkKmMgGtTpPeE]?)$/.exec(s);
  if (!m) return undefined;
  const unit = 'bkmgtpe'.indexOf((m[4] || 'b').toLowerCase());
  const scale = 1024 ** unit;
  const whole = Number(m[2]);
  const frac = m[3] ? Math.floor(Number('0.' + m[3]) * scale) : 0;
  if (m[3] && unit === 0) return undefined;
  const v = whole * scale + frac;
  if (!Number.isSafeInteger(v)) return undefined;
  return m[1] === '-' ? -v : v;
}

const IPQOS: [string, number][] = [
  ['af11', 0x28], ['af12', 0x30], ['af13', 0x38], ['af21', 0x48], ['af22', 0x50], ['af23', 0x58], ['af31', 0x68],
  ['af32', 0x70], ['af33', 0x78], ['af41', 0x88], ['af42', 0x90], ['af43', 0x98], ['cs0', 0x00], ['cs1', 0x20],
  ['cs2', 0x40], ['cs3', 0x60], ['cs4', 0x80], ['cs5', 0xa0], ['cs6', 0xc0], ['cs7', 0xe0], ['ef', 0xb8], ['le', 0x01],
  ['lowdelay', 0x10], ['throughput', 0x08], ['reliability', 0x04], ['none', INT_MAX],
];

/** The IPv4 TOS names Debian's 10.0p1 deprecates (ipqos-deprecate-tos-keywords.patch). */
const TOS_NAMES = ['lowdelay', 'throughput', 'reliability'];

/**
 * parse_ipqos(): the value, or -1. `dscpOnly` (Debian's 10.0p1): the TOS names read as `none`
 * (INT_MAX, "using system default instead") and a number is decimal, strtonum(0, 255).
 */
export function parseIpqos(s: string, dscpOnly = false): number {
  const name = s.toLowerCase();
  if (dscpOnly && TOS_NAMES.includes(name)) return INT_MAX;
  const named = IPQOS.find(([n]) => n === name);
  if (named) return named[1];
  if (dscpOnly) {
    const n = strtonum(s, 0, 255);
    return typeof n === 'number' ? n : -1;
  }
  const v = strtolC(s);
  if (v === undefined || s === '' || v < 0 || v > 255) return -1;
  return v;
}

/** iptos2str(); `dscpOnly` (Debian's 10.0p1): the TOS names are no longer printed (0x10 stays 0x10). */
export function ipqosName(v: number, dscpOnly = false): string {
  const named = IPQOS.find(([n, x]) => x === v && !(dscpOnly && TOS_NAMES.includes(n)));
  return named ? named[0] : '0x' + v.toString(16).padStart(2, '0');
}

/** strtol(s, &ep, 0) requiring the whole text: decimal, 0x hex or 0 octal. */
function strtolC(s: string): number | undefined {
  const m = C_INTEGER.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.startsWith('0') ? parseInt(body, 8) : parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

/** strtol(s, &p, 8) allowing trailing text: the value, or undefined when no digit was read. */
export function strtolOctalPrefix(s: string): number | undefined {
  const m = OCTAL_PREFIX.exec(s);
  if (!m) return undefined;
  const v = parseInt(m[2]!, 8);
  return m[1] === '-' ? -v : v;
}

/** match_pattern(): `*` and `?` wildcards over the whole string. */
export function matchPattern(s: string, pattern: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return s === pattern;
  let compiled = PATTERNS.get(pattern);
  if (!compiled) {
    let re = '^';
    for (const c of pattern) re += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    compiled = new RegExp(re + '$');
    // A file's patterns are few; the bound keeps a long-lived process that reads many files small.
    if (PATTERNS.size >= 4096) PATTERNS.clear();
    PATTERNS.set(pattern, compiled);
  }
  return compiled.test(s);
}

/** match_pattern()'s compiled patterns, by pattern. */
const PATTERNS = new Map<string, RegExp>();

/** match_pattern_list(): 1 a positive entry matches, -1 a negated one does, 0 neither. */
export function matchPatternList(s: string, list: string, lower = false): 1 | 0 | -1 {
  let positive = false;
  for (let sub of list.split(',')) {
    let neg = false;
    if (sub.startsWith('!')) {
      neg = true;
      sub = sub.slice(1);
    }
    if (sub.length >= 1023) return 0;
    if (lower) sub = sub.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (matchPattern(s, sub)) {
      if (neg) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** An address as sshd's addr_pton() reads it (numeric IPv4 dotted quad or IPv6), as bytes. */
export function addrBytes(s: string): number[] | undefined {
  const v4 = inetAton(s);
  if (v4) return v4;
  const bare = s.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const part = (x: string | undefined): number[] => {
    if (!x) return [];
    const out: number[] = [];
    for (const g of x.split(':')) {
      if (g.includes('.')) out.push(...g.split('.').map(Number));
      else {
        const v = parseInt(g, 16);
        out.push(v >> 8, v & 255);
      }
    }
    return out;
  };
  const a = part(head);
  const b = part(tail);
  if (tail === undefined) return a;
  return [...a, ...new Array(16 - a.length - b.length).fill(0), ...b];
}

/**
 * An IPv4 address as getaddrinfo(AI_NUMERICHOST) reads it (glibc's inet_aton): one to four parts,
 * each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes, so `10` is
 * 0.0.0.10, `10.0` is 10.0.0.0 and `127.1` is 127.0.0.1.
 */
export function inetAton(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const p of parts) {
    if (!/^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(p)) return undefined;
    const v = /^0[xX]/.test(p) ? parseInt(p.slice(2), 16) : p.length > 1 && p.startsWith('0') ? parseInt(p, 8) : Number(p);
    if (!Number.isSafeInteger(v)) return undefined;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return undefined;
  const rest = 4 - values.length;
  if (last >= 2 ** (8 * rest)) return undefined;
  const tail: number[] = [];
  for (let i = rest - 1; i >= 0; i--) tail.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return [...values, ...tail];
}

/** addr_pton_cidr(): 0 ok (with bytes and mask), -1 not an address, -2 bad mask or host bits set. */
export function parseCidr(s: string): { r: 0; bytes: number[]; mask: number } | { r: -1 | -2 } {
  let addr = s;
  let mask: number | undefined;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    addr = s.slice(0, slash);
    const m = s.slice(slash + 1);
    if (!/^\d+$/.test(m)) return { r: -1 };
    mask = Number(m);
    if (mask > 128) return { r: -1 };
  }
  const bytes = addrBytes(addr);
  if (!bytes) return { r: -1 };
  const bits = bytes.length * 8;
  mask ??= bits;
  if (mask > bits) return { r: -2 };
  for (let i = mask; i < bits; i++) if (bytes[i >> 3]! & (0x80 >> (i & 7))) return { r: -2 };
  return { r: 0, bytes, mask };
}

function netmatch(a: number[], net: number[], mask: number): boolean {
  if (a.length !== net.length) return false;
  for (let i = 0; i < mask; i++) if ((a[i >> 3]! & (0x80 >> (i & 7))) !== (net[i >> 3]! & (0x80 >> (i & 7)))) return false;
  return true;
}

/** addr_match_list(): 1 match, 0 none, -1 negated match, -2 a malformed entry. `addr` undefined: syntax check only. */
export function addrMatchList(addr: string | undefined, list: string): 1 | 0 | -1 | -2 {
  let a: number[] | undefined;
  if (addr !== undefined) {
    a = addrBytes(addr);
    if (!a) return 0;
  }
  let ret: 1 | 0 | -1 | -2 = 0;
  for (let cp of list.split(',')) {
    const neg = cp.startsWith('!');
    if (neg) cp = cp.slice(1);
    if (cp === '') return -2;
    const c = parseCidr(cp);
    if (c.r === -2) return -2;
    let found = false;
    if (c.r === 0) found = a !== undefined && netmatch(a, c.bytes, c.mask);
    else found = addr !== undefined && matchPattern(addr, cp);
    if (found) {
      if (neg) return -1;
      ret = 1;
    }
  }
  return ret;
}

/** hpdelim(): splits `host:port`, `[v6]:port`, `host/port`; undefined when malformed. */
export function hpdelim(s: string): { host: string; rest: string | null } | undefined {
  let i: number;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    i = close + 1;
  } else {
    const m = /[:/]/.exec(s);
    i = m ? m.index : s.length;
  }
  if (i >= s.length) return { host: s, rest: null };
  if (s[i] !== ':' && s[i] !== '/') return undefined;
  return { host: s.slice(0, i), rest: s.slice(i + 1) };
}

/** cleanhostname(): strips one pair of brackets. */
export function cleanhostname(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** An address as getnameinfo(NI_NUMERICHOST) prints it, or undefined when it is not a numeric address. */
export function canonicalAddress(s: string): { text: string; v6: boolean } | undefined {
  if (isIPv4(s)) return { text: s, v6: false };
  if (isIPv6(s)) {
    const h = new URL(`http://[${s}]/`).hostname;
    return { text: h.slice(1, -1), v6: true };
  }
  return undefined;
}

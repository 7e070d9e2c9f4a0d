/**
 * fail2ban's IPAddr (server/ipdns.py) as far as a filter needs it: the text a found address is banned
 * under (inet_ntop form, IPv4-mapped IPv6 as IPv4, a subnet with its prefix), raw ids, and isInNet
 * for ignoreip.
 */
import { inetNtop6, ipv6Words } from '../../core/ip.js';

/** inet_pton(AF_INET): four decimal parts 0-255 without leading zeros (as core/ip.ts ipv4Strict, without allocations). */
function ipv4Strict(s: string): number | undefined {
  let v = 0;
  let part = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      v = v * 256 + part;
      part = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined;
      part = (part < 0 ? 0 : part * 10) + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return v * 256 + part;
}

export const CIDR_UNSPEC = -1;
export const CIDR_RAW = -2;
export const FAM_IPV4 = -4;
export const FAM_IPV6 = -12;

/** An address as fail2ban's IPAddr holds it: its text, family, value and prefix length. */
export interface IPAddr {
  raw: string;
  family: 'inet4' | 'inet6' | 'raw' | 'unspec';
  addr: bigint;
  plen: number;
}

export class IPAddrError extends Error {}

function wrap(ipstr: string): [string, number] {
  let s = ipstr;
  if (s.length > 2 && s[0] === '[' && s[s.length - 1] === ']') s = s.slice(1, -1);
  if (!s.includes('/')) return [s, CIDR_UNSPEC];
  const i = s.indexOf('/');
  const head = s.slice(0, i);
  let tail = s.slice(i + 1);
  if (tail.includes('.') || tail.includes(':')) {
    const m = ipAddr(tail);
    if (!m || m.family === 'raw' || m.family === 'unspec') throw new IPAddrError(`invalid mask ${tail}`);
    const bits = m.family === 'inet4' ? 32 : 128;
    let plen = 0;
    for (let b = bits - 1; b >= 0 && (m.addr >> BigInt(b)) & 1n; b--) plen++;
    tail = String(plen);
  }
  if (!/^\s*[+-]?\d+\s*$/.test(tail)) throw new IPAddrError(`ValueError: invalid literal for int() with base 10: '${tail}'`);
  return [head, parseInt(tail, 10)];
}

/** IPAddr(ipstr, cidr). */
export function ipAddr(ipstr0: string, cidr0 = CIDR_UNSPEC): IPAddr {
  if (cidr0 === CIDR_RAW) return { raw: ipstr0, family: 'raw', addr: 0n, plen: 0 };
  let ipstr = ipstr0;
  let cidr = cidr0;
  if (cidr === CIDR_UNSPEC) [ipstr, cidr] = wrap(ipstr);
  const ip: IPAddr = { raw: ipstr, family: 'unspec', addr: 0n, plen: 0 };
  const families = cidr < CIDR_RAW ? [cidr === FAM_IPV4 ? 'inet4' : 'inet6'] : ['inet4', 'inet6'];
  for (const f of families) {
    if (f === 'inet4') {
      const v = ipv4Strict(ipstr);
      if (v === undefined) continue;
      ip.family = 'inet4';
      ip.addr = BigInt(v);
      ip.plen = 32;
      if (cidr >= 0) {
        ip.addr &= ~(0xffffffffn >> BigInt(cidr)) & 0xffffffffn;
        ip.plen = cidr;
      }
      break;
    }
    const w = ipv6Words(ipstr);
    if (!w) continue;
    ip.family = 'inet6';
    ip.addr = w.reduce((a, x) => (a << 16n) | BigInt(x), 0n);
    ip.plen = 128;
    const all = (1n << 128n) - 1n;
    if (cidr >= 0) {
      ip.addr &= ~(all >> BigInt(cidr)) & all;
      ip.plen = cidr;
    } else if (ip.addr >> 32n === 0xffffn) {
      ip.addr &= 0xffffffffn;
      ip.family = 'inet4';
      ip.plen = 32;
    }
    break;
  }
  return ip;
}

/** str(IPAddr). */
export function ipText(ip: IPAddr): string {
  if (ip.family === 'inet4') {
    const a = Number(ip.addr);
    const s = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    return ip.plen && ip.plen < 32 ? `${s}/${ip.plen}` : s;
  }
  if (ip.family === 'inet6') {
    const w: number[] = [];
    for (let i = 7; i >= 0; i--) w.push(Number((ip.addr >> BigInt(i * 16)) & 0xffffn));
    const s = inetNtop6(w);
    return ip.plen && ip.plen < 128 ? `${s}/${ip.plen}` : s;
  }
  return ip.raw;
}

export function isValid(ip: IPAddr): boolean {
  return ip.family === 'inet4' || ip.family === 'inet6';
}

/** ip.isInNet(net) for a valid net (a DNS name in ignoreip is not resolved: false, see the caller). */
export function isInNet(ip: IPAddr, net: IPAddr): boolean {
  if (ip.family !== net.family || !isValid(ip)) return false;
  const bits = ip.family === 'inet4' ? 32n : 128n;
  const all = (1n << bits) - 1n;
  const mask = ~(all >> BigInt(net.plen)) & all;
  return (ip.addr & mask) === net.addr;
}

export function ipEquals(a: IPAddr, b: IPAddr): boolean {
  if (a.family !== b.family) return false;
  if (!isValid(a)) return a.raw === b.raw;
  return a.addr === b.addr && a.plen === b.plen;
}

/**
 * Addresses as ufw stores them (util.normalize_address): no host netmask (/32, /128), IPv4 dotted
 * netmasks turned into a prefix length when they are contiguous, IPv4 networks with their host bits
 * cleared, IPv6 in the compressed form inet_ntop gives.
 */
import { isIP } from 'node:net';
import { inetNtop6, ipv6Words } from '../core/ip.js';

function v4ToInt(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function maskToPrefix(mask: string): number | undefined {
  const n = v4ToInt(mask);
  for (let p = 0; p <= 32; p++) if ((p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0) === n) return p;
  return undefined;
}

/**
 * The address as ufw stores and prints it (util.normalize_address): without a host prefix (`/32`,
 * `/128`), unlike iptables' `withHostPrefix`; unchanged when it is not a valid address.
 */
export function withoutHostPrefix(addr: string): string {
  const [a, mask, ...rest] = addr.split('/');
  if (rest.length || a === undefined) return addr;
  const fam = isIP(a);
  if (fam === 6) {
    // inet_ntop(inet_pton(a)), as ufw's Python does. (isIP accepts a zone, `fe80::1%eth0`; inet_pton does not.)
    const words = ipv6Words(a);
    if (words === undefined) return addr;
    return inetNtop6(words) + (mask !== undefined && mask !== '128' ? '/' + mask : '');
  }
  if (fam !== 4) return addr;
  if (mask === undefined || mask === '32' || mask === '255.255.255.255') return a;
  let prefix: number | undefined;
  let m = mask;
  if (isIP(mask) === 4) {
    prefix = maskToPrefix(mask);
    if (prefix !== undefined) m = String(prefix);
  } else if (/^\d+$/.test(mask)) prefix = Number(mask);
  const maskInt = prefix !== undefined ? (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0) : v4ToInt(mask);
  return intToV4((v4ToInt(a) & maskInt) >>> 0) + '/' + m;
}

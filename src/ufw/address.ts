/**
 * Addresses as ufw stores them (util.normalize_address): no host netmask (/32, /128), IPv4 dotted
 * netmasks turned into a prefix length when they are contiguous, IPv4 networks with their host bits
 * cleared, IPv6 in the compressed form inet_ntop gives.
 */
import { isIP } from 'node:net';

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

/** inet_ntop(inet_pton(addr)) for IPv6: lower case, leading zeros dropped, longest zero run (2+) as `::`. */
export function compressIPv6(addr: string): string {
  let a = addr.toLowerCase();
  let tail: string[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    tail = [((n >>> 16) & 0xffff).toString(16), (n & 0xffff).toString(16)];
    a = a.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head, rest] = a.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : undefined;
  let groups = r === undefined ? h : [...h, ...new Array(8 - h.length - r.length).fill('0'), ...r];
  if (tail.length) groups = [...groups.slice(0, 6), ...tail];
  const g = groups.map((x) => parseInt(x, 16).toString(16));
  // Python's inet_ntop (glibc) keeps a ::ffff:a.b.c.d form for mapped addresses.
  if (g.slice(0, 5).every((x) => x === '0') && g[5] === 'ffff') {
    const n = parseInt(g[6]!, 16) * 65536 + parseInt(g[7]!, 16);
    return '::ffff:' + intToV4(n);
  }
  if (g.slice(0, 6).every((x) => x === '0') && g[6] !== '0') {
    const n = parseInt(g[6]!, 16) * 65536 + parseInt(g[7]!, 16);
    return '::' + intToV4(n);
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return g.slice(0, best).join(':') + '::' + g.slice(best + bestLen).join(':');
}

/** The address as ufw stores and prints it; unchanged when it is not a valid address. */
export function normalizeAddress(addr: string): string {
  const [a, mask, ...rest] = addr.split('/');
  if (rest.length || a === undefined) return addr;
  const fam = isIP(a);
  if (fam === 6) {
    if (mask === '128') return compressIPv6(a);
    return compressIPv6(a) + (mask !== undefined ? '/' + mask : '');
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

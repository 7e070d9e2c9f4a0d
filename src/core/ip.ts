/**
 * IPv6 addresses as the C library reads and writes them: inet_pton(AF_INET6) and glibc's
 * inet_ntop, which is what iptables-save prints and what fail2ban bans.
 */

/** inet_pton(AF_INET6): the eight 16-bit words of an address (a dotted IPv4 tail allowed), or undefined. */
export function ipv6Words(text: string): number[] | undefined {
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.includes('.', lastColon)) {
    const v4 = ipv4Strict(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = s.slice(0, lastColon + 1) + (v4 >>> 16).toString(16) + ':' + (v4 & 0xffff).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string) => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = group(halves[0]!);
  const tail = halves.length === 2 ? group(halves[1]!) : [];
  const total = head.length + tail.length;
  if (head.some(Number.isNaN) || tail.some(Number.isNaN)) return undefined;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  return [...head, ...new Array<number>(8 - total).fill(0), ...tail];
}

/**
 * glibc's inet_ntop(AF_INET6): lower-case hex, the first longest run of two or more zero words as
 * `::`, and a dotted IPv4 tail for `::ffff:a.b.c.d` and `::a.b.c.d`.
 */
export function inetNtop6(w: readonly number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) best = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + bestLen) {
      if (i === best) out += ':';
      continue;
    }
    if (i > 0) out += ':';
    if (i === 6 && best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += `${w[6]! >>> 8}.${w[6]! & 255}.${w[7]! >>> 8}.${w[7]! & 255}`;
      break;
    }
    out += w[i]!.toString(16);
  }
  if (best >= 0 && best + bestLen === 8) out += ':';
  return out;
}

/** inet_pton(AF_INET): four decimal parts 0-255, no leading zeros; the address as a 32-bit number. */
export function ipv4Strict(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((a, p) => a * 256 + Number(p), 0);
}

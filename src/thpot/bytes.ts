/**
 * `scanCaptureFields` (scan.ts) on the UTF-8 bytes of a line instead of its decoded text, for the
 * streaming summary: a file's bytes are counted without decoding them. Every character the scanner
 * checks (month, digits, hex, `SID=`, spaces) is ASCII, and any other character is a field
 * character to both, so a line's bytes are accepted exactly when its text is (a property test holds
 * the two together). Offsets here are byte offsets.
 */

/** Offsets of the SID's service suffix in the last accepted line; -1 when it has none. */
export let bSvcStart = -1;
export let bSvcEnd = -1;
/** Offsets of SRC's value in the last accepted line (equal when SRC is empty). */
export let bSrcStart = 0;
export let bSrcEnd = 0;

/** The C month names' bytes, three per month. */
const MONTH_BYTES = new Uint8Array(36);
/** Month number by the sum of a name's three bytes (mod 64): distinct for the twelve names. */
const MONTH_BY_SUM = new Uint8Array(64);
['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].forEach((m, i) => {
  for (let k = 0; k < 3; k++) MONTH_BYTES[i * 3 + k] = m.charCodeAt(k);
  const h = (m.charCodeAt(0) + m.charCodeAt(1) + m.charCodeAt(2)) & 63;
  if (MONTH_BY_SUM[h] !== 0) throw new Error('month hash collision');
  MONTH_BY_SUM[h] = i + 1;
});

/** Two ASCII digits at i (before `end`), or -1. */
function two(b: Uint8Array, i: number, end: number): number {
  if (i + 1 >= end) return -1;
  const x = b[i]! - 48;
  const y = b[i + 1]! - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/** ` XYZ=` at i. */
function key3(b: Uint8Array, i: number, x: number, y: number, z: number): boolean {
  return b[i] === 32 && b[i + 1] === x && b[i + 2] === y && b[i + 3] === z && b[i + 4] === 61;
}

/**
 * Is `b[start..end)` a C-locale single-line capture? Same answer as `scanCaptureFields` on its
 * decoded text; leaves the SRC and service offsets in `bSrc*` / `bSvc*`. Reads nothing at or past
 * `end`.
 */
export function scanCaptureBytes(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 37) return false;
  const m0 = b[start]!;
  const m1 = b[start + 1]!;
  const m2 = b[start + 2]!;
  const month = MONTH_BY_SUM[(m0 + m1 + m2) & 63]!;
  if (month === 0) return false;
  const mk = month * 3 - 3;
  if (MONTH_BYTES[mk] !== m0 || MONTH_BYTES[mk + 1] !== m1 || MONTH_BYTES[mk + 2] !== m2 || b[start + 3] !== 32) return false;
  const day = two(b, start + 4, end);
  if (day < 1 || day > 31 || b[start + 6] !== 32) return false;
  const hh = two(b, start + 7, end);
  const mm = two(b, start + 10, end);
  const ss = two(b, start + 13, end);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return false;
  if (b[start + 9] !== 58 || b[start + 12] !== 58) return false;
  let i = start + 15;
  if (!key3(b, i, 83, 73, 68)) return false; // ' SID='
  i += 5;
  const sidStart = i;
  for (; i < end; i++) {
    const c = b[i]!;
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) break;
  }
  if (i === sidStart) return false;
  let svcStart = -1;
  let svcEnd = -1;
  if (i < end && b[i] === 46) {
    const a = ++i;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c <= 32 && (c === 32 || c === 9 || c === 10 || c === 13)) break;
    }
    if (i === a) return false;
    svcStart = a;
    svcEnd = i;
  }
  if (end - i < 5 || !key3(b, i, 80, 73, 68)) return false; // ' PID='
  i += 5;
  const pidStart = i;
  while (i < end && b[i]! >= 48 && b[i]! <= 57) i++;
  if (i === pidStart) return false;
  if (end - i < 5 || !key3(b, i, 83, 82, 67)) return false; // ' SRC='
  i += 5;
  const srcStart = i;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c <= 32 && (c === 32 || c === 9 || c === 10 || c === 13)) break;
  }
  const srcEnd = i;
  if (end - i < 5 || !key3(b, i, 83, 80, 84)) return false; // ' SPT='
  i += 5;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c <= 32 && (c === 32 || c === 9 || c === 10 || c === 13)) break;
  }
  // ' ET=HH:MM:SS'
  if (end - i >= 4 && b[i] === 32 && b[i + 1] === 69 && b[i + 2] === 84 && b[i + 3] === 61) {
    const h = two(b, i + 4, end);
    const m = two(b, i + 7, end);
    const c = two(b, i + 10, end);
    if (h < 0 || h > 23 || m < 0 || m > 59 || c < 0 || c > 59 || b[i + 6] !== 58 || b[i + 9] !== 58) return false;
    i += 12;
  }
  // ' BYTES=<n>'
  if (end - i >= 7 && b[i] === 32 && b[i + 1] === 66 && b[i + 2] === 89 && b[i + 3] === 84 && b[i + 4] === 69 && b[i + 5] === 83 && b[i + 6] === 61) {
    i += 7;
    const d = i;
    while (i < end && b[i]! >= 48 && b[i]! <= 57) i++;
    if (i === d) return false;
  }
  if (i !== end) return false;
  bSvcStart = svcStart;
  bSvcEnd = svcEnd;
  bSrcStart = srcStart;
  bSrcEnd = srcEnd;
  return true;
}

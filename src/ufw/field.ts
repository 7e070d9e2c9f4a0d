/**
 * Hand-written readers for the rule line's To / From column text and the text after FROM: the
 * grammar's `Field` and `Tail` rules (grammars/ufw.peggy, the specification), step for step with
 * PEG's semantics — ordered choice that commits to the first alternative that matches, greedy
 * repetition without backtracking, lookaheads. A property test holds each to the grammar on
 * generated and mutated texts, and columns.ts's split gives the same columns through either
 * (test/ufw/field.test.ts, on every fixture line). They exist because splitting a line tries many
 * candidate columns, and most candidates fail: the generated parser builds a SyntaxError (message and
 * all) for each. Even without the error (peggy's `peg$library` result), bench/ufw.bench.mjs takes
 * about 2–3× as long through the generated parser (the benchmarks may lose at most 10%).
 */
import type { UfwLogType } from './model.js';

/** A To / From column text, read by the grammar's `Field` rule. */
export interface FieldValue {
  address: string | null;
  port: string | null;
  proto: string | null;
  app: string | null;
  /** The column carries `(v6)` (Anywhere (v6), 22/tcp (v6), OpenSSH (v6), (APP (v6))). */
  v6: boolean;
  interface: string | null;
}

/** What follows the From column: ` (log)`, ` (log-all)`, ` (out)`, ` (log, out)`, then ` # comment`. */
export interface TailValue {
  log: UfwLogType | null;
  out: boolean;
  comment: string | null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAlnum = (c: number) => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
/** `[a-zA-Z0-9 _\-.+]`: an application name's later characters. */
const isAppChar = (c: number) => isAlnum(c) || c === 32 || c === 95 || c === 45 || c === 46 || c === 43;
/** `[a-zA-Z0-9_\-.+,=%@]`: an interface name's characters. */
const isIfaceChar = (c: number) => isAlnum(c) || c === 95 || c === 45 || c === 46 || c === 43 || c === 44 || c === 61 || c === 37 || c === 64;

const PROTOS = ['tcp', 'udp', 'ipv6', 'esp', 'ah', 'igmp', 'gre', 'vrrp'];

/** `Proto` at i: the first protocol name (in the grammar's order) that `t` has at i, or null. */
function proto(t: string, i: number): string | null {
  for (const p of PROTOS) if (t.startsWith(p, i)) return p;
  return null;
}

/** `" (v6)"` at i. */
const v6At = (t: string, i: number) => t.startsWith(' (v6)', i);

/** End of `Iface` (greedy) at i; i when there is none. */
function ifaceEnd(t: string, i: number): number {
  while (i < t.length && isIfaceChar(t.charCodeAt(i))) i++;
  return i;
}

/** `" on " Iface !.` at i: an interface suffix that runs to the end of the text. */
function onIfaceToEnd(t: string, i: number): boolean {
  if (!t.startsWith(' on ', i)) return false;
  const e = ifaceEnd(t, i + 4);
  return e > i + 4 && e === t.length;
}

/** `[0-9]+` at i: its end, or -1. */
function digits(t: string, i: number): number {
  const s = i;
  while (i < t.length && isDigit(t.charCodeAt(i))) i++;
  return i > s ? i : -1;
}

/** `AppName` at i: its end, or -1. */
function appNameEnd(t: string, i: number): number {
  if (i >= t.length || !isAlnum(t.charCodeAt(i))) return -1;
  i++;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (!isAppChar(c) || (c === 32 && (v6At(t, i) || onIfaceToEnd(t, i)))) break;
    i++;
  }
  return i;
}

/** `Ports` at i: its end, or -1. */
function portsEnd(t: string, i: number): number {
  let e = portItemEnd(t, i);
  if (e < 0) return -1;
  while (t.charCodeAt(e) === 44) {
    const n = portItemEnd(t, e + 1);
    if (n < 0) break;
    e = n;
  }
  return e;
}

function portItemEnd(t: string, i: number): number {
  const e = digits(t, i);
  if (e < 0) return -1;
  if (t.charCodeAt(e) === 58) {
    const r = digits(t, e + 1);
    if (r >= 0) return r;
  }
  return e;
}

/** `&(" on " / !.)` at i. */
const onOrEnd = (t: string, i: number) => i === t.length || t.startsWith(' on ', i);

/* `PortPart`'s value, left by `portPart` (module state: no object per attempt). */
let ppPort: string | null = null;
let ppProto: string | null = null;
let ppApp: string | null = null;
let ppV6 = false;

/** `PortPart` at i: its end (the value in `pp*`), or -1. */
function portPart(t: string, i: number): number {
  // Ports ("/" Proto)? VerboseApp? V6Mark? &(" on " / !.)
  const pe = portsEnd(t, i);
  if (pe >= 0) {
    let j = pe;
    let p: string | null = null;
    if (t.charCodeAt(j) === 47) {
      p = proto(t, j + 1);
      if (p !== null) j += 1 + p.length;
    }
    let appStart = -1;
    let appEnd = -1;
    let appV6 = false;
    // VerboseApp = !V6Mark " (" AppName V6Mark? ")"
    if (!v6At(t, j) && t.startsWith(' (', j)) {
      const ae = appNameEnd(t, j + 2);
      if (ae >= 0) {
        let k = ae;
        const inner = v6At(t, k);
        if (inner) k += 5;
        if (t.charCodeAt(k) === 41) {
          appStart = j + 2;
          appEnd = ae;
          appV6 = inner;
          j = k + 1;
        }
      }
    }
    let v6 = false;
    if (v6At(t, j)) {
      v6 = true;
      j += 5;
    }
    if (onOrEnd(t, j)) {
      ppPort = t.slice(i, pe);
      ppProto = p;
      ppApp = appStart < 0 ? null : t.slice(appStart, appEnd);
      ppV6 = v6 || (appStart >= 0 && appV6);
      return j;
    }
  }
  // AppName V6Mark? &(" on " / !.)
  const ae = appNameEnd(t, i);
  if (ae < 0) return -1;
  let j = ae;
  const v6 = v6At(t, j);
  if (v6) j += 5;
  if (!onOrEnd(t, j)) return -1;
  ppPort = null;
  ppProto = null;
  ppApp = t.slice(i, ae);
  ppV6 = v6;
  return j;
}

/** `IPv4` at i: its end, or -1. */
function ipv4End(t: string, i: number): number {
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (t.charCodeAt(i) !== 46) return -1;
      i++;
    }
    if (!isDigit(t.charCodeAt(i))) return -1;
    i++;
    if (isDigit(t.charCodeAt(i))) i++;
    if (isDigit(t.charCodeAt(i))) i++;
  }
  return i;
}

/** `IPv6Net / IPv4Net` at i: its end, or -1. */
function netEnd(t: string, i: number): number {
  // IPv6 = [hex]* ":" [hex]* ":" [hex:]* ([0-9]+ "." [0-9]+ "." [0-9]+ "." [0-9]+)?
  let j = i;
  while (j < t.length && isHex(t.charCodeAt(j))) j++;
  if (t.charCodeAt(j) === 58) {
    j++;
    while (j < t.length && isHex(t.charCodeAt(j))) j++;
    if (t.charCodeAt(j) === 58) {
      j++;
      while (j < t.length && (isHex(t.charCodeAt(j)) || t.charCodeAt(j) === 58)) j++;
      const d = dottedEnd(t, j);
      if (d >= 0) j = d;
      // ("/" [0-9]+)?
      if (t.charCodeAt(j) === 47) {
        const e = digits(t, j + 1);
        if (e >= 0) j = e;
      }
      return j;
    }
  }
  // IPv4Net = IPv4 ("/" (IPv4 / [0-9]+))?
  const e = ipv4End(t, i);
  if (e < 0) return -1;
  if (t.charCodeAt(e) === 47) {
    const m = ipv4End(t, e + 1);
    if (m >= 0) return m;
    const n = digits(t, e + 1);
    if (n >= 0) return n;
  }
  return e;
}

/** `[0-9]+ "." [0-9]+ "." [0-9]+ "." [0-9]+` at i: its end, or -1. */
function dottedEnd(t: string, i: number): number {
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (t.charCodeAt(i) !== 46) return -1;
      i++;
    }
    i = digits(t, i);
    if (i < 0) return -1;
  }
  return i;
}

/** The end of `" on " Iface` at j (j when there is none), for `Field`'s optional interface. */
function ifaceSuffixEnd(t: string, j: number): number {
  if (!t.startsWith(' on ', j)) return j;
  const e = ifaceEnd(t, j + 4);
  return e > j + 4 ? e : j;
}

/**
 * The grammar's `Field` on a whole column text; undefined when it does not match. The value's keys
 * come in the grammar's order for each alternative (`{ ...rest, address }` puts `address` after the
 * port part's keys), so JSON of the model is the same either way.
 */
export function scanField(t: string): FieldValue | undefined {
  // FieldBody, then (" on " @Iface)? !.
  if (t.startsWith('Anywhere')) {
    let j = 8;
    let p: string | null = null;
    if (t.charCodeAt(j) === 47) {
      p = proto(t, j + 1);
      if (p !== null) j += 1 + p.length;
    }
    const v6 = v6At(t, j);
    if (v6) j += 5;
    const e = ifaceSuffixEnd(t, j);
    if (e !== t.length) return undefined;
    return { address: null, port: null, proto: p, app: null, v6, interface: e > j ? t.slice(j + 4, e) : null };
  }
  // Address rest:(!(" on " Iface !.) " " @PortPart)? &FieldEnd
  const ne = netEnd(t, 0);
  if (ne >= 0) {
    let j = ne;
    let p: string | null = null;
    if (t.charCodeAt(j) === 47) {
      p = proto(t, j + 1);
      if (p !== null) j += 1 + p.length;
    }
    if (j === t.length || t.charCodeAt(j) === 32) {
      let k = j;
      let rest = false;
      if (t.charCodeAt(j) === 32 && !onIfaceToEnd(t, j)) {
        const r = portPart(t, j + 1);
        if (r >= 0) {
          rest = true;
          k = r;
        }
      }
      // &FieldEnd: the end, or " on " Iface to the end (which the optional interface then takes).
      if (k === t.length || onIfaceToEnd(t, k)) {
        const iface = k === t.length ? null : t.slice(k + 4);
        const address = t.slice(0, ne);
        return rest
          ? { port: ppPort, proto: ppProto, app: ppApp, v6: ppV6, address, interface: iface }
          : { address, port: null, proto: p, app: null, v6: false, interface: iface };
      }
    }
  }
  const r = portPart(t, 0);
  if (r < 0) return undefined;
  const e = ifaceSuffixEnd(t, r);
  if (e !== t.length) return undefined;
  return { port: ppPort, proto: ppProto, app: ppApp, v6: ppV6, address: null, interface: e > r ? t.slice(r + 4, e) : null };
}

/** The grammar's `Tail` on the whole text after FROM; undefined when it does not match. */
export function scanTail(t: string): TailValue | undefined {
  let j = 0;
  let log: UfwLogType | null = null;
  let out = false;
  if (t.startsWith(' (')) {
    // " (" ("log-all" / "log") ", out"? ")"  /  " (out)"
    const l = t.startsWith('log-all', 2) ? 'log-all' : t.startsWith('log', 2) ? 'log' : null;
    let matched = false;
    if (l !== null) {
      let k = 2 + l.length;
      const o = t.startsWith(', out', k);
      if (o) k += 5;
      if (t.charCodeAt(k) === 41) {
        log = l;
        out = o;
        j = k + 1;
        matched = true;
      }
    }
    if (!matched && t.startsWith(' (out)')) {
      out = true;
      j = 6;
    }
  }
  let comment: string | null = null;
  if (t.startsWith(' # ', j)) {
    comment = t.slice(j + 3);
    j = t.length;
  }
  return j === t.length ? { log, out, comment } : undefined;
}

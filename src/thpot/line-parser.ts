/**
 * The line grammar (grammars/thpot.peggy, start rule `Line`) by hand: the same rules in the same
 * order, with peggy's way of reporting a failure — the furthest offset at which a literal or a
 * character class failed outside a lookahead, and the literals expected there, in the order they
 * were tried. The grammar stays the specification; this is what `classify` runs on every line the
 * capture scanner does not take, because a peggy parse costs ~50 µs a line whatever the line (the
 * generated parser builds its tables and closures on each call), which made a log of dated invalid
 * lines 40 times slower than one of captures. A property test holds `lineResult` equal to
 * `grammarLine` (value or error, column and message) on valid, mutated and random lines.
 *
 * Module state, no allocation per rule: one line is parsed at a time, start to end.
 */

let s = '';
let n = 0;
let pos = 0;
let maxFail = 0;
let silent = 0;
/** The literals that failed at `maxFail`, in order (`expected[0..nExpected)`, with repeats, as peggy keeps them). */
const expected: string[] = [];
let nExpected = 0;

/** peggy's peg$fail: `literal` undefined for a class or the end of input. */
function fail(at: number, literal?: string): void {
  if (silent > 0 || at < maxFail) return;
  if (at > maxFail) {
    maxFail = at;
    nExpected = 0;
  }
  if (literal !== undefined) expected[nExpected++] = literal;
}

function lit(t: string): boolean {
  if (s.startsWith(t, pos)) {
    pos += t.length;
    return true;
  }
  fail(pos, t);
  return false;
}

/** A one-character literal. */
function ch(code: number, t: string): boolean {
  if (s.charCodeAt(pos) === code) {
    pos++;
    return true;
  }
  fail(pos, t);
  return false;
}

/** A class of one range of code units, `[lo-hi]`. */
function range(lo: number, hi: number): boolean {
  const c = s.charCodeAt(pos); // NaN past the end
  if (c >= lo && c <= hi) {
    pos++;
    return true;
  }
  fail(pos);
  return false;
}

/** The classes that are not one range: [0-9A-F], MonthChar [^\t\n\r\x00-\x1f\x7f], FieldChar [^ \t\n\r] (code units). */
const HEX = 0;
const MONTH_CHAR = 1;
const FIELD_CHAR = 2;
function other(kind: number): boolean {
  if (pos < n) {
    const c = s.charCodeAt(pos);
    if (kind === HEX ? (c >= 48 && c <= 57) || (c >= 65 && c <= 70) : kind === MONTH_CHAR ? c > 0x1f && c !== 0x7f : c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      pos++;
      return true;
    }
  }
  fail(pos);
  return false;
}

const digit = () => range(48, 57);

/** Day: `"0" [1-9] / [12] [0-9] / "3" [01]`; its value, or -1. */
function day(): number {
  const p0 = pos;
  if (ch(48, '0')) {
    if (range(49, 57)) return s.charCodeAt(p0 + 1) - 48;
    pos = p0;
  }
  if (range(49, 50)) {
    if (digit()) return (s.charCodeAt(p0) - 48) * 10 + s.charCodeAt(p0 + 1) - 48;
    pos = p0;
  }
  if (ch(51, '3')) {
    if (range(48, 49)) return 30 + s.charCodeAt(p0 + 1) - 48;
    pos = p0;
  }
  return -1;
}

/** `[01] [0-9] / "2" [0-3]` (the hour of Time and Duration). */
function hour(): boolean {
  const p0 = pos;
  if (range(48, 49)) {
    if (digit()) return true;
    pos = p0;
  }
  if (ch(50, '2')) {
    if (range(48, 51)) return true;
    pos = p0;
  }
  return false;
}

/** `[0-5] [0-9]`. */
function sixty(): boolean {
  const p0 = pos;
  if (range(48, 53)) {
    if (digit()) return true;
    pos = p0;
  }
  return false;
}

/** Time: hour ":" [0-5] [0-9] ":" ([0-5] [0-9] / "60"). */
function time(): boolean {
  const p0 = pos;
  if (hour() && ch(58, ':') && sixty() && ch(58, ':') && (sixty() || lit('60'))) return true;
  pos = p0;
  return false;
}

/** Duration: hour ":" [0-5] [0-9] ":" [0-5] [0-9]; its seconds, or -1. */
function duration(): number {
  const p0 = pos;
  if (hour() && ch(58, ':') && sixty() && ch(58, ':') && sixty()) return +s.slice(p0, p0 + 2) * 3600 + +s.slice(p0 + 3, p0 + 5) * 60 + +s.slice(p0 + 6, p0 + 8);
  pos = p0;
  return -1;
}

/** Month: `(!(" " Day " " Time " ") MonthChar)|1..16|`. */
function month(): boolean {
  let count = 0;
  while (count < 16) {
    const q = pos;
    silent++;
    const dateFollows = ch(32, ' ') && day() >= 0 && ch(32, ' ') && time() && ch(32, ' ');
    silent--;
    pos = q;
    if (dateFollows || !other(MONTH_CHAR)) break;
    count++;
  }
  return count > 0;
}

/** Where the last Timestamp parsed: its month's end, its time's start; `tsEnd` after it, -1 when it failed. */
let tsMonthEnd = 0;
let tsDay = 0;
let tsTime = 0;
let tsEnd = -1;
/** Whether the Timestamp at offset 0 of this line was parsed already (its failures are recorded then). */
let tsDone = false;

/**
 * Timestamp: Month " " Day " " $Time &" ", at offset 0. The three rules that start with it parse it
 * once: a second parse would record the same failures again, which changes no message (the expected
 * literals are told once each, in the order first recorded).
 */
function timestamp(): boolean {
  if (!tsDone) {
    tsDone = true;
    tsEnd = parseTimestamp();
  }
  if (tsEnd < 0) return false;
  pos = tsEnd;
  return true;
}

function parseTimestamp(): number {
  pos = 0;
  if (!month()) return -1;
  tsMonthEnd = pos;
  if (ch(32, ' ') && (tsDay = day()) >= 0 && ch(32, ' ')) {
    tsTime = pos;
    if (time()) {
      const t1 = pos;
      silent++;
      const space = ch(32, ' ');
      silent--;
      pos = t1;
      if (space) return t1;
    }
  }
  return -1;
}

function tsValue(): { month: string; day: number; time: string; timestamp: string } {
  return { month: s.slice(0, tsMonthEnd), day: tsDay, time: s.slice(tsTime, tsEnd), timestamp: s.slice(0, tsEnd) };
}

/** Where the last Sid parsed: its id's end, its service's start and end (-1 when none). */
let sidStart = 0;
let sidEnd = 0;
let svcStart = -1;
let svcEnd = -1;

/** Sid: `$[0-9A-F]+ ("." Field1)?`; StartSid (`comma`): the service is `(!"," FieldChar)+`. */
function sid(comma: boolean): boolean {
  sidStart = pos;
  if (!other(HEX)) return false;
  while (other(HEX));
  sidEnd = pos;
  svcStart = -1;
  if (ch(46, '.')) {
    const a = pos;
    let count = 0;
    for (;;) {
      if (comma && s.charCodeAt(pos) === 44) break; // the lookahead !"," records nothing
      if (!other(FIELD_CHAR)) break;
      count++;
    }
    if (count > 0) {
      svcStart = a;
      svcEnd = pos;
    } else pos = sidEnd;
  }
  return true;
}

function sidValue(): { sid: string; service: string | null } {
  return { sid: s.slice(sidStart, sidEnd), service: svcStart < 0 ? null : s.slice(svcStart, svcEnd) };
}

/** `$[0-9]+`: its start, or -1 (its end is `pos`). */
function number(): number {
  const p0 = pos;
  if (!digit()) return -1;
  while (digit());
  return p0;
}

/** Field: `$FieldChar*`: its start (its end is `pos`). */
function field(): number {
  const p0 = pos;
  while (other(FIELD_CHAR));
  return p0;
}

function capture(): any {
  if (!timestamp() || !lit(' SID=') || !sid(false) || !lit(' PID=')) return undefined;
  const ts = tsValue();
  const id = sidValue();
  const pid0 = number();
  if (pid0 < 0) return undefined;
  const pid = s.slice(pid0, pos);
  if (!lit(' SRC=')) return undefined;
  const src0 = field();
  const src = s.slice(src0, pos);
  if (!lit(' SPT=')) return undefined;
  const spt0 = field();
  const spt = s.slice(spt0, pos);
  let et: number | null = null;
  let q = pos;
  if (lit(' ET=')) {
    const d = duration();
    if (d >= 0) et = d;
    else pos = q;
  }
  let bytes: string | null = null;
  q = pos;
  if (lit(' BYTES=')) {
    const b = number();
    if (b >= 0) bytes = s.slice(b, pos);
    else pos = q;
  }
  return { kind: 'capture', ...ts, ...id, pid, src, spt, et, bytes };
}

function start(): any {
  if (!timestamp() || !lit(' start thp SID ') || !sid(true) || !lit(', UNIX pid ')) return undefined;
  const id = sidValue();
  const pid0 = number();
  if (pid0 < 0) return undefined;
  const pid = s.slice(pid0, pos);
  if (!lit(' source ')) return undefined;
  const source0 = field();
  return { kind: 'start', ...tsValue(), ...id, pid, source: s.slice(source0, pos) };
}

function end(): any {
  if (!timestamp() || !lit(' end thp SID ') || !sid(false)) return undefined;
  const id = sidValue();
  return { kind: 'end', ...tsValue(), ...id, timeout: lit(' - timeout') };
}

function elapsed(): any {
  if (!lit('\t- elapsed time ')) return undefined;
  const et = duration();
  return et < 0 ? undefined : { kind: 'elapsed', et };
}

function total(): any {
  if (!lit('\t- total ')) return undefined;
  const b = number();
  if (b < 0) return undefined;
  const bytes = s.slice(b, pos);
  return lit(' bytes') ? { kind: 'total', bytes } : undefined;
}

const RULES = [capture, start, end, elapsed, total];

/** The grammar's `Line` on `text`: its value, or the error peggy raises (furthest offset, literals expected there). */
export function parseLineRule(text: string): { ok: true; value: any } | { ok: false; offset: number; expected: readonly string[]; found: string | null } {
  s = text;
  n = text.length;
  maxFail = 0;
  silent = 0;
  nExpected = 0;
  tsDone = false;
  let value: any;
  for (const rule of RULES) {
    pos = 0;
    value = rule();
    if (value !== undefined) break;
  }
  if (value === undefined) {
    pos = 0;
    value = { kind: 'blank' };
  }
  const done = pos === n;
  if (!done) fail(pos);
  s = '';
  if (done) return { ok: true, value };
  const cp = text.codePointAt(maxFail);
  return { ok: false, offset: maxFail, expected: expected.slice(0, nExpected), found: cp === undefined ? null : String.fromCodePoint(cp) };
}

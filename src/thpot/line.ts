/** One line of the log as thpot prints it (what `clcaplog()` writes), from its typed record. */
import { C_MONTHS } from '../core/months.js';
import type { CaptureRecord } from './model.js';

/** What a single-line capture needs; the rest defaults as thpot would print it. */
export interface CaptureInput {
  /** The month as written; defaults to the C locale's name of `monthNumber`. */
  month?: string;
  monthNumber?: number | null;
  day: number;
  /** `HH:MM:SS`. */
  time: string;
  sid: string;
  service?: string | null;
  pid: number;
  src?: string;
  spt?: number | null;
  sptText?: string;
  elapsed?: number;
  bytes?: number;
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

/** `%T` of gmtime(seconds): wraps after 24 h, as thpot's ET does. */
export function formatDuration(seconds: number): string {
  const s = ((Math.trunc(seconds) % 86400) + 86400) % 86400;
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

function monthText(r: { month?: string; monthNumber?: number | null }): string {
  if (r.month !== undefined) return r.month;
  const n = r.monthNumber;
  if (typeof n !== 'number' || !(n >= 1 && n <= 12)) throw new TypeError(`a capture needs month or monthNumber 1..12, got ${String(n)}`);
  return C_MONTHS[n - 1]!;
}

function date(r: { month?: string; monthNumber?: number | null; day: number; time: string }): string {
  return `${monthText(r)} ${pad2(r.day)} ${r.time}`;
}

/** One single-line capture, without a line ending: `Mon DD HH:MM:SS SID=… PID=… SRC=… SPT=…[ ET=…][ BYTES=…]`. */
export function renderCapture(r: CaptureInput): string {
  const sid = r.service ? `${r.sid}.${r.service}` : r.sid;
  const spt = r.sptText ?? (r.spt === null || r.spt === undefined ? '' : String(r.spt));
  let s = `${date(r)} SID=${sid} PID=${r.pid} SRC=${r.src ?? ''} SPT=${spt}`;
  if (r.elapsed) s += ` ET=${formatDuration(r.elapsed)}`;
  if (r.bytes) s += ` BYTES=${r.bytes}`;
  return s;
}

/** Any well-formed line of either layout, without a line ending. */
export function renderRecord(r: CaptureRecord): string {
  switch (r.kind) {
    case 'capture':
      return renderCapture(r);
    case 'start':
      return `${date(r)} start thp SID ${r.service ? `${r.sid}.${r.service}` : r.sid}, UNIX pid ${r.pid} source ${r.source}`;
    case 'end':
      return `${date(r)} end thp SID ${r.service ? `${r.sid}.${r.service}` : r.sid}${r.timeout ? ' - timeout' : ''}`;
    case 'elapsed':
      return `\t- elapsed time ${formatDuration(r.elapsed)}`;
    case 'total':
      return `\t- total ${r.bytes} bytes`;
    case 'separator':
      return '';
  }
}

/**
 * The summary of a capture log, accumulated one entry at a time (constant memory apart from one
 * counter per distinct source and service): what `fwconf thpot summary` prints.
 */
import { bSrcEnd, bSrcStart, bSvcEnd, bSvcStart } from './bytes.js';
import { KeyCounter, type TextBytes } from './counter.js';
import type { Entry } from './model.js';
import { fSrcStart, fSrcEnd, fSvcStart, fSvcEnd, ownSlice } from './scan.js';

/**
 * `fwconf thpot summary --json`:
 * - `records`: well-formed lines (either layout); `invalid`: every other line, blank lines included,
 *   so `records + invalid` is the number of lines.
 * - `sources` / `services`: sessions (single-line captures, multi-line start lines) per SRC address and
 *   per SID service suffix, most hits first. A session with an empty SRC counts under `""`, one
 *   without a service suffix (the silent listener) under `""`.
 * - `first` / `last`: the timestamp as written (e.g. `Feb 29 13:02:10`) of the first and the last
 *   session in file order, or null. thpot takes the time at session start but writes the line at
 *   session end, so these are not necessarily the earliest and latest times.
 */
export interface SummaryJSON {
  records: number;
  invalid: number;
  sources: Record<string, number>;
  services: Record<string, number>;
  first: string | null;
  last: string | null;
}

/** Counts of a capture log as it streams by: records, invalid lines, sessions per source address and per service, the first and last timestamps. */
export class Summary {
  records = 0;
  invalid = 0;
  private readonly src = new KeyCounter();
  private readonly svc = new KeyCounter();
  private firstText: string | null = null;
  private lastText: string | null = null;
  /** The last session's line, not yet copied out of its chunk (see `addCaptureAt`). */
  private lastIn: string | TextBytes | null = null;
  private lastAt = 0;

  /** The timestamp as written of the first session in file order, or null. */
  get first(): string | null {
    return this.firstText;
  }

  /** The timestamp as written of the last session in file order, or null. */
  get last(): string | null {
    this.settle();
    return this.lastText;
  }

  /** Counts one entry of the log. */
  add(e: Entry): void {
    if (e.kind === 'invalid') {
      this.invalid++;
      return;
    }
    this.records++;
    if (e.kind === 'capture' || e.kind === 'start') {
      this.src.add(e.src);
      this.svc.add(e.service ?? '');
      if (this.firstText === null) this.firstText = e.timestamp;
      this.lastIn = null;
      this.lastText = e.timestamp;
    }
  }

  /**
   * `add` of the C-locale capture at `s.slice(lineStart, …)` that `scanCaptureFields` has just
   * accepted, read from the scanner's offsets: no record, no substring. The last timestamp stays a
   * position in `s` until `settle()` (call it before `s` is let go).
   */
  addCaptureAt(s: string, lineStart: number): void {
    this.records++;
    this.src.addRange(s, fSrcStart, fSrcEnd);
    if (fSvcStart < 0) this.svc.add('');
    else this.svc.addRange(s, fSvcStart, fSvcEnd);
    if (this.firstText === null) this.firstText = ownSlice(s, lineStart, lineStart + 15);
    this.lastIn = s;
    this.lastAt = lineStart;
  }

  /** `addCaptureAt` for the bytes of a line `scanCaptureBytes` has just accepted. */
  addCaptureBytes(b: TextBytes, lineStart: number): void {
    this.records++;
    this.src.addBytes(b, bSrcStart, bSrcEnd);
    if (bSvcStart < 0) this.svc.add('');
    else this.svc.addBytes(b, bSvcStart, bSvcEnd);
    if (this.firstText === null) this.firstText = b.toString('latin1', lineStart, lineStart + 15);
    this.lastIn = b;
    this.lastAt = lineStart;
  }

  /** Copies a last timestamp still held as a position out of its chunk. */
  settle(): void {
    const from = this.lastIn;
    if (from !== null) {
      this.lastText = typeof from === 'string' ? ownSlice(from, this.lastAt, this.lastAt + 15) : from.toString('latin1', this.lastAt, this.lastAt + 15);
      this.lastIn = null;
    }
  }

  /** Sessions per SRC as written. */
  get sources(): Map<string, number> {
    return counts(this.src);
  }

  /** Sessions per service suffix (`''` = none). */
  get services(): Map<string, number> {
    return counts(this.svc);
  }

  /** Sources, most hits first (ties by address). */
  topSources(limit = Infinity): [string, number][] {
    return ranked(this.sources).slice(0, limit);
  }

  /** The services with the most sessions, most first (ties by name), at most `limit`. */
  topServices(limit = Infinity): [string, number][] {
    return ranked(this.services).slice(0, limit);
  }

  /** The counts as plain data (what `fwconf thpot summary --json` prints). */
  toJSON(): SummaryJSON {
    return {
      records: this.records,
      invalid: this.invalid,
      sources: Object.fromEntries(this.topSources()),
      services: Object.fromEntries(this.topServices()),
      first: this.first,
      last: this.last,
    };
  }

  /**
   * The JSON text, 2-space indented, with `sources` and `services` in rank order (JSON.stringify
   * would move integer-like keys such as a mangled SRC `2001` to the front).
   */
  toJSONText(): string {
    const map = (entries: [string, number][]) =>
      entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `    ${JSON.stringify(k)}: ${v}`).join(',\n')}\n  }`;
    return (
      `{\n  "records": ${this.records},\n  "invalid": ${this.invalid},\n  "sources": ${map(this.topSources())},\n` +
      `  "services": ${map(this.topServices())},\n  "first": ${JSON.stringify(this.first)},\n  "last": ${JSON.stringify(this.last)}\n}\n`
    );
  }
}

function counts(m: KeyCounter): Map<string, number> {
  return new Map(m.entries());
}

function ranked(m: Map<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The summary of a capture log, accumulated one entry at a time (constant memory apart from one
 * counter per distinct source and service): what `fwconf thpot summary` prints.
 */
import type { Entry } from './model.js';

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

export class Summary {
  records = 0;
  invalid = 0;
  private readonly src = new Map<string, { n: number }>();
  private readonly svc = new Map<string, { n: number }>();
  first: string | null = null;
  last: string | null = null;

  add(e: Entry): void {
    if (e.kind === 'invalid') {
      this.invalid++;
      return;
    }
    this.records++;
    if (e.kind === 'capture' || e.kind === 'start') {
      const a = this.src.get(e.src);
      if (a) a.n++;
      else this.src.set(e.src, { n: 1 });
      const name = e.service ?? '';
      const b = this.svc.get(name);
      if (b) b.n++;
      else this.svc.set(name, { n: 1 });
      if (this.first === null) this.first = e.timestamp;
      this.last = e.timestamp;
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

  topServices(limit = Infinity): [string, number][] {
    return ranked(this.services).slice(0, limit);
  }

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

function counts(m: Map<string, { n: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of m) out.set(k, v.n);
  return out;
}

function ranked(m: Map<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

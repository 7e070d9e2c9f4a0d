// Our Filter's answers in the oracle's shape, for the differential tests.
import { Filter, type FilterFlags, type FilterSpec, type LineResult } from '../../src/fail2ban/filter/engine.js';
import type { OracleLine, OracleRequest } from './filter-oracle.js';

function plain(v: unknown): unknown {
  if (v instanceof Set) return [...v].map(plain).sort();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function ourLine(r: LineResult): OracleLine {
  return {
    failures: r.failures.map((f) => [f.index, f.fid, f.time, plain(f.fail) as Record<string, unknown>]),
    date: r.date.template !== undefined ? [r.date.text, r.date.template] : null,
    exception: r.exception !== undefined ? 'Exception' : null,
  };
}

/** Runs a request through our engine; a spec we cannot compile gives { error }. */
export function ours(req: OracleRequest): { results: OracleLine[] } | { error: string } {
  let f: Filter;
  try {
    f = new Filter(req.spec as FilterSpec, req.flags as FilterFlags, { now: () => req.now });
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { results: req.lines.map((l) => ourLine(typeof l === 'string' ? f.processLine(l) : f.processLine(l[0], l[1]))) };
}

/** Python's exception names are not ours; compare only that one happened. */
export function normalizeOracle(lines: OracleLine[]): OracleLine[] {
  return lines.map((l) => ({ ...l, exception: l.exception !== null ? 'Exception' : null }));
}

// Differential tests against real programs: Perl running thpot's own line construction
// (fixtures/thpot/logthis-lines.pl: sprintf "%.X%.X", POSIX::strftime, "@capdata"), and fail2ban's
// own fail2ban-regex with the thpot filter `failregex = SRC=<HOST>`, at fixed clocks (fail2ban's MyTime)
// in UTC, so nothing depends on today's date, the time zone or the locale.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, type Capture, type SessionEnd, type SessionStart } from '../../src/thpot/index.js';
import { failregexHost } from '../../src/thpot/fail2ban.js';
import { renderCapture, renderRecord } from '../../src/thpot/render.js';
import { captureInput, session } from './arbitraries.js';
import { expectedSid, localDate, perlLines, type Session } from './sessions.js';
import { fail2banLogDates, type Fail2banDate } from '../../src/thpot/fail2ban.js';
import { fcSeed } from '../fast-check-setup.js';
import { fail2banPython } from '../fail2ban/oracle.js';
import { runOk } from '../spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("thpot's line construction (perl)", () => {
  it('every generated session parses to its own fields, and re-renders to the line Perl printed', async () => {
    const seed = fcSeed();
    console.log(`perl differential: fc.sample seed ${seed}`);
    const sessions = fc.sample(session, { numRuns: 600, seed });
    const text = await perlLines(sessions);
    const doc = parse(text);
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics).toEqual([]);
    const starts = doc.records().filter((r) => r.kind === 'capture' || r.kind === 'start') as (Capture | SessionStart)[];
    const ends = doc.records().filter((r) => r.kind === 'end') as SessionEnd[];
    expect(starts).toHaveLength(sessions.length);
    let e = 0;
    sessions.forEach((s: Session, i) => {
      const r = starts[i]!;
      expect(r.kind).toBe(s.layout === 'single' ? 'capture' : 'start');
      expect(r).toMatchObject({ ...localDate(s.secs), sid: expectedSid(s), service: s.svc, pid: s.pid, src: s.saddr });
      if (r.kind === 'capture') expect({ elapsed: r.elapsed, bytes: r.bytes, spt: r.spt }).toEqual({ elapsed: s.elapsed % 86400, bytes: s.bytes, spt: s.sport === '' ? null : +s.sport });
      else {
        expect(r.source).toBe(`${s.saddr}:${s.sport}`);
        expect(ends[e++]).toMatchObject({ sid: expectedSid(s), timeout: s.timeout, ...localDate(s.secs + s.elapsed) });
      }
    });
    for (const r of doc.records()) expect(renderRecord(r)).toBe(doc.raw(r.line)!.replace(/\n$/, ''));
  });
});

const here = dirname(fileURLToPath(import.meta.url));

interface Theirs {
  host: string;
  /** The time fail2ban gave the line, null for none. */
  time: number | null;
  /** What `-o msg` printed: the line, or the reused date's text and the line. */
  msg: string;
}

/**
 * Runs fail2ban-regex on logs, all in one python process, each at its own fixed clock (seconds since
 * the epoch, time zone UTC): per log, per line index, what it matched.
 */
async function fail2banRegex(logs: { lines: string[]; now: number }[]): Promise<Map<number, Theirs>[]> {
  const cases = logs.map(({ lines, now }, i) => {
    const path = join(dir, `captures-${i}`);
    writeFileSync(path, lines.join('\n') + '\n');
    return { now, log: path };
  });
  const out = await runOk([fail2banPython(), join(here, 'fail2ban-regex-at.py')], {
    input: JSON.stringify(cases),
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' },
  });
  const results = JSON.parse(out) as { rows: string[]; msgs: string[] }[];
  return results.map(({ rows, msgs }, k) => {
    expect(rows.length).toBe(msgs.length);
    const lines = logs[k]!.lines;
    const byLine = new Map<number, Theirs>();
    let next = 0;
    rows.forEach((row, i) => {
      const m = /^\['((?:[^'\\]|\\.)*)',\t(None|[\d.]+),/.exec(row);
      if (!m) throw new Error(`unexpected fail2ban-regex row: ${row}`);
      const msg = msgs[i]!;
      // Matched lines come in order; a reused date's text may stand before the line.
      while (next < lines.length && !msg.endsWith(lines[next]!)) next++;
      if (next === lines.length) throw new Error(`fail2ban-regex printed a line that is not in the log: ${msg}`);
      byLine.set(next++, { host: m[1]!, time: m[2] === 'None' ? null : Number(m[2]), msg });
    });
    return byLine;
  });
}

/** Compares fwconf's reading of a log (hosts and dates, line after line) with fail2ban-regex's. */
function compare(lines: string[], now: number, theirs: Map<number, Theirs>, label: string): { matched: number; dated: number; reused: number } {
  const records = lines.map((line) => {
    const [rec] = parse(line).records();
    return rec && rec.kind === 'capture' ? rec : undefined;
  });
  const dates = fail2banLogDates(records, new Date(now * 1000));
  let matched = 0;
  let dated = 0;
  let reused = 0;
  lines.forEach((line, i) => {
    const ours = failregexHost(line);
    const t = theirs.get(i);
    expect(ours?.host, `${label}: ${line}`).toBe(t?.host);
    if (!t) return;
    matched++;
    const d: Fail2banDate | null = dates[i]!;
    expect(d?.time ?? null, `${label}: date of ${line}`).toBe(t.time);
    if (d) dated++;
    if (d?.reused) {
      reused++;
      expect(t.msg, label).not.toBe(line);
    } else expect(t.msg, label).toBe(line);
  });
  return { matched, dated, reused };
}

const utc = (s: string) => Date.parse(`${s}Z`) / 1000;

// A source of every kind thpot writes (good, empty, split IPv6, v4-mapped) and month names of many locales.
const srcs = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('', '2001', 'fe80', '::ffff:10.1.2.3', '10.0.0.1x', 'host-name.example', '[2001:db8::1]', '300.1.2.3', '::', '::1.2.3.4', '::102:304', '::ffff:0:1', '1:0:0:2:0:0:0:3', 'A:B::C', '010.001.002.003'),
);
const months = fc.constantFrom('Jan', 'feb', 'MAR', 'Apr', 'Mai', 'Mär', ' 2月', 'févr.', 'Thg 2', 'Dez', 'dec', 'may', 'Feb');

/** A log of `n` capture lines (PID = line number), some on the 31st or Feb 29, which fail2ban cannot read in every month or year. */
const captureLog = (n: number) =>
  fc.array(fc.tuple(captureInput, srcs, months), { minLength: n, maxLength: n }).map((cases) =>
    cases.map(([c, src, month], i) => renderCapture({ ...c, month, monthNumber: undefined, day: i % 50 === 0 ? 31 : i % 50 === 7 ? 29 : c.day, pid: i + 1, src })),
  );

describe("fail2ban's SRC=<HOST> (fail2ban-regex, at fixed clocks)", () => {
  it('regression: an unreadable date right after a date read less than 60 s before the clock takes that date', async () => {
    // Seed 4242, lines 85 and 86: fail2ban-regex printed the second with the first's date text in front.
    const lines = [
      'dec 06 11:59:54 SID=AA6E84B54DC6.n._7__ PID=85 SRC=::1.2.3.4 SPT=37883 ET=00:07:50 BYTES=237504699165',
      'Mai 15 23:42:01 SID=2954371803 PID=86 SRC=251.248.101.4 SPT=56537',
    ];
    const clocks = [utc('2026-12-06T11:59:30'), utc('2026-12-06T12:00:50'), utc('2026-12-06T12:30:00'), utc('2026-12-05T12:00:00'), utc('2026-12-05T11:59:00')];
    const theirs = await fail2banRegex(clocks.map((now) => ({ lines, now })));
    const got = clocks.map((now, k) => compare(lines, now, theirs[k]!, `clock ${new Date(now * 1000).toISOString()}`));
    // 11:59:30 and 12:00:50: reused (up to 60 s old, or ahead); 12:30: too old; Dec 5 noon: a day ahead, still
    // this year, reused; a minute earlier the date is more than a day ahead, so last year's, and too old.
    expect(got.map((g) => g.reused)).toEqual([1, 1, 0, 1, 0]);
    expect(got.map((g) => g.matched)).toEqual([2, 2, 2, 2, 2]);
  });

  it('extracts the same host from each capture line and gives it the same date, at clocks near the dates of the log', async () => {
    const seed = fcSeed();
    console.log(`fail2ban-regex differential: fc.sample seed ${seed}`);
    // Clocks: fixed ones (mid-year, New Year's Eve of a leap year), and for the other logs one just after,
    // or up to a day before, a date the log holds, so that reusing the last date happens.
    const logs = fc.sample(fc.tuple(captureLog(120), fc.nat(119), fc.integer({ min: -86_400, max: 90 })), { numRuns: 12, seed });
    const cases = logs.map(([lines, k, delta], i) => {
      if (i === 0) return { lines, now: utc('2026-07-01T12:00:00') };
      if (i === 1) return { lines, now: utc('2028-12-31T23:59:59') };
      const [rec] = parse(lines[k]!).records();
      const year = 2025 + (i % 4);
      const own = rec && rec.kind === 'capture' && rec.monthNumber !== null ? Date.UTC(year, rec.monthNumber - 1, Math.min(rec.day, 28), 12) / 1000 : utc(`${year}-03-01T00:00:00`);
      return { lines, now: own + delta };
    });
    const theirs = await fail2banRegex(cases);
    let matched = 0;
    let dated = 0;
    let reused = 0;
    cases.forEach(({ lines, now }, i) => {
      const r = compare(lines, now, theirs[i]!, `seed ${seed}, log ${i}, clock ${new Date(now * 1000).toISOString()}`);
      matched += r.matched;
      dated += r.dated;
      reused += r.reused;
    });
    expect(matched).toBeGreaterThan(1000);
    expect(dated).toBeGreaterThan(100);
    expect(reused).toBeGreaterThan(0);
  });
});

// Differential tests against real programs: Perl running thpot's own line construction
// (fixtures/thpot/logthis-lines.pl: sprintf "%.X%.X", POSIX::strftime, "@capdata"), and fail2ban's
// own fail2ban-regex with the thpot filter `failregex = SRC=<HOST>`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fail2banReadsDate, failregexHost, parse, renderRecord, type Capture, type SessionEnd, type SessionStart } from '../../src/thpot/index.js';
import { captureInput, session } from './arbitraries.js';
import { expectedSid, localDate, perlLines, type Session } from './sessions.js';
import { renderCapture } from '../../src/thpot/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("thpot's line construction (perl)", () => {
  it('every generated session parses to its own fields, and re-renders to the line Perl printed', () => {
    const sessions = fc.sample(session, { numRuns: 600, seed: Date.now() % 100000 });
    const text = perlLines(sessions);
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

/** Runs fail2ban-regex on a log; per matched line: host and whether a date was read. */
function fail2banRegex(text: string): Map<string, { host: string; dated: boolean }> {
  const path = join(dir, 'captures');
  writeFileSync(path, text);
  const args = ['--raw', '-o'];
  const run = (out: string) => execFileSync('fail2ban-regex', [...args, out, path, 'SRC=<HOST>'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  const rows = run('row').trimEnd().split('\n').filter(Boolean);
  const msgs = run('msg').trimEnd().split('\n').filter(Boolean);
  expect(rows.length).toBe(msgs.length);
  const out = new Map<string, { host: string; dated: boolean }>();
  rows.forEach((row, i) => {
    const m = /^\['((?:[^'\\]|\\.)*)',\t(None|[\d.]+),/.exec(row);
    if (!m) throw new Error(`unexpected fail2ban-regex row: ${row}`);
    out.set(msgs[i]!, { host: m[1]!, dated: m[2] !== 'None' });
  });
  return out;
}

describe("fail2ban's SRC=<HOST> (fail2ban-regex)", () => {
  it('extracts the same host from each capture line, and reads the same dates', () => {
    const year = new Date().getFullYear();
    // Sources of every kind thpot writes (good, empty, split IPv6, v4-mapped) and dates in every locale.
    const srcs = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.constantFrom('', '2001', 'fe80', '::ffff:10.1.2.3', '10.0.0.1x', 'host-name.example', '[2001:db8::1]', '300.1.2.3', '::', '::1.2.3.4', '::102:304', '::ffff:0:1', '1:0:0:2:0:0:0:3', 'A:B::C', '010.001.002.003'),
    );
    const months = fc.constantFrom('Jan', 'feb', 'MAR', 'Apr', 'Mai', 'Mär', ' 2月', 'févr.', 'Thg 2', 'Dez', 'dec', 'may');
    const cases = fc.sample(fc.tuple(captureInput, srcs, months), { numRuns: 400, seed: 4242 });
    const now = new Date();
    const lines = cases.map(([c, src, month], i) => {
      // Keep dates in the past of this year (fail2ban moves a future date to last year); Feb 29 and Apr 31 stay unreadable.
      const day = (c.day % 28) + 1;
      return renderCapture({ ...c, month, monthNumber: undefined, day: i % 50 === 0 ? 31 : day, pid: i + 1, src });
    });
    const f2b = fail2banRegex(lines.join('\n') + '\n');
    let matched = 0;
    let dated = 0;
    for (const line of lines) {
      const ours = failregexHost(line);
      const theirs = f2b.get(line);
      expect(ours?.host, line).toBe(theirs?.host);
      if (!theirs) continue;
      matched++;
      const [rec] = parse(line).records() as Capture[];
      const future = rec!.monthNumber !== null && (rec!.monthNumber > now.getMonth() + 1 || (rec!.monthNumber === now.getMonth() + 1 && rec!.day >= now.getDate()));
      if (future) continue; // fail2ban would try last year
      expect(fail2banReadsDate(rec!, year), line).toBe(theirs.dated);
      if (theirs.dated) dated++;
    }
    expect(matched).toBeGreaterThan(300);
    expect(dated).toBeGreaterThan(20);
  });
});

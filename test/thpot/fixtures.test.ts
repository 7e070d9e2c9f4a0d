// The fixtures: logs written by thpot's own line construction (fixtures/thpot/logthis-lines.pl), in
// the C locale and under other LC_TIME locales (glibc's month names, through Perl's POSIX::strftime).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, format, parse, type Capture, type SessionEnd, type SessionStart } from '../../src/thpot/index.js';
import { LOCALE_MONTHS } from '../../src/core/months.js';
import { expectedSid, FIXTURES, localDate, readSessions } from './sessions.js';

const read = (name: string) => readFileSync(FIXTURES + name, 'utf8');

describe('single-line layout (C locale)', () => {
  const text = read('captures');
  const sessions = readSessions('captures.sessions.tsv');
  const doc = parse(text, { file: 'captures' });

  it('prints back byte for byte and has no syntax diagnostics', () => {
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.layout).toBe('single');
  });

  it('gives every session its fields', () => {
    const recs = doc.records() as Capture[];
    expect(recs).toHaveLength(sessions.length);
    recs.forEach((r, i) => {
      const s = sessions[i]!;
      const date = localDate(s.secs);
      expect(r).toMatchObject({
        kind: 'capture',
        line: i + 1,
        month: date.month,
        monthNumber: date.monthNumber,
        day: date.day,
        time: date.time,
        sid: expectedSid(s),
        service: s.svc,
        pid: s.pid,
        src: s.saddr,
        elapsed: s.elapsed % 86400,
        bytes: s.bytes,
      });
      if (/^\d+$/.test(s.sport)) expect(r.spt).toBe(+s.sport);
      else if (s.sport === '') expect(r.spt).toBeNull();
      else expect(r.sptText).toBe(s.sport);
    });
  });

  it('checks: empty SRC and the IPv6 split are warnings with the column of SRC', () => {
    const ds = check(doc);
    const col = (line: number) => text.split('\n')[line - 1]!.indexOf('SRC=') + 5;
    expect(ds.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      `5:${col(5)} warning thpot/empty-source`,
      `7:${col(7)} warning thpot/mangled-source`,
    ]);
    expect(col(5)).toBe(53);
  });

  it('is detected by content and by name', () => {
    expect(format.detect('/var/log/thpot/captures', text)).toBe(3);
    expect(format.detect(undefined, text)).toBe(1);
    expect(format.detect('/var/log/thpot/captures', '')).toBe(2);
    expect(format.detect('/etc/ssh/sshd_config', 'Port 22\n')).toBe(0);
  });

  it('summary', () => {
    expect(doc.summary()).toEqual({
      records: 22,
      invalid: 0,
      sources: expect.objectContaining({ '203.0.113.7': 3, '192.168.88.242': 2, '198.51.100.23': 2, '': 1, '2001': 1, '2001:db8::1': 1 }),
      services: { nullresp: 14, shell: 2, '': 1, ftp: 1, http: 1, pop3: 1, smtp: 1, ssh: 1 },
      first: 'Feb 29 13:02:10',
      last: 'Jan 01 00:59:59',
    });
  });
});

describe('multi-line layout', () => {
  const text = read('captures-multi');
  const sessions = readSessions('captures-multi.sessions.tsv');
  const doc = parse(text);

  it('prints back and reads every line, separators included', () => {
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.layout).toBe('multi');
    expect(doc.invalid()).toEqual([]);
  });

  it('gives start and end lines per session', () => {
    const starts = doc.records().filter((r) => r.kind === 'start') as SessionStart[];
    const ends = doc.records().filter((r) => r.kind === 'end') as SessionEnd[];
    expect(starts).toHaveLength(sessions.length);
    expect(ends).toHaveLength(sessions.length);
    sessions.forEach((s, i) => {
      expect(starts[i]).toMatchObject({ sid: expectedSid(s), service: s.svc, pid: s.pid, source: `${s.saddr}:${s.sport}`, src: s.saddr, ...localDate(s.secs) });
      expect(ends[i]).toMatchObject({ sid: expectedSid(s), timeout: s.timeout, ...localDate(s.secs + s.elapsed) });
    });
    const elapsed = doc.records().filter((r) => r.kind === 'elapsed').map((r) => (r as { elapsed: number }).elapsed);
    expect(elapsed).toEqual(sessions.filter((s) => s.elapsed > 0).map((s) => s.elapsed % 86400));
    const totals = doc.records().filter((r) => r.kind === 'total').map((r) => (r as { bytes: number }).bytes);
    expect(totals).toEqual(sessions.filter((s) => s.bytes > 0).map((s) => s.bytes));
  });
});

describe('dates written under another LC_TIME', () => {
  const c = parse(read('captures')).records() as Capture[];
  for (const locale of ['ja_JP', 'fr_FR', 'ru_RU', 'vi_VN', 'de_DE']) {
    it(`${locale}: every line is read, each non-English month is an error naming LC_TIME=POSIX`, () => {
      const text = read(`captures-${locale}`);
      const doc = parse(text, { file: `captures-${locale}` });
      expect(doc.toString()).toBe(text);
      const recs = doc.records() as Capture[];
      expect(recs).toHaveLength(c.length);
      const names = LOCALE_MONTHS[locale]!;
      recs.forEach((r, i) => {
        const expected = c[i]!;
        expect({ ...r, month: '', timestamp: '', monthNumber: 0 }).toEqual({ ...expected, month: '', timestamp: '', monthNumber: 0 });
        const english = r.month === expected.month;
        const ds = doc.diagnostics.filter((d) => d.line === r.line);
        if (english) expect(ds).toEqual([]);
        else {
          expect(ds).toHaveLength(1);
          expect(ds[0]).toMatchObject({ code: 'thpot/locale-month', severity: 'error', line: r.line, column: 1 });
          expect(ds[0]!.message).toContain('LC_TIME=POSIX');
        }
        // Perl 5.36 prints a locale string below U+0100 as Latin-1 bytes (de_DE "M\xe4r"): not UTF-8.
        if (r.month.includes('\uFFFD')) expect(r.monthNumber).toBeNull();
        else expect(r.month).toBe(names[expected.monthNumber! - 1]);
        if (!r.month.includes('\uFFFD')) expect(r.monthNumber).toBe(expected.monthNumber);
      });
    });
  }

  it('ja_JP: the padded month (" 2月") is part of the timestamp as written', () => {
    const doc = parse(read('captures-ja_JP'));
    expect(doc.summary().first).toBe(' 2月 29 13:02:10');
    expect((doc.records()[0] as Capture).month).toBe(' 2月');
  });
});

// fast-check generators for capture logs in the documented layouts.
import fc from 'fast-check';
import { type CaptureInput, type CaptureRecord } from '../../src/thpot/index.js';
import { C_MONTHS, LOCALE_MONTHS } from '../../src/core/months.js';
import { renderCapture, renderRecord } from '../../src/thpot/render.js';
import type { Session } from './sessions.js';

const pad = (n: number) => String(n).padStart(2, '0');
export const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);
const hex = (min: number, max: number) => fc.integer({ min, max }).map((n) => n.toString(16).toUpperCase());
export const sid = fc.oneof(
  fc.tuple(hex(0x10000000, 0xffffffff), fc.oneof(fc.constant(''), hex(1, 999999))).map(([a, b]) => a + b),
  fc.integer({ min: 1000000000, max: 4000000000 }).map(String),
);
export const service = fc.oneof(fc.constant(null), fc.constantFrom('shell', 'ftp', 'http', 'smtp', 'pop3', 'mssql', 'ssh', 'nullresp'), fc.stringMatching(/^[a-z][a-z0-9_.-]{0,11}$/));
export const ipv4 = fc.ipV4();
export const src = fc.oneof({ weight: 6, arbitrary: ipv4 }, { weight: 1, arbitrary: fc.ipV6() }, { weight: 1, arbitrary: fc.constant('') });
export const spt = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 65535 }) }, { weight: 1, arbitrary: fc.constant(null) });

export const captureInput: fc.Arbitrary<CaptureInput> = fc.record({
  monthNumber: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  time,
  sid,
  service,
  pid: fc.integer({ min: 1, max: 4194304 }),
  src,
  spt,
  elapsed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 86399 })),
  bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
});

/** A month name as some locale's %b prints it. */
export const anyMonth = fc.oneof(fc.constantFrom(...C_MONTHS), fc.constantFrom(...Object.values(LOCALE_MONTHS).flat()));

export const localeCaptureInput = fc.tuple(captureInput, anyMonth).map(([c, month]) => ({ ...c, month }));

/** A multi-line session block: separator, start, end, optional elapsed and total lines. */
export const multiBlock = fc
  .record({ a: captureInput, end: time, timeout: fc.boolean() })
  .map(({ a, end, timeout }) => {
    const date = { month: C_MONTHS[a.monthNumber! - 1]!, monthNumber: a.monthNumber!, day: a.day, timestamp: '' };
    const recs: CaptureRecord[] = [
      { kind: 'separator', line: 0 },
      { kind: 'start', line: 0, ...date, time: a.time, sid: a.sid, service: a.service ?? null, pid: a.pid, source: `${a.src}:${a.spt ?? ''}`, src: a.src!, spt: a.spt ?? null },
      { kind: 'end', line: 0, ...date, time: end, sid: a.sid, service: a.service ?? null, timeout },
    ];
    if (a.elapsed) recs.push({ kind: 'elapsed', line: 0, elapsed: a.elapsed });
    if (a.bytes) recs.push({ kind: 'total', line: 0, bytes: a.bytes });
    return recs.map(renderRecord);
  });


/** A valid capture with one of its two-digit fields (day, time, ET) replaced by any two digits. */
export const rawCaptureLine = fc
  .tuple(captureInput, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 99 }))
  .map(([c, field, n]) => {
    const line = renderCapture({ ...c, elapsed: c.elapsed || 3723 });
    const at = field === 0 ? 4 : field <= 3 ? 7 + (field - 1) * 3 : line.indexOf(' ET=') + 4 + (field - 4) * 3;
    return line.slice(0, at) + pad(n) + line.slice(at + 2);
  });

/** A noise line: anything at all, or a capture with one byte changed. */
export const noiseLine = fc.oneof(
  rawCaptureLine,
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/\n/g, ' ')),
  fc.tuple(captureInput, fc.nat(), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })).map(([c, i, ch]) => {
    const line = renderCapture(c);
    const at = i % line.length;
    return (line.slice(0, at) + ch + line.slice(at + 1)).replace(/\n/g, ' ');
  }),
);

export const eol = fc.constantFrom('\n', '\r\n');

/** A whole log: lines of either layout and noise, each with its own ending; maybe no final newline. */
export const logText = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: captureInput.map((c) => [renderCapture(c)]) },
        { weight: 1, arbitrary: localeCaptureInput.map((c) => [renderCapture(c)]) },
        { weight: 1, arbitrary: multiBlock },
        { weight: 1, arbitrary: noiseLine.map((l) => [l]) },
      ),
      { maxLength: 30 },
    ),
    fc.array(eol, { minLength: 200, maxLength: 200 }),
    fc.boolean(),
  )
  .map(([groups, eols, finalNewline]) => {
    const lines = groups.flat();
    let s = lines.map((l, i) => l + eols[i % eols.length]).join('');
    if (!finalNewline && s.endsWith('\n')) s = s.slice(0, s.endsWith('\r\n') ? -2 : -1);
    return s;
  });

/** Sessions for logthis-lines.pl (C locale). */
export const session: fc.Arbitrary<Session> = fc.record({
  layout: fc.constantFrom('single' as const, 'multi' as const),
  secs: fc.integer({ min: 0x10000000, max: 0xfffffff0 }),
  usecs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999999 })),
  svc: fc.oneof(fc.constant(null), fc.constantFrom('shell', 'ftp', 'http', 'smtp', 'nullresp', 'ssh')),
  pid: fc.integer({ min: 2, max: 4194304 }),
  saddr: src,
  sport: fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.constant('')),
  elapsed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200000 })),
  bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
  timeout: fc.boolean(),
  sidmode: fc.constantFrom('hex' as const, 'hex' as const, 'dec' as const),
});

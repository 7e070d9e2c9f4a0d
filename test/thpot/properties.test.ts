import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bSrcEnd, bSrcStart, bSvcEnd, bSvcStart, scanCaptureBytes } from '../../src/thpot/bytes.js';
import { fSrcEnd, fSrcStart, fSvcEnd, fSvcStart, grammarLine, scanCapture, scanCaptureFields } from '../../src/thpot/scan.js';
import { KeyCounter } from '../../src/thpot/counter.js';
import { parse, records, summarize, type Capture, type StreamEntry } from '../../src/thpot/index.js';
import { renderCapture, renderRecord } from '../../src/thpot/render.js';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { captureInput, localeCaptureInput, logText, noiseLine } from './arbitraries.js';

/** Splits a string's UTF-8 bytes at the given cut points (inside characters too). */
function byteChunks(text: string, cuts: number[]): Buffer[] {
  const buf = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    out.push(buf.subarray(at, p));
    at = p;
  }
  out.push(buf.subarray(at));
  return out;
}

async function collect(it: AsyncIterable<StreamEntry>): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** What parse() says, in the streaming shape: entries with their diagnostics. */
function wholeText(text: string): StreamEntry[] {
  const doc = parse(text);
  return doc.entries().map((e) => {
    const ds = doc.diagnostics.filter((d) => d.line === e.line);
    return ds.length ? { ...e, diagnostics: ds } : { ...e };
  });
}

describe('thpot properties', () => {
  it('generated logs print back byte for byte', () => {
    fc.assert(
      fc.property(logText, (text) => {
        expect(parse(text).toString()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('every record re-renders to its own line', () => {
    fc.assert(
      fc.property(logText, (text) => {
        const doc = parse(text);
        for (const r of doc.records()) {
          const raw = doc.raw(r.line)!;
          expect(renderRecord(r)).toBe(raw.replace(/\r?\n$/, ''));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a rendered capture parses to the fields it was rendered from', () => {
    fc.assert(
      fc.property(captureInput, (c) => {
        const [r] = parse(renderCapture(c)).records() as Capture[];
        expect(r).toMatchObject({ kind: 'capture', monthNumber: c.monthNumber, day: c.day, time: c.time, sid: c.sid, service: c.service, pid: c.pid, src: c.src, spt: c.spt, elapsed: c.elapsed, bytes: c.bytes });
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary strings never throw and always print back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const doc = parse(text);
        expect(doc.toString()).toBe(text);
        expect(doc.records().length + doc.invalid().length).toBe(doc.entries().length);
      }),
      { numRuns: 500 },
    );
  });

  it('the fast scanner agrees with the grammar', () => {
    fc.assert(
      fc.property(fc.oneof(captureInput.map(renderCapture), localeCaptureInput.map(renderCapture), noiseLine), (line) => {
        const fast = scanCapture(line, 1);
        const g = grammarLine(line, 'Capture');
        if (fast) {
          expect(g.ok).toBe(true);
          const v = (g as { value: any }).value;
          expect({ month: v.month, day: v.day, time: v.time, sid: v.sid, service: v.service, pid: +v.pid, src: v.src }).toEqual({
            month: fast.month, day: fast.day, time: fast.time, sid: fast.sid, service: fast.service, pid: fast.pid, src: fast.src,
          });
          expect(v.et ?? 0).toBe(fast.elapsed);
          expect(v.bytes === null ? 0 : +v.bytes).toBe(fast.bytes);
          expect(v.spt).toBe(fast.sptText ?? (fast.spt === null ? '' : String(fast.spt)));
        } else if (g.ok) {
          // Only a month that is not the C locale's leaves the fast path.
          expect(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']).not.toContain((g as { value: any }).value.month);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('streaming with random chunk boundaries (inside lines, CRLF pairs and UTF-8 characters) equals the whole-text parse', async () => {
    await fc.assert(
      fc.asyncProperty(logText, fc.array(fc.nat(), { maxLength: 12 }), async (text, cuts) => {
        const chunks = byteChunks(text, cuts);
        const streamed = await collect(records(Readable.from(chunks, { objectMode: true })));
        expect(streamed).toEqual(wholeText(text));
      }),
      { numRuns: 200 },
    );
  });

  it('summarize() with random chunk boundaries equals the whole-text summary, diagnostics included', async () => {
    await fc.assert(
      fc.asyncProperty(logText, fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 200 }), async (text, cuts, max) => {
        const expected = parse(text).summary();
        const diagnostics = wholeText(text).flatMap((e) => e.diagnostics ?? []);
        // Bytes (the summary counts captures from their bytes) and text chunks (from the decoded text).
        for (const chunks of [byteChunks(text, cuts), textChunks(text, cuts)] as (Buffer | string)[][]) {
          const seen: Diagnostic[] = [];
          const s = await summarize(Readable.from(chunks, { objectMode: true }), { onDiagnostic: (d) => seen.push(d) });
          expect(s.toJSON()).toEqual(expected);
          expect(seen).toEqual(diagnostics);
        }
        // With a line-length limit, the summary still counts what records() yields.
        const limited = await summarize(Readable.from(byteChunks(text, cuts), { objectMode: true }), { maxLineLength: max });
        let records = 0;
        let invalid = 0;
        for await (const e of records_(text, cuts, max)) e.kind === 'invalid' ? invalid++ : records++;
        expect([limited.records, limited.invalid]).toEqual([records, invalid]);
      }),
      { numRuns: 200 },
    );
  });

  it('the byte scanner accepts a line\'s UTF-8 bytes exactly when the text scanner accepts the line, with the same SRC and service', () => {
    const lines = fc.oneof(captureInput.map(renderCapture), localeCaptureInput.map(renderCapture), noiseLine);
    const mutated = fc.tuple(lines, fc.nat(), fc.constantFrom('', ' ', '\t', '\r', 'é', '\uFFFD', '0', 'A', '.', '=', '月')).map(([l, at, c]) => {
      const i = l.length ? at % l.length : 0;
      return l.slice(0, i) + c + l.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(lines, mutated), fc.constantFrom('', '\n', '\r\n'), (line, ending) => {
        const b = Buffer.from(line + ending, 'utf8');
        const end = b.length - Buffer.byteLength(ending);
        const ok = scanCaptureFields(line, 0, line.length);
        expect(scanCaptureBytes(b, 0, end)).toBe(ok);
        if (ok) {
          expect(b.toString('utf8', bSrcStart, bSrcEnd)).toBe(line.slice(fSrcStart, fSrcEnd));
          expect(bSvcStart < 0 ? null : b.toString('utf8', bSvcStart, bSvcEnd)).toBe(fSvcStart < 0 ? null : line.slice(fSvcStart, fSvcEnd));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the key counter counts ranges like a Map counts their substrings', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 3000 }), fc.string({ maxLength: 5 }), (keys, pad) => {
        const c = new KeyCounter();
        const m = new Map<string, number>();
        for (const k of keys) {
          const s = pad + k + pad;
          c.addRange(s, pad.length, pad.length + k.length);
          m.set(k, (m.get(k) ?? 0) + 1);
        }
        expect(c.entries()).toEqual([...m]);
        expect(c.size).toBe(m.size);
      }),
      { numRuns: 100 },
    );
  });
});

/** The text cut at the same points, as string chunks (cuts inside a character move to its end). */
function textChunks(text: string, cuts: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const p of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    out.push(text.slice(at, p));
    at = p;
  }
  out.push(text.slice(at));
  return out;
}

function records_(text: string, cuts: number[], maxLineLength: number): AsyncIterable<StreamEntry> {
  return records(Readable.from(byteChunks(text, cuts), { objectMode: true }), { maxLineLength });
}

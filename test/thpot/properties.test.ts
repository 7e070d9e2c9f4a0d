import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { grammarLine, scanCapture } from '../../src/thpot/scan.js';
import { parse, records, renderCapture, renderRecord, type Capture, type StreamEntry } from '../../src/thpot/index.js';
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
});

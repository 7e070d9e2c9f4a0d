import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, recordBatches, records, summarize, type StreamEntry } from '../../src/thpot/index.js';
import { renderCapture } from '../../src/thpot/render.js';
import { captureInput } from './arbitraries.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(it: AsyncIterable<StreamEntry>): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const LINE = 'Feb 29 13:02:10 SID=56D4334221165.nullresp PID=4837 SRC=192.168.88.242 SPT=47187 ET=00:00:11 BYTES=39';

describe('records(): streaming', () => {
  it('reads a file path, CRLF and a last line without newline', async () => {
    const text = `${LINE}\r\nnot a capture\r\n${LINE}`;
    const path = join(dir, 'captures');
    writeFileSync(path, text);
    const got = await collect(records(path));
    expect(got.map((e) => `${e.line}:${e.kind}`)).toEqual(['1:capture', '2:invalid', '3:capture']);
    expect(got[1]).toMatchObject({ kind: 'invalid', text: 'not a capture', diagnostics: [{ code: 'thpot/invalid-line', file: path, line: 2, column: 1 }] });
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const text = ` 2月 29 13:02:10 SID=56D43342.shell PID=1 SRC=10.0.0.1 SPT=1\n`;
    const bytes = Buffer.from(text);
    // Cut inside 月 (3 bytes: e6 9c 88), one byte at a time.
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const got = await collect(records(Readable.from(chunks)));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: 'capture', month: ' 2月', monthNumber: 2, diagnostics: [{ code: 'thpot/locale-month', severity: 'error' }] });
  });

  it('takes text chunks too (a Readable with an encoding)', async () => {
    const got = await collect(records(Readable.from([LINE.slice(0, 10), LINE.slice(10) + '\n', '\n'])));
    expect(got.map((e) => e.kind)).toEqual(['capture', 'invalid']);
  });

  it('an empty stream has no entries; one newline is one blank line', async () => {
    expect(await collect(records(Readable.from([])))).toEqual([]);
    expect((await collect(records(Readable.from(['\n'])))).map((e) => e.kind)).toEqual(['invalid']);
  });

  it('a line longer than maxLineLength is one truncated invalid entry, and the lines after it are read', async () => {
    const long = 'x'.repeat(5000);
    const got = await collect(records(Readable.from([LINE + '\n', long.slice(0, 2000), long.slice(2000) + '\n' + LINE + '\n']), { maxLineLength: 100 }));
    expect(got.map((e) => `${e.line}:${e.kind}`)).toEqual(['1:capture', '2:invalid', '3:capture']);
    expect(got[1]).toMatchObject({ truncated: true, text: 'x'.repeat(100) });
  });

  it('rejects what is not a source', async () => {
    await expect(records(42 as never).next()).rejects.toThrow(TypeError);
  });

  it('summarize() streams into the same summary as the document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(captureInput, { maxLength: 40 }), async (cs) => {
        const text = cs.map((c) => renderCapture(c) + '\n').join('') + 'junk\n';
        const s = await summarize(Readable.from([text]));
        expect(s.toJSON()).toEqual(parse(text).summary());
      }),
      { numRuns: 50 },
    );
  });
});

describe('constant memory', () => {
  /** A source that makes lines on demand and counts how many chunks were pulled. */
  function counted(chunks: number, linesPerChunk: number) {
    const state = { pulled: 0 };
    async function* gen() {
      for (let i = 0; i < chunks; i++) {
        state.pulled++;
        let s = '';
        for (let j = 0; j < linesPerChunk; j++) s += `Mar 01 00:00:00 SID=5${String(i * linesPerChunk + j).padStart(7, '0')}.shell PID=${j + 1} SRC=10.0.${i % 256}.${j % 256} SPT=1\n`;
        yield s;
      }
    }
    return { state, source: gen() };
  }

  it('reads no further ahead than the chunk being consumed', async () => {
    const perChunk = 50;
    const { state, source } = counted(400, perChunk);
    let n = 0;
    for await (const e of records(source)) {
      n++;
      // When entry n is handed out, only the chunk holding it (and at most the one after, for a line split across them) was read.
      expect(state.pulled).toBeLessThanOrEqual(Math.ceil(e.line / perChunk) + 1);
    }
    expect(n).toBe(400 * perChunk);
  });

  /** In its own frame, so the test itself keeps no entry in a local. */
  function track(refs: WeakRef<object>[], batch: readonly object[]): void {
    for (let i = 0; i < batch.length; i++) refs.push(new WeakRef(batch[i]!));
  }

  it('keeps no reference to entries once they are yielded', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { source } = counted(200, 100);
    const refs: WeakRef<object>[] = [];
    let batches = 0;
    let alive = -1;
    for await (const batch of recordBatches(source)) {
      batches++;
      if (batches <= 20) track(refs, batch);
      if (batches === 150) {
        gc();
        await new Promise((r) => setImmediate(r));
        gc();
        alive = refs.filter((r) => r.deref() !== undefined).length;
      }
    }
    expect(refs.length).toBe(2000);
    // Mid-stream, after 130 more chunks, none of the first 20 chunks' entries is still reachable.
    expect(alive).toBe(0);
  });
});

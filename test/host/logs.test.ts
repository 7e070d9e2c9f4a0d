// logTail: the last lines of a log read from its end, against splitting the whole text.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSource, NodeFileSource } from '../../src/core/files.js';
import { logTail } from '../../src/host/logs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-logtail-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The reference: the lines that start after the last maxBytes bytes begin (all when the file is shorter), the last maxLines of them. */
function reference(text: string, maxLines: number, maxBytes: number): { lines: string[]; firstLine: number } {
  const bytes = Buffer.from(text, 'utf8');
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  // Line k starts at byte offset starts[k].
  const starts: number[] = [];
  let at = 0;
  for (const l of all) {
    starts.push(at);
    at += Buffer.byteLength(l, 'utf8') + 1;
  }
  const from = Math.max(0, bytes.length - maxBytes);
  // Cut inside the file: the lines that start after the cut (a line that starts right at it may be a piece).
  let k = from === 0 ? 0 : starts.findIndex((s) => s > from);
  if (k < 0) k = all.length;
  const kept = all.slice(k);
  const drop = Math.max(0, kept.length - maxLines);
  return { lines: kept.slice(drop).map((l) => l.replace(/\r+$/, '')), firstLine: k + drop + 1 };
}

describe('logTail', () => {
  it('property: the same lines and first line number as splitting the whole file', () => {
    const line = fc.stringMatching(/^[a-z é月\r]{0,12}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 400 }), (lines, endNl, maxLines, maxBytes) => {
        const text = lines.join('\n') + (endNl && lines.length ? '\n' : '');
        const p = path.join(dir, 'log');
        fs.writeFileSync(p, text);
        const got = logTail(new NodeFileSource({ root: dir }), '/log', maxLines, maxBytes)!;
        const want = reference(text, maxLines, maxBytes);
        expect({ lines: got.lines, firstLine: got.lines.length ? got.firstLine : 0 }).toEqual({ lines: want.lines, firstLine: want.lines.length ? want.firstLine : 0 });
      }),
    );
  });

  it('reads a source without files from its text; a missing log is undefined', () => {
    const files = new MemoryFileSource({ '/var/log/x': 'a\nb\r\nc\n' });
    expect(logTail(files, '/var/log/x', 2)).toEqual({ lines: ['b', 'c'], firstLine: 2 });
    expect(logTail(files, '/var/log/none')).toBeUndefined();
    expect(logTail(new NodeFileSource({ root: dir }), '/none')).toBeUndefined();
  });
});

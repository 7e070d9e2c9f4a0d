// The hand-written `Line` rule (src/thpot/line-parser.ts, what classify runs) against the grammar it
// transcribes (grammars/thpot.peggy through grammarLine): the same value for a line the grammar takes,
// the same column and message for one it refuses. The lines: every layout's lines, valid, then edited
// (characters replaced, inserted, deleted, the line cut), and random text. The run's fast-check seed
// is printed by the global setup; a failing seed becomes a fixed case below.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarLine, lineResult } from '../../src/thpot/scan.js';
import { renderCapture } from '../../src/thpot/render.js';
import { captureInput, localeCaptureInput, multiBlock, noiseLine } from './arbitraries.js';

const valid = fc.oneof(
  captureInput.map(renderCapture),
  localeCaptureInput.map(renderCapture),
  multiBlock.chain((lines) => fc.constantFrom(...lines)),
);

/** Characters that sit on the grammar's edges: digits at their limits, separators, field ends, non-ASCII. */
const EDGE = ['0', '1', '2', '3', '4', '5', '6', '9', ' ', ':', '=', '.', ',', '\t', 'A', 'F', 'G', 'x', '-', 'S', 'P', 'é', '\u{1F600}', '\x01', '\x7f', '\r', '\n', '\uD800'];

const edit = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete', 'cut'), at: fc.nat(), c: fc.constantFrom(...EDGE) });

function applyEdit(line: string, e: { kind: string; at: number; c: string }): string {
  const i = e.at % (line.length + 1);
  if (e.kind === 'replace') return line.slice(0, i) + e.c + line.slice(i + 1);
  if (e.kind === 'insert') return line.slice(0, i) + e.c + line.slice(i);
  if (e.kind === 'delete') return line.slice(0, i) + line.slice(i + 1);
  return line.slice(0, i);
}

const edited = fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([line, edits]) => edits.reduce(applyEdit, line));

function same(line: string): void {
  expect(lineResult(line), JSON.stringify(line)).toEqual(grammarLine(line));
}

describe('lineResult is the grammar', () => {
  it('on valid, edited and random lines (property)', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: valid }, { weight: 6, arbitrary: edited }, { weight: 1, arbitrary: noiseLine }), (line) => same(line)),
      { numRuns: 6000 },
    );
  });

  it('refuses dated lines where and as the grammar does (fixed cases)', () => {
    const lines = [
      'Jan 01 00:00:00 SID=12AB PID=x1 SRC=10.0.0.1',
      'Jan 01 00:00:00 SID=12AB PID=1 SRC=10.0.0.1',
      'Jan 01 00:00:00 SID=12AB PID=1 SRC=10.0.0.1 SPT=1 junk',
      'Jan 01 00:00:00 SID=12AB PID=1 SRC=10.0.0.1 SPT=1 ET=24:00:00',
      'Jan 01 00:00:00 SID=12ab PID=1 SRC= SPT=',
      'Jan 01 00:00:00 start thp SID 12AB.ssh, UNIX pid 1 source 1.2.3.4:5 x',
      'Jan 01 00:00:00 start thp SID 12AB., UNIX pid 1 source x',
      'Jan 01 00:00:00 end thp SID 12AB - timeou',
      'Jan 01 00:00:00 end thp SID 12AB.',
      'Jan 01 00:00:00 ',
      'Jan 01 00:00:00 x',
      'Mär 01 00:00:00 SID=1 PID=1 SRC=1 SPT=1 BYTES=',
      'a b c d e f g h i j k l m n o p 01 00:00:00 SID=1 PID=1 SRC=1 SPT=1',
      '\t- elapsed time 00:00:00x',
      '\t- elapsed time 24:00:00',
      '\t- total 12 byte',
      '\t- total  bytes',
      '\t',
      '',
      'garbage line without a date',
      'Jan 01 00:00:00 SID=\u{1F600} PID=1',
      // The date test before the grammar (1–16 month characters, then ` DD HH:MM:SS` and a space or the end).
      'abcdefghijklmnop 01 00:00:00 x', 'abcdefghijklmnopq 01 00:00:00 x', 'Jan 01 00:00:60', 'Jan 01 00:00:61', 'Jan 32 00:00:00 x',
      'Jan 00 00:00:00 x', 'Jan 01 24:00:00 x', 'Jan 01 00:60:00 x', '\x01an 01 00:00:00 x', 'Ja\x7f 01 00:00:00 x', 'Jan 01 00:00:00x',
      'Jan 1 00:00:00 x', 'a 01 00:00:00 b 01 00:00:00 SID=1 PID=1 SRC=1 SPT=1', ' 01 00:00:00 SID=1 PID=1 SRC=1 SPT=1',
    ];
    for (const l of lines) same(l);
    // The PID's digits are a class, not a literal: nothing is named, only what was found.
    expect(lineResult(lines[0]!)).toEqual({ ok: false, column: 30, message: 'unexpected text, found "x"' });
    expect(lineResult(lines[1]!)).toEqual({ ok: false, column: 44, message: 'expected " SPT=", found the end of the line' });
  });
});

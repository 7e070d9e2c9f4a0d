/**
 * A hand-written scanner with exactly the results of grammars/xinetd.peggy's start rules (Line,
 * EntryLine, AttributeLine); test/xinetd/scan.test.ts checks that they agree on generated lines and
 * that the reader (reader.ts) gives the same reading of every fixture and generated file through
 * either. The grammar stays the specification; the Document reads with this scanner because the
 * generated parser makes bench/xinetd.bench.mjs's parse (80,000 lines) about 4× as long (the
 * benchmarks may lose at most 10%): it pays a fixed set-up on every call and a regex test per character.
 */
import type { AttributeSyntax, LineClass, Word } from './model.js';

/** isspace() in the C locale. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isSep = (c: number) => c === 32 || c === 9;

export function scanClass(s: string): LineClass {
  let i = 0;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i === n) return 'blank';
  const c = s.charCodeAt(i);
  if (c === 35) return 'comment';
  if (c === 123 || c === 125) {
    let j = i + 1;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (j === n) return c === 123 ? 'open' : 'close';
  }
  return 'text';
}

/** Words split on space and tab, from offset `from`. */
export function scanWords(s: string, from = 0): Word[] {
  const out: Word[] = [];
  let i = from;
  const n = s.length;
  while (i < n) {
    while (i < n && isSep(s.charCodeAt(i))) i++;
    if (i === n) break;
    const start = i;
    while (i < n && !isSep(s.charCodeAt(i))) i++;
    out.push({ text: s.slice(start, i), start, end: i });
  }
  return out;
}

export function scanAttribute(s: string): AttributeSyntax {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const ns = i;
  while (i < n && !isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== 61) i++;
  const name: Word = { text: s.slice(ns, i), start: ns, end: i };
  if (i < n && s.charCodeAt(i) === 61) return { type: 'error', error: 'needs-space', name };
  let j = i;
  while (j < n && isSpace(s.charCodeAt(j))) j++;
  if (j === n) return { type: 'error', error: 'nothing-after', name };
  const c = s.charCodeAt(j);
  let opEnd = -1;
  if (c === 61) opEnd = j + 1;
  else if ((c === 43 || c === 45) && s.charCodeAt(j + 1) === 61) opEnd = j + 2;
  if (opEnd < 0) return { type: 'error', error: 'bad-operator', name, opStart: j };
  return { type: 'attribute', name, op: s.slice(j, opEnd) as '=' | '+=' | '-=', opStart: j, opEnd, values: scanWords(s, opEnd) };
}

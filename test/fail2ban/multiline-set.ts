/**
 * Random fail2ban files with multi-line values, and random `set`s of multi-line values on them, for
 * the decor property (test/core/decor.test.ts, fwconf's reading) and the same edits read by fail2ban's
 * configparser (test/fail2ban/ini.system.test.ts).
 */
import fc from 'fast-check';
import type { Decor } from '../../src/core/decor.js';
import { applyEdits } from '../../src/core/lines.js';
import { entryDecor } from '../../src/fail2ban/document.js';
import { parse, type Fail2banDocument } from '../../src/fail2ban/index.js';

const word = fc.constantFrom('^a', '<HOST>', 'x y', '10.0.0.0/8', '%(port)s', 'b');
const comment = fc.constantFrom('', '', ' ; note', '\t;x', '  ');
const eol = fc.constantFrom('\n', '\n', '\r\n', '\r');
const option = fc.record({
  sep: fc.constantFrom(' = ', '=', ': ', ' =  '),
  first: fc.constantFrom('', 'ssh', '^a'),
  comment,
  eol,
  continuation: fc.array(
    fc.record({ indent: fc.constantFrom(' ', '    ', '\t', '            '), value: word, comment, eol, before: fc.constantFrom('', '', '# inner\n', '\n') }),
    { maxLength: 3 },
  ),
});
const keys = ['failregex', 'ignoreip', 'action', 'logpath', 'port'];
const section = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), option), { selector: ([k]) => k, minLength: 1, maxLength: 4 });
/** A file: sections of options, some with continuation lines (comment and blank lines among them). */
export const multiLineFileArb = fc
  .tuple(fc.array(section, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([sections, finalEol]) => {
    let text = '';
    sections.forEach((opts, i) => {
      text += `${i > 0 ? '\n' : ''}# s${i}\n[s${i}]\n`;
      for (const [k, o] of opts) {
        text += `${k}${o.sep}${o.first}${o.first === '' ? '' : o.comment}${o.eol}`;
        for (const c of o.continuation) text += `${c.before}${c.indent}${c.value}${c.comment}${c.eol}`;
      }
    });
    return finalEol ? text : text.replace(/(?:\r\n|\n|\r)$/, '');
  });
/** A value to set: one to three lines (the first may be empty, as `failregex =` then lines), an empty line between them at times. */
export const multiLineValueArb = fc
  .tuple(fc.constantFrom('', 'v', '^x <HOST>'), fc.array(fc.constantFrom('^y', '', 'z w', '%(a)s'), { maxLength: 3 }), fc.constantFrom('^end', 'e'))
  .map(([first, middle, end]) => [first, ...middle, end].slice(0, 1 + Math.min(3, middle.length + 1)).concat([]).join('\n'))
  .map((v) => v.replace(/\n+$/, '') || 'v')
  .map((v) => (/^\n*$/.test(v) ? 'v' : v));

/** The key line and last value line (0-based) of an option, as the parse reads it. */
function span(doc: Fail2banDocument, section: string, key: string): { first: number; last: number } {
  const first = doc.lineOf(section, key)! - 1;
  let last = first;
  for (let i = first + 1; i < doc.lines.length; i++) {
    const k = doc.lines[i]!.kind;
    if (k === 'continuation') last = i;
    else if (k !== 'blank' && k !== 'comment') break;
  }
  return { first, last };
}

/** The options of a document, as `[section, key]`. */
function optionsOf(doc: Fail2banDocument): [string, string][] {
  return doc.sections().flatMap((s) => doc.keys(s).map((k) => [s, k] as [string, string]));
}

/**
 * Sets the picked options to the picked values in turn; after each: the lines before the option's key
 * line and after its last value line are the old ones, the new lines start with the old decor's
 * prefix and end with its suffix (a file's last line without an ending keeps none), the value reads
 * back (the document, and the text parsed afresh), and the option's decor is the old one. At the end
 * `applyEdits(original, doc.edits()) === doc.toString()` with every edit inside lines of edited
 * options. Returns the edited text and the values set, for the configparser check.
 */
export function checkMultiLineSets(text: string, picks: { at: number; value: string }[], expect: (cond: boolean, what: string) => void): { text: string; set: Map<string, string> } {
  const doc = parse(text);
  const options = optionsOf(doc);
  const set = new Map<string, string>();
  const editedLines = new Set<number>();
  for (const p of picks) {
    if (options.length === 0) break;
    const [s, k] = options[p.at % options.length]!;
    const orig = span(parse(text), s, k);
    for (let i = orig.first; i <= orig.last; i++) editedLines.add(i);
    const before = doc.lines.map((l) => l.raw);
    const { first, last } = span(doc, s, k);
    const decor: Decor = entryDecor(doc.lines[first]!, doc.lines[last]!, doc.eol);
    const wasEnd = last === before.length - 1 && !/[\r\n]$/.test(before[last]!);
    doc.set(s, k, p.value);
    set.set(`${s}\u0000${k}`, p.value);
    const now = doc.lines.map((l) => l.raw);
    const head = before.slice(0, first).join('');
    const tail = before.slice(last + 1).join('');
    const out = now.join('');
    const what = JSON.stringify({ text, s, k, value: p.value, out, decor });
    expect(out.startsWith(head + decor.prefix), `prefix and the lines before kept: ${what}`);
    const suffix = wasEnd ? decor.suffix.replace(/(?:\r\n|\n|\r)$/, '') : decor.suffix;
    expect(out.endsWith(suffix + tail), `suffix and the lines after kept: ${what}`);
    expect(out.length >= head.length + decor.prefix.length + suffix.length + tail.length, `no overlap: ${what}`);
    expect(doc.get(s, k) === p.value, `reads back: ${what} got ${JSON.stringify(doc.get(s, k))}`);
    expect(parse(out).get(s, k) === p.value, `reads back parsed afresh: ${what}`);
    const again = span(doc, s, k);
    const d2 = entryDecor(doc.lines[again.first]!, doc.lines[again.last]!, doc.eol);
    expect(d2.prefix === decor.prefix && (wasEnd || d2.suffix === decor.suffix), `decor kept: ${what} ${JSON.stringify(d2)}`);
  }
  const out = doc.toString();
  expect(doc.original === text, 'original kept');
  expect(applyEdits(text, doc.edits()) === out, `edits replay: ${JSON.stringify({ text, out, edits: doc.edits() })}`);
  const lines = parse(text).lines;
  const spans: [number, number][] = [];
  let at = 0;
  for (const l of lines) spans.push([at, (at += l.raw.length)]);
  for (const e of doc.edits()) {
    const touched = spans.flatMap(([a, b], i) => (a < e.offset + Math.max(e.length, 1) && b > e.offset ? [i] : []));
    expect(touched.length > 0 && touched.every((i) => editedLines.has(i)), `edit within edited options: ${JSON.stringify({ text, e, touched })}`);
  }
  return { text: out, set };
}

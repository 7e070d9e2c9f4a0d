// Properties of what apply writes: the byte codec it reads and writes files through loses nothing,
// and editing a user's fail2ban .local sets fwconf's options and leaves every other line alone.
import { diffArrays } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editUserLocal } from '../../src/apply/fail2ban-edits.js';
import { decodeBytes, encodeText, firstEscapedByte, rawLines } from '../../src/core/text.js';
import { Fail2banDocument } from '../../src/fail2ban/document.js';

describe('decodeBytes / encodeText', () => {
  // bytes biased towards UTF-8 lead and continuation bytes, so well-formed and broken sequences both occur
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x90, 0xef, 0xbb, 0xbf, 0x0a, 0x0d));
  it('gives back every byte sequence byte for byte', () => {
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), (bs) => {
        const b = Uint8Array.from(bs);
        expect(Buffer.from(encodeText(decodeBytes(b))).equals(Buffer.from(b))).toBe(true);
      }),
    );
  });
  it('decodes well-formed UTF-8 as UTF-8 (a byte-order mark kept), with no escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.boolean(), (s, bom) => {
        const text = (bom ? '\ufeff' : '') + s;
        const decoded = decodeBytes(Buffer.from(text, 'utf8'));
        expect(decoded).toBe(text);
        expect(firstEscapedByte(decoded)).toBe(-1);
      }),
    );
  });
  it('escapes a byte exactly when the bytes are not well-formed UTF-8 (what Node would replace)', () => {
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), (bs) => {
        const b = Buffer.from(bs);
        const wellFormed = Buffer.from(b.toString('utf8'), 'utf8').equals(b);
        expect(firstEscapedByte(decodeBytes(b)) < 0).toBe(wellFormed);
      }),
    );
  });
});

describe('editUserLocal', () => {
  const SECTIONS = ['DEFAULT', 'sshd', 'recidive', 'my-jail', 'Definition'];
  const KEYS = ['enabled', 'port', 'bantime', 'logpath', 'filter', 'maxretry', 'failregex'];
  const word = fc.stringMatching(/^[a-z0-9/<>=.-]{1,8}$/);
  const value = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
  const multi = fc.array(value, { minLength: 1, maxLength: 3 }).map((vs) => vs.join('\n'));

  /** A hand-written file: comments, blank lines, several separators and spellings, inline comments, continuations. */
  const userFile = fc
    .record({
      eol: fc.constantFrom('\n', '\r\n'),
      finalEol: fc.boolean(),
      head: fc.array(fc.constantFrom('# mine', '; notes', '', '# é ü'), { maxLength: 2 }),
      sections: fc.array(
        fc.record({
          name: fc.constantFrom(...SECTIONS),
          lines: fc.array(
            fc.oneof(
              fc.record({
                key: fc.constantFrom(...KEYS, 'Enabled', 'BanTime', 'usekey'),
                sep: fc.constantFrom(' = ', '=', ' : ', ':', '  = '),
                value,
                comment: fc.constantFrom('', '  ; why', ' ; é'),
                more: fc.array(value, { maxLength: 2 }),
              }),
              fc.constantFrom('', '# a comment', ';another'),
            ),
            { maxLength: 5 },
          ),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ eol, finalEol, head, sections }) => {
      const out: string[] = [...head];
      for (const s of sections) {
        out.push(`[${s.name}]`);
        for (const l of s.lines) {
          if (typeof l === 'string') out.push(l);
          else {
            out.push(`${l.key}${l.sep}${l.value}${l.comment}`);
            for (const m of l.more) out.push(`    ${m}`);
          }
        }
      }
      return out.join(eol) + (out.length && finalEol ? eol : '');
    });

  /** What fwconf renders: `key = value` sections in canonical style. */
  const renderedFile = fc
    .uniqueArray(fc.record({ name: fc.constantFrom(...SECTIONS), options: fc.uniqueArray(fc.record({ key: fc.constantFrom(...KEYS), value: fc.oneof(value, multi) }), { selector: (o) => o.key, maxLength: 4 }) }), { selector: (s) => s.name, maxLength: 3 })
    .map((secs) => '# header\n\n' + secs.map((s) => `[${s.name}]\n${s.options.map((o) => `${o.key} = ${o.value.split('\n').join('\n            ')}\n`).join('')}`).join('\n'));

  const content = (text: string) => new Fail2banDocument(text, { file: 'x' }).content();
  const lookup = (c: ReturnType<typeof content>, s: string, k: string) => (s === 'DEFAULT' ? c.defaults : c.sections.get(s))?.get(k)?.value;

  it("sets each of fwconf's options, keeps every other option and every line it did not change, and is idempotent", () => {
    fc.assert(
      fc.property(userFile, renderedFile, (user, rendered) => {
        const { text } = editUserLocal(user, rendered, '/etc/fail2ban/jail.local');
        const got = content(text);
        const mine = content(user);
        const want = content(rendered);
        const managed = (s: string, k: string) => lookup(want, s, k) !== undefined;
        for (const [s, opts] of [['DEFAULT', want.defaults] as const, ...want.sections]) for (const [k, o] of opts) expect(lookup(got, s, k)).toBe(o.value);
        for (const [s, opts] of [['DEFAULT', mine.defaults] as const, ...mine.sections]) for (const [k, o] of opts) if (!managed(s, k)) expect(lookup(got, s, k)).toBe(o.value);
        // Lines that went: only key or continuation lines of options fwconf sets.
        const doc = new Fail2banDocument(user, { file: 'x' });
        const replaceable = new Set<number>();
        for (const sec of doc.sectionList) for (const e of sec.entries) if (managed(sec.name, e.key)) for (let i = e.first; i <= e.last; i++) replaceable.add(i);
        let at = 0;
        // (the user's last line, when it has no line ending, gains one when a line is added after it)
        const userLines = rawLines(user);
        const last = userLines.at(-1);
        const same = (a: string, b: string) => a === b || (a === last && !/\n$/.test(a) && (b === a + '\n' || b === a + '\r\n'));
        for (const part of diffArrays(userLines, rawLines(text), { comparator: same })) {
          if (part.removed) for (let i = 0; i < part.count!; i++) expect(replaceable.has(at + i), `line ${at + i + 1} of the user's file went: ${JSON.stringify(part.value[i])}`).toBe(true);
          if (!part.added) at += part.count!;
        }
        expect(editUserLocal(text, rendered, '/etc/fail2ban/jail.local').text).toBe(text);
      }),
    );
  });
});

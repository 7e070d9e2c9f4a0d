// The `ini` package as a differential oracle for the plain subset of fail2ban's INI dialect: no
// comments, no continuation lines, no interpolation, no duplicate keys or sections. On that subset
// configparser, `ini` and fwconf read the same sections and key/values, so fwconf's reading must equal
// `ini`'s. (`ini` drops comments and continuation lines, so it can be an oracle here and nowhere else.)
import fc from 'fast-check';
import { decode } from 'ini';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/fail2ban/index.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
// Words without what either reader treats specially (`;` `#` quotes `\` `=` `:` `%` `[`), joined by spaces.
const value = fc.array(fc.stringMatching(/^[A-Za-z0-9._/@<>()*+?^$|{}-]{1,10}$/), { maxLength: 4 }).map((w) => w.join(' '));
const section = fc.record({
  name: name.filter((n) => n !== 'default'),
  options: fc.uniqueArray(fc.tuple(name, value), { maxLength: 6, selector: ([k]) => k }),
});
const file = fc.record({
  sections: fc.uniqueArray(section, { minLength: 1, maxLength: 5, selector: (s) => s.name }),
  separator: fc.constantFrom('=', ' = ', ' =', '= ', '\t=\t'),
  blank: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n'),
});

describe('the plain INI subset, against the ini package', () => {
  it('fwconf reads the sections and key/values ini reads', () => {
    fc.assert(
      fc.property(file, (f) => {
        const text = f.sections
          .map((s) => [`[${s.name}]`, ...s.options.map(([k, v]) => `${k}${f.separator}${v}`)].join(f.eol) + f.eol + (f.blank ? f.eol : ''))
          .join('');
        const oracle = decode(text) as Record<string, Record<string, unknown>>;
        const content = parse(text, { file: 'jail.local' }).content();
        const mine: Record<string, Record<string, string>> = {};
        for (const [sec, opts] of content.sections) mine[sec] = Object.fromEntries([...opts].map(([k, o]) => [k, o.value]));
        // ini turns "true"/"false"/"null" into JSON values; configparser keeps every value a string.
        const theirs = Object.fromEntries(Object.entries(oracle).map(([s, o]) => [s, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]))]));
        expect(mine).toEqual(theirs);
        expect(content.defaults.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

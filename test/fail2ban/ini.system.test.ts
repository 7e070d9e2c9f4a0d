// The INI dialect: byte-exact round trip of every Debian file, and the values configparser reads
// (through fail2ban's own parser class) for every file and for generated ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/fail2ban/index.js';
import type { Fail2banDocument } from '../../src/fail2ban/document.js';
import { fastIniContent, iniContent, parseIni } from '../../src/fail2ban/parse.js';
import { DEBIAN_ETC, listFiles, pythonRead, type OracleResult } from './oracle.js';
import { checkMultiLineSets, multiLineFileArb, multiLineValueArb } from './multiline-set.js';
import { fcSeed } from '../fast-check-setup.js';

function ours(doc: Fail2banDocument): OracleResult {
  if (doc.fatal) return { error: 'any' };
  const c = doc.content();
  return {
    defaults: [...c.defaults].map(([k, v]) => [k, v.value]),
    sections: [...c.sections].map(([n, s]) => [n, [...s].map(([k, v]) => [k, v.value] as [string, string])]),
  };
}

function same(a: OracleResult, b: OracleResult): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b;
  return JSON.stringify(a) === JSON.stringify(b);
}

const files = listFiles(DEBIAN_ETC);

describe('Debian /etc/fail2ban', () => {
  it('has the stock files', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files).toContain('jail.conf');
    expect(files).toContain('filter.d/sshd.conf');
  });

  it('every file round-trips byte for byte and parses without diagnostics', () => {
    for (const f of files) {
      const text = readFileSync(join(DEBIAN_ETC, f), 'utf8');
      const doc = parse(text, { file: f });
      expect(doc.toString(), f).toBe(text);
      if (/\.(conf|local)$/.test(f)) expect(doc.diagnostics, f).toEqual([]);
    }
  });

  it('every file reads as fail2ban configparser reads it', async () => {
    const all = files.map((f) => readFileSync(join(DEBIAN_ETC, f), 'utf8'));
    const py = await pythonRead(all);
    expect(all.length).toBe(py.length);
    all.forEach((t, i) => {
      // The Python actions (smtp.py) are not INI: both sides reject them.
      expect(same(ours(parse(t)), py[i]!), files[i]).toBe(true);
      if (/\.(conf|local)$/.test(files[i]!)) expect(ours(parse(t)), files[i]).toEqual(py[i]);
    });
  });
});

describe('dialect corners against configparser', () => {
  const cases = [
    '[a]\nx = 1 ;c\n  y\n\n z\n',
    '[a]\nx = a;c\ny = a ;c\nz = v # not a comment\n',
    '[a]\nx: y = z\nK1 = V\n',
    '[a]\nx =\n    l1\n    # comment inside\n    l2\n\n\n[b]\n',
    '[a] junk\nk=v\n[a]b]\nk=w\n',
    '[a]\n  indented = 1\n  again = 2\n',
    '[a]\nk = v\n  [b]\n',
    '[default]\nk=1\n[DEFAULT]\nk=2\n',
    '\uFEFF[a]\nk=v\n',
    '[a]\nk=1\nk=2\n',
    '[a]\n[a]\n',
    '[a]\nnodelim\n',
    '[a]\n= v\n',
    'k = v\n',
    '[a]\r\nk = v\r\n  w\r\n',
    '[a]\rk = v\r  w\r',
    '[a]\n_x = 1\n__y = %(_x)s\n',
    '[a]\nk = \t v \t\n\t\tcont\t\n',
    '[a]\nk = v\n ;c\n\tx\n',
    '[a]\nk=\n\n\n',
    '[Init?family=inet6]\nk=v\n',
    '[a]\nk = v\u00a0\n\u00a0cont\n',
    '[a]\nk = x\x1c\n',
  ];
  it('reads like Python for each case', async () => {
    const py = await pythonRead(cases);
    cases.forEach((t, i) => {
      const doc = parse(t);
      expect(doc.toString()).toBe(t);
      expect(same(ours(doc), py[i]!), `${JSON.stringify(t)}: ${JSON.stringify(ours(doc))} vs ${JSON.stringify(py[i])}`).toBe(true);
    });
  });
});

describe('properties', () => {
  it('arbitrary text never throws and always round-trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const doc = parse(s);
        expect(doc.toString()).toBe(s);
        JSON.stringify(doc.toJSON());
      }),
      { numRuns: 500 },
    );
  });

  // Files built from the dialect's pieces, read by configparser and by us.
  const piece = fc.constantFrom(
    '[a]', '[b]', '[DEFAULT]', '[Definition]', ' [c] x', 'key = value', 'Key=Value', 'k: v = w', 'k = a ;comment', 'k = a;b',
    'k = a # b', '  cont', '\tcont2', '', '   ', '# c', '; c', '  # ic', 'x =', '_p = %(k)s', 'failregex = ^a',
    '            ^b <HOST>', 'no delimiter', 'K = dup', ' [d]', 'a\u00a0= b', '%(x)s',
  );
  const eol = fc.constantFrom('\n', '\r\n', '\n', '\r');
  const file = fc.array(fc.tuple(piece, eol), { maxLength: 14 }).map((ls) => ls.map(([l, e]) => l + e).join(''));
  it('generated files read like configparser reads them', async () => {
    const texts = fc.sample(file, { numRuns: 400, seed: 42 });
    const py = await pythonRead(texts);
    texts.forEach((t, i) => {
      const doc = parse(t);
      expect(doc.toString()).toBe(t);
      expect(same(ours(doc), py[i]!), `${JSON.stringify(t)}: ${JSON.stringify(ours(doc))} vs ${JSON.stringify(py[i])}`).toBe(true);
    });
  });

  // Multi-line values set through the Document (one splice through the entry's decor, the property of
  // test/core/decor.test.ts): configparser reads each value set as it was given, and reads the whole
  // edited file as we do.
  it('multi-line values set on generated files read back the same in configparser', async () => {
    const cases = fc.sample(fc.tuple(multiLineFileArb, fc.array(fc.record({ at: fc.nat(), value: multiLineValueArb }), { minLength: 1, maxLength: 4 })), { numRuns: 300 });
    const edited = cases.map(([t, picks]) => checkMultiLineSets(t, picks, (cond, what) => expect(cond, what).toBe(true)));
    const py = await pythonRead(edited.map((e) => e.text));
    edited.forEach((e, i) => {
      const what = `seed ${fcSeed()} case ${i}: ${JSON.stringify(e.text)}`;
      const r = py[i]!;
      expect('error' in r, `${what}: ${JSON.stringify(r)}`).toBe(false);
      if ('error' in r) return;
      for (const [sk, v] of e.set) {
        const [s, k] = sk.split('\u0000') as [string, string];
        const got = r.sections.find(([n]) => n === s)?.[1].find(([key]) => key === k.toLowerCase())?.[1];
        expect(got, `${what}: [${s}] ${k}`).toBe(v);
      }
      expect(ours(parse(e.text)), what).toEqual(r);
    });
  });

  // set and add refuse a value configparser would read otherwise (blanks at a line's ends, a comment line,
  // a " ;" comment, a \r, trailing blank lines); every value they accept reads back as given.
  it('set and add accept exactly the values configparser reads back', async () => {
    const piece = fc.constantFrom('v', '^x <HOST>', '', ' ', 'a ', ' a', ';x', '#x', 'a ;b', 'a;b', 'a\rb', '\u00a0', 'b\x1c', '%(x)s', 'é');
    const values = fc.sample(fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('\n')), { numRuns: 400 });
    const base = '[s]\nold = 1\n  two\n';
    const texts: string[] = [];
    const outcomes: Array<{ value: string; accepted: boolean }> = [];
    for (const value of values) {
      for (const op of ['set', 'add'] as const) {
        const doc = parse(base);
        let accepted = true;
        try {
          if (op === 'set') doc.set('s', 'old', value);
          else doc.add('s', 'new', value);
        } catch (e) {
          expect(e, value).toBeInstanceOf(RangeError);
          expect(doc.toString()).toBe(base);
          accepted = false;
        }
        // Accepted: the document's text; refused: the value written plainly, which configparser must misread.
        const key = op === 'set' ? 'old' : 'new';
        texts.push(accepted ? doc.toString() : `[s]\n${key} = ${value.split('\n').join('\n  ')}\n`);
        outcomes.push({ value, accepted });
      }
    }
    const py = await pythonRead(texts);
    let refused = 0;
    outcomes.forEach(({ value, accepted }, i) => {
      const r = py[i]!;
      const key = i % 2 === 0 ? 'old' : 'new';
      const got = 'error' in r ? undefined : r.sections.find(([n]) => n === 's')?.[1].find(([k]) => k === key)?.[1];
      const what = `seed ${fcSeed()}: ${JSON.stringify(value)} → ${JSON.stringify(texts[i])}`;
      if (accepted) expect(got, what).toBe(value);
      else {
        refused++;
        expect(got, what).not.toBe(value);
      }
    });
    expect(refused).toBeGreaterThan(100);
    expect(outcomes.length - refused).toBeGreaterThan(100);
  });

  // The resolution's fast reader must read exactly what the lossless parser reads, and decline
  // (undefined) every file the parser has something to report about.
  const agrees = (t: string) => {
    const full = parseIni(t, { file: 'f' });
    const fast = fastIniContent(t, 'f');
    if (fast === undefined) return full.diagnostics.length > 0 || t.includes('\r');
    return full.diagnostics.length === 0 && JSON.stringify([...fast.defaults, ...[...fast.sections].map(([n, m]) => [n, [...m]])]) ===
      JSON.stringify([...iniContent(full, 'f').defaults, ...[...iniContent(full, 'f').sections].map(([n, m]) => [n, [...m]])]);
  };
  it('the fast reader agrees with the parser on generated and arbitrary files', () => {
    const lf = fc.array(fc.tuple(piece, fc.constant('\n')), { maxLength: 14 }).map((ls) => ls.map(([l, e]) => l + e).join(''));
    fc.assert(fc.property(lf, (t) => agrees(t)), { numRuns: 1000 });
    fc.assert(fc.property(file, (t) => agrees(t)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => agrees(t)), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.constantFrom('[s]', 'k=v', ' c', '', ';x', 'a ;b', '\u0085', '\x1c', 'k:=', ' =v', '[x]y]'), { maxLength: 10 }).map((l) => l.join('\n')), (t) => agrees(t)), { numRuns: 1000 });
  });
  it('the fast reader reads every Debian file (the resolution never needs the full parser for them)', () => {
    for (const f of files.filter((x) => /\.(conf|local)$/.test(x))) {
      const t = readFileSync(join(DEBIAN_ETC, f), 'utf8');
      expect(fastIniContent(t, f), f).toBeDefined();
      expect(agrees(t), f).toBe(true);
    }
  });
});

// Edits: only the touched lines change, in the file's style; the result reads as intended.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from './grammar-import.js';
import { parse, render } from '../../src/fail2ban/index.js';
import { scanLine, matchHeader, matchOption } from '../../src/fail2ban/parse.js';
import { DEBIAN_ETC } from './oracle.js';

/** Lines that differ between two texts (a plain LCS-free check: common prefix and suffix). */
function changed(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return { removed: x.slice(i, x.length - j), added: y.slice(i, y.length - j) };
}

const sshd = readFileSync(join(DEBIAN_ETC, 'filter.d/sshd.conf'), 'utf8');
const jailConf = readFileSync(join(DEBIAN_ETC, 'jail.conf'), 'utf8');

describe('edits', () => {
  it('set replaces the value only, keeping the separator and an inline comment', () => {
    const doc = parse('[sshd]\nport    =  ssh   ; the port\nlogpath = x\n');
    doc.set('sshd', 'port', '2201');
    expect(doc.toString()).toBe('[sshd]\nport    =  2201   ; the port\nlogpath = x\n');
    expect(doc.get('sshd', 'port')).toBe('2201');
  });

  it('add appends to the section in its style, and creates a section after a blank line', () => {
    const doc = parse('[a]\nx=1\ny=2\n\n[b]\nz = 3\n');
    doc.add('a', 'w', '4');
    doc.set('c', 'enabled', 'true');
    expect(doc.toString()).toBe('[a]\nx=1\ny=2\nw=4\n\n[b]\nz = 3\n\n[c]\nenabled=true\n');
  });

  it('keeps CRLF and a missing final newline', () => {
    const doc = parse('[a]\r\nx = 1\r\ny = 2');
    doc.add('a', 'z', '3');
    expect(doc.toString()).toBe('[a]\r\nx = 1\r\ny = 2\r\nz = 3');
    doc.remove('a', 'z');
    expect(doc.toString()).toBe('[a]\r\nx = 1\r\ny = 2');
    doc.set('a', 'y', 'v1\nv2');
    expect(doc.toString()).toBe('[a]\r\nx = 1\r\ny = v1\r\n    v2');
  });

  it('appends and removes one failregex line of the stock sshd filter, touching only that line', () => {
    const doc = parse(sshd);
    const before = doc.getLines('Definition', 'cmnfailre')!;
    doc.appendLine('Definition', 'cmnfailre', '^Extra failure from <HOST>$');
    const d1 = changed(sshd, doc.toString());
    expect(d1.removed).toEqual([]);
    expect(d1.added).toHaveLength(1);
    expect(d1.added[0]).toMatch(/^\s+\^Extra failure from <HOST>\$$/);
    expect(doc.getLines('Definition', 'cmnfailre')).toEqual([...before, '^Extra failure from <HOST>$']);
    const doc2 = parse(sshd);
    doc2.removeLine('Definition', 'cmnfailre', 2);
    const d2 = changed(sshd, doc2.toString());
    expect(d2.added).toEqual([]);
    expect(d2.removed).toHaveLength(1);
    expect(doc2.getLines('Definition', 'cmnfailre')).toEqual(before.filter((_, i) => i !== 2));
  });

  it('removes and adds sections of jail.conf', () => {
    const doc = parse(jailConf);
    expect(doc.removeSection('recidive')).toBe(true);
    expect(doc.hasSection('recidive')).toBe(false);
    const d = changed(jailConf, doc.toString());
    expect(d.added).toEqual([]);
    expect(d.removed[0]).toBe('[recidive]');
    doc.jail('thp-ssh').set('enabled', 'true').set('port', 'all');
    expect(doc.toString().endsWith('\n[thp-ssh]\nenabled = true\nport = all\n')).toBe(true);
  });

  it('removeSection removes the section only, not the header after it (regression)', async () => {
    const { parseIni } = await import('../../src/fail2ban/parse.js');
    // A section ends on the line before the next header.
    expect(parseIni('[a]\nx=1\n[b]\ny=2\n').sections.map((s) => [s.header, s.last])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const doc = parse('[a]\nx=1\n[b]\ny=2\n');
    expect(doc.removeSection('a')).toBe(true);
    expect(doc.toString()).toBe('[b]\ny=2\n');
    expect(doc.get('b', 'y')).toBe('2');
    // Two [a] sections: each removal is looked up in the text as it is after the one before.
    const dup = parse('[a]\nx=1\n[b]\ny=2\n[a]\nz=3\n[c]\nw=4\n');
    expect(dup.removeSection('a')).toBe(true);
    expect(dup.toString()).toBe('[b]\ny=2\n[c]\nw=4\n');
    expect(dup.sections()).toEqual(['b', 'c']);
    // Blank separators: one stays between the neighbours.
    const sep = parse('[x]\nk=1\n\n[a]\nx=1\n\n[b]\ny=2\n');
    sep.removeSection('a');
    expect(sep.toString()).toBe('[x]\nk=1\n\n[b]\ny=2\n');
    const tight = parse('[x]\nk=1\n[a]\nx=1\n\n[b]\ny=2\n');
    tight.removeSection('a');
    expect(tight.toString()).toBe('[x]\nk=1\n\n[b]\ny=2\n');
    expect(parse('[a]\nx=1\n').removeSection('b')).toBe(false);
  });

  it('random edits change only their lines and read back', () => {
    const keys = ['port', 'bantime', 'new_key', 'failregex', 'logpath'];
    const base = '[DEFAULT]\nbantime  = 10m\n\n[sshd]\nport    = ssh\nlogpath = %(sshd_log)s\nfailregex = ^a\n            ^b\n\n[other]\nk: v\n';
    fc.assert(
      fc.property(
        fc.constantFrom('DEFAULT', 'sshd', 'other'),
        fc.constantFrom(...keys),
        fc.stringMatching(/^[a-z0-9%()<>^ ]{1,12}$/).map((s) => s.trim() || 'x'),
        fc.constantFrom('set', 'remove', 'append'),
        (sec, key, value, op) => {
          const doc = parse(base);
          const existed = doc.get(sec, key) !== undefined;
          if (op === 'set') doc.set(sec, key, value);
          else if (op === 'remove') doc.remove(sec, key);
          else doc.appendLine(sec, key, value);
          const after = doc.toString();
          const d = changed(base, after);
          const back = parse(after);
          expect(back.diagnostics).toEqual([]);
          if (op === 'set') {
            expect(back.get(sec, key)).toBe(value);
            expect(d.added.length).toBeLessThanOrEqual(1);
          } else if (op === 'remove') {
            expect(back.get(sec, key)).toBeUndefined();
            expect(d.added).toEqual([]);
          } else {
            expect(back.getLines(sec, key)!.at(-1)).toBe(value);
            if (existed) expect(d.removed).toEqual([]);
          }
          // Every other key of every section keeps its value.
          for (const s of parse(base).sections()) for (const k of parse(base).keys(s)) if (!(s === sec && k === key)) expect(back.get(s, k)).toBe(parse(base).get(s, k));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('render gives canonical text that parses back to the same values', () => {
    const doc = render({
      header: ['written by fwconf'],
      sections: [
        { name: 'DEFAULT', options: { bantime: '1h', ignoreip: ['127.0.0.1/8', '::1'] } },
        { name: 'thp-ssh', options: [['enabled', true], ['port', 'all'], ['maxretry', 3]] },
      ],
    });
    expect(doc.toString()).toBe('# written by fwconf\n\n[DEFAULT]\nbantime = 1h\nignoreip = 127.0.0.1/8\n           ::1\n\n[thp-ssh]\nenabled = true\nport = all\nmaxretry = 3\n');
    expect(doc.get('DEFAULT', 'ignoreip')).toBe('127.0.0.1/8\n::1');
    expect(() => render({ sections: [{ name: 'a', options: { 'bad=key': 'x' } }] })).toThrow(TypeError);
  });
});

describe('the scanner agrees with grammars/fail2ban.peggy', () => {
  it('on arbitrary lines', () => {
    const chars = fc.constantFrom('a', 'K', ' ', '\t', '=', ':', ';', '#', '[', ']', '%', '(', ')', 's', '\u00a0', '\x1c', 'é', '<', '>');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (line) => {
        const s = scanLine(line);
        const g = parseLine(line, { startRule: 'Line' });
        // Every field the Document reads from scanLine, matchHeader and matchOption (parseIni's calls).
        if (s.kind === 'blank') expect(g.kind).toBe('blank');
        else if (s.kind === 'comment') {
          expect(g.kind).toBe('comment');
          expect(g.indent).toBe(s.indent);
        } else {
          expect(g.kind).toBe('text');
          expect(g.value).toBe(s.value);
          expect(g.indent).toBe(s.indent);
          expect(g.valueStart).toBe(s.valueStart);
          expect(g.commentStart).toBe(s.commentStart);
          const h = matchHeader(s.value);
          let gh: string | undefined;
          try {
            gh = parseLine(s.value, { startRule: 'Header' }).name;
          } catch {
            gh = undefined;
          }
          expect(gh).toBe(h);
          const o = matchOption(s.value);
          let go: { key: string; value: string; keyEnd: number; valueStart: number } | undefined;
          try {
            const r = parseLine(s.value, { startRule: 'Option' });
            go = { key: r.key, value: r.value, keyEnd: r.key.length, valueStart: r.valueStart };
          } catch {
            go = undefined;
          }
          expect(go).toEqual(o);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('edits recorded (core LineDocument)', () => {
  it('replay from edits(), also when a new line ending meets a lone \\r of the file', async () => {
    const { applyEdits } = await import('../../src/core/lines.js');
    fc.assert(
      fc.property(
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
        (eol, values) => {
          const text = ['[sshd]', 'enabled = true', 'port = ssh', '', '[thp-ssh]', 'logpath = /var/log/thpot/captures'].join(eol) + eol;
          const doc = parse(text, { file: 'jail.local' });
          doc.set('sshd', 'port', values.join('\n'));
          doc.appendLine('thp-ssh', 'logpath', values[0]!);
          doc.set('thp-ssh', 'failregex', ['', ...values].join('\n'));
          // An empty line right after a key line ending in a lone \r: the two read as one line ending.
          doc.set('sshd', 'enabled', 'true\n\nfalse');
          expect(applyEdits(text, doc.edits())).toBe(doc.toString());
          expect(doc.lines.map((l) => l.raw).join('')).toBe(doc.toString());
          expect(doc.lines.length).toBe(doc.nodes.length);
          expect(parse(doc.toString()).get('sshd', 'port')).toBe(values.join('\n'));
        },
      ),
    );
  });
});

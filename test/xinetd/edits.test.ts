// Edits update xinetd's reading of the file in place (set rewrites one line, add and remove move the
// indexes after them) instead of reading the whole file again: after any sequence of edits, the
// document must read exactly as the same text parsed afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/xinetd/parse.js';
import type { XinetdDocument } from '../../src/xinetd/document.js';

const BASE = [
  '# header',
  'defaults',
  '{',
  '\tinstances = 50',
  '}',
  '',
  'service one',
  '{',
  '\tport = 1',
  '\tport = 11',
  '\tuser = nobody',
  '}',
  'includedir /etc/xinetd.d',
  'service two',
  '{',
  '        socket_type     = stream',
  '        wait            = no',
  '}',
  'service broken',
  '{',
  '\tbad',
  '}',
  'service three',
  '{',
  '}',
  'service last',
  '{',
  '\tserver = /bin/cat',
].join('\n');

function reading(doc: XinetdDocument) {
  return { roles: doc.roles, entries: doc.entries, includes: doc.includes(), diagnostics: doc.diagnostics, model: doc.toJSON() };
}

const NAMES = ['one', 'two', 'three', 'broken', 'last'];
const ATTRS = ['port', 'user', 'wait', 'server_args', 'instances'];
const edit = fc.record({
  op: fc.constantFrom('set', 'add', 'remove', 'defaults-set'),
  service: fc.constantFrom(...NAMES),
  attr: fc.constantFrom(...ATTRS),
  value: fc.constantFrom('1', 'x y', '2222', ''),
});

describe('xinetd edits', () => {
  it('leave the document reading as its text parsed afresh', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), fc.boolean(), (edits, crlf) => {
        const doc = parse(crlf ? BASE.replace(/\n/g, '\r\n') : BASE);
        for (const e of edits) {
          const block = e.op === 'defaults-set' ? doc.defaults() : doc.service(e.service);
          if (!block) continue;
          try {
            if (e.op === 'remove') block.remove(e.attr);
            else if (e.op === 'add') block.add(e.attr, e.value === '' ? [] : e.value.split(' '));
            else block.set(e.attr, e.value === '' ? [] : e.value.split(' '));
          } catch (err) {
            // An entry without a '{' line cannot take attributes; nothing else may throw.
            expect(String(err)).toMatch(/no '\{' line/);
          }
          expect(reading(doc)).toEqual(reading(parse(doc.toString())));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('many edits on one document: the reading follows', () => {
    const doc = parse(BASE);
    for (let i = 0; i < 50; i++) {
      doc.service('one')!.set('port', String(i));
      doc.service('two')!.add('server_args', [`-n${i}`]);
      if (i % 3 === 0) doc.service('two')!.remove('server_args');
    }
    expect(reading(doc)).toEqual(reading(parse(doc.toString())));
    expect(doc.service('one')!.get('port')).toEqual(['49']);
  });
});

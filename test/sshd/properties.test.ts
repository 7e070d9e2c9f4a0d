// Properties: generated files round-trip; random edits change only their lines and re-parse to
// the model they describe; arbitrary strings never throw and always round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { check, effective, parse, syntax } from '../../src/sshd/index.js';
import { configArb, MATCH_KEYWORDS } from './generate.js';

const files = new MemoryFileSource();

describe('properties', () => {
  it('generated files round-trip and re-read the same', () => {
    fc.assert(
      fc.property(configArb({ invalidRate: 0.2, crlf: true }), (text) => {
        const doc = parse(text);
        expect(doc.toString()).toBe(text);
        expect(parse(doc.toString()).toJSON()).toEqual(doc.toJSON());
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary strings never throw and always round-trip', () => {
    const chars = fc.constantFrom('P', 'o', 'r', 't', ' ', '\t', '=', '"', "'", '\\', '#', '\n', '\r', '\f', '\0', 'M', 'a', 'c', 'h', '2', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: chars, maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        const doc = parse(text);
        expect(doc.toString()).toBe(text);
        doc.toJSON();
        check(doc, { files });
        effective(doc, { connection: { user: 'a' }, files });
      }),
      { numRuns: 500 },
    );
  });

  it('random edit sequences change only their lines and re-parse to the model they describe', () => {
    const kw = fc.constantFrom(...MATCH_KEYWORDS.filter((k) => !['ForceCommand'].includes(k)));
    const value = fc.constantFrom('yes', 'no', '3', '/srv/a b', 'x"y', "it's", 'a\\b', '#hash', 'LANG LC_*');
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), where: fc.constantFrom('global', 'alice', 'bob'), kw, value }),
      fc.record({ op: fc.constant('add' as const), where: fc.constantFrom('global', 'alice', 'bob'), kw, value }),
      fc.record({ op: fc.constant('remove' as const), where: fc.constantFrom('global', 'alice', 'bob'), kw, value }),
    );
    fc.assert(
      fc.property(configArb({ invalidRate: 0, crlf: true }), fc.array(op, { maxLength: 6 }), (text, ops) => {
        const doc = parse(text);
        const before = doc.nodes.map((n) => n.raw);
        const expected = new Map<string, string | undefined>();
        for (const o of ops) {
          const sec = o.where === 'global' ? doc.global : doc.match({ user: o.where });
          // Aliases are one keyword to sshd and to the document (ChallengeResponseAuthentication is KbdInteractiveAuthentication).
          const key = `${o.where}|${syntax.canonicalKeyword(o.kw)!.toLowerCase()}`;
          if (o.op === 'set') {
            sec.set(o.kw, o.value);
            expected.set(key, o.value);
          } else if (o.op === 'add') {
            const had = sec.get(o.kw);
            sec.add(o.kw, o.value);
            expected.set(key, had ?? o.value);
          } else {
            sec.remove(o.kw);
            expected.set(key, undefined);
          }
        }
        const re = parse(doc.toString());
        for (const [key, v] of expected) {
          const [where, k] = key.split('|') as [string, string];
          const sec = where === 'global' ? re.global : re.match({ user: where });
          expect(sec.exists ? sec.get(k) : undefined).toBe(v);
        }
        // Every original line that survives is byte-identical, in the same order.
        const after = doc.nodes.map((n) => n.raw);
        const kept = before.filter((l) => after.includes(l) || after.includes(l.replace(/\r?\n$/, '')));
        let j = 0;
        for (const l of after) if (j < kept.length && (l === kept[j] || l === kept[j]!.replace(/\r?\n$/, '') || l.replace(/\r?\n$/, '') === kept[j])) j++;
        expect(j).toBe(kept.length);
        if (ops.length === 0) expect(doc.toString()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Value edits go through core's one path (LineDocument.setValue, the node's `decor()`; sshd, xinetd,
 * fail2ban's one-line values and ufw-app; fail2ban's multi-line values through the entry's decor,
 * test/fail2ban/multiline-set.ts): on random files,
 * random value edits on random lines keep each edited line's prefix and suffix byte for byte (the
 * edited line is the old prefix + the new value + the old suffix, and reads back with the same decor
 * and the value set), leave every other line alone, and are recorded:
 * `applyEdits(original, doc.edits()) === doc.toString()`. The run's seed is printed by
 * test/global-setup.ts (FC_SEED replays it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decor } from '../../src/core/decor.js';
import { applyEdits, type RawNode } from '../../src/core/lines.js';
import { parse as parseSshd, syntax as sshdSyntax, SshdDocument } from '../../src/sshd/index.js';
import type { SshdValue } from '../../src/sshd/model.js';
import { parse as parseXinetd, type XinetdDocument } from '../../src/xinetd/index.js';
import { parse as parseFail2ban, type Fail2banDocument } from '../../src/fail2ban/index.js';
import { optionDecor } from '../../src/fail2ban/document.js';
import { parseApp, type UfwAppDocument } from '../../src/ufw-files/index.js';
import { configArb } from '../sshd/generate.js';
import { checkMultiLineSets, multiLineFileArb, multiLineValueArb } from '../fail2ban/multiline-set.js';

interface Doc {
  readonly nodes: readonly RawNode[];
  readonly original: string;
  toString(): string;
  edits(): { offset: number; length: number; content: string }[];
}

/** A line a value edit can target: its index, and how to edit it and read it back. */
interface Target<D> {
  index: number;
  decor(doc: D): Decor | undefined;
  /** Sets the value; returns what reading the line back must give. */
  edit(doc: D, pick: number): string;
  read(doc: D): string | undefined;
  /** What the line says besides its value (keyword, comment), read from the parse: the edit keeps it. */
  trivia(doc: D): unknown;
}

/** Edits the picked targets in turn and checks the decor property after each. */
function checkValueEdits<D extends Doc>(doc: D, targets: Target<D>[], picks: { at: number; value: number }[]): void {
  const original = doc.toString();
  const parsed = doc.nodes.map((n) => n.raw);
  const edited = new Set<number>();
  for (const p of picks) {
    if (targets.length === 0) break;
    const t = targets[p.at % targets.length]!;
    const before = doc.nodes.map((n) => n.raw);
    const decor = t.decor(doc)!;
    const trivia = t.trivia(doc);
    expect(decor).toBeDefined();
    const wasLast = t.index === before.length - 1;
    const hadEnding = /[\r\n]$/.test(before[t.index]!);
    const expected = t.edit(doc, p.value);
    edited.add(t.index);
    const now = doc.nodes.map((n) => n.raw);
    expect(now.length).toBe(before.length);
    for (let i = 0; i < now.length; i++) if (i !== t.index) expect(now[i]).toBe(before[i]);
    const line = now[t.index]!;
    // The end of a file without a final newline keeps none.
    const suffix = wasLast && !hadEnding ? decor.suffix.replace(/(?:\r\n|\n|\r)$/, '') : decor.suffix;
    expect(line.startsWith(decor.prefix), JSON.stringify({ line, decor })).toBe(true);
    expect(line.endsWith(suffix), JSON.stringify({ line, decor })).toBe(true);
    expect(line.length).toBeGreaterThanOrEqual(decor.prefix.length + suffix.length);
    expect(t.read(doc)).toBe(expected);
    expect(t.trivia(doc)).toEqual(trivia);
    const again = t.decor(doc);
    expect(again && { prefix: again.prefix, suffix: wasLast && !hadEnding ? decor.suffix : again.suffix }).toEqual(decor);
  }
  expect(doc.original).toBe(original);
  expect(applyEdits(original, doc.edits())).toBe(doc.toString());
  // Every byte outside the edited lines is the input's: each edit lies within lines edited.
  const spans: (readonly [number, number])[] = [];
  let at = 0;
  for (const r of parsed) spans.push([at, (at += r.length)]);
  for (const e of doc.edits()) {
    const touched = spans.flatMap(([a, b], i) => (a < e.offset + Math.max(e.length, 1) && b > e.offset ? [i] : []));
    expect(touched.length).toBeGreaterThan(0);
    for (const i of touched) expect(edited.has(i), JSON.stringify({ e, i })).toBe(true);
  }
}

const picksArb = fc.array(fc.record({ at: fc.nat(), value: fc.nat() }), { minLength: 1, maxLength: 6 });

const SSHD_VALUES = ['yes', 'no', '3', '/srv/x', 'a,b', 'any'];

/** The directive lines of an sshd document that setLine can target (not Match, Include or bad quotes). */
function sshdTargets(doc: SshdDocument): Target<SshdDocument>[] {
  const targets: Target<SshdDocument>[] = [];
  doc.nodes.forEach((n, index) => {
    const d = n.directive;
    if (!d || d.info?.kind === 'match' || d.info?.kind === 'include' || d.invalidQuotes) return;
    targets.push({
      index,
      decor: (doc) => doc.nodes[index]!.decor(),
      edit: (doc, pick) => {
        const v = SSHD_VALUES[pick % SSHD_VALUES.length]!;
        doc.setLine(index + 1, v);
        return v;
      },
      read: (doc) => {
        const d = doc.nodes[index]!.directive;
        return d && sshdSyntax.directiveValue(d);
      },
      trivia: (doc) => {
        const d = doc.nodes[index]!.directive!;
        const restOfLine = d.info?.kind === 'rest-of-line' || d.info?.kind === 'command';
        return { indent: d.indent, keyword: d.keyword, comment: restOfLine ? null : d.comment };
      },
    });
  });
  return targets;
}

/** The decor property of sshd's setLine on generated files. */
const sshdSetLine = () =>
  fc.property(configArb({ invalidRate: 0.1, crlf: true }), picksArb, (text, picks) => {
    const doc = parseSshd(text);
    checkValueEdits(doc, sshdTargets(doc), picks);
  });

describe('value edits keep the decor (core setValue)', () => {
  it('sshd: setLine on random directive lines', () => {
    fc.assert(sshdSetLine(), { numRuns: 200 });
  });

  // The example: a set that also deletes a comment elsewhere (even one that occurs once) fails.
  it('sshd: a setLine that also drops an unrelated comment fails the property', () => {
    const setLine = SshdDocument.prototype.setLine;
    SshdDocument.prototype.setLine = function (this: SshdDocument, line: number, value: SshdValue) {
      const r = setLine.call(this, line, value);
      const comment = this.nodes.find((n, i) => i !== line - 1 && n.parsed.kind === 'comment');
      if (comment) this.removeNodes(comment);
      return r;
    };
    try {
      expect(() => fc.assert(sshdSetLine(), { numRuns: 200 })).toThrow();
      const doc = parseSshd('Port 22\n# the only comment\nX11Forwarding no\n');
      expect(() => checkValueEdits(doc, sshdTargets(doc), [{ at: 0, value: 0 }])).toThrow();
    } finally {
      SshdDocument.prototype.setLine = setLine;
    }
    const doc = parseSshd('Port 22\n# the only comment\nX11Forwarding no\n');
    checkValueEdits(doc, sshdTargets(doc), [{ at: 0, value: 0 }]);
  });

  const eolArb = fc.constantFrom('\n', '\r\n');

  it('xinetd: Block.set on random attribute lines (the operator may change with the value)', () => {
    const names = ['socket_type', 'protocol', 'wait', 'user', 'server', 'port', 'flags', 'only_from', 'log_on_success'];
    const words = ['a', 'b', '10', 'REUSE', 'yes', 'HOST PID'];
    const newWords = ['x', 'NAMEINARGS', '20', 'no', 'HOST'];
    const attrArb = fc.record({
      indent: fc.constantFrom('', ' ', '\t', '    '),
      gap: fc.constantFrom(' ', '\t', '  ', ' \t'),
      op: fc.constantFrom('=', '+=', '-='),
      after: fc.constantFrom(' ', '', '\t', '   '),
      value: fc.constantFrom(...words),
      trailing: fc.constantFrom('', ' ', '\t'),
      eol: eolArb,
    });
    const serviceArb = fc.record({
      attrs: fc.uniqueArray(fc.tuple(fc.constantFrom(...names), attrArb), { selector: ([n]) => n, minLength: 1, maxLength: 6 }),
      comment: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(serviceArb, { minLength: 1, maxLength: 3, selector: () => Math.random() }), picksArb, (services, picks) => {
        let text = '';
        services.forEach((s, i) => {
          text += `${s.comment ? '# service\n' : ''}service svc${i}\n{\n`;
          for (const [name, a] of s.attrs) text += `${a.indent}${name}${a.gap}${a.op}${a.after}${a.value}${a.trailing}${a.eol}`;
          text += '}\n';
        });
        const doc = parseXinetd(text);
        const targets: Target<XinetdDocument>[] = [];
        let service = doc.services()[0]!;
        doc.nodes.forEach((n, index) => {
          const header = /^service svc(\d+)/.exec(n.raw);
          if (header) service = doc.services()[Number(header[1])]!;
          const a = n.attribute;
          if (a.type !== 'attribute' || n.raw.startsWith('service')) return;
          const block = service;
          const name = a.name.text;
          targets.push({
            index,
            decor: (doc) => doc.nodes[index]!.decor(),
            edit: (_doc, pick) => {
              const vs = [newWords[pick % newWords.length]!, newWords[(pick >> 3) % newWords.length]!].slice(0, 1 + (pick % 2));
              const op = (['=', '+=', '-='] as const)[(pick >> 6) % 3]!;
              block.set(name, vs, op);
              return `${op} ${vs.join(' ')}`;
            },
            read: (doc) => {
              const b = doc.nodes[index]!.attribute;
              // xinetd reads the `\r` of a CRLF ending as part of the last word.
              return b.type === 'attribute' ? `${b.op} ${b.values.map((w) => w.text).join(' ')}`.replace(/\r$/, '') : undefined;
            },
            trivia: (doc) => {
              const l = doc.nodes[index]!;
              return { name: l.attribute.name.text, indent: /^[ \t]*/.exec(l.raw)![0] };
            },
          });
        });
        checkValueEdits(doc, targets, picks);
      }),
      { numRuns: 200 },
    );
  });

  it('fail2ban: set on random one-line options (separator, spacing and inline comment kept)', () => {
    const keys = ['port', 'logpath', 'maxretry', 'bantime', 'enabled', 'filter'];
    const optionArb = fc.record({
      sep: fc.constantFrom(' = ', '=', ': ', ' :', ' =  ', '\t=\t'),
      value: fc.constantFrom('ssh', '10', 'a b', '/var/log/x'),
      comment: fc.constantFrom('', ' ; note', '\t;x', '  '),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
    });
    const sectionArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), optionArb), { selector: ([k]) => k, minLength: 1, maxLength: 5 });
    const values = ['x', '20', '/a/b', 'p q', '%(port)s'];
    fc.assert(
      fc.property(fc.array(sectionArb, { minLength: 1, maxLength: 3 }), fc.boolean(), picksArb, (sections, finalEol, picks) => {
        let text = '';
        sections.forEach((opts, i) => {
          text += `${i > 0 ? '\n' : ''}# s${i}\n[s${i}]\n`;
          for (const [k, o] of opts) text += `${k}${o.sep}${o.value}${o.comment}${o.eol}`;
        });
        if (!finalEol) text = text.replace(/(?:\r\n|\n|\r)$/, '');
        const doc = parseFail2ban(text);
        const targets: Target<Fail2banDocument>[] = [];
        let section = '';
        doc.lines.forEach((l, index) => {
          if (l.kind === 'header') section = l.value!;
          if (l.kind !== 'option') return;
          const s = section;
          const key = l.rawKey!;
          targets.push({
            index,
            decor: (doc) => optionDecor(doc.lines[index]!, doc.eol),
            edit: (doc, pick) => {
              const v = values[pick % values.length]!;
              doc.set(s, key, v);
              return v;
            },
            read: (doc) => doc.get(s, key),
            trivia: (doc) => {
              const l = doc.lines[index]!;
              return { key: l.rawKey, comment: l.commentStart === null ? null : l.content.slice(l.commentStart) };
            },
          });
        });
        checkValueEdits(doc, targets, picks);
      }),
      { numRuns: 200 },
    );
  });

  it('fail2ban: set of multi-line values on random options with continuation lines (one splice: key line up to the value, and what follows the value on its last line, kept)', () => {
    fc.assert(
      fc.property(multiLineFileArb, fc.array(fc.record({ at: fc.nat(), value: multiLineValueArb }), { minLength: 1, maxLength: 4 }), (text, picks) => {
        checkMultiLineSets(text, picks, (cond, what) => expect(cond, what).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('fail2ban: multi-line set, fixed cases (the last line\'s trailing text kept; a CR key line before an empty value line)', () => {
    const check = (text: string, picks: { at: number; value: string }[]) => checkMultiLineSets(text, picks, (cond, what) => expect(cond, what).toBe(true)).text;
    expect(check('[a]\nfailregex = ^x\n    ^y ; note\nport = 1\n', [{ at: 0, value: '^p\n^q\n^r' }])).toBe('[a]\nfailregex = ^p\n    ^q\n    ^r ; note\nport = 1\n');
    expect(check('[a]\nk = \n', [{ at: 0, value: 'x' }])).toBe('[a]\nk = x\n');
    // A failing random case: `\r` (the key line's ending) then `\n` (the file's) around an empty line read as one `\r\n`.
    expect(check('# s0\n[s0]\nfailregex = \rignoreip = ', [{ at: 0, value: '\n\n^end' }])).toBe('# s0\n[s0]\nfailregex = \r\r           ^end\rignoreip = ');
  });

  it('ufw-app: set on random profile keys (key spelling, separator and spacing kept)', () => {
    const keys = ['title', 'description', 'ports', 'Title'];
    const entryArb = fc.record({
      sep: fc.constantFrom('=', ' = ', ': ', '  =', ':'),
      value: fc.constantFrom('Web Server', '80/tcp|443/tcp', 'x'),
      trailing: fc.constantFrom('', ' ', '\t'),
      eol: fc.constantFrom('\n', '\r\n'),
    });
    const profileArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), entryArb), { selector: ([k]) => k.toLowerCase(), minLength: 1, maxLength: 3 });
    const values = ['fwconf probe', '22/tcp', 'A|B'];
    fc.assert(
      fc.property(fc.array(profileArb, { minLength: 1, maxLength: 3 }), fc.boolean(), picksArb, (profiles, bom, picks) => {
        let text = bom ? '\uFEFF' : '';
        profiles.forEach((entries, i) => {
          text += `[P${i}]\n`;
          for (const [k, e] of entries) text += `${k}${e.sep}${e.value}${e.trailing}${e.eol}`;
          text += i < profiles.length - 1 ? '\n' : '';
        });
        const doc = parseApp(text);
        const targets: Target<UfwAppDocument>[] = [];
        doc.nodes.forEach((n, index) => {
          if (n.kind !== 'entry') return;
          const profile = n.section!;
          const key = n.key!;
          targets.push({
            index,
            decor: (doc) => doc.nodes[index]!.decor(),
            edit: (doc, pick) => {
              const v = values[pick % values.length]!;
              doc.set(profile, key.toLowerCase(), v);
              return v;
            },
            read: (doc) => {
              const v = doc.nodes[index]!.value;
              expect(parseApp(doc.toString()).nodes[index]!.value).toBe(v);
              return v;
            },
            trivia: (doc) => doc.nodes[index]!.key,
          });
        });
        checkValueEdits(doc, targets, picks);
      }),
      { numRuns: 200 },
    );
  });
});

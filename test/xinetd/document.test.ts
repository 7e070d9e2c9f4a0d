import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, render, renderService, XinetdInputError, format } from '../../src/xinetd/index.js';
import { applyEdits } from '../../src/core/lines.js';

const debianDir = 'fixtures/xinetd/debian/etc/xinetd.d';
const fixtures: Record<string, string> = {
  'debian/etc/xinetd.conf': readFileSync('fixtures/xinetd/debian/etc/xinetd.conf', 'utf8'),
  'seed/etc/xinetd.d/thp-pasv': readFileSync('fixtures/xinetd/seed/etc/xinetd.d/thp-pasv', 'utf8'),
  ...Object.fromEntries(readdirSync(debianDir).sort().map((f) => [`debian/etc/xinetd.d/${f}`, readFileSync(join(debianDir, f), 'utf8')])),
};
const thpPasv = fixtures['seed/etc/xinetd.d/thp-pasv']!;
const chargen = fixtures['debian/etc/xinetd.d/chargen']!;

const codes = (text: string) => parse(text).diagnostics.map((d) => `${d.line}:${d.column}:${d.code}`);
const changedLines = (a: string, b: string) => {
  const x = a.split('\n');
  const y = b.split('\n');
  return { removed: x.filter((l) => !y.includes(l)), added: y.filter((l) => !x.includes(l)) };
};

describe('fixtures', () => {
  for (const [name, text] of Object.entries(fixtures)) {
    it(`${name} round-trips and parses without diagnostics`, () => {
      const doc = parse(text, { file: name });
      expect(doc.toString()).toBe(text);
      expect(doc.diagnostics).toEqual([]);
    });
  }

  it('the seed thp-pasv gives its model', () => {
    const expected = JSON.parse(readFileSync('fixtures/xinetd/seed/thp-pasv.model.json', 'utf8'));
    expect(parse(thpPasv).toJSON()).toEqual(expected);
  });

  it('Debian chargen: two entries named chargen, told apart by id', () => {
    const doc = parse(chargen);
    expect(doc.services().map((s) => [s.name, s.id])).toEqual([
      ['chargen', 'chargen-stream'],
      ['chargen', 'chargen-dgram'],
    ]);
    expect(doc.service('chargen', { id: 'chargen-dgram' })!.get('socket_type')).toEqual(['dgram']);
  });

  it('Debian xinetd.conf: empty defaults with comments inside, includedir', () => {
    expect(parse(fixtures['debian/etc/xinetd.conf']!).toJSON()).toEqual({
      defaults: { line: 5, attributes: [] },
      services: [],
      includes: [{ kind: 'includedir', path: '/etc/xinetd.d', line: 14 }],
    });
  });
});

describe('syntax as xinetd reads it', () => {
  const table: [string, string, string[]][] = [
    ['brace on the service line', 'service x {\n\tport = 1\n}\n', ['1:11:xinetd/missing-open']],
    ['close brace with text', 'service x\n{\n\tport = 1\n} # end\n', ['4:3:xinetd/bad-operator', '4:1:xinetd/missing-close']],
    ['name=value', 'service x\n{\n\tport=1\n}\n', ['3:6:xinetd/needs-space']],
    ['split operator', 'service x\n{\n\tport + = 1\n}\n', ['3:7:xinetd/bad-operator']],
    ['no operator', 'service x\n{\n\tport\n}\n', ['3:2:xinetd/missing-operator']],
    ['stray line', 'port = 1\nservice x\n{\n}\n', ['1:1:xinetd/not-an-entry']],
    ['service without a name', 'service\n{\n}\n', ['1:1:xinetd/missing-name']],
    ['end of file inside an entry', 'service x\n{\n\tport = 1\n', ['3:1:xinetd/incomplete-entry']],
    ['second defaults', 'defaults\n{\n}\ndefaults\n{\n}\n', ['4:1:xinetd/duplicate-defaults']],
    ['inline comment', 'service x\n{\n\ttype = UNLISTED # x\n}\n', ['3:18:xinetd/inline-comment']],
    ['CRLF', 'service x\r\n{\r\n\tport = 1\r\n}\r\n', ['1:10:xinetd/crlf']],
    ['comments and blank lines anywhere', '# a\nservice x\n# b\n\n  {\n # c\n\tport = 1\n\n\t}  \n', []],
    ['operator without spaces after', 'service x\n{\n\tport =41004\n\tserver_args +=a\n}\n', []],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => {
      expect(codes(text)).toEqual(expected);
      expect(parse(text).toString()).toBe(text);
    });
  }

  it('a syntax error drops the entry and xinetd skips to the next "}" line', () => {
    const doc = parse('service a\n{\n\tport=1\n\tjunk\n}\nservice b\n{\n\tport = 2\n}\n');
    expect(doc.toJSON().services).toEqual([
      { name: 'a', line: 1, attributes: [], dropped: 'syntax error on line 3' },
      { name: 'b', line: 6, attributes: [{ name: 'port', op: '=', values: ['2'], line: 8 }] },
    ]);
    expect(doc.roles).toEqual(['entry', 'open', 'unknown', 'skipped', 'close', 'entry', 'open', 'attribute', 'close']);
  });

  it('a syntax error in defaults returns to the top level, which swallows the next entry', () => {
    const doc = parse('defaults\n{\n\tumask=022\n}\nservice eaten\n{\n}\nservice kept\n{\n}\n');
    expect(doc.roles.slice(0, 7)).toEqual(['entry', 'open', 'unknown', 'unknown', 'skipped', 'skipped', 'close']);
    expect(doc.toJSON().services.map((s) => s.name)).toEqual(['kept']);
  });

  it('values: no quoting, runs of blanks collapse, CR of a CRLF ending is not a value', () => {
    const doc = parse('service x\r\n{\r\n\tserver_args = "a  b"\t c \r\n}\r\n');
    expect(doc.toJSON().services[0]!.attributes[0]!.values).toEqual(['"a', 'b"', 'c']);
  });

  it('every string round-trips and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('service', 'defaults', 'include', ' ', '\t', '\n', '\r\n', '\r', '{', '}', '#', '=', '+=', '-', 'a', 'port', '\0', '\uFEFF', 'é') , maxLength: 60 }), (s) => {
        const doc = parse(s);
        expect(doc.toString()).toBe(s);
        doc.toJSON();
        format.check(doc);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(parse(s).toString()).toBe(s);
      }),
      { numRuns: 200 },
    );
  });
});

/** Generated well-formed files: any layout of blocks, attributes, comments and blank lines. */
const ws = fc.constantFrom('', ' ', '\t', '  ', '\t\t');
const word = fc.stringMatching(/^[A-Za-z0-9_\/.:-]{1,8}$/);
const attrLine = fc.record({
  indent: fc.constantFrom(' ', '\t', '        ', '\t '),
  name: fc.constantFrom('port', 'user', 'server', 'server_args', 'only_from', 'log_on_success', 'type', 'nice'),
  gap: fc.constantFrom(' ', '\t', '\t\t', '      '),
  op: fc.constantFrom('=', '+=', '-='),
  values: fc.array(word, { minLength: 0, maxLength: 3 }),
  trail: ws,
});
const block = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
  attrs: fc.array(attrLine, { maxLength: 6 }),
  comments: fc.array(fc.constantFrom('# c', '', '  # indented', '\t'), { maxLength: 2 }),
});
const fileArb = fc.record({ blocks: fc.array(block, { minLength: 1, maxLength: 4 }), eol: fc.constantFrom('\n', '\r\n'), finalEol: fc.boolean() }).map(({ blocks, eol, finalEol }) => {
  const lines: string[] = [];
  for (const b of blocks) {
    lines.push(...b.comments, `service ${b.name}`, '{');
    for (const a of b.attrs) lines.push(`${a.indent}${a.name}${a.gap}${a.op} ${a.values.join(' ')}${a.trail}`);
    lines.push('}');
  }
  return lines.join(eol) + (finalEol ? eol : '');
});

describe('generated files', () => {
  it('round-trip, and every block is read', () => {
    fc.assert(
      fc.property(fileArb, (text) => {
        const doc = parse(text);
        expect(doc.toString()).toBe(text);
        expect(doc.roles.includes('unknown')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('set/add/remove change only their own lines', () => {
    fc.assert(
      fc.property(fileArb.filter((t) => !t.includes('\r')), fc.nat(), fc.constantFrom('set', 'add', 'remove'), fc.constantFrom('port', 'nice', 'flags'), (text, pick, verb, name) => {
        const doc = parse(text);
        const services = doc.services();
        const s = services[pick % services.length]!;
        const before = doc.toString().split('\n');
        const had = s.attributes().filter((a) => a.name === name).length;
        if (verb === 'set') s.set(name, ['9']);
        else if (verb === 'add') s.add(name, ['9']);
        else s.remove(name);
        const after = doc.toString().split('\n');
        const { removed, added } = changedLines(before.join('\n'), after.join('\n'));
        // Only lines naming the attribute disappear or appear.
        for (const l of removed) expect(l).toMatch(new RegExp(`^\\s*${name}\\s`));
        for (const l of added) expect(l).toMatch(new RegExp(`^\\s*${name}\\s+=\\s*9$`));
        const reparsed = parse(doc.toString());
        const same = reparsed.services()[pick % services.length]!.attributes().filter((a) => a.name === name);
        if (verb === 'remove') expect(same).toEqual([]);
        else if (verb === 'set') expect(same.map((a) => a.values)).toEqual([['9']]);
        else expect(same.length).toBe(had + 1);
        expect(reparsed.roles.includes('unknown')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('edits keep the file layout', () => {
  it('the seed thp-pasv: aligned "=" column with spaces', () => {
    const doc = parse(thpPasv);
    const s = doc.service('thp-pasv')!;
    s.set('port', 2222).add('only_from', ['10.0.0.0/8', '192.168.0.0/16']).add('log_on_success', 'HOST PID', '+=');
    s.remove('nice');
    expect(doc.toString()).toBe(
      thpPasv
        .replace('port            = 22\n', 'port            = 2222\n')
        .replace('        nice            = 10\n', '')
        .replace('per_source      = 1\n', 'per_source      = 1\n        only_from       = 10.0.0.0/8 192.168.0.0/16\n        log_on_success  += HOST PID\n'),
    );
  });

  it('Debian chargen: tabs to the same tab stop', () => {
    const doc = parse(chargen);
    doc.service('chargen', { id: 'chargen-dgram' })!.set('disable', 'no').add('only_from', '127.0.0.1').add('log_on_success', 'HOST', '+=').add('server_args', 'x');
    const out = doc.toString();
    expect(out).toContain('\tdisable\t\t= no\n\ttype\t\t= INTERNAL\n\tid\t\t= chargen-dgram\n');
    expect(out).toContain('\twait\t\t= yes\n\tonly_from\t= 127.0.0.1\n\tlog_on_success\t+= HOST\n\tserver_args\t= x\n}');
    // The first entry is untouched.
    expect(out.slice(0, chargen.indexOf('# This is the udp version.'))).toBe(chargen.slice(0, chargen.indexOf('# This is the udp version.')));
  });

  it('addService and removeService', () => {
    const doc = parse(chargen);
    doc.addService('thp-pasv', [['type', 'UNLISTED'], ['port', 22]], { comments: ['added'] });
    expect(doc.toString()).toBe(chargen + '\n# added\nservice thp-pasv\n{\n\ttype\t\t= UNLISTED\n\tport\t\t= 22\n}\n');
    expect(doc.removeService('thp-pasv')).toBe(true);
    expect(doc.toString()).toBe(chargen);
    const first = doc.services()[0]!;
    doc.removeService(first);
    expect(doc.toString()).toBe(chargen.slice(chargen.indexOf('# This is the udp version.')));
  });

  it('keeps CRLF and a missing final newline', () => {
    const doc = parse('service x\r\n{\r\n\tport\t= 1\r\n}');
    doc.service('x')!.add('nice', 5).set('port', 2);
    expect(doc.toString()).toBe('service x\r\n{\r\n\tport\t= 2\r\n\tnice\t= 5\r\n}');
  });

  it('rename rewrites the name only: indentation, keyword spelling, gaps, trailing words, CRLF and what follows a NUL stay', () => {
    const text = '# x\n  SERVICE\t\told-name\t\t{ extra\t\r\n{\r\n\tport\t= 1\r\n}\r\nservice b\0 junk\t\n{\n}\n';
    const doc = parse(text);
    doc.service('old-name')!.rename('new');
    doc.service('b')!.rename('c');
    const out = '# x\n  SERVICE\t\tnew\t\t{ extra\t\r\n{\r\n\tport\t= 1\r\n}\r\nservice c\0 junk\t\n{\n}\n';
    expect(doc.toString()).toBe(out);
    expect(doc.services().map((s) => s.name)).toEqual(['new', 'c']);
    // Two recorded edits, each spanning its header line only.
    const edits = doc.edits();
    expect(edits.map((e) => text.slice(e.offset, e.offset + e.length))).toEqual(['  SERVICE\t\told-name\t\t{ extra\t\r\n', 'service b\0 junk\t\n']);
    expect(applyEdits(text, edits)).toBe(out);
    // A name ending the line of a CRLF file keeps one CR.
    const crlf = parse('service x\r\n{\r\n}\r\n');
    crlf.service('x')!.rename('y');
    expect(crlf.toString()).toBe('service y\r\n{\r\n}\r\n');
  });

  it('refuses values that would change the structure, naming the field', () => {
    const s = parse(thpPasv).service('thp-pasv')!;
    expect(() => s.set('server_args', 'a\nservice evil')).toThrow(/service thp-pasv: server_args.*line break/);
    expect(() => s.set('server_args', ['a b'])).toThrow(XinetdInputError);
    expect(() => s.set('bad name', 'x')).toThrow(/not an attribute name/);
    expect(() => s.set('#port', 'x')).toThrow(/not an attribute name/);
    expect(() => s.set('}', 'x')).toThrow(/not an attribute name/);
    expect(() => parse('').addService('a b', [])).toThrow(/service name/);
    expect(() => parse('').addService('}', [])).toThrow(/brace/);
    expect(() => parse('').addService('#x', [])).toThrow(/starts with '#'/);
  });
});

describe('render', () => {
  const seedModel = {
    name: 'thp-pasv',
    comments: ['default: on', 'description: tinyhoneypot answers on the ssh port; fail2ban bans every source it logs'],
    attributes: { type: 'UNLISTED', socket_type: 'stream', protocol: 'tcp', port: 22, wait: 'no', user: 'thpot', server: '/usr/sbin/thpot', server_args: 'nullresp', nice: 10, disable: 'no', instances: 1, per_source: 1 },
  };

  it('renders the seed thp-pasv byte for byte in the canonical aligned style', () => {
    expect(renderService(seedModel)).toBe(thpPasv);
    const doc = render(seedModel);
    expect(doc.toString()).toBe(thpPasv);
    expect(doc.diagnostics).toEqual([]);
  });

  it('renders a whole file that reads back to the same model', () => {
    const doc = render({ defaults: [['log_on_success', ['HOST', 'PID']]], services: [seedModel], includes: [{ kind: 'includedir', path: '/etc/xinetd.d' }] });
    const m = parse(doc.toString()).toJSON();
    expect(m.defaults!.attributes.map((a) => [a.name, a.values])).toEqual([['log_on_success', ['HOST', 'PID']]]);
    expect(m.services[0]!.attributes.map((a) => a.name)).toEqual(Object.keys(seedModel.attributes));
    expect(m.includes).toEqual([{ kind: 'includedir', path: '/etc/xinetd.d', line: 24 }]);
  });

  it('refuses injection with an error naming the field', () => {
    const bad = (attributes: Record<string, unknown>, name = 'thp-pasv') => () => renderService({ name, attributes: attributes as never });
    expect(bad({ server_args: 'nullresp\n}\nservice evil\n{' })).toThrow(/service thp-pasv: attributes: server_args: .*line break/);
    expect(bad({ server: '/x\r' })).toThrow(/server/);
    expect(bad({ server: '/x\0' })).toThrow(/server/);
    expect(bad({ 'port\n': 1 })).toThrow(/attribute name/);
    expect(bad({ port: 1 }, 'a\nb')).toThrow(/service name/);
    expect(bad({ port: ['1', ''] })).toThrow(/port\[1\].*empty/);
    expect(() => renderService({ name: 'x', attributes: { port: 1 }, comments: ['a\nport = 2'] })).toThrow(/comments\[0\]/);
    expect(() => renderService({ name: 'x', attributes: [['port', 1, '*=' as never]] })).toThrow(/operator/);
  });

  it('any safe model renders to a file that reads back to it', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/),
        fc.array(fc.tuple(fc.stringMatching(/^[a-z_][a-z0-9_]{0,14}$/), fc.array(fc.stringMatching(/^[!-~]{1,10}$/), { minLength: 1, maxLength: 4 }), fc.constantFrom('=', '+=', '-=')), { maxLength: 8 }),
        (name, attrs) => {
          const doc = parse(renderService({ name, attributes: attrs as never }));
          expect(doc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(doc.toJSON().services).toEqual([{ name, line: 1, attributes: attrs.map(([n, v, op], i) => ({ name: n, op, values: v, line: i + 3 })) }]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('detect', () => {
  it('by name and by content', () => {
    expect(format.detect('/etc/xinetd.conf', '')).toBe(2);
    expect(format.detect('/etc/xinetd.d/chargen', chargen)).toBe(3);
    expect(format.detect(undefined, chargen)).toBe(1);
    expect(format.detect('x.txt', 'Port 22\n')).toBe(0);
    expect(format.detect(undefined, 'service x {\n')).toBe(0);
  });
});

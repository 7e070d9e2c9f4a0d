// The column scanners (src/ufw/field.ts) against their specification, grammars/ufw.peggy, and the
// rule-line split the Document uses (columns.ts) through either.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseGrammar } from '../../grammars/ufw.peggy';
import { rawLines } from '../../src/core/text.js';
import { splitRuleLine, splitWith, type ColumnReaders } from '../../src/ufw/columns.js';
import { scanField, scanTail } from '../../src/ufw/field.js';

/** The grammar's answer for a start rule: its value, or undefined on a syntax error. */
function grammar(text: string, startRule: string): unknown {
  try {
    return parseGrammar(text, { startRule });
  } catch (e) {
    if (!(e as { location?: unknown }).location) throw e;
    return undefined;
  }
}

/** Pieces of column text: the forms ufw prints, and near misses of each. */
const FIELD_PIECES = [
  'Anywhere', 'Anywher', '/tcp', '/udp', '/ipv6', '/esp', '/ah', '/igmp', '/gre', '/vrrp', '/tc', '/', ' (v6)', ' (v6', '(v6)',
  ' on ', ' on', 'on ', 'eth0', 'wg0', 'veth.1', 'br-1+', 'a,b=c%d@e', '10.0.0.1', '1.2.3.4', '/24', '/255.255.0.0', '1234.5.6.7',
  '10.0', '2001:db8::1', '::', '::ffff:1.2.3.4', 'fe80::', ':', '::1', '/64', '/48', 'aB:', ' ', '  ', '22', '80,443',
  '6000:6007', '8080:8090', ',', ',x', '0', '1', ' (', '(', ')', 'OpenSSH', 'Nginx Full', 'Nginx', ' Full', 'a', 'Z', '-', '.',
  '+', '_', '%', '@', 'x', '#', '\t', 'é', ' (OpenSSH)', ' (Nginx Full (v6))', ' (v6))',
];
const TAIL_PIECES = [' (log)', ' (log-all)', ' (out)', ' (log, out)', ' (log-all, out)', ' # ', ' #', '# ', ' (', 'log', 'log-all', ', out', ')', '(', 'out', 'x', ' ', 'comment', '#', '\u00e9'];

const opt = (a: fc.Arbitrary<string>) => fc.option(a, { nil: '' });
const cat = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((xs) => xs.join(''));
const lit = (...xs: string[]) => fc.constantFrom(...xs);
const octet = fc.integer({ min: 0, max: 999 }).map(String);
const ipv4 = fc.tuple(octet, octet, octet, octet).map((xs) => xs.join('.'));
const ipv6 = lit('2001:db8::1', '::', '::1', 'fe80::a:B', '::ffff:1.2.3.4', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', '1:2');
const proto = lit('tcp', 'udp', 'ipv6', 'esp', 'ah', 'igmp', 'gre', 'vrrp', 'tc', 'x');
const address = fc.oneof(ipv4, cat(ipv4, lit('/'), fc.oneof(ipv4, fc.nat(40).map(String))), ipv6, cat(ipv6, lit('/'), fc.nat(128).map(String)));
const ports = fc.array(fc.oneof(fc.nat(65535).map(String), cat(fc.nat(9999).map(String), lit(':'), fc.nat(9999).map(String))), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const app = lit('OpenSSH', 'Nginx Full', 'a b.c+d_e-f', 'on', 'x on y', 'WWW Full', 'A (v6) B');
const v6 = opt(lit(' (v6)'));
const portPart = fc.oneof(cat(ports, opt(cat(lit('/'), proto)), opt(cat(lit(' ('), app, v6, lit(')'))), v6), cat(app, v6));
const body = fc.oneof(
  cat(lit('Anywhere'), opt(cat(lit('/'), proto)), v6),
  cat(address, opt(cat(lit('/'), proto))),
  cat(address, lit(' '), portPart),
  portPart,
);
/** Column texts built the grammar's way (some fields out of range or unknown: the grammar decides). */
const structured = cat(body, opt(cat(lit(' on '), lit('eth0', 'wg0', 'veth.1', 'a,b=c%d@e', 'x y'))));

const joined = (pieces: string[], max: number) => fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((xs) => xs.join(''));
/** Generated texts, some of them with one character changed, dropped or doubled. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    base,
    fc.tuple(base, fc.nat(), fc.constantFrom('', ' ', '/', ':', '.', '(', ')', ',', '0', 'a', 'v')).map(([s, at, c]) => {
      const i = s.length ? at % s.length : 0;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    fc.tuple(base, fc.nat()).map(([s, at]) => {
      const i = s.length ? at % s.length : 0;
      return s.slice(0, i) + s.slice(i, i + 1) + s.slice(i);
    }),
  );
}

describe('ufw column scanners agree with the grammar', () => {
  it('scanField is the grammar\'s Field (values and key order)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(structured), mutated(joined(FIELD_PIECES, 8)), fc.string({ unit: fc.constantFrom(...'0123456789abcdefAF:./ (v6)onethAnywhere,OpenSSH'.split('')), maxLength: 30 })), (text) => {
        expect(JSON.stringify(scanField(text))).toBe(JSON.stringify(grammar(text, 'Field')));
      }),
      { numRuns: 8000 },
    );
  });

  it('scanTail is the grammar\'s Tail', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(joined(TAIL_PIECES, 5)), fc.string({ maxLength: 12 })), (text) => {
        expect(JSON.stringify(scanTail(text))).toBe(JSON.stringify(grammar(text, 'Tail')));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every form ufw prints', () => {
    const cases: [string, object][] = [
      ['Anywhere (v6)', { address: null, port: null, proto: null, app: null, v6: true, interface: null }],
      ['Anywhere/udp on eth0', { address: null, port: null, proto: 'udp', app: null, v6: false, interface: 'eth0' }],
      ['10.0.0.0/8 22/tcp', { port: '22', proto: 'tcp', app: null, v6: false, address: '10.0.0.0/8', interface: null }],
      ['2001:db8::/48/esp', { address: '2001:db8::/48', port: null, proto: 'esp', app: null, v6: false, interface: null }],
      ['80,443/tcp (Nginx Full (v6))', { port: '80,443', proto: 'tcp', app: 'Nginx Full', v6: true, address: null, interface: null }],
      ['Nginx Full (v6) on wg0', { port: null, proto: null, app: 'Nginx Full', v6: true, address: null, interface: 'wg0' }],
    ];
    for (const [text, value] of cases) {
      expect(scanField(text)).toEqual(value);
      expect(grammar(text, 'Field')).toEqual(value);
    }
    expect(scanField('Anywhereland')).toBeUndefined();
    expect(scanTail(' (log, out) # ssh alt')).toEqual({ log: 'log', out: true, comment: 'ssh alt' });
  });
});

/** The grammar's `Field` and `Tail` as column readers. */
const GRAMMAR: ColumnReaders = {
  field: (t) => grammar(t, 'Field') as ReturnType<ColumnReaders['field']>,
  tail: (t) => grammar(t, 'Tail') as ReturnType<ColumnReaders['tail']>,
};

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ufw');
const statusFiles = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.txt'))
  .map((e) => join(e.parentPath, e.name))
  .sort();
const contentOf = (raw: string) => raw.replace(/\r?\n$/, '');

describe('the rule-line split through the grammar', () => {
  it('splits every line of every status fixture as it does through the scanners', () => {
    expect(statusFiles.length).toBeGreaterThanOrEqual(20);
    let rules = 0;
    for (const file of statusFiles) {
      for (const raw of rawLines(readFileSync(file, 'utf8'))) {
        const line = contentOf(raw);
        const r = splitRuleLine(line);
        if (!('error' in r)) rules++;
        expect(splitWith(line, GRAMMAR), `${file}: ${JSON.stringify(line)}`).toEqual(r);
      }
    }
    expect(rules).toBeGreaterThan(100);
  });

  it('splits generated rule lines (aligned, hand-spaced, mutated) as it does through the scanners', () => {
    const action = lit('ALLOW IN', 'DENY OUT', 'REJECT FWD', 'LIMIT IN', 'ALLOW', 'DENY', 'ALLOW  IN', 'LIMIT');
    const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));
    const side = fc.oneof({ weight: 3, arbitrary: structured }, { weight: 1, arbitrary: mutated(structured) });
    const tail = fc.oneof({ weight: 3, arbitrary: lit('', ' (log)', ' (out)', ' (log-all, out)', ' # web', ' (log) # a (b) # c') }, { weight: 1, arbitrary: mutated(joined(TAIL_PIECES, 3)) });
    const ruleLine = fc
      .tuple(opt(lit('[ 1] ', '[12] ', '[1] ')), side, action, side, tail, fc.boolean())
      .map(([n, to, a, from, tail, aligned]) => (aligned ? `${n}${pad(to, 26)} ${pad(a, 12)}${pad(from, 26)}${tail}`.trimEnd() : `${n}${to} ${a} ${from}${tail}`));
    let split = 0;
    fc.assert(
      fc.property(ruleLine, (line) => {
        const r = splitRuleLine(line);
        if (!('error' in r)) split++;
        expect(splitWith(line, GRAMMAR)).toEqual(r);
      }),
      { numRuns: 1500 },
    );
    console.log(`generated rule lines: ${split} of 1500 split into columns`);
    expect(split).toBeGreaterThan(300);
  });
});

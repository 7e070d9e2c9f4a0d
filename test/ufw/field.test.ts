// The rule-line split (src/ufw/columns.ts) and the column reader it uses (parseField, the grammar's
// `Field` in grammars/ufw.peggy): the forms ufw prints, and properties of the split on the status
// fixtures and on generated lines. The random cases use the run's seed (test/fast-check-setup.ts,
// printed at the start of the run; FC_SEED replays it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawLines } from '../../src/core/text.js';
import { layoutSplits, parseField, splitRuleLine, type RuleColumns, type SplitResult } from '../../src/ufw/columns.js';

/** Pieces of the text after FROM: the forms ufw prints, and near misses of each. */
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


/** The forms of a To / From column that get_status prints, and what the grammar reads in each. */
const FORMS: [string, object][] = [
  ['Anywhere', { address: null, port: null, proto: null, app: null, v6: false, interface: null }],
  ['Anywhere (v6)', { address: null, port: null, proto: null, app: null, v6: true, interface: null }],
  ['Anywhere/udp on eth0', { address: null, port: null, proto: 'udp', app: null, v6: false, interface: 'eth0' }],
  ['Anywhere/tcp (v6) on wg0', { address: null, port: null, proto: 'tcp', app: null, v6: true, interface: 'wg0' }],
  ['22/tcp', { port: '22', proto: 'tcp', app: null, v6: false, address: null, interface: null }],
  ['22/tcp (v6)', { port: '22', proto: 'tcp', app: null, v6: true, address: null, interface: null }],
  ['80,443,8080:8090/tcp', { port: '80,443,8080:8090', proto: 'tcp', app: null, v6: false, address: null, interface: null }],
  ['10.0.0.0/8 22/tcp', { port: '22', proto: 'tcp', app: null, v6: false, address: '10.0.0.0/8', interface: null }],
  ['192.168.1.10 443/tcp on eth1', { port: '443', proto: 'tcp', app: null, v6: false, address: '192.168.1.10', interface: 'eth1' }],
  ['1.2.3.4/esp', { address: '1.2.3.4', port: null, proto: 'esp', app: null, v6: false, interface: null }],
  ['2001:db8::/48/esp', { address: '2001:db8::/48', port: null, proto: 'esp', app: null, v6: false, interface: null }],
  ['2001:db8::1 53 (v6)', { port: '53', proto: null, app: null, v6: true, address: '2001:db8::1', interface: null }],
  ['OpenSSH', { port: null, proto: null, app: 'OpenSSH', v6: false, address: null, interface: null }],
  ['22/tcp (OpenSSH)', { port: '22', proto: 'tcp', app: 'OpenSSH', v6: false, address: null, interface: null }],
  ['80,443/tcp (Nginx Full (v6))', { port: '80,443', proto: 'tcp', app: 'Nginx Full', v6: true, address: null, interface: null }],
  ['Nginx Full (v6) on wg0', { port: null, proto: null, app: 'Nginx Full', v6: true, address: null, interface: 'wg0' }],
  ['10.0.0.1 Nginx Full on br-1+', { port: null, proto: null, app: 'Nginx Full', v6: false, address: '10.0.0.1', interface: 'br-1+' }],
  // An application may be named `x on y`: " on IFACE" is the interface only at the end.
  ['x on y on eth0', { port: null, proto: null, app: 'x on y', v6: false, address: null, interface: 'eth0' }],
];

describe('parseField (the grammar\'s Field)', () => {
  it('reads every form ufw prints', () => {
    for (const [text, value] of FORMS) expect(parseField(text), text).toEqual(value);
    // Key order is the grammar's too (the model's JSON depends on it).
    expect(Object.keys(parseField('10.0.0.0/8 22/tcp')!)).toEqual(['port', 'proto', 'app', 'v6', 'address', 'interface']);
  });

  it('rejects near misses', () => {
    for (const text of ['Anywhereland', 'Anywhere/tc', 'Anywhere (v6', '22/tcp (OpenSSH', '22/tcp on ', ' OpenSSH', '(v6)', '-ssh', 'a\tb', '']) {
      expect(parseField(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

/** Properties every successful split has: its spans are pieces of the line, in order, read as parsed. */
function expectSpansOf(line: string, r: RuleColumns): void {
  for (const span of [r.to, r.actionSpan, r.from]) expect(line.slice(span.start, span.end)).toBe(span.text);
  expect(r.to.start).toBeLessThan(r.to.end);
  expect(r.to.end).toBeLessThan(r.actionSpan.start);
  expect(r.actionSpan.end).toBeLessThanOrEqual(r.from.start);
  expect(r.from.start).toBeLessThan(r.from.end);
  expect(r.to.text).toBe(r.to.text.trim());
  expect(r.from.text).toBe(r.from.text.trim());
  expect(r.to.field).toEqual(parseField(r.to.text));
  expect(r.from.field).toEqual(parseField(r.from.text));
  expect(r.actionSpan.text).toBe(r.action.toUpperCase() + (r.direction === null ? '' : ' ' + r.direction.toUpperCase()));
  if (r.comment === null) expect(r.commentStart).toBeNull();
  else {
    expect(r.commentStart).toBeGreaterThanOrEqual(r.from.end);
    expect(line.slice(r.commentStart!)).toBe(r.comment);
  }
  expect(r.number === null).toBe(r.to.start === 0);
}

function expectSplitOf(line: string, r: SplitResult): void {
  if ('error' in r) {
    expect(r.offset).toBeGreaterThanOrEqual(0);
    expect(r.offset).toBeLessThanOrEqual(line.length);
  } else expectSpansOf(line, r);
}

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ufw');
const statusFiles = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.txt'))
  .map((e) => join(e.parentPath, e.name))
  .sort();
const contentOf = (raw: string) => raw.replace(/\r?\n$/, '');

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));
/** Column texts the grammar reads, as ufw prints them (one space between words, no log/out mark). */
const readable = structured.filter((t) => parseField(t) !== undefined);

describe('the rule-line split', () => {
  it('splits every line of every status fixture into spans of the line', () => {
    expect(statusFiles.length).toBeGreaterThanOrEqual(20);
    let rules = 0;
    let aligned = 0;
    for (const file of statusFiles) {
      for (const raw of rawLines(readFileSync(file, 'utf8'))) {
        const line = contentOf(raw);
        const r = splitRuleLine(line);
        expectSplitOf(line, r);
        if ('error' in r) continue;
        rules++;
        if (r.aligned) aligned++;
      }
    }
    expect(rules).toBeGreaterThan(100);
    // The fixtures are captured ufw output (a few are hand-edited): nearly all of them as ufw lays them out.
    expect(aligned).toBeGreaterThan(rules * 0.9);
    expect(splitRuleLine('22/tcp                     ALLOW IN    Anywhere                   (log, out) # ssh alt')).toMatchObject({
      to: { text: '22/tcp' },
      from: { text: 'Anywhere', start: 39, end: 47 },
      log: 'log',
      out: true,
      comment: 'ssh alt',
      aligned: true,
    });
  });

  it('gives back the To and From texts of a line laid out the way ufw prints it', () => {
    const action = lit('ALLOW IN', 'DENY OUT', 'REJECT FWD', 'LIMIT IN', 'ALLOW', 'DENY', 'LIMIT');
    const tail = lit('', ' (log)', ' (out)', ' (log-all, out)', ' # web', ' (log) # a (b) # c');
    fc.assert(
      fc.property(opt(lit('[ 1] ', '[12] ', '[123] ')), readable, action, readable, tail, (n, to, a, from, tail) => {
        const line = `${n}${pad(to, 26)} ${pad(a, 12)}${pad(from, 26)}${tail}`.trimEnd();
        const r = splitRuleLine(line);
        // The Document reads such lines together, in one parser call: the same split, or none (then
        // it asks splitRuleLine), which happens only when FROM is longer than its column (a ` (`
        // after its first 26 code points may end it there).
        const together = layoutSplits(['Status: active', line, '']);
        expect([together[0], together[2]]).toEqual([undefined, undefined]);
        if (together[1] === undefined) expect([...from].length).toBeGreaterThan(26);
        else expect(together[1]).toEqual(r);
        if ('error' in r) expect.fail(`${JSON.stringify(line)}: ${r.error}`);
        expectSpansOf(line, r);
        const [act, dir] = a.split(' ');
        expect(r).toMatchObject({ number: n === '' ? null : parseInt(n.slice(1), 10), action: act!.toLowerCase(), direction: dir?.toLowerCase() ?? null });
        expect(r.to.text).toBe(to);
        expect(r.from.text).toBe(from);
        expect(r.comment).toBe(tail.includes(' # ') ? tail.slice(tail.indexOf(' # ') + 3) : null);
        expect(r.aligned).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves a line to the search when the split at the layout\'s place does not read (seed 466758882)', () => {
    // FROM is 31 code points; its first 26 end before ` (v6)`, which is no tail.
    const line = `${pad('2001:db8::1/0', 26)} ${pad('ALLOW IN', 12)}1000:100 (Nginx Full (v6)) (v6)`;
    expect(layoutSplits([line])).toEqual([undefined]);
    expect(splitRuleLine(line)).toMatchObject({ to: { text: '2001:db8::1/0' }, from: { text: '1000:100 (Nginx Full (v6)) (v6)' }, aligned: true });
  });

  it('splits any line (aligned, hand-spaced, mutated) into spans of the line, or says why not', () => {
    const action = lit('ALLOW IN', 'DENY OUT', 'REJECT FWD', 'LIMIT IN', 'ALLOW', 'DENY', 'ALLOW  IN', 'LIMIT');
    const side = fc.oneof({ weight: 3, arbitrary: structured }, { weight: 1, arbitrary: mutated(structured) });
    const tail = fc.oneof({ weight: 3, arbitrary: lit('', ' (log)', ' (out)', ' (log-all, out)', ' # web', ' (log) # a (b) # c') }, { weight: 1, arbitrary: mutated(joined(TAIL_PIECES, 3)) });
    const ruleLine = fc
      .tuple(opt(lit('[ 1] ', '[12] ', '[1] ')), side, action, side, tail, fc.boolean())
      .map(([n, to, a, from, tail, aligned]) => (aligned ? `${n}${pad(to, 26)} ${pad(a, 12)}${pad(from, 26)}${tail}`.trimEnd() : `${n}${to} ${a} ${from}${tail}`));
    let split = 0;
    let hand = 0;
    fc.assert(
      fc.property(ruleLine, (line) => {
        const r = splitRuleLine(line);
        expectSplitOf(line, r);
        if ('error' in r) return;
        split++;
        if (!r.aligned) hand++;
      }),
      { numRuns: 1500 },
    );
    // Read together (the Document's way), each line gets its split or is left to splitRuleLine.
    fc.assert(
      fc.property(fc.array(ruleLine, { maxLength: 30 }), (lines) => {
        layoutSplits(lines).forEach((r, i) => {
          if (r !== undefined) expect(r).toEqual(splitRuleLine(lines[i]!));
        });
      }),
      { numRuns: 100 },
    );
    // Both kinds were exercised (the counts could only fall short if the generators broke).
    expect(split).toBeGreaterThan(300);
    expect(hand).toBeGreaterThan(50);
  });
});

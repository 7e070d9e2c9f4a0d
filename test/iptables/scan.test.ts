// The hand-written scanner agrees with the grammar (grammars/iptables.peggy), which is the specification.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseLine } from '../../grammars/iptables.peggy';
import { scanArgs, tokenize } from '../../src/iptables/scan.js';
import { parse } from '../../src/iptables/parse.js';
import { readRule } from '../../src/iptables/document.js';

const alphabet = fc.constantFrom(' ', '\t', '"', '\\', 'a', 'b', '-', '!', '#', "'", '*', ':', '[', ']', '0', '1', 'é', '\r');
const lineArb = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));

describe('scanner vs grammar', () => {
  it('tokenises every line as the grammar does', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const g = parseLine(line, { startRule: 'Args' }) as unknown[];
        expect(tokenize(line)).toEqual(g);
      }),
      { numRuns: 3000 },
    );
  });

  it('scanArgs (what the Document reads every rule with) gives the grammar values and quoting', () => {
    fc.assert(
      fc.property(lineArb, lineArb, fc.constantFrom('', '\n', '\r\n'), (head, line, eol) => {
        // The Document passes the offset after the counters and the end of the content (before "\n").
        const raw = head + line + eol;
        const end = raw.length - (eol === '' ? 0 : 1); // a \r before the \n stays in the content
        const g = parseLine(raw.slice(head.length, end), { startRule: 'Args' }) as { value: string; quoted: boolean }[];
        const values: string[] = [];
        const quoted: boolean[] = [];
        scanArgs(raw, head.length, values, quoted, end);
        expect(values).toEqual(g.map((t) => t.value));
        expect(quoted).toEqual(g.map((t) => t.quoted));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads counters prefixes and rule arguments as the grammar does', () => {
    const prefix = fc.constantFrom('', '[0:0] ', '[12:3456]', '[1:2]-A', '[x:1] ');
    fc.assert(
      fc.property(prefix, lineArb, (p, rest) => {
        const line = p + '-A INPUT ' + rest;
        const g = parseLine(line, { startRule: 'RuleLine' }) as { counters?: { packets: string; bytes: string }; args: { value: string }[] };
        const doc = parse(`*filter\n${line}\nCOMMIT\n`);
        const node = doc.blocks[0]!.rules[0]!;
        const rule = readRule(node);
        if (g.counters) expect(rule.counters).toEqual({ packets: Number(g.counters.packets), bytes: Number(g.counters.bytes) });
        else expect(rule.counters).toBeUndefined();
        const toks = tokenize(line, g.counters ? (g.counters as unknown as { text: string }).text.length : 0);
        expect(toks.map((t) => t.value)).toEqual(g.args.map((t) => t.value));
      }),
      { numRuns: 1000 },
    );
  });

  it('classifies lines as the grammar does', () => {
    const lines = fc.oneof(
      lineArb,
      lineArb.map((l) => ':' + l),
      lineArb.map((l) => '*' + l),
      lineArb.map((l) => '#' + l),
      fc.constantFrom('COMMIT', 'COMMIT ', '', ':INPUT ACCEPT [1:2]', ':X - [0:0] extra', ':Y DROP [a:b]'),
    );
    fc.assert(
      fc.property(lines, (line) => {
        const g = parseLine(line, { startRule: 'Line' }) as { kind: string; name?: string; policy?: string; counters?: { packets?: string; text: string } };
        const inside = parse(`*filter\n${line}\nCOMMIT\n`);
        const kinds = inside.nodes.map((n) => n.kind);
        const mine = kinds[1];
        if (g.kind === 'table') {
          // Inside a table a * line is a command line (iptables-restore then fails on it).
          expect(mine).toBe('rule');
          const outside = parse(line + '\n');
          expect(outside.blocks[0]?.name).toBe(g.name);
        } else if (g.kind === 'chain') {
          if (g.name === '') expect(mine).toBe('unknown');
          else {
            expect(mine).toBe('chain');
            const cl = inside.nodes[1]!.chainLine!;
            expect(cl.name).toBe(g.name);
            expect(cl.policy).toBe(g.policy ?? '');
            expect(cl.counters ? `[${cl.counters.packets}:${cl.counters.bytes}]` : undefined).toBe(g.counters?.packets !== undefined ? g.counters.text : undefined);
          }
        } else if (g.kind === 'comment') expect(['comment', 'header', 'footer', 'warning']).toContain(mine);
        else if (g.kind === 'rule') expect(['rule', 'warning']).toContain(mine);
        else expect(mine).toBe(g.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it('follows add_param_to_argv on the cases of the facts sheet', () => {
    const v = (s: string) => tokenize(s).map((t) => t.value);
    expect(v('"a"b')).toEqual(['a', 'b']);
    expect(v('""')).toEqual(['']);
    expect(v("'single quoted'")).toEqual(["'single", "quoted'"]);
    expect(v('a"b c"')).toEqual(['ab c']);
    expect(v('"it\\\'s \\"q\\" \\\\ back"')).toEqual(['it\'s "q" \\ back']);
    expect(v('back\\slash')).toEqual(['back\\slash']);
    expect(v('  -A \t X  ')).toEqual(['-A', 'X']);
    expect(tokenize('"open end')[0]).toMatchObject({ value: 'open end', closed: false });
  });
});

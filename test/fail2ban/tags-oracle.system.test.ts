// Differential: our substituteRecursiveTags against fail2ban's own (helpers.py, through the Python
// that runs fail2ban-client) on generated tag maps: chains, self and mutual references, tags built
// by a substitution (`<<a>b>`), conditional `tag?family=...` variants, ignored tags, names found
// only through addrepl, and values with spaces and stray brackets.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyInt, substituteRecursiveTags, TagRecursionError } from '../../src/fail2ban/options.js';
import { fail2banPython } from './oracle.js';
import { runOk } from '../spawn.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  tags: [string, string][];
  conditional: string;
  ignore: string[];
  extra: Record<string, string>;
}
type Outcome = { tags: [string, string][] } | { error: string };

async function python(cases: Case[]): Promise<Outcome[]> {
  const out = await runOk([fail2banPython(), join(here, 'tags-oracle.py')], { input: JSON.stringify(cases) });
  return JSON.parse(out) as Outcome[];
}

function ours(c: Case): Outcome {
  try {
    const r = substituteRecursiveTags(new Map(c.tags), {
      conditional: c.conditional,
      ignore: c.ignore,
      addrepl: (t) => (Object.hasOwn(c.extra, t) ? c.extra[t] : undefined),
    });
    return { tags: [...r].map(([k, v]) => [k, String(v)]) };
  } catch (e) {
    if (e instanceof TagRecursionError) return { error: 'ValueError' };
    throw e;
  }
}

const names = ['a', 'b', 'c', 'd', 'ip', 'x y'];
const name = fc.constantFrom(...names);
const piece = fc.oneof(
  { weight: 4, arbitrary: name.map((n) => `<${n}>`) },
  { weight: 1, arbitrary: name.map((n) => `<${n}?family=inet6>`) },
  { weight: 2, arbitrary: fc.constantFrom('-', ' ', 'z', '<', '>', '<<', '>>', '%', '\n', 'é') },
  { weight: 1, arbitrary: name },
);
const value = fc.array(piece, { maxLength: 6 }).map((ps) => ps.join(''));
const key = fc.oneof({ weight: 5, arbitrary: name }, { weight: 1, arbitrary: name.map((n) => `${n}?family=inet6`) });
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    tags: fc.uniqueArray(fc.tuple(key, value), { selector: (t) => t[0], maxLength: 6 }),
    conditional: fc.constantFrom('', '', 'family=inet6'),
    ignore: fc.subarray(names, { maxLength: 2 }),
    extra: fc.dictionary(name, value, { maxKeys: 2 }),
  })
  .filter((c) => !blowsUp(c));

/**
 * A name on a cycle (a → b → a, or a → a through `a?COND`) whose value refers to two or more
 * names is multiplied up to 25 times before the repeat limit stops it: exponential, in fail2ban
 * too. Such maps are left out; cycles through single references stay (they grow linearly until
 * the limit raises). A key whose value names the key itself is an error at once, unless another
 * value leads to it. A stray `<` or `>` counts as references to every name.
 */
function blowsUp(c: Case): boolean {
  // Nodes: `t:KEY` for the map's keys, `x:NAME` for addrepl's names. `<n>` may read n, n?COND or addrepl's n.
  const edges = new Map<string, Set<string>>();
  const refs = new Map<string, number>();
  const selfRef = new Set<string>();
  const targets = (n: string) => [`t:${n}`, `x:${n}`, ...(c.conditional ? [`t:${n}?${c.conditional}`] : [])];
  const add = (node: string, v: string) => {
    const set = new Set<string>();
    const found = [...v.matchAll(/<([^ <>]+)>/g)].map((m) => m[1]!);
    const stray = /[<>]/.test(v.replace(/<([^ <>]+)>/g, ''));
    if (stray) found.push(...names);
    for (const r of found) {
      if (node === `t:${r}`) selfRef.add(node);
      for (const t of targets(r)) if (t !== `t:${r}` || t !== node) set.add(t);
    }
    edges.set(node, set);
    refs.set(node, stray ? 2 : found.length);
  };
  for (const [k, v] of c.tags) add(`t:${k}`, v);
  for (const [k, v] of Object.entries(c.extra)) add(`x:${k}`, v);
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    for (const n of edges.get(from) ?? []) {
      if (n === to) return true;
      if (!seen.has(n)) {
        seen.add(n);
        if (reaches(n, to, seen)) return true;
      }
    }
    return false;
  };
  const nodes = [...edges.keys()];
  const cyclic = (k: string) => reaches(k, k) || (selfRef.has(k) && nodes.some((j) => j !== k && reaches(j, k)));
  return nodes.some((k) => refs.get(k)! >= 2 && cyclic(k));
}

describe('substituteRecursiveTags agrees with fail2ban', () => {
  it('on generated tag maps', async () => {
    const cases = fc.sample(caseArb, 3000);
    const expected = await python(cases);
    let errors = 0;
    let changed = 0;
    let limit = 0;
    cases.forEach((c, i) => {
      const got = ours(c);
      expect(got, JSON.stringify(c)).toEqual(expected[i]);
      if ('error' in got) {
        errors++;
        // The repeat limit, not a key naming itself, raised.
        if (c.tags.every(([k, v]) => !v.includes(`<${k}>`))) limit++;
      } else if (JSON.stringify(got.tags) !== JSON.stringify(c.tags)) changed++;
    });
    // The draw reaches both outcomes, and substitutions that change values.
    expect(errors).toBeGreaterThan(20);
    expect(limit).toBeGreaterThan(5);
    expect(changed).toBeGreaterThan(250);
  });
});

describe('pyInt agrees with Python int()', () => {
  it('on the integer spellings a config may hold', async () => {
    const texts = ['3', ' 3 ', '-1', '+5', '-0', '007', '1_000', '1__0', '_1', '\u0663\u0660', ' 12\n', '\u00a07', '0x1', '1e3', '', '1.0', '99999999999999999999', '-', '1 2'];
    const script = 'import json,sys\nout=[]\nfor t in json.load(sys.stdin):\n  try: out.append(int(t))\n  except ValueError: out.append(None)\nprint(json.dumps(out))';
    const expected = JSON.parse(await runOk([fail2banPython(), '-c', script], { input: JSON.stringify(texts) })) as (number | null)[];
    const got = texts.map((t) => {
      try {
        return pyInt(t);
      } catch (e) {
        if (e instanceof RangeError) return null;
        throw e;
      }
    });
    expect(got).toEqual(expected);
    expect(got.filter((x) => x === null).length).toBeGreaterThan(4);
  });
});

// Differential: the pyre translator (Python `re` → JS RegExp) against the Python that runs fail2ban,
// through one long-lived python process. Compared per case: whether the pattern compiles (and
// Python's error message and offset), whether it matches, the span, and every group's span.
// Generated patterns come from a grammar of the supported constructs; the real failregex,
// ignoreregex and prefregex values of Debian's filter.d (after fail2ban's tag substitution, read
// by fail2ban's own FilterReader and Regex) run over fail2ban's sample log lines.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullmatch, match, PY_DOTALL, PY_IGNORECASE, PY_MULTILINE, search, translate, type Translation } from '../../src/fail2ban/pyre/index.js';
import { search as adapterSearch, translate as adapterTranslate } from '../../src/fail2ban/filter/pyre-adapter.js';
import { fail2banInterpreter, PythonRe, type PyAnswer, type PyRequest } from './pyre-python.js';

let py: PythonRe;
beforeAll(async () => {
  py = new PythonRe(await fail2banInterpreter());
});
afterAll(async () => {
  await py?.close();
});

type Outcome = { error: string; at: number | null } | { spans: ([number, number] | null)[] | null } | { skip: string };

const cache = new Map<string, Translation>();
function translated(pattern: string, flags: number): Translation {
  const k = `${flags}\u0000${pattern}`;
  let t = cache.get(k);
  if (!t) {
    if (cache.size > 5000) cache.clear();
    cache.set(k, (t = translate(pattern, { flags })));
  }
  return t;
}

const ASCII_ONLY = /^[\0-\x7f]*$/;

/** Our answer; `unicode` forces the full translation where search would take the ASCII one. */
function ours(r: PyRequest, unicode = false): Outcome {
  const t0 = translated(r.pattern, r.flags);
  const syntax = t0.diagnostics.find((d) => d.code === 'pyre/syntax');
  if (syntax) return { error: syntax.message, at: syntax.offset };
  if (t0.diagnostics.length) return { skip: t0.diagnostics[0]!.code };
  const t = unicode ? { ...t0, asciiRegexp: null } : t0;
  const f = r.op === 'search' ? search : r.op === 'match' ? match : fullmatch;
  const m = f(t, r.subject, r.pos);
  return { spans: m ? m.spans.map((s) => (s ? [s[0], s[1]] : null)) : null };
}

function theirs(a: PyAnswer): Exclude<Outcome, { skip: string }> | { runtime: string } {
  if ('runtime' in a) return { runtime: a.runtime };
  return 'error' in a ? { error: a.error, at: a.at } : { spans: a.spans };
}

const stats = { cases: 0, compiled: 0, matched: 0, skipped: 0, errors: 0, pythonFailed: 0, pythonFresh: 0, asciiSubjects: 0, asciiMatched: 0, lineAnchored: 0 };

/** Compares a batch; returns the first disagreement as text, or null. */
async function compare(reqs: PyRequest[]): Promise<string | null> {
  const answers = await py.runAll(reqs);
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i]!;
    const want = theirs(answers[i]!);
    const got = ours(r);
    stats.cases++;
    if (answers[i]!.fresh) stats.pythonFresh++;
    if ('runtime' in want) {
      // sre failed while matching (e.g. SystemError "The span of capturing group is wrong", seed 721009911): nothing to compare
      stats.pythonFailed++;
      continue;
    }
    if ('skip' in got) {
      stats.skipped++;
      // a pattern we decline must at least be one Python accepts, or a \N{} we cannot look up
      if ('error' in want && got.skip !== 'pyre/unsupported') return `${JSON.stringify(r)}: Python: ${JSON.stringify(want)}, pyre declines with ${got.skip}`;
      continue;
    }
    // sre_compile's errors (look-behind width) carry no position; ours points at the construct
    if ('error' in want && want.at === null && 'error' in got) got.at = null;
    if ('error' in want) stats.errors++;
    else {
      stats.compiled++;
      if (want.spans) stats.matched++;
    }
    const t = translated(r.pattern, r.flags);
    const ascii = ASCII_ONLY.test(r.subject) && t.asciiRegexp !== null;
    if (JSON.stringify(got) !== JSON.stringify(want)) return `${JSON.stringify(r)}:\n  python ${JSON.stringify(want)}\n  pyre   ${JSON.stringify(got)}\n  js     ${ascii ? (t.asciiLineRegexp && !r.subject.includes('\r') ? t.asciiLineRegexp.source + ' (the ASCII translation, native line anchors)' : t.asciiRegexp!.source + ' (the ASCII translation)') : t.source}`;
    if (ascii) {
      // search took the ASCII translation: the full one must give the same answer on this subject
      stats.asciiSubjects++;
      if ('spans' in want && want.spans) stats.asciiMatched++;
      // a (?m) pattern on a subject without \r: the translation with JS's own line anchors ran
      if (t.asciiLineRegexp !== null && !r.subject.includes('\r')) stats.lineAnchored++;
      const full = ours(r, true);
      if (JSON.stringify(full) !== JSON.stringify(want)) return `${JSON.stringify(r)}:\n  python ${JSON.stringify(want)}\n  pyre (full translation) ${JSON.stringify(full)}\n  js     ${t.source}`;
    }
  }
  return null;
}

// ---- the grammar ----
const CHARS = ['a', 'b', 'c', 'A', 'B', 's', 'S', 'k', 'K', 'i', 'I', '1', '0', '_', '-', ' ', '#', '\n', '\r', 'é', 'É', 'ſ', 'ı', 'İ', '\u212a', '\u0660', '\u00a0', '\x1c', '\u2028', 'ß', 'ǅ', '\u{1F600}', '\u{10400}', '\u{10428}', '\u0345', 'ι', '\u088f', '\u{1E4D0}', '\u{11F50}'];
// (the last three are letters and digits of Unicode 15-17 that the Python's Unicode 14 does not know)
const lit = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...CHARS) },
  { weight: 2, arbitrary: fc.constantFrom('\\.', '\\*', '\\(', '\\)', '\\[', '\\{', '\\}', '\\\\', '\\-', '\\ ', '\\#', '\\|', '\\$', '\\^', '\\é', '\\_', '\\"') },
  { weight: 2, arbitrary: fc.constantFrom('\\x41', '\\x0a', '\\u00e9', '\\U0001F600', '\\n', '\\t', '\\0', '\\01', '\\101', '\\a', '\\f', '\\v', '}', '{', ']', '{1', 'a{1,x}') },
  { weight: 1, arbitrary: fc.constantFrom('\\x4', '\\u12', '\\q', '\\N{LATIN SMALL LETTER A}', '\\8', '\\400', '\\U00110000') },
);
const special = fc.constantFrom('.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\b', '\\B', '\\A', '\\Z', '^', '$');
const classItem = fc.oneof(
  fc.constantFrom(...CHARS.filter((c) => c !== ']' && c !== '\\')),
  fc.constantFrom('a-c', 'A-Z', '0-9', 'a-zA-Z', 'à-ÿ', 'K-k', 'ſ-ſ', 'İ-ı', '\\d', '\\w', '\\s', '\\W', '\\S', '\\D', '\\n', '\\x41', '\\b', '\\]', '\\-', '-', '^', '[', 'a-c', '\\w', '\\U0001F600-\\U0001F64F', '\\u0300-\\u036f', '𐐀-𐐨'),
);
const cls = fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([neg, items, rb]) => `[${neg ? '^' : ''}${rb ? ']' : ''}${items.join('')}]`);
const quant = fc.tuple(fc.constantFrom('*', '+', '?', '*', '+', '?', '{2}', '{1,2}', '{,2}', '{2,}', '{0}', '{,}', '{0,1}', '{1,3}', '{1,3}'), fc.constantFrom('', '', '', '?', '+')).map(([q, s]) => q + s);
const groupName = fc.constantFrom('n1', 'n2', 'n3');
const ref = fc.constantFrom('\\1', '\\2', '\\3', '(?P=p1)', '(?P=p2)', '(?P=p1)', '(?P=n1)', '(?P=x-)');

const { pattern } = fc.letrec<{ pattern: string; seq: string; item: string; atom: string }>((tie) => ({
  pattern: fc.oneof({ weight: 4, arbitrary: tie('seq') }, { weight: 1, arbitrary: fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`) }),
  seq: fc.array(tie('item'), { minLength: 0, maxLength: 4 }).map((xs) => xs.join('')),
  item: fc.oneof({ weight: 3, arbitrary: tie('atom') }, { weight: 1, arbitrary: fc.tuple(tie('atom'), quant).map(([a, q]) => a + q) }),
  atom: fc.oneof(
    { weight: 6, arbitrary: lit },
    { weight: 2, arbitrary: special },
    { weight: 2, arbitrary: cls },
    { weight: 1, arbitrary: ref },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom('(', '(?:', '(?P<', '(?=', '(?!', '(?<=', '(?<!', '(?>', '(?i:', '(?-i:', '(?s:', '(?m:', '(?x:', '(?a:', '(?i-s:', '(?ix:'), groupName, tie('pattern')).map(([open, name, body]) => (open === '(?P<' ? `(?P<${name}>${body})` : `${open}${body})`)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('1', '2', 'p1', 'p2', '1', 'p1', 'n1', '3', '0', 'x'), tie('seq'), fc.option(tie('seq'))).map(([g, y, n]) => `(?(${g})${y}${n === null ? '' : '|' + n})`),
    },
    { weight: 1, arbitrary: fc.oneof({ weight: 3, arbitrary: fc.constant('(?#c)') }, { weight: 1, arbitrary: fc.constantFrom('(?#', '(', ')', '(?', '(?<', '(?P', '(?Px)', '(?z)', '*', '(?i)') }) },
  ),
}));

const globalPrefix = fc.constantFrom('', '', '', '', '(?i)', '(?m)', '(?s)', '(?x)', '(?a)', '(?im)', '(?u)', '(?x)# c\n', '(?ai)');
// groups defined up front, so that most references and conditionals have a group to name
const groupPrefix = fc.constantFrom('', '', '(?P<p1>a)?(?P<p2>b|c)?', '(?P<p1>[aA])?', '(?P<p2>K)?(?P<p1>)', '(?P<p1>a*)(?P<p2>b)?', '(?:(?P<p1>a)|(?P<p2>[^a]))', '(?P<p1>\\w)?(?P<p2>\\s)??');
const subjectChars = [...CHARS, 'a', 'b', 'a', 'A', '.', '(', '{', 'x'];
// half of the subjects pure ASCII: search runs the ASCII translation on them
const subject = fc.oneof(
  fc.array(fc.constantFrom(...subjectChars), { maxLength: 10 }),
  fc.array(fc.constantFrom(...subjectChars.filter((c) => c.charCodeAt(0) < 0x80)), { maxLength: 10 }),
).map((cs) => cs.join(''));
const request: fc.Arbitrary<PyRequest> = fc
  .tuple(globalPrefix, groupPrefix, pattern, fc.constantFrom(0, 0, 0, 0, PY_MULTILINE, PY_IGNORECASE, PY_DOTALL), subject, fc.constantFrom('search', 'search', 'search', 'search', 'match', 'fullmatch'), fc.nat(12), fc.boolean())
  .map(([g, gp, p, flags, s, op, pos, usePos]) => ({ pattern: g + gp + p, flags, subject: s, op: op as PyRequest['op'], pos: usePos ? [...s].slice(0, pos).join('').length : 0 }));

// Disagreements found by the property test, kept as fixed cases.
const REGRESSIONS: PyRequest[] = [
  // seed 743579535: sre tests the first character against a leading set compiled with the OUTER flags,
  // so under a scoped (?a:) Python skips 'ι' although [\W] (ASCII) would match it: declined
  { pattern: '(?u)(?a:[\\W\\]]|k)', flags: 0, subject: 'x\u03b9IA', pos: 0, op: 'search' },
  // repr() in Python's message escapes what Python's Unicode 14 calls unprintable (here a Unicode 17 letter)
  { pattern: '(?(\u{1E4D0}-)a)', flags: 0, subject: 'a', pos: 0, op: 'search' },
  // groups an iteration skips keep the value of an earlier iteration (sre), replayed by search.ts
  { pattern: '(?:(a)|b)*', flags: 0, subject: 'ab', pos: 0, op: 'search' },
  { pattern: '(?:(a)?b)*', flags: 0, subject: 'abb', pos: 0, op: 'search' },
  { pattern: '(?:(a)|(b))+c', flags: 0, subject: 'xabac', pos: 0, op: 'search' },
  { pattern: '(?:(a)|(b)|c)+?d', flags: 0, subject: 'bacccd', pos: 0, op: 'search' },
  { pattern: '(?:(a)|b|ab){2,3}b', flags: 0, subject: 'abbab', pos: 0, op: 'search' },
  { pattern: '( \\d+(\\.\\d+)?(h|m|s|ms)){0,2} -', flags: 0, subject: 'x 1.5h 2m -', pos: 0, op: 'search' },
  { pattern: "(to database '[^']*'|\\(using password: (YES|NO)\\))*$", flags: 0, subject: "(using password: NO)to database 'x'", pos: 0, op: 'search' },
  { pattern: '(?:x|(?:(a)|b)*)c', flags: 0, subject: 'abbc', pos: 0, op: 'search' },
  { pattern: '(?:(a)|(\u{10400})|b)*', flags: 0, subject: '\u{10400}ab\u{10400}b', pos: 0, op: 'search' },
  { pattern: '[a-z](?=(?<=_c)){0,1}+', flags: 8, subject: 'xa.-K', pos: 0, op: 'search' },
  { pattern: '(?:ab|cd)?+x', flags: 0, subject: 'x', pos: 0, op: 'search' },
  { pattern: '(?:ab|[^K]{2}x)?+', flags: 0, subject: '\u00e9K\u0131a', pos: 0, op: 'search' },
  { pattern: '(?P<a>x)?y(?(a)z|w)', flags: 0, subject: 'yz', pos: 0, op: 'search' },
  { pattern: '(a)?\\1b', flags: 0, subject: 'b', pos: 0, op: 'search' },
  { pattern: '(?i)k', flags: 0, subject: '\u212a', pos: 0, op: 'search' },
  { pattern: 'a.c', flags: 0, subject: 'a\rc', pos: 0, op: 'search' },
  { pattern: 'a.c', flags: 0, subject: 'a\u2028c', pos: 0, op: 'search' },
  { pattern: 'a$', flags: 0, subject: 'a\n', pos: 0, op: 'search' },
  { pattern: '(?m)a$', flags: 0, subject: 'a\rb', pos: 0, op: 'search' },
  { pattern: '\\w+', flags: 0, subject: 'héllo_\u0660', pos: 0, op: 'search' },
  { pattern: '\\s+', flags: 0, subject: 'a\x1c\x1d\ufeffb', pos: 0, op: 'search' },
  { pattern: '(?>a+)a', flags: 0, subject: 'aaa', pos: 0, op: 'search' },
  { pattern: 'a*+a', flags: 0, subject: 'aaa', pos: 0, op: 'search' },
  { pattern: '\\B', flags: 0, subject: '', pos: 0, op: 'search' },
  { pattern: '()?(?(1)a|)', flags: 0, subject: '', pos: 0, op: 'search' },
  { pattern: 'x{,2}', flags: 0, subject: 'xxx', pos: 0, op: 'search' },
  { pattern: 'x{', flags: 0, subject: 'x{', pos: 0, op: 'search' },
  { pattern: '(?<=a+)b', flags: 0, subject: 'ab', pos: 0, op: 'search' },
  { pattern: '(?<=(?(1)a|b))', flags: 0, subject: 'ab', pos: 0, op: 'search' },
  { pattern: '^a', flags: 0, subject: 'ba', pos: 1, op: 'search' },
  { pattern: '(?<=b)a', flags: 0, subject: 'ba', pos: 1, op: 'match' },
  { pattern: '(?m)(?i)$', flags: 0, subject: 'K\nc\r(\u001c( \u{10400}.', pos: 6, op: 'search' },
  { pattern: '[z-a\u{10400}-\u{10428}]', flags: 0, subject: '', pos: 0, op: 'search' },
  // seed 1543985086: U+0345 is Alphabetic for JS but not isalpha() for Python: "missing -, : or )"
  { pattern: '(?s\u0345 )', flags: 0, subject: '', pos: 0, op: 'search' },
  { pattern: '(?m)|[]\\x41]', flags: 2, subject: '_bK\u00c9\u0660k\u{1F600}A\u00dfb', pos: 9, op: 'search' },
];

describe('pyre: Python re → JS RegExp, differential against Python', () => {
  it('regression cases agree with Python', async () => {
    const problem = await compare(REGRESSIONS);
    expect(problem).toBeNull();
    // only the sre 3.11.2 oddities (outer-flags first-character filter, two possessive repeats) are declined
    const declined = REGRESSIONS.filter((r) => translated(r.pattern, r.flags).diagnostics.some((d) => d.code !== 'pyre/syntax')).map((r) => r.pattern);
    expect(declined).toEqual(['(?u)(?a:[\\W\\]]|k)', '[a-z](?=(?<=_c)){0,1}+', '(?:ab|[^K]{2}x)?+']);
  });

  it('seed 365590239: where the long-lived sre gave an impossible span, a fresh interpreter answers (and agrees)', async () => {
    // The run that found it: the regression cases, then the property's batches in a new interpreter.
    const own = new PythonRe(await fail2banInterpreter());
    const shared = py;
    py = own;
    try {
      Object.assign(stats, { cases: 0, pythonFresh: 0 });
      expect(await compare(REGRESSIONS)).toBeNull();
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 50, maxLength: 50 }), async (reqs) => {
          const problem = await compare(reqs);
          if (problem) throw new Error(problem);
        }),
        { seed: 365590239, numRuns: 60, endOnFailure: true },
      );
      expect(stats.pythonFresh).toBeGreaterThan(0);
    } finally {
      py = shared;
      await own.close();
    }
  }, 600_000);

  it('≥ 10,000 generated pattern/subject pairs agree with Python', async () => {
    Object.assign(stats, { cases: 0, compiled: 0, matched: 0, skipped: 0, errors: 0, pythonFailed: 0, pythonFresh: 0, asciiSubjects: 0, asciiMatched: 0, lineAnchored: 0 });
    const seed = fc.readConfigureGlobal().seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
    console.log(`pyre differential: seed ${seed} (replay: FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 50, maxLength: 50 }), async (reqs) => {
        const problem = await compare(reqs);
        if (problem) {
          console.log(`pyre differential disagreement (seed ${seed}): ${problem}`);
          throw new Error(problem);
        }
      }),
      { seed, numRuns: 200, endOnFailure: true },
    );
    console.log(`pyre differential: ${JSON.stringify(stats)}`);
    expect(stats.cases).toBeGreaterThanOrEqual(10_000);
    // the comparison must be about matching, not only about refusals
    expect(stats.matched).toBeGreaterThan(stats.cases / 10);
    expect(stats.skipped).toBeLessThan(stats.cases / 5);
    expect(stats.pythonFailed).toBeLessThan(stats.cases / 100);
    // the ASCII translation is compared on a good share of the cases, matching and not
    expect(stats.asciiSubjects).toBeGreaterThan(stats.cases / 4);
    expect(stats.asciiMatched).toBeGreaterThan(stats.asciiSubjects / 10);
  }, 600_000);

  it('≥ 2,000 generated (?m) patterns with ^ and $ agree with Python (the translation with native line anchors)', async () => {
    Object.assign(stats, { cases: 0, compiled: 0, matched: 0, skipped: 0, errors: 0, pythonFailed: 0, pythonFresh: 0, asciiSubjects: 0, asciiMatched: 0, lineAnchored: 0 });
    const seed = fc.readConfigureGlobal().seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
    console.log(`pyre line anchors: seed ${seed} (replay: FC_SEED=${seed})`);
    const asciiLines = fc.array(fc.constantFrom('a', 'b', 'A', 'k', ' ', '1', '_', '\n', '\n', '\r', 'x', '.'), { maxLength: 12 }).map((cs) => cs.join(''));
    const anchored: fc.Arbitrary<PyRequest> = fc
      .tuple(fc.constantFrom('^P', 'P$', '^P$', '(?:^|x)P', 'P(?:$|b)', '(?<=^a)P', 'P(?=$)', '(?:^P)+', '(?:P$)?b', '(?i:^P)', '(?-m:^)P$', '\\AP$', 'P$\\Z'), groupPrefix, pattern, asciiLines, fc.constantFrom('search', 'search', 'match', 'fullmatch'), fc.nat(6))
      .map(([shape, gp, p, s, op, pos]) => ({ pattern: gp + shape.replace('P', p), flags: PY_MULTILINE, subject: s, op: op as PyRequest['op'], pos: Math.min(pos, s.length) }));
    await fc.assert(
      fc.asyncProperty(fc.array(anchored, { minLength: 50, maxLength: 50 }), async (reqs) => {
        const problem = await compare(reqs);
        if (problem) {
          console.log(`pyre line anchors disagreement (seed ${seed}): ${problem}`);
          throw new Error(problem);
        }
      }),
      { seed, numRuns: 40, endOnFailure: true },
    );
    console.log(`pyre line anchors: ${JSON.stringify(stats)}`);
    expect(stats.cases).toBeGreaterThanOrEqual(2_000);
    expect(stats.lineAnchored).toBeGreaterThan(stats.cases / 4);
    expect(stats.matched).toBeGreaterThan(stats.cases / 10);
  }, 600_000);

  it("Debian's filter regexes (after fail2ban's tag substitution) agree with Python on fail2ban's sample logs", async () => {
    const regexes = await py.filterRegexes('/etc/fail2ban');
    expect(regexes.length).toBeGreaterThan(150);
    const logs = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';
    const names = new Set(await readdir(logs));
    const lines = new Map<string, string[]>();
    const linesOf = async (filter: string): Promise<string[]> => {
      let l = lines.get(filter);
      if (!l) {
        l = names.has(filter) ? (await readFile(join(logs, filter), 'utf8')).split('\n').filter((x) => x && !x.startsWith('#')).slice(0, 120) : [];
        lines.set(filter, l);
      }
      return l;
    };
    const declined: string[] = [];
    let compared = 0;
    let matched = 0;
    let adapterCompared = 0;
    let adapterUnicodeMatched = 0;
    for (const r of regexes) {
      const flags = r.multiline ? PY_MULTILINE : 0;
      const t = translated(r.regex, flags);
      if (t.diagnostics.length) {
        expect(t.diagnostics.map((d) => d.code)).not.toContain('pyre/syntax');
        declined.push(`${r.filter} ${r.kind}: ${t.diagnostics[0]!.code} ${t.diagnostics[0]!.message}`);
        continue;
      }
      const subjects = await linesOf(r.filter);
      // each line also with a non-ASCII tail, so that both translations (ASCII and full) run
      const reqs: PyRequest[] = subjects.flatMap((s): PyRequest[] => [
        { pattern: r.regex, flags, subject: s, pos: 0, op: 'search' },
        { pattern: r.regex, flags, subject: s + ' \u00e9\u212a', pos: 0, op: 'search' },
      ]);
      reqs.push({ pattern: r.regex, flags, subject: '', pos: 0, op: 'search' });
      const problem = await compare(reqs);
      expect(problem).toBeNull();
      compared += reqs.length;
      const answers = await py.runAll(reqs);
      matched += answers.filter((a) => 'spans' in a && a.spans).length;
      // the filter engine's door to pyre (plain groups, lazily built full translation) answers alike
      const at = adapterTranslate(r.regex, { multiline: r.multiline, indices: true });
      reqs.forEach((q, k) => {
        const a = answers[k]!;
        if (!('spans' in a) || !at.ok) return;
        const m = adapterSearch(at, q.subject);
        const got = m ? m.spans.map((x) => (x[0] < 0 ? null : x)) : null;
        expect({ subject: q.subject, spans: got }).toEqual({ subject: q.subject, spans: a.spans });
        adapterCompared++;
        if (a.spans && !/^[\0-\x7f]*$/.test(q.subject)) adapterUnicodeMatched++;
      });
    }
    console.log(`pyre filters: ${regexes.length} regexes, ${compared} line comparisons, ${matched} matches; declined: ${declined.length}\n  ${declined.join('\n  ')}`);
    expect(matched).toBeGreaterThan(200);
    expect(adapterCompared).toBeGreaterThan(compared / 2);
    expect(adapterUnicodeMatched).toBeGreaterThan(100);
    expect(declined.length).toBeLessThan(regexes.length / 20);
  }, 600_000);
});

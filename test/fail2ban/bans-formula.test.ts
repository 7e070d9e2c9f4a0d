// bantime.formula / bantime.factor against the Python that runs fail2ban: each formula is evaluated
// the way jail.py's evformula does (`max(ban.Time, eval(formula))`, banFactor = eval(factor), the
// jail module's `math` in scope) for ban counts 0..25 and several factors and ban times; formulas
// outside the evaluated subset are refused with the construct named, never evaluated to a guess.
import { describe, expect, it } from 'vitest';
import { compileFormula, evalFactor, FormulaError } from '../../src/fail2ban/filter/banformula.js';
import { run } from '../spawn.js';
import { fail2banInterpreter } from './pyre-python.js';

const FORMULAS = [
  'ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor',
  'ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)',
  'ban.Time * (ban.Count + 1) ** 2',
  'ban.Time + ban.Count * 3600 // 7',
  'min(ban.Time * 2 ** ban.Count, 86400) if ban.Count < 10 else -1',
  'max(ban.Time, 60) * banFactor / 3 % 1000',
  'ban.Time * (2 if ban.Count > 3 and not ban.Count == 5 else 1)',
  'int(ban.Time * math.log(ban.Count + 2)) >> 1',
  'round(ban.Time * 1.5 ** ban.Count)',
  'ban.Time * math.pow(banFactor, ban.Count) - -1',
  'abs(-ban.Time) * math.sqrt(ban.Count + 1) + math.floor(2.5) + math.ceil(0.1)',
  '1 < ban.Count <= 4 and ban.Time * 100 or ban.Time',
];
const FACTORS = ['1', '2', '0.5', '1.5 * 2', '3 // 2'];
const TIMES = [600, 3600, 10];

const PY = `
import json, math, sys
cases = json.loads(sys.stdin.read())
class Ban:
    def __init__(self, t, c): self.Time = t; self.Count = c
out = []
for f, fac, t, c in cases:
    banFactor = eval(fac)
    ban = Ban(t, c)
    try:
        out.append(float(max(ban.Time, eval(compile(f, '~inline-conf-expr~', 'eval')))))
    except Exception as e:
        out.append(type(e).__name__)
print(json.dumps(out))
`;

describe('bantime.formula and bantime.factor', () => {
  it('evaluate as fail2ban evaluates them (Python, over counts, factors and ban times)', async () => {
    const cases: [string, string, number, number][] = [];
    for (const f of FORMULAS) for (const fac of FACTORS) for (const t of TIMES) for (let c = 0; c <= 25; c++) cases.push([f, fac, t, c]);
    const r = await run([await fail2banInterpreter(), '-c', PY], { input: JSON.stringify(cases) });
    expect(r.status, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as (number | string)[];
    let compared = 0;
    cases.forEach(([f, fac, t, c], i) => {
      const w = want[i]!;
      let got: number | string;
      try {
        got = Math.max(t, compileFormula(f).eval(t, c, evalFactor(fac)));
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        got = e.message.split(':')[0]!;
      }
      if (typeof w === 'number' && typeof got === 'number') {
        expect(Math.abs(got - w) <= Math.abs(w) * 1e-12, `${f} (factor ${fac}, time ${t}, count ${c}): python ${w}, ours ${got}`).toBe(true);
        compared++;
      } else expect(got, `${f} (factor ${fac}, time ${t}, count ${c})`).toBe(w);
    });
    expect(compared).toBeGreaterThan(cases.length * 0.9);
  });

  it('refuses what it does not evaluate, naming it, with its offset', () => {
    const refused = (src: string) => {
      try {
        compileFormula(src);
      } catch (e) {
        if (e instanceof FormulaError) return [e.message, e.offset];
        throw e;
      }
      return null;
    };
    expect(refused('ban.Time * random.random()')).toEqual(['the function random.random() is not evaluated here', 11]);
    expect(refused('ban.Time * os.system(1)')).toEqual(['the function os.system() is not evaluated here', 11]);
    expect(refused('ban.Time * ban.Other')).toEqual(['the name ban.Other is not known here (only ban.Time, ban.Count and banFactor)', 11]);
    expect(refused('[ban.Time][0]')![0]).toMatch(/'\[ban\.Time\]' is not part of the Python expressions/);
    expect(refused('ban.Time * (2')![0]).toMatch(/expected '\)' at the end/);
    expect(() => evalFactor('ban.Count')).toThrow(/NameError/);
  });
});

// Differential: our regex layer and Filter.findFailure against fail2ban's own (server/failregex.py,
// filter.py in one Python process): tags, <F-*> groups (alt_, tuple_, custom), prefregex with
// <F-CONTENT>, ignoreregex, maxlines buffers with <SKIPLINES>, <F-MLFID> merging with nofail,
// mlfgained and mlfforget, usedns, checkAllRegex; the whole returned failure list per line.
import fc from 'fast-check';
import { fcSeed } from '../fast-check-setup.js';
import { afterAll, describe, expect, it } from 'vitest';
import { FilterOracle, type OracleRequest, type OracleSpec } from './filter-oracle.js';
import { normalizeOracle, ours } from './filter-compare.js';

process.env.TZ = 'Europe/Zurich';
const oracle = new FilterOracle({ TZ: 'Europe/Zurich', LC_ALL: 'C.UTF-8' });
afterAll(() => oracle.close());

const SPECS: (OracleSpec & { lines: string[] })[] = [
  {
    failregex: ['^\\S+ \\S+ \\S+ \\S+ auth: failure for <F-USER>\\S+</F-USER> from <HOST>(?: port <F-PORT/>)?', 'refused <ADDR>', 'bad <IP4>|bad6 <IP6>', 'dns <DNS>$', 'id <F-ID>\\S+</F-ID> at <SUBNET>', 'net <ADDR>/<CIDR>'],
    ignoreregex: ['for ignored '],
    lines: ['auth: failure for root from 1.2.3.4 port 22', 'auth: failure for ignored from 1.2.3.4', 'auth: failure for x from host.example.org', 'refused [2001:DB8::7]', 'refused ::ffff:10.0.0.1', 'bad 300.1.2.3', 'bad6 fe80::1', 'dns a-b.example.com', 'id conn42 at 10.1.0.0/16', 'net 10.2.3.4/24', 'nothing here', 'auth: failure for  from 1.2.3.4'],
  },
  {
    failregex: ['user <F-ALT_USER1>\\S+</F-ALT_USER1> or <F-ALT_USER2>\\S+</F-ALT_USER2> from <HOST>', 'tuple <F-TUPLE_ID_1>\\w+</F-TUPLE_ID_1>-<F-TUPLE_ID_2>\\w+</F-TUPLE_ID_2> <F-ID>\\S+</F-ID>', 'custom <F-SESSION>\\d+</F-SESSION> from <HOST>'],
    lines: ['user alice or bob from 1.2.3.5', 'user - or carol from 1.2.3.6', 'tuple a-b z9', 'custom 77 from 9.9.9.9', 'custom from 9.9.9.9'],
  },
  {
    prefregex: '^\\S+ \\S+ \\S+ \\S+ app\\[\\d+\\]: <F-CONTENT>.+</F-CONTENT>$',
    failregex: ['^Invalid login for <F-USER>\\S+</F-USER> from <HOST>$', '^Blocked <HOST>$'],
    ignoreregex: ['^Invalid login for guest'],
    lines: ['app[1]: Invalid login for root from 1.2.3.7', 'app[2]: Blocked 5.6.7.8', 'other[3]: Blocked 5.6.7.8', 'app[4]: Invalid login for guest from 1.1.1.1', 'app[5]: nothing'],
  },
  {
    maxlines: 3,
    failregex: ['^.*conn <F-MLFID>\\d+</F-MLFID> start from <HOST><SKIPLINES>^.*conn (?P=mlfid) auth failed$', '^.*single fail from <HOST>$'],
    lines: ['conn 1 start from 1.2.3.8', 'noise', 'conn 1 auth failed', 'conn 2 start from 1.2.3.9', 'conn 2 auth failed', 'single fail from 2.2.2.2', 'unrelated'],
  },
  {
    failregex: [
      '^.*\\[<F-MLFID>\\d+</F-MLFID>\\]: connect from <HOST>$',
      '^.*\\[<F-MLFID>\\d+</F-MLFID>\\]: login failed for <F-USER>\\S+</F-USER>$',
      '^.*\\[<F-MLFID>\\d+</F-MLFID>\\]: login ok for <F-USER>\\S+</F-USER><F-NOFAIL></F-NOFAIL>$',
      '^.*\\[<F-MLFID>\\d+</F-MLFID>\\]: gained<F-MLFGAINED></F-MLFGAINED>$',
      '^.*\\[<F-MLFID>\\d+</F-MLFID>\\]: disconnect<F-MLFFORGET></F-MLFFORGET>$',
    ],
    lines: ['srv[1]: connect from 3.3.3.1', 'srv[1]: login failed for a', 'srv[1]: login failed for b', 'srv[1]: login ok for b', 'srv[1]: disconnect', 'srv[2]: login failed for c', 'srv[2]: connect from 3.3.3.2', 'srv[2]: gained', 'srv[2]: login failed for d', 'srv[3]: login ok for e', 'srv[3]: connect from 3.3.3.3', 'srv[3]: disconnect'],
  },
];

describe('regex layer and findFailure agree with fail2ban', () => {
  it('on generated line sequences through each spec', async () => {
    const seed = fcSeed();
    console.log(`fc.sample seed ${seed} (the run's; FC_SEED=${seed} replays it)`);
    let compared = 0;
    let failures = 0;
    for (const [si, s] of SPECS.entries()) {
      const { lines, ...spec } = s;
      const reqs = fc.sample(
        fc.record({
          lines: fc.array(fc.tuple(fc.constantFrom(...lines), fc.constantFrom('Aug 14 11:00:0', '2005-08-14 11:00:0', ''), fc.integer({ min: 0, max: 9 }), fc.constantFrom('host', 'h2')), { minLength: 1, maxLength: 14 }),
          checkAllRegex: fc.boolean(),
          raw: fc.boolean(),
          usedns: fc.constantFrom(undefined, 'no', 'raw'),
        }),
        { numRuns: 60, seed: seed + si },
      );
      for (const r of reqs) {
        const req: OracleRequest = {
          spec: { ...spec, ...(r.usedns ? { usedns: r.usedns } : !r.raw ? { usedns: 'no' } : {}) },
          flags: { checkAllRegex: r.checkAllRegex, returnRawHost: r.raw, checkFindTime: false },
          now: 1124013600,
          lines: r.lines.map(([l, d, sec, host]) => (d ? `${d}${sec} ${host} ${l}` : `${host} ${l}`)),
        };
        const want = await oracle.ask(req);
        const got = ours(req);
        if ('error' in want) {
          expect(got, `${JSON.stringify(req)}\n${want.error}`).toHaveProperty('error');
          continue;
        }
        expect(got, JSON.stringify(req)).toEqual({ results: normalizeOracle(want.results) });
        compared += want.results.length;
        failures += want.results.reduce((n, l) => n + l.failures.length, 0);
      }
    }
    expect(compared).toBeGreaterThan(1500);
    expect(failures).toBeGreaterThan(500);
  }, 600_000);
});

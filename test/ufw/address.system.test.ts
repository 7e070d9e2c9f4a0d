// withoutHostPrefix against ufw's own util.normalize_address (Python, as ufw runs it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutHostPrefix } from '../../src/ufw/index.js';
import { runOk } from '../spawn.js';

const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const v6 = fc.tuple(fc.array(fc.oneof(hex, fc.constant('0')), { minLength: 8, maxLength: 8 }), fc.boolean()).map(([g, up]) => (up ? g.join(':').toUpperCase() : g.join(':')));
const v6net = fc.tuple(v6, fc.option(fc.integer({ min: 1, max: 128 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`));
const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const v4net = fc.tuple(v4, fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 32 }).map(String), v4, fc.constantFrom('255.255.0.0', '255.0.255.0', '255.255.255.255')))
  .map(([a, m]) => (m === undefined ? a : `${a}/${m}`));

describe('withoutHostPrefix', () => {
  it('agrees with ufw.util.normalize_address', async () => {
    const samples = [
      ...fc.sample(v6net, 300),
      ...fc.sample(v4net, 300),
      '::1', '::', '::ffff:1.2.3.4', '::1:2', '2001:db8::/48', '10.9.0.0/255.0.255.0', '10.0.0.1/32', '2001:db8::1/128',
    ];
    const py = `
import sys, json
sys.path.insert(0, '/usr/lib/python3/dist-packages')
import ufw.util
out = []
for a in json.load(sys.stdin):
    try:
        out.append(ufw.util.normalize_address(a, ':' in a)[0])
    except Exception:
        out.append(None)
print(json.dumps(out))
`;
    const expected = JSON.parse(await runOk(['python3', '-c', py], { input: JSON.stringify(samples) })) as (string | null)[];
    let compared = 0;
    samples.forEach((a, i) => {
      if (expected[i] === null) return;
      compared++;
      expect([a, withoutHostPrefix(a)]).toEqual([a, expected[i]]);
    });
    expect(compared).toBeGreaterThan(400);
  });
});

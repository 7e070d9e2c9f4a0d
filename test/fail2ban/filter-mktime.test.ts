// Differential: the local-time reading of the date detector (mktime, with tm_isdst -1) against
// Python's time.mktime, i.e. glibc's, over sequences of wall clocks in zones with summer time,
// where the hour a zone falls back occurs twice and glibc reads it with the offset of its last call.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fcSeed } from '../fast-check-setup.js';
import { run } from '../spawn.js';

type Wall = [number, number, number, number, number, number];

const PY = String.raw`
import json, sys, time
out = []
for y, mo, d, h, mi, s in json.load(sys.stdin):
    out.append(time.mktime((y, mo, d, h, mi, s, 0, 0, -1)))
print(json.dumps(out))
`;

/** Wall clocks near the hours zones change offsets (nights of March, April, September to November), and some others. */
const wall = fc.tuple(
  fc.integer({ min: 2004, max: 2025 }),
  fc.constantFrom(1, 3, 4, 6, 9, 10, 11, 12),
  fc.integer({ min: 1, max: 28 }),
  fc.constantFrom(0, 1, 2, 3, 4, 12, 23),
  fc.constantFrom(0, 5, 15, 29, 30, 45, 59),
  fc.integer({ min: 0, max: 59 }),
) as fc.Arbitrary<Wall>;

// glibc reads a spring-forward gap with the probe whose tm_isdst is set: the summer side, or the lower
// offset's side in the zones whose tzdata has negative DST (Dublin, Casablanca, Windhoek). Pacific/Apia's
// skipped 2011-12-30 (DST on both sides) is not modelled, so Apia is not among these zones.
const ZONES = ['Europe/Zurich', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'America/Santiago', 'Asia/Tehran', 'Africa/Casablanca', 'Europe/Dublin', 'Africa/Windhoek', 'UTC'];

describe('mktime agrees with glibc (Python time.mktime)', () => {
  it.each(ZONES)('in %s, call after call', async (zone) => {
    const seed = fcSeed();
    console.log(`fc.sample seed ${seed} (the run's; FC_SEED=${seed} replays it)`);
    // A fresh process on both sides: glibc's last offset starts at 0, and so does a fresh module's.
    const walls = fc.sample(wall, { numRuns: 3000, seed });
    const py = await run(['/usr/bin/python3', '-c', PY], { input: JSON.stringify(walls), env: { ...process.env, TZ: zone } });
    const want = JSON.parse(py.stdout) as number[];
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      vi.resetModules();
      const { mktime } = await import('../../src/fail2ban/filter/dates.js');
      const got = walls.map(([y, mo, d, h, mi, s]) => {
        const n = new Date(0);
        n.setUTCFullYear(y, mo - 1, d);
        return mktime(n.setUTCHours(h, mi, s, 0));
      });
      const diffs = walls.flatMap((w, i) => (got[i] !== want[i] ? [`${w.join(' ')}: fail2ban ${want[i]}, fwconf ${got[i]}`] : []));
      expect(diffs).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('reads the hour Europe/Zurich falls back with the last call\'s offset', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Zurich';
    try {
      vi.resetModules();
      const { mktime } = await import('../../src/fail2ban/filter/dates.js');
      const twice = Date.UTC(2023, 9, 29, 2, 5, 28);
      // A first call reads it as winter time (glibc's offset starts at 0, after the transition).
      expect(mktime(twice)).toBe(1698541528);
      mktime(Date.UTC(2023, 6, 1, 12));
      expect(mktime(twice)).toBe(1698537928);
      mktime(Date.UTC(2024, 0, 1, 12));
      expect(mktime(twice)).toBe(1698541528);
      // The gap of 2024-03-31 reads with the winter offset, whatever came before.
      expect(mktime(Date.UTC(2024, 2, 31, 2, 30))).toBe(1711848600);
      mktime(Date.UTC(2023, 6, 1, 12));
      expect(mktime(Date.UTC(2024, 2, 31, 2, 30))).toBe(1711848600);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  // Kept from a CI run (seed 410029737): Morocco's gap after Ramadan 2025, whose DST side is the lower offset.
  it.each([
    ['Africa/Casablanca', Date.UTC(2025, 3, 6, 2, 15, 37), 1743902137],
    ['Europe/Dublin', Date.UTC(2019, 2, 31, 1, 0, 3), 1553990403],
    ['Africa/Casablanca', Date.UTC(2016, 2, 27, 2, 45, 8), 1459046708],
  ])('reads a spring-forward gap in %s on the side glibc calls DST', async (zone, wall, want) => {
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      vi.resetModules();
      const { mktime } = await import('../../src/fail2ban/filter/dates.js');
      expect(mktime(wall)).toBe(want);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

// `fwconf fail2ban test` against fail2ban-regex (async spawn) on generated logs: the same line
// counts (matched, ignored, missed); the JSON per-line fields; the locale-month reason; the bans
// of --jail with the jail's maxretry, findtime and bantime.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fcSeed } from '../fast-check-setup.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/capture-io.js';
import { stockTree, removeTree } from './oracle.js';
import { run as spawnRun } from '../spawn.js';

process.env.TZ = 'Europe/Zurich';
const dir = mkdtempSync(join(tmpdir(), 'fwconf-filter-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const r = await spawnRun([cmd, ...args], { env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout };
}

const M = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mai', 'Okt'];
const lineArb = fc
  .record({
    mo: fc.constantFrom(...M),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
    ip: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 255 })),
    kind: fc.constantFrom('Failed password for root', 'Failed password for invalid user admin', 'Accepted password for bob', 'Failed password for ignoreme', 'garbage'),
  })
  .map((r) => `${r.mo} ${String(r.d).padStart(2, ' ')} ${String(r.h).padStart(2, '0')}:00:00 host sshd[42]: ${r.kind} from 10.0.${r.ip[0]}.${r.ip[1]} port 22 ssh2`);

describe('fwconf fail2ban test agrees with fail2ban-regex', () => {
  it('counts matched, ignored and missed lines the same on generated logs', async () => {
    const seed = fcSeed();
    console.log(`fc.sample seed ${seed} (the run's; FC_SEED=${seed} replays it)`);
    const failregex = String.raw`^\s*\S+ sshd\[\d+\]: Failed password for (?:invalid user )?<F-USER>\S+</F-USER> from <HOST> port \d+`;
    const ignoreregex = 'for ignoreme from';
    for (const [i, lines] of fc.sample(fc.array(lineArb, { minLength: 5, maxLength: 60 }), { numRuns: 6, seed }).entries()) {
      const log = join(dir, `auth-${i}.log`);
      writeFileSync(log, lines.join('\n') + '\n');
      const py = await run('fail2ban-regex', ['--raw', log, failregex, ignoreregex], { TZ: 'Europe/Zurich' });
      const m = /Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/.exec(py.out);
      expect(m, py.out).not.toBeNull();
      const ours = await runCli(['fail2ban', 'test', log, failregex, ignoreregex, '--json']);
      expect(ours.code, ours.err).toBe(0);
      const j = JSON.parse(ours.out) as { summary: { lines: number; ignored: number; matched: number; missed: number }; lines: { match: boolean; fid?: string; user?: string }[] };
      expect([j.summary.lines, j.summary.ignored, j.summary.matched, j.summary.missed]).toEqual(m!.slice(1).map(Number));
      const hit = j.lines.find((l) => l.match);
      if (hit) expect(hit.user).toMatch(/^(root|admin)$/);
    }
  }, 120_000);

  it('says why a German month name gives no date', async () => {
    const log = join(dir, 'de.log');
    writeFileSync(log, 'Mai 14 11:00:00 host sshd[1]: Failed password for root from 10.9.9.9 port 22 ssh2\n');
    const r = await runCli(['fail2ban', 'test', log, 'from <HOST>', '--json', '--now', '1124013600']);
    const j = JSON.parse(r.out) as { lines: { time: number | null; dateProblem?: string }[] };
    expect(j.lines[0]!.time).toBeNull();
    expect(j.lines[0]!.dateProblem).toMatch(/'Mai' is a month name of .*de_DE.*LC_TIME=POSIX/);
  });

  it('plays out the bans of a jail over the log times', async () => {
    const tree = stockTree({
      'jail.local': '[thp]\nenabled = true\nfilter = thpot\nlogpath = /dev/null\nbanaction = iptables-allports\nmaxretry = 3\nfindtime = 1800\nbantime = 600\nignoreip = 10.0.0.0/24\n',
      'filter.d/thpot.conf': '[Definition]\nfailregex = SRC=<HOST>\n',
    });
    try {
      const log = join(dir, 'cap.log');
      const at = (m: number, ip: string) => `Aug 14 10:${String(m).padStart(2, '0')}:00 thpot: SRC=${ip}`;
      writeFileSync(log, [at(0, '192.0.2.1'), at(1, '192.0.2.1'), at(2, '10.0.0.5'), at(3, '10.0.0.5'), at(4, '10.0.0.5'), at(5, '192.0.2.1'), at(40, '192.0.2.2'), at(50, '192.0.2.2')].join('\n') + '\n');
      const r = await runCli(['fail2ban', 'test', log, '--jail', 'thp', '--conf-dir', tree, '--json', '--now', '1124013600']);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as { bans: { kind: string; id: string; time: number; until: number | null; commands: { command: string }[] }[] };
      const t0 = new Date(2005, 7, 14, 10, 0, 0).getTime() / 1000;
      expect(j.bans.map((b) => [b.kind, b.id, b.time - t0])).toEqual([
        ['ban', '192.0.2.1', 300],
        ['unban', '192.0.2.1', 900],
      ]);
      expect(j.bans[0]!.commands.some((c) => c.command.includes('192.0.2.1') && c.command.includes('-j'))).toBe(true);
    } finally {
      removeTree(tree);
    }
  });
});

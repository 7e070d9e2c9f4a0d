// `fwconf fail2ban resolve --json`'s "general": fail2ban.conf's server settings against what the real
// `fail2ban-client -vvv -c DIR -d` uses: its leading `set` lines (syslogsocket, loglevel, logtarget,
// allowipv6, dbfile, dbmaxmatches, dbpurgeage, thread) and, for socket and pidfile (which -d does not
// pass on), its "Using socket file …" / "Using pid file …" lines. On the corpus's fail2ban trees and on
// the stock tree with fail2ban.local and fail2ban.d overrides; every file and line given must be the
// line that sets the value.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseDump } from '../../src/fail2ban/dump.js';
import { parseTime, type ResolvedJSON } from '../../src/fail2ban/index.js';
import { captureIo } from '../cli/capture-io.js';
import { CORPUS } from '../corpus/sources.js';
import { runChecked } from '../spawn.js';
import { removeTree, tempDir } from './oracle.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

const STOCK = join(CORPUS, 'debian/fail2ban/etc/fail2ban');
const TESTS = join(CORPUS, 'debian/fail2ban/usr/lib/python3/dist-packages/fail2ban/tests/config');

/** A copy of a tree with extra files. */
function tree(from: string | undefined, extra: Record<string, string>): string {
  const d = tempDir('general-json');
  dirs.push(d);
  if (from) cpSync(from, d, { recursive: true });
  for (const [p, t] of Object.entries(extra)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
}

const TREES: [string, () => string][] = [
  ['the stock /etc/fail2ban', () => STOCK],
  ["fail2ban's test configuration tree", () => TESTS],
  ['no fail2ban.conf at all (every default)', () => tree(undefined, { 'jail.conf': '[DEFAULT]\n' })],
  [
    'fail2ban.local and fail2ban.d over the stock file',
    () =>
      tree(STOCK, {
        'fail2ban.local': '[DEFAULT]\nrun = /run/f2b-test\n[Definition]\nloglevel = NOTICE\nlogtarget = %(run)s/f2b.log\nsyslogsocket = /dev/log\nsocket = %(run)s/f2b.sock\npidfile = %(run)s/f2b.pid\ndbfile = :memory:\ndbmaxmatches = 5\ndbpurgeage = 2h\nallowipv6 = yes\n',
        'fail2ban.d/10-a.conf': '[Definition]\ndbpurgeage = 1w\nloglevel = DEBUG\n',
        'fail2ban.d/20-b.local': '[Definition]\ndbfile = None\n[Thread]\nstacksize = 64\n',
      }),
  ],
];

describe('fwconf fail2ban resolve --json: general', () => {
  it.each(TREES)('%s: the settings fail2ban-client -d uses, each at the line that sets it', async (_name, make) => {
    const dir = make();
    const real = await runChecked(['fail2ban-client', '-vvv', '-c', dir, '-d']);
    const sets = new Map(parseDump(real.stdout).filter((c) => c[0] === 'set' && c.length === 3).map((c) => [c[1] as string, c[2]]));
    const socket = /Using socket file (.*)$/m.exec(real.stderr)?.[1];
    const pidfile = /Using pid file (.*), \[/m.exec(real.stderr)?.[1];
    expect(socket && pidfile, real.stderr).toBeTruthy();

    const io = captureIo({ cwd: '/' });
    expect(await main(['fail2ban', 'resolve', '--conf-dir', dir, '--json'], io), io.err).toBeLessThanOrEqual(1);
    const g = (JSON.parse(io.out) as ResolvedJSON).general;
    const raw = (k: string) => sets.get(k) as string;

    expect(g.loglevel.value).toBe(raw('loglevel'));
    expect(g.logtarget.value).toBe(raw('logtarget'));
    expect(g.syslogsocket.value).toBe(raw('syslogsocket'));
    expect(g.socket.value).toBe(socket);
    expect(g.pidfile.value).toBe(pidfile);
    expect(g.dbfile.value).toBe(raw('dbfile').toLowerCase() === 'none' ? null : raw('dbfile'));
    expect(g.dbmaxmatches.value).toBe(sets.get('dbmaxmatches') ?? null);
    expect(g.dbpurgeage.value).toBe(parseTime(raw('dbpurgeage')));
    const ipv6 = raw('allowipv6');
    expect(g.allowipv6.value).toBe(ipv6 === 'auto' ? 'auto' : ['1', 'on', 'true', 'yes'].includes(ipv6.toLowerCase()));
    const thread = sets.get('thread') as Record<string, unknown> | undefined;
    expect(g.stacksize.value).toBe(thread?.['stacksize'] ?? null);

    // Provenance: the line named is the one that sets the key.
    let placed = 0;
    for (const [k, v] of Object.entries(g)) {
      if (v.file === undefined) continue;
      const line = readFileSync(v.file, 'utf8').split('\n')[v.line! - 1]!;
      expect(line, `${k} at ${v.file}:${v.line}`).toMatch(new RegExp(`^${k}\\s*[=:]`));
      placed++;
    }
    if (existsSync(join(dir, 'fail2ban.conf'))) expect(placed).toBeGreaterThan(0);
    else expect(placed).toBe(0);
  });

  it("names the file that wins, in fail2ban's order: fail2ban.conf, fail2ban.d/*.conf, fail2ban.local, fail2ban.d/*.local", async () => {
    const dir = TREES[3]![1]();
    const io = captureIo({ cwd: '/' });
    await main(['fail2ban', 'resolve', '--conf-dir', dir, '--json'], io);
    const g = (JSON.parse(io.out) as ResolvedJSON).general;
    // fail2ban.d/10-a.conf's 1w and DEBUG are overridden by fail2ban.local (read after every .conf)
    expect(g.dbpurgeage).toEqual({ value: 2 * 3600, file: join(dir, 'fail2ban.local'), line: 11 });
    expect(g.loglevel).toEqual({ value: 'NOTICE', file: join(dir, 'fail2ban.local'), line: 4 });
    // fail2ban.d/20-b.local comes last
    expect(g.dbfile).toEqual({ value: null, file: join(dir, 'fail2ban.d/20-b.local'), line: 2 });
    expect(g.stacksize).toEqual({ value: 64, file: join(dir, 'fail2ban.d/20-b.local'), line: 4 });
    expect(g.socket).toEqual({ value: '/run/f2b-test/f2b.sock', file: join(dir, 'fail2ban.local'), line: 7 });
    expect(g.dbmaxmatches).toEqual({ value: 5, file: join(dir, 'fail2ban.local'), line: 10 });
  });
});

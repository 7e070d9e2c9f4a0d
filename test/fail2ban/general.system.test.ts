// fail2ban.conf / fail2ban.local / fail2ban.d: `fwconf fail2ban resolve --commands` against the real
// `fail2ban-client -c DIR -d` on scratch directories with random server settings (the leading `set`
// lines are all there is: no jail is enabled), and the typed settings with their diagnostics.
// The run's fast-check seed is printed by test/global-setup.ts (FC_SEED replays it).
import fc from 'fast-check';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGeneralSettings } from '../../src/fail2ban/index.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { NetNamespace } from '../netns.js';
import { run } from '../spawn.js';
import { DEBIAN_ETC, removeTree, tempDir } from './oracle.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

const VALUES: Record<string, string[]> = {
  loglevel: ['INFO', 'debug', 'NOTICE', '5', 'HEAVYDEBUG', 'warn', 'BOGUS', '', '%(base)s'],
  logtarget: ['STDOUT', 'SYSLOG', '/var/log/f2b.log', 'rel/f2b.log', '%(base)s/f2b.log', 'a b', 'x%%y'],
  syslogsocket: ['auto', '/dev/log', 'dev/log'],
  socket: ['/run/f2b.sock', '%(base)s/f2b.sock', 'f2b.sock'],
  pidfile: ['/run/f2b.pid', '%(base)s/f2b.pid'],
  allowipv6: ['auto', 'yes', 'No', 'maybe', '1', ''],
  dbfile: [':memory:', 'None', '/var/lib/f2b.sqlite3', 'rel.sqlite3'],
  dbmaxmatches: ['10', ' 7', 'x1', '-3', '٣', '', '1_0'],
  dbpurgeage: ['1d', '3h 2m', '86400', 'bogus', '-1', '1w'],
};
const THREAD = ['0', '64', 'abc', '31'];
const KEYS = Object.keys(VALUES);

/** A value: one of the list, or random printable text (a stray `%` stops fail2ban-client). */
const value = (choices: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...choices) }, { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', '1', ' ', '/', '%', '(', ')', 's', '_', '-', 'd', 'h') , maxLength: 8 }) });

const settings = fc.record({
  local: fc.dictionary(fc.constantFrom(...KEYS), fc.constant(''), { maxKeys: 9 }).chain((d) => fc.record(Object.fromEntries(Object.keys(d).map((k) => [k, value(VALUES[k]!)])))),
  dropIn: fc.dictionary(fc.constantFrom(...KEYS), fc.constant(''), { maxKeys: 3 }).chain((d) => fc.record(Object.fromEntries(Object.keys(d).map((k) => [k, value(VALUES[k]!)])))),
  stacksize: fc.option(fc.constantFrom(...THREAD), { nil: undefined }),
  base: fc.constantFrom('/tmp/f2b', 'rel'),
});

function ini(values: Record<string, string>, extra = ''): string {
  return `[DEFAULT]\nbase = BASE\n[Definition]\n${Object.entries(values).map(([k, v]) => `${k} = ${v}`).join('\n')}\n${extra}`;
}

describe('fwconf fail2ban resolve --commands on fail2ban.conf settings', () => {
  it('prints what fail2ban-client -d prints, for random fail2ban.local and fail2ban.d values', async () => {
    let cases = 0;
    let stopped = 0;
    await fc.assert(
      fc.asyncProperty(settings, async (s) => {
        const dir = tempDir('general');
        dirs.push(dir);
        copyFileSync(join(DEBIAN_ETC, 'fail2ban.conf'), join(dir, 'fail2ban.conf'));
        writeFileSync(join(dir, 'jail.conf'), '[DEFAULT]\n');
        writeFileSync(join(dir, 'fail2ban.local'), ini(s.local, s.stacksize !== undefined ? `[Thread]\nstacksize = ${s.stacksize}\n` : '').replace('BASE', s.base));
        if (Object.keys(s.dropIn).length) {
          mkdirSync(join(dir, 'fail2ban.d'));
          writeFileSync(join(dir, 'fail2ban.d', 'zz.local'), ini(s.dropIn).replace('BASE', s.base));
        }
        const real = await run(['fail2ban-client', '-c', dir, '-d']);
        const io = captureIo({ cwd: '/' });
        const code = await main(['fail2ban', 'resolve', '--conf-dir', dir, '--commands'], io);
        expect(io.out).toBe(real.status === 0 ? real.stdout : '');
        if (real.status !== 0) expect(code).toBe(1);
        cases++;
        if (real.status !== 0) stopped++;
      }),
      { numRuns: 40 },
    );
    // Both kinds were drawn: settings fail2ban-client passes on, and some where it stops.
    expect(cases - stopped).toBeGreaterThan(0);
  });
});

describe('readGeneralSettings', () => {
  it('types every setting, with the line it is written on, and reports the bad values', () => {
    const dir = tempDir('general');
    dirs.push(dir);
    copyFileSync(join(DEBIAN_ETC, 'fail2ban.conf'), join(dir, 'fail2ban.conf'));
    writeFileSync(
      join(dir, 'fail2ban.local'),
      '[Definition]\nloglevel = NOTICE\nlogtarget = f2b.log\nsocket = /run/f2b.sock\nallowipv6 = maybe\ndbfile = None\ndbmaxmatches = x\ndbpurgeage = 2h\n[Thread]\nstacksize = 16\n',
    );
    const r = readGeneralSettings(dir);
    expect(r.settings).toEqual({
      loglevel: 'NOTICE',
      logtarget: 'f2b.log',
      syslogsocket: 'auto',
      socket: '/run/f2b.sock',
      pidfile: '/var/run/fail2ban/fail2ban.pid',
      allowipv6: false,
      dbfile: null,
      dbmaxmatches: null,
      dbpurgeage: 7200,
      stacksize: 16,
    });
    expect(r.origins.socket).toMatchObject({ file: join(dir, 'fail2ban.local'), line: 4 });
    expect(r.origins.pidfile).toMatchObject({ file: join(dir, 'fail2ban.conf') });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['fail2ban/relative-path', 3],
      ['fail2ban/bad-allowipv6', 5],
      ['fail2ban/bad-int', 7],
      ['fail2ban/bad-stacksize', 10],
    ]);
  });
});

describe('the settings fwconf reports as errors are those a real fail2ban-server refuses', () => {
  // One jail, so that "no jail starts" can be seen; the server in its own network namespace.
  const cases: [string, string, boolean][] = [
    ['dbpurgeage = bogus', 'dbpurgeage = bogus\n', true],
    ['stacksize = 16', '[Thread]\nstacksize = 16\n', true],
    // fail2ban-client's "Wrong value … Using default one: 'None'" passes None on, which the server cannot take.
    ['dbmaxmatches = x', 'dbmaxmatches = x\n', true],
    ['stacksize = abc', '[Thread]\nstacksize = abc\n', true],
    ['allowipv6 = maybe (a warning)', 'allowipv6 = maybe\n', false],
    ['stacksize = 64', '[Thread]\nstacksize = 64\n', false],
  ];
  it.each(cases)('%s', async (_name, extra, refused) => {
    const dir = tempDir('general-server');
    dirs.push(dir);
    copyFileSync(join(DEBIAN_ETC, 'fail2ban.conf'), join(dir, 'fail2ban.conf'));
    writeFileSync(join(dir, 'auth.log'), '');
    writeFileSync(join(dir, 'jail.conf'), `[t]\nenabled = true\nbackend = polling\nlogpath = ${dir}/auth.log\nfailregex = ^fail <HOST>$\n`);
    const [definition, thread] = extra.startsWith('[Thread]') ? ['', extra] : [extra, ''];
    writeFileSync(join(dir, 'fail2ban.local'), `[Definition]\nlogtarget = ${dir}/f2b.log\nsocket = ${dir}/f2b.sock\npidfile = ${dir}/f2b.pid\ndbfile = :memory:\n${definition}${thread}`);
    const errors = readGeneralSettings(dir).diagnostics.filter((d) => d.severity === 'error');
    const ns = await NetNamespace.create('f2blog-conf');
    try {
      const start = await ns.spawn(['fail2ban-client', '-c', dir, 'start']);
      const status = await ns.run(['fail2ban-client', '-c', dir, 'status']);
      expect(start.status !== 0, start.stderr).toBe(refused);
      expect(/Jail list:\s+t\s*$/m.test(status), status).toBe(!refused);
      expect(errors.length > 0, JSON.stringify(errors)).toBe(refused);
    } finally {
      await ns.spawn(['fail2ban-client', '-c', dir, 'stop']);
      await ns.delete();
    }
  });
});

// Resolving Debian's stock /etc/fail2ban with every jail enabled (plus the seed setup), next to
// `fail2ban-client -c DIR -d` on the same tree, in the same run. Both are measured as whole
// processes (our CLI: `fwconf fail2ban resolve --json`); the in-process resolve time is shown too.
// Target: our process at most half the time of fail2ban-client's. Both interpreters' start-up times are
// printed too, and the time each process spends above its own: node starts about five times slower
// than python3.
//
// The runs alternate (fail2ban-client, ours, ...) so both see the same machine load; medians are
// printed with the load average before and after.
//
// Run: npm run bench -- fail2ban   (RUNS=15 for more runs; FWCONF_DIST=DIR for another build inside the repo)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolvePath(here, process.env.FWCONF_DIST ?? '../dist');
const { fail2ban } = await import(pathToFileURL(join(dist, 'index.js')).href);
const cli = join(dist, 'cli/main.js');
const runs = Number(process.env.RUNS ?? 11);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();

const dir = mkdtempSync(join(tmpdir(), `fwconf-fail2ban-bench-${process.pid}-`));
try {
  cpSync(join(here, '../fixtures/fail2ban/debian-etc'), dir, { recursive: true });
  const jailConf = readFileSync(join(dir, 'jail.conf'), 'utf8');
  const jails = [...jailConf.matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1]).filter((n) => n !== 'INCLUDES' && n !== 'DEFAULT');
  writeFileSync(join(dir, 'jail.d/zz-all.local'), jails.map((j) => `[${j}]\nenabled = true\n`).join('\n'));
  writeFileSync(
    join(dir, 'jail.local'),
    '[sshd]\nport = 2201\n\n[thp-ssh]\nenabled = true\nport = all\nfilter = thpot\nlogpath = /var/log/thpot/captures\nbanaction = iptables-allports\nmaxretry = 3\nfindtime = 1800\nbantime = 99999\n\n[nginx-http-auth]\nlogpath = %(nginx_error_log)s\n',
  );
  writeFileSync(join(dir, 'filter.d/thpot.local'), '[Definition]\nfailregex = SRC=<HOST>\n');

  const time = (f) => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const py = [];
  const ours = [];
  const inproc = [];
  const lib = [];
  // The floors: a Node process that does nothing, and the same for the Python fail2ban-client runs on.
  const bare = [];
  const pyBare = [];
  const client = spawnSync('sh', ['-c', 'command -v fail2ban-client'], { encoding: 'utf8' }).stdout.trim();
  const python = /^#!\s*(\S+)/.exec(readFileSync(client, 'utf8').split('\n')[0])?.[1] ?? 'python3';
  // The library as a process of its own: `fwconf/fail2ban` only, without the CLI's other commands.
  const libScript = `import(${JSON.stringify(pathToFileURL(join(dist, 'fail2ban/index.js')).href)}).then((m) => process.stdout.write(JSON.stringify(m.toResolvedJSON(m.resolve(process.argv[1])))))`;
  let pyOut = '';
  let ourOut = '';
  for (let i = 0; i < runs; i++) {
    py.push(time(() => (pyOut = spawnSync('fail2ban-client', ['-c', dir, '-d'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout)));
    ours.push(time(() => (ourOut = spawnSync(process.execPath, [cli, 'fail2ban', 'resolve', '--conf-dir', dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout)));
    lib.push(time(() => spawnSync(process.execPath, ['--input-type=module', '-e', libScript, dir], { encoding: 'utf8', maxBuffer: 1 << 26 })));
    bare.push(time(() => spawnSync(process.execPath, ['-e', '0'])));
    pyBare.push(time(() => spawnSync(python, ['-c', '0'])));
    inproc.push(time(() => fail2ban.resolve(dir)));
  }
  const nJails = Object.keys(JSON.parse(ourOut).jails).length;
  const pyJails = pyOut.split('\n').filter((l) => l.startsWith("['add'")).length;
  if (nJails !== pyJails) throw new Error(`jail counts differ: ours ${nJails}, fail2ban-client ${pyJails}`);
  const p = median(py);
  const o = median(ours);
  const r = median(inproc);
  const l = median(lib);
  console.log(`fail2ban: stock tree, ${nJails} jails enabled, ${runs} alternating runs (medians); load average ${loadBefore} -> ${load()}`);
  console.log(`  fail2ban-client -d (process)        ${p.toFixed(1)} ms`);
  console.log(`  fwconf fail2ban resolve (process)   ${o.toFixed(1)} ms   ratio ${(o / p).toFixed(2)} (target <= 0.50)`);
  console.log(`  node + fwconf/fail2ban (process)    ${l.toFixed(1)} ms   ratio ${(l / p).toFixed(2)}`);
  console.log(`  node -e 0 (process, the floor)      ${median(bare).toFixed(1)} ms   ratio ${(median(bare) / p).toFixed(2)}`);
  console.log(`  ${`python3 -c 0 (the client's floor)`.padEnd(36)}${median(pyBare).toFixed(1)} ms   ratio ${(median(pyBare) / p).toFixed(2)}   (${python})`);
  const ourWork = o - median(bare);
  const theirWork = p - median(pyBare);
  console.log(`  ${'above each floor'.padEnd(36)}${ourWork.toFixed(1)} ms   ratio ${(ourWork / theirWork).toFixed(2)}   (fail2ban-client: ${theirWork.toFixed(1)} ms)`);
  console.log(`  fail2ban.resolve() (in process)     ${r.toFixed(1)} ms   ratio ${(r / p).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

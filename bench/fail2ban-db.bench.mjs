// Benchmark: a fail2ban ban database of a busy host (50,000 bans with matched lines, fail2ban's schema
// and JSON data, written by Python's sqlite3 as fail2ban-server writes it).
//
//   (a) fwconf:   readBanDatabase (the file read twice, every table decoded) and bansByJail, in process
//   (b) baseline: Python's sqlite3 (SQLite itself, in C) selecting every row of bans and bips and
//                 decoding each data column's JSON, as a user queries the database by hand; timed inside
//                 the Python process, so its start-up is not counted
//
// Time is the median of several alternating runs. Run: npm run bench -- fail2ban-db
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const { readBanDatabase, bansByJail } = await import(pathToFileURL(join(dist, 'fail2ban/index.js')).href);

const BANS = 50_000;
const dir = mkdtempSync(join(tmpdir(), 'fwconf-bench-db-'));
const db = join(dir, 'fail2ban.sqlite3');
const python = process.env.PYTHON ?? 'python3';

const make = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript('''
CREATE TABLE fail2banDb(version INTEGER); INSERT INTO fail2banDb VALUES(4);
CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);
CREATE TABLE logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0);
CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data JSON);
CREATE INDEX bans_jail_timeofban_ip ON bans(jail, timeofban); CREATE INDEX bans_jail_ip ON bans(jail, ip); CREATE INDEX bans_ip ON bans(ip);
CREATE TABLE bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data JSON, PRIMARY KEY(ip, jail));
''')
jails = ['sshd', 'thp-ssh', 'recidive', 'nginx-http-auth']
c.executemany('INSERT INTO jails VALUES(?, 1)', [(j,) for j in jails])
rows = []
for n in range(int(sys.argv[2])):
    ip = '%d.%d.%d.%d' % (100 + (n >> 16), (n >> 8) & 255, n & 255, (n * 7) & 255)
    m = ['Feb 29 13:%02d:%02d host sshd[%d]: Failed password for root from %s port %d ssh2' % (n % 60, (n * 7) % 60, n, ip, 40000 + n % 20000)] * (1 + n % 5)
    rows.append((jails[n % 4], ip, 1456740000 + n, 600 * (1 + n % 3), 1 + n % 3, json.dumps({'matches': m, 'failures': len(m)}).encode()))
c.executemany('INSERT INTO bans VALUES(?, ?, ?, ?, ?, ?)', rows)
c.executemany('INSERT OR REPLACE INTO bips(jail, ip, timeofban, bantime, bancount, data) VALUES(?, ?, ?, ?, ?, ?)', rows)
c.commit()
`;
const baseline = `
import json, sqlite3, sys, time
t = time.perf_counter()
c = sqlite3.connect(sys.argv[1])
n = 0
for table in ('bans', 'bips'):
    for jail, ip, tob, bt, bc, data in c.execute('SELECT jail, ip, timeofban, bantime, bancount, data FROM ' + table):
        json.loads(data.decode('utf-8', 'replace'))
        n += 1
print((time.perf_counter() - t) * 1000, n)
`;

try {
  const m = spawnSync(python, ['-c', make, db, String(BANS)], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`making the database failed: ${m.stderr}`);
  console.log(`database: ${BANS} bans (and as many bips), ${(statSync(db).size / 1e6).toFixed(1)} MB`);
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const ta = [];
  const tb = [];
  let rows = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const d = await readBanDatabase(db);
    bansByJail(d, 1456800000);
    ta.push(performance.now() - t0);
    if (d.diagnostics.length) throw new Error(JSON.stringify(d.diagnostics));
    rows = d.bans.length + d.bips.length;
    const b = spawnSync(python, ['-c', baseline, db], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(b.stderr);
    const [ms, n] = b.stdout.trim().split(' ').map(Number);
    if (n !== rows) throw new Error(`the baseline read ${n} rows, fwconf ${rows}`);
    tb.push(ms);
  }
  const a = median(ta);
  const b = median(tb);
  console.log(`time   python sqlite3 + json ${b.toFixed(0)} ms   fwconf readBanDatabase + bansByJail ${a.toFixed(0)} ms   ratio ${(a / b).toFixed(2)}x   (${rows} rows)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

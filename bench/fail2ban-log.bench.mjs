// Streams a generated fail2ban.log of 1,000,000 records (~110 MB) through the summary
// (`fail2banLog.summarizeLog`, what `fwconf fail2ban log` runs) and, in the same run, the floor: read the
// file, split lines, match each line with one header regex. Each measurement runs in its own child
// process, which reports its time and peak RSS. Then the same with a log twice the size, to show that
// memory stays flat. Targets: time ≤ 8× the floor (the summary types every record: header, event,
// per-jail/address/hour counts; the floor matches one regex); peak RSS within 1.3× when the file doubles.
//
// Run: npm run bench -- fail2ban-log   (or, after a build, node bench/fail2ban-log.bench.mjs [records])
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure } from './child-measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const indexUrl = pathToFileURL(join(dist, 'index.js')).href;
const RECORDS = Number(process.argv[2] ?? 1_000_000);
const p2 = (n) => String(n).padStart(2, '0');
const JAILS = ['sshd', 'thp-ssh', 'nginx-http-auth', 'recidive'];

/** A log of `records` records: mostly Found, a Ban every 5th, Unbans, info lines, a traceback every 20,000; 20,000 addresses. */
async function generate(path, records) {
  const out = createWriteStream(path);
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const ips = Array.from({ length: 20000 }, () => `${1 + rnd(223)}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`);
  let buf = '';
  for (let i = 0; i < records; i++) {
    const d = new Date(Date.UTC(2016, 1, 29) + i * 250);
    const ts = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())},${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
    const jail = JAILS[rnd(JAILS.length)];
    const ip = ips[Math.min(rnd(20000), rnd(20000))];
    const k = i % 10;
    let line;
    if (k < 6) line = `${ts} fail2ban.filter         [6102]: INFO    [${jail}] Found ${ip} - ${ts.slice(0, 19)}`;
    else if (k < 8) line = `${ts} fail2ban.actions        [6102]: NOTICE  [${jail}] Ban ${ip}`;
    else if (k < 9) line = `${ts} fail2ban.actions        [6102]: NOTICE  [${jail}] Unban ${ip}`;
    else line = `${ts} fail2ban.filter         [6102]: INFO    Added logfile: '/var/log/auth.log' (pos = ${i}, hash = )`;
    if (i % 20000 === 19999) line += '\nTraceback (most recent call last):\n  File "actions.py", line 513, in __checkBan\n    action.ban(aInfo)\nRuntimeError: boom';
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

const FLOOR = `
import { createReadStream } from 'node:fs';
const re = /^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) (\\S+?) *(?:\\[(\\d+)\\])?: ([A-Z]+) +(.*)$/;
const t0 = process.hrtime.bigint();
let carry = '', n = 0, ok = 0;
for await (const chunk of createReadStream(process.argv[1], { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
  const s = carry + chunk;
  let start = 0;
  for (let nl = s.indexOf('\\n'); nl >= 0; nl = s.indexOf('\\n', start)) {
    n++;
    if (re.exec(s.slice(start, nl))) ok++;
    start = nl + 1;
  }
  carry = s.slice(start);
}
if (carry) { n++; if (re.exec(carry)) ok++; }
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, lines: n, ok }));
`;

const SUMMARY = `
const { fail2banLog } = await import(${JSON.stringify(indexUrl)});
const t0 = process.hrtime.bigint();
const s = await fail2banLog.summarizeLog(process.argv[1]);
const j = s.toJSON();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, lines: s.lines, ok: s.records, bans: j.events.ban, addresses: j.addresses.length }));
`;


const dir = mkdtempSync(join(tmpdir(), 'fwconf-fail2ban-log-bench-'));
let failed = false;
try {
  const rows = [];
  for (const records of [RECORDS, RECORDS * 2]) {
    const path = join(dir, `fail2ban.log-${records}`);
    await generate(path, records);
    const size = statSync(path).size;
    const floor = measure(FLOOR, path);
    const summary = measure(SUMMARY, path);
    if (floor.lines !== summary.lines) throw new Error(`line counts differ: floor ${floor.lines}, summary ${summary.lines}`);
    const mb = (b) => (b / 1048576).toFixed(1);
    const ratio = summary.ms / floor.ms;
    rows.push({ records, size, floor, summary });
    console.log(
      `${records.toLocaleString('en')} records, ${mb(size)} MB: floor ${floor.ms.toFixed(0)} ms (peak RSS ${mb(floor.maxRssKb * 1024)} MB); ` +
        `summary ${summary.ms.toFixed(0)} ms (peak RSS ${mb(summary.maxRssKb * 1024)} MB, ${summary.ok.toLocaleString('en')} records, ${summary.bans} bans, ${summary.addresses} addresses)`,
    );
    console.log(`  time ${ratio.toFixed(2)}× the floor (target ≤ 8×); peak RSS ${(summary.maxRssKb / floor.maxRssKb).toFixed(2)}× the floor's`);
    if (ratio > 8) failed = true;
  }
  const [a, b] = rows;
  const grow = b.summary.maxRssKb / a.summary.maxRssKb;
  console.log(`memory when the file doubles: ${(a.summary.maxRssKb / 1024).toFixed(1)} MB → ${(b.summary.maxRssKb / 1024).toFixed(1)} MB (${grow.toFixed(2)}×, target ≤ 1.3×)`);
  if (grow > 1.3) failed = true;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

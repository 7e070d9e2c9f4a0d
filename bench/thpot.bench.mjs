// Streams a generated 1,000,000-line tinyhoneypot capture log (~100 MB) through the summary
// (`thpot.summarize`, what `fwconf thpot summary` runs) and, in the same run, the floor: read the
// file, split lines, tokenise each line with one regex. Each measurement runs in its own child
// process, which reports its time and peak RSS. Then the same with a log twice the size, to show
// that memory stays flat. Targets: time ≤ 3× the floor; peak RSS < 1.5× the file's size.
//
// Run: npm run bench -- thpot   (or, after a build, node bench/thpot.bench.mjs [lines])
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure } from './child-measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const thpotUrl = pathToFileURL(join(dist, 'thpot/index.js')).href;
const LINES = Number(process.argv[2] ?? 1_000_000);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SERVICES = ['nullresp', 'shell', 'ftp', 'http', 'smtp', 'pop3', 'ssh', ''];
const p2 = (n) => String(n).padStart(2, '0');

/** Writes a log of `lines` single-line captures (a few hundred of them invalid or blank), 10,000 distinct sources. */
async function generate(path, lines) {
  const out = createWriteStream(path);
  // mulberry32
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const sources = Array.from({ length: 10000 }, () => `${1 + rnd(223)}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const secs = 0x56d43342 + i * 7;
    const d = new Date(secs * 1000);
    const svc = SERVICES[rnd(SERVICES.length)];
    const src = rnd(50) === 0 ? '' : sources[Math.min(rnd(10000), rnd(10000))];
    let line = `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    line += ` SID=${secs.toString(16).toUpperCase()}${rnd(1000000).toString(16).toUpperCase()}${svc ? '.' + svc : ''} PID=${1000 + rnd(30000)} SRC=${src} SPT=${1024 + rnd(64000)}`;
    const et = rnd(5) === 0 ? 0 : 1 + rnd(400);
    if (et) line += ` ET=00:${p2(Math.floor(et / 60))}:${p2(et % 60)}`;
    const bytes = rnd(4) === 0 ? 0 : 100000 + rnd(900000);
    if (bytes) line += ` BYTES=${bytes}`;
    if (i % 5000 === 4999) line = i % 10000 === 9999 ? '' : 'garbage line without a date';
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
const re = /^(\\S+) (\\d\\d) (\\S+) SID=(\\S+) PID=(\\d+) SRC=(\\S*) SPT=(\\S*)(?: ET=(\\S+))?(?: BYTES=(\\d+))?$/;
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
const { summarize } = await import(${JSON.stringify(thpotUrl)});
const t0 = process.hrtime.bigint();
let diagnostics = 0;
const s = await summarize(process.argv[1], { onDiagnostic: () => diagnostics++ });
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, lines: s.records + s.invalid, ok: s.records, sources: s.sources.size, diagnostics }));
`;


const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-bench-'));
let failed = false;
try {
  const rows = [];
  for (const lines of [LINES, LINES * 2]) {
    const path = join(dir, `captures-${lines}`);
    await generate(path, lines);
    const size = statSync(path).size;
    const floor = measure(FLOOR, path);
    const summary = measure(SUMMARY, path);
    if (floor.lines !== summary.lines) throw new Error(`line counts differ: floor ${floor.lines}, summary ${summary.lines}`);
    const mb = (b) => (b / 1048576).toFixed(1);
    const ratio = summary.ms / floor.ms;
    const mem = (summary.maxRssKb * 1024) / size;
    rows.push({ lines, size, floor, summary, ratio, mem });
    console.log(
      `${lines.toLocaleString('en')} lines, ${mb(size)} MB: floor ${floor.ms.toFixed(0)} ms (peak RSS ${mb(floor.maxRssKb * 1024)} MB); ` +
        `summary ${summary.ms.toFixed(0)} ms (peak RSS ${mb(summary.maxRssKb * 1024)} MB, ${summary.ok.toLocaleString('en')} records, ${summary.sources} sources, ${summary.diagnostics} diagnostics)`,
    );
    console.log(`  time ${ratio.toFixed(2)}× the floor (target ≤ 3×); peak RSS ${mem.toFixed(2)}× the file's size (target < 1.5×)`);
    if (ratio > 3 || mem >= 1.5) failed = true;
  }
  const [a, b] = rows;
  console.log(`memory when the file doubles: ${(a.summary.maxRssKb / 1024).toFixed(1)} MB → ${(b.summary.maxRssKb / 1024).toFixed(1)} MB (${(b.summary.maxRssKb / a.summary.maxRssKb).toFixed(2)}×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

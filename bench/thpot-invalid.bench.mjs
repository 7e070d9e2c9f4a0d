// `thpot summary` (thpot.summarize) on a log of dated lines that are not captures, against the same on
// a log of as many valid captures, in the same run (issue #24: 1M such lines took 40 s where 1M valid
// ones took 0.9 s, a peggy parse each). The invalid lines have a date and go wrong further on, in a
// dozen ways (a PID that is not a number, a field missing, ET out of range, trailing text, a broken
// multi-line start or end, ...), so each goes through the whole line grammar and gets its diagnostic.
// Each measurement runs in its own child process (best of two). Target: invalid ≤ 12× valid.
//
// Run: npm run bench -- thpot-invalid   (or, after a build, node bench/thpot-invalid.bench.mjs [lines])
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure } from './child-measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const thpotUrl = pathToFileURL(join(dist, 'thpot/index.js')).href;
const LINES = Number(process.argv[2] ?? 1_000_000);
const TARGET = 12;

const p2 = (n) => String(n).padStart(2, '0');
const date = (i) => `Jan ${p2(1 + (i % 28))} ${p2(i % 24)}:${p2(i % 60)}:${p2((i * 7) % 60)}`;
const INVALID = [
  (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()} PID=x${i} SRC=10.0.0.1 SPT=1`,
  (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()}.ssh PID=${i} SRC=10.0.${i & 255}.1`,
  (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()} PID=${i} SRC=10.0.0.1 SPT=22 ET=24:00:0${i % 10}`,
  (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()} PID=${i} SRC=10.0.0.1 SPT=22 BYTES=${i} and more`,
  (i) => `${date(i)} SID=56d4${i.toString(16)} PID=${i} SRC=10.0.0.1 SPT=22`,
  (i) => `${date(i)} SID= PID=${i} SRC=10.0.0.1 SPT=22`,
  (i) => `${date(i)} start thp SID 56D4${i.toString(16).toUpperCase()}.ftp, UNIX pid ${i} source 10.0.0.1:22 x`,
  (i) => `${date(i)} end thp SID 56D4${i.toString(16).toUpperCase()} - timeou`,
  (i) => `${date(i)} SID=56D4 PID=${i}`,
  (i) => `${date(i)}  SID=56D4 PID=${i} SRC=10.0.0.1 SPT=22`,
  (i) => `${date(i)} sid=56D4 pid=${i} src=10.0.0.1 spt=22`,
  (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()} PID=${i} SRC=10.0.0.1\tSPT=22`,
];

async function write(path, lines, line) {
  const out = createWriteStream(path);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    buf += line(i) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

const SUMMARY = `
const { summarize } = await import(${JSON.stringify(thpotUrl)});
const t0 = process.hrtime.bigint();
let diagnostics = 0;
const s = await summarize(process.argv[1], { onDiagnostic: () => diagnostics++ });
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, records: s.records, invalid: s.invalid, diagnostics }));
`;

const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-invalid-bench-'));
try {
  const valid = join(dir, 'valid');
  const invalid = join(dir, 'invalid');
  await write(valid, LINES, (i) => `${date(i)} SID=56D4${i.toString(16).toUpperCase()}.ssh PID=${1000 + (i % 30000)} SRC=10.0.${(i >> 8) & 255}.${i & 255} SPT=${1024 + (i % 60000)} BYTES=${i}`);
  await write(invalid, LINES, (i) => INVALID[i % INVALID.length](i));
  const v = measure(SUMMARY, valid, 2);
  const bad = measure(SUMMARY, invalid, 2);
  if (v.records !== LINES || bad.invalid !== LINES || bad.diagnostics !== LINES) throw new Error(`unexpected counts: ${JSON.stringify({ v, bad })}`);
  const ratio = bad.ms / v.ms;
  console.log(`${LINES.toLocaleString('en')} valid captures: ${v.ms.toFixed(0)} ms; ${LINES.toLocaleString('en')} dated invalid lines: ${bad.ms.toFixed(0)} ms (${bad.diagnostics} diagnostics)`);
  console.log(`  invalid ${ratio.toFixed(2)}× valid (target ≤ ${TARGET}×)`);
  process.exitCode = ratio > TARGET ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

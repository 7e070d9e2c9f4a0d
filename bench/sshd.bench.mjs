// sshd_config parse + model throughput against a plain line split of the same text (the baseline).
// Lines are read lazily: "parse + toString" only splits, "parse + toJSON" reads every line.
// Run: npm run bench -- sshd
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = process.env.FWCONF_DIST ?? '../dist';
const { sshd } = await import(new URL(`${dist.replace(/\/$/, '')}/index.js`, dist.startsWith('/') ? 'file://' : import.meta.url).href);
const text = readFileSync(fileURLToPath(new URL('../fixtures/sshd/hardening/etc/ssh/sshd_config', import.meta.url)), 'utf8');
const big = Array.from({ length: 200 }, () => text).join('');

// The machine may be busy: take the best of several rounds for each measurement.
function time(label, n, f) {
  f();
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const s = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, (performance.now() - s) / n);
  }
  return { label, ms: best };
}

const base = time('line split baseline', 20, () => big.split('\n').map((l) => l.trim().split(/[ \t]+/)));
const p = time('parse + toJSON', 10, () => sshd.parse(big).toJSON());
const rt = time('parse + toString', 10, () => sshd.parse(big).toString());
const lines = big.split('\n').length;
for (const r of [base, p, rt]) console.log(`${r.label.padEnd(22)} ${r.ms.toFixed(2)} ms (${((r.ms * 1000) / lines).toFixed(2)} µs/line)  ratio ${(r.ms / base.ms).toFixed(1)}x`);

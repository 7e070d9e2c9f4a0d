// sshd_config parse + model throughput against a plain line split of the same text (the baseline).
// Run: npx tsup --out-dir /tmp/fwconf-sshd-dist && FWCONF_DIST=/tmp/fwconf-sshd-dist node bench/sshd.bench.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = process.env.FWCONF_DIST ?? '../dist';
const { sshd } = await import(new URL(`${dist.replace(/\/$/, '')}/index.js`, dist.startsWith('/') ? 'file://' : import.meta.url).href);
const text = readFileSync(fileURLToPath(new URL('../fixtures/sshd/hardening/etc/ssh/sshd_config', import.meta.url)), 'utf8');
const big = Array.from({ length: 200 }, () => text).join('');

function time(label, n, f) {
  f();
  const s = performance.now();
  for (let i = 0; i < n; i++) f();
  const ms = (performance.now() - s) / n;
  return { label, ms };
}

const base = time('line split baseline', 50, () => big.split('\n').map((l) => l.trim().split(/[ \t]+/)));
const p = time('parse + toJSON', 10, () => sshd.parse(big).toJSON());
const rt = time('parse + toString', 10, () => sshd.parse(big).toString());
const lines = big.split('\n').length;
for (const r of [base, p, rt]) console.log(`${r.label.padEnd(22)} ${r.ms.toFixed(2)} ms (${((r.ms * 1000) / lines).toFixed(2)} µs/line)  ratio ${(r.ms / base.ms).toFixed(1)}x`);

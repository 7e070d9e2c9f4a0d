// Runs a measuring script in a child process (so memory figures are its own) and keeps the best of a
// few runs: shared by the streaming benchmarks (thpot, fail2ban-log). The script prints one JSON line
// last, with at least `ms` and `maxRssKb`.
import { spawnSync } from 'node:child_process';

export function child(code, path) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Best of `runs` (time), with the highest peak RSS seen. */
export function measure(code, path, runs = 3) {
  let best;
  for (let i = 0; i < runs; i++) {
    const m = child(code, path);
    if (!best || m.ms < best.ms) best = { ...m, maxRssKb: Math.max(m.maxRssKb, best?.maxRssKb ?? 0) };
    else best.maxRssKb = Math.max(best.maxRssKb, m.maxRssKb);
  }
  return best;
}

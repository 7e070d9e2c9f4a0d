// `fwconf fail2ban test` as a whole process over generated logs: 1,000,000 auth.log lines through a
// sshd failregex and 1,000,000 thpot captures through `SRC=<HOST>`, against the floor measured in the
// same run (node reading the file, splitting lines, one JS regex per line). Then the same logs twice
// the size, to show that memory stays flat. With FAIL2BAN_REGEX=1, fail2ban-regex on a 100,000-line
// (FAIL2BAN_REGEX_LINES) slice as well (slow: about 20,000 lines a second), for the lines-per-second ratio.
//
// Run: npm run bench -- fail2ban-filter   (or, after a build, node bench/fail2ban-filter.bench.mjs [lines])
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const main = join(dist, 'cli/main.js');
const LINES = Number(process.argv[2] ?? 1_000_000);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const SSHD_RE = String.raw`^\s*\S+ sshd\[\d+\]: Failed (?:password|publickey) for (?:invalid user )?<F-USER>\S+</F-USER> from <HOST> port \d+`;

async function generate(path, lines, kind) {
  const out = createWriteStream(path);
  let seed = 4711;
  const rnd = (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const sources = Array.from({ length: 5000 }, () => `${1 + rnd(223)}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`);
  const users = ['root', 'admin', 'oracle', 'test', 'ubuntu', 'bob'];
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const d = new Date((1700000000 + i * 3) * 1000);
    const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    const src = sources[Math.min(rnd(5000), rnd(5000))];
    let line;
    if (kind === 'auth') {
      const r = rnd(10);
      if (r < 5) line = `${stamp} host sshd[${1000 + rnd(30000)}]: Failed password for ${rnd(3) ? '' : 'invalid user '}${users[rnd(users.length)]} from ${src} port ${1024 + rnd(60000)} ssh2`;
      else if (r < 7) line = `${stamp} host sshd[${1000 + rnd(30000)}]: Connection closed by ${src} port ${1024 + rnd(60000)} [preauth]`;
      else if (r < 9) line = `${stamp} host sshd[${1000 + rnd(30000)}]: Accepted publickey for bob from ${src} port ${1024 + rnd(60000)} ssh2: ED25519 SHA256:abc`;
      else line = `${stamp} host CRON[${rnd(9999)}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`;
    } else {
      line = `${stamp} SID=${(1700000000 + i).toString(16).toUpperCase()}.ssh PID=${1000 + rnd(30000)} SRC=${rnd(40) ? src : ''} SPT=${1024 + rnd(60000)} ET=00:00:${p2(rnd(60))} BYTES=${rnd(100000)}`;
    }
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
const re = new RegExp(process.argv[2], 'u');
let n = 0, m = 0, rest = '';
const dec = new TextDecoder();
for await (const chunk of createReadStream(process.argv[1])) {
  rest += dec.decode(chunk, { stream: true });
  let i, from = 0;
  while ((i = rest.indexOf('\\n', from)) >= 0) { n++; if (re.test(rest.slice(from, i))) m++; from = i + 1; }
  rest = rest.slice(from);
}
console.log(n, m);
`;

function measure(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  const [kb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  // CPU seconds too: on a loaded machine (shared cores) they say more than the wall clock
  return { secs, rss: kb / 1024, cpu: user + sys, out: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'fwconf-bench-f2b-filter-'));
try {
  let fail = 0;
  for (const [kind, failregex, floorRe] of [
    ['auth', SSHD_RE, String.raw`^\S+ +\d+ \S+ \S+ sshd\[\d+\]: Failed (?:password|publickey) for (?:invalid user )?\S+ from (\S+) port \d+`],
    ['thpot', 'SRC=<HOST>', String.raw`SRC=(\S+)`],
  ]) {
    const rows = [];
    for (const n of [LINES, LINES * 2]) {
      const log = join(dir, `${kind}-${n}.log`);
      await generate(log, n, kind);
      const size = statSync(log).size / 1048576;
      const floor = measure([process.execPath, '--input-type=module', '-e', FLOOR, log, floorRe]);
      const ours = measure([process.execPath, main, 'fail2ban', 'test', log, failregex, '--now', '1700000000']);
      const m = /Lines: (\d+) lines, (\d+) ignored, (\d+) matched/.exec(ours.out);
      rows.push({ n, size, floor, ours, matched: m ? Number(m[3]) : NaN });
      console.log(
        `${kind} ${n} lines (${size.toFixed(0)} MB): fwconf ${ours.secs.toFixed(2)} s, ${ours.cpu.toFixed(2)} s CPU (${Math.round(n / ours.secs)} lines/s, ${ours.rss.toFixed(0)} MB RSS, ${m?.[3]} matched); floor ${floor.secs.toFixed(2)} s (${floor.rss.toFixed(0)} MB); ratio ${(ours.secs / floor.secs).toFixed(2)}×`,
      );
    }
    const growth = rows[1].ours.rss / rows[0].ours.rss;
    console.log(`${kind}: RSS when the log doubles: ×${growth.toFixed(2)} (flat: < 1.3)`);
    if (growth >= 1.3) fail++;
    if (process.env.FAIL2BAN_REGEX) {
      const slice = join(dir, `${kind}-slice.log`);
      const SLICE = Number(process.env.FAIL2BAN_REGEX_LINES ?? 100_000);
      await generate(slice, SLICE, kind);
      const py = measure(['fail2ban-regex', '--raw', slice, failregex]);
      const ours = measure([process.execPath, main, 'fail2ban', 'test', slice, failregex, '--now', '1700000000']);
      console.log(
        `${kind} ${SLICE} lines: fail2ban-regex ${py.secs.toFixed(2)} s (${Math.round(SLICE / py.secs)} lines/s, ${py.cpu.toFixed(2)} s CPU), fwconf ${ours.secs.toFixed(2)} s (${ours.cpu.toFixed(2)} s CPU): ${(py.secs / ours.secs).toFixed(1)}× faster (CPU: ${(py.cpu / ours.cpu).toFixed(1)}×)`,
      );
    }
  }
  process.exitCode = fail ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

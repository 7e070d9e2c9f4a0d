// Choosing the spec validator for its size as well: install size (node_modules footprint) and cold
// start, for zod (what the spec loader uses), zod/mini (zod 4's functional build, same package) and
// valibot (not installed: its size from the registry's tarball listing, `npm pack --dry-run`, when
// the registry answers). Cold starts are whole processes, interleaved, median of RUNS, with
// `node -e 0` as the baseline in the same run.
//   node bench/spec-validator.bench.mjs [RUNS]
import { spawn } from 'node:child_process';
import { readdirSync, lstatSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 21);
const cli = join(root, 'dist/cli/main.js');
if (!existsSync(cli)) throw new Error('no dist/: run `npm run build` (or `npm run bench`, which builds)');

/** Bytes of the files under `dir` (apparent size, as npm's unpackedSize counts), and how many. */
function footprint(dir) {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const f = footprint(p);
      bytes += f.bytes;
      files += f.files;
    } else {
      bytes += lstatSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

function run(cmd, args, { input, capture } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { cwd: root, stdio: [input === undefined ? 'ignore' : 'pipe', capture ? 'pipe' : 'ignore', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout?.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    if (input !== undefined) c.stdin.end(input);
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, out }) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

/** valibot's published tarball: unpacked size and file count, or undefined when the registry does not answer. */
async function registrySize(spec) {
  try {
    const r = await Promise.race([
      run('npm', ['pack', spec, '--dry-run', '--json', '--silent'], { capture: true }),
      new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 60_000).unref()),
    ]);
    const [p] = JSON.parse(r.out);
    return { bytes: p.unpackedSize, files: p.entryCount, version: p.version };
  } catch {
    return undefined;
  }
}

// The same shape in both zod builds: an object of ~100 optional enum/int/string keys (the sshd
// settings are the bulk of the spec schema) inside a strict object, built and used once.
const KEYS = Array.from({ length: 100 }, (_, i) => `Key${i}`);
const classic = `import { z } from 'zod';
const keys = ${JSON.stringify(KEYS)};
const val = (i) => (i % 3 === 0 ? z.enum(['yes', 'no']) : i % 3 === 1 ? z.number().int().min(0) : z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]));
const settings = z.strictObject(Object.fromEntries(keys.map((k, i) => [k, val(i).optional()])));
const s = z.strictObject({ port: z.number().int().min(1).max(65535).default(22), settings });
if (!s.safeParse({ settings: { Key0: 'yes', Key1: 3 } }).success) process.exit(1);`;
const mini = `import * as z from 'zod/mini';
const keys = ${JSON.stringify(KEYS)};
const val = (i) => (i % 3 === 0 ? z.enum(['yes', 'no']) : i % 3 === 1 ? z.number().check(z.int(), z.minimum(0)) : z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]));
const settings = z.strictObject(Object.fromEntries(keys.map((k, i) => [k, z.optional(val(i))])));
const s = z.strictObject({ port: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(65535)), 22), settings });
if (!z.safeParse(s, { settings: { Key0: 'yes', Key1: 3 } }).success) process.exit(1);`;

const cases = {
  'node -e 0': ['-e', '0'],
  'import zod + schema': ['--input-type=module', '-e', classic],
  'import zod/mini + schema': ['--input-type=module', '-e', mini],
  'fwconf --help': [cli, '--help'],
  'fwconf render': [cli, 'render'],
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [k, args] of Object.entries(cases)) times[k].push((await run(process.execPath, args)).ms);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = median(times['node -e 0']);

const kb = (b) => `${(b / 1024 / 1024).toFixed(2)} MB`;
const zod = footprint(join(root, 'node_modules/zod'));
const all = footprint(join(root, 'node_modules'));
const valibot = await registrySize('valibot@1');
console.log(`install size (apparent bytes of the package's files)`);
console.log(`  zod (zod and zod/mini are one package)  ${kb(zod.bytes)} in ${zod.files} files`);
console.log(valibot ? `  valibot ${valibot.version} (npm pack --dry-run)   ${kb(valibot.bytes)} in ${valibot.files} files; zod/valibot = ${(zod.bytes / valibot.bytes).toFixed(2)}x` : '  valibot: the registry did not answer (not measured)');
console.log(`  (this checkout's whole node_modules, dev dependencies included: ${kb(all.bytes)})`);
console.log(`cold start, median of ${RUNS} interleaved runs (ms; above node -e 0; ratio to node -e 0; fastest run, which a busy machine disturbs least)`);
for (const [k, t] of Object.entries(times)) {
  const m = median(t);
  console.log(`  ${k.padEnd(26)} ${m.toFixed(1).padStart(7)}  +${(m - base).toFixed(1).padStart(6)}  ${(m / base).toFixed(2)}x   min ${Math.min(...t).toFixed(1).padStart(7)}`);
}
const fast = (k) => Math.min(...times[k]) - Math.min(...times['node -e 0']);
console.log(`  fastest runs: zod ${fast('import zod + schema').toFixed(1)} ms, zod/mini ${fast('import zod/mini + schema').toFixed(1)} ms above node`);
const cz = median(times['import zod + schema']) - base;
const cm = median(times['import zod/mini + schema']) - base;
console.log(`  zod/mini saves ${(cz - cm).toFixed(1)} ms of zod's ${cz.toFixed(1)} ms (${((1 - cm / cz) * 100).toFixed(0)}%); fwconf render is ${(median(times['fwconf render']) - base).toFixed(1)} ms above node`);

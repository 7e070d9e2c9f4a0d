// Builds dist/, quietly: the bundles with tsup and, at the same time, the declarations with tsc (one .d.ts
// per library source file, each copied to a .d.cts; see scripts/tsconfig.dts.json for why not tsup's). A
// tool's log (tsup's is about 200 lines) is printed only when it fails (then in full, with its exit
// status) or when it warns; a good build prints one line.
//
//   node scripts/build.mjs             builds (`npm run build`)
//   node scripts/build.mjs --if-stale  builds only when dist/ is not the build of the current sources
//                                      (`prepare`, `prepack` and the test global setup)
//
// When dist/ counts as fresh (the rule `--if-stale` applies): a good build ends by writing
// dist/.build-stamp.json, holding a SHA-256 of every input of the build and one of every file the build
// wrote. dist/ is fresh only when both hashes, computed again now, are equal to the stamp's. The inputs are
// src/, grammars/, tsup.config.ts, tsconfig.json, scripts/tsconfig.dts.json, scripts/peggy-plugin.ts, this
// script, package.json (without its `scripts`, which do not reach dist/ and which `prepack` edits),
// package-lock.json and the
// versions of the build tools installed in node_modules/ (a shared or hand-updated node_modules/ can differ
// from the lock). So an edit to any input, an output file added, removed or changed, or a build that did not
// finish (the stamp is removed before building and written only after both tools succeeded) all mean stale.
// Content hashes and not mtimes: a checkout, a copy or a clock change can make a stale dist/ look newer than
// its sources, never make it hash like them. Hashing costs a few tens of milliseconds.
//
// FWCONF_SKIP_BUILD=1 makes `--if-stale` use dist/ as it is (for tests that do not run the built CLI).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreLeftoverManifest } from './pack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp.json');
const inputs = ['src', 'grammars', 'tsup.config.ts', 'tsconfig.json', 'scripts/tsconfig.dts.json', 'scripts/peggy-plugin.ts', 'scripts/build.mjs', 'package-lock.json'];
const tools = ['tsup', 'esbuild', 'typescript', 'peggy', 'rollup'];
const require = createRequire(join(root, 'package.json'));

/** Every file under `path` (a file or a directory; nothing if absent), relative to the root, in code-unit order. */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Hash of paths and contents; a path's name and length are hashed too, so no two file sets collide. */
function hashFiles(paths, hash = createHash('sha256')) {
  for (const path of paths) {
    const data = readFileSync(join(root, path));
    hash.update(`${path}\0${data.length}\0`).update(data);
  }
  return hash;
}

function inputHash() {
  const hash = createHash('sha256');
  hashFiles(inputs.flatMap(files), hash);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.scripts;
  hash.update(`package.json\0${JSON.stringify(manifest)}\0`);
  for (const tool of tools) {
    let version = 'absent';
    try {
      version = JSON.parse(readFileSync(require.resolve(`${tool}/package.json`), 'utf8')).version;
    } catch {
      // Not installed: the build will say so.
    }
    hash.update(`${tool}@${version}\0`);
  }
  return hash.digest('hex');
}

function outputHash() {
  return hashFiles(files('dist').filter((p) => p !== 'dist/.build-stamp.json')).digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs a build tool (a JS file run with this node) with its output captured; prints it only on failure or
 * warnings. Resolves to the exit status.
 */
function quietly(name, bin, args) {
  const env = { ...process.env };
  if (process.stderr.isTTY && !('NO_COLOR' in env)) env.FORCE_COLOR = '1';
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (b) => log.push(b));
  child.stderr.on('data', (b) => log.push(b));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const text = Buffer.concat(log).toString('utf8');
      const status = code ?? 1;
      if (status !== 0) {
        process.stderr.write(text);
        process.stderr.write(`\nfwconf: the build failed (${name} ${signal ? `killed by ${signal}` : `exited with ${code}`}); its full log is above.\n`);
      } else if (/\bwarn(ing)?\b/i.test(text)) {
        process.stderr.write(text);
        process.stderr.write(`\nfwconf: the build succeeded with the warnings above (${name}).\n`);
      }
      resolve(status);
    });
  });
}

/** The bundles (esbuild through tsup; see tsup.config.ts). */
function tsup() {
  return quietly('tsup', join(dirname(require.resolve('tsup/package.json')), 'dist/cli-default.js'), []);
}

/** The declarations: one .d.ts per library source file (see scripts/tsconfig.dts.json). */
function declarations() {
  return quietly('tsc', require.resolve('typescript/bin/tsc'), ['-p', 'scripts/tsconfig.dts.json']);
}

/** A relative module specifier ending in .js, in `from '...'`, `import('...')` or `import '...'`. */
const RELATIVE_JS = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)(['"])(\.\.?\/[^'"\n]*?)\.js\2/g;

/**
 * Copies every .d.ts tsc wrote to a .d.cts beside it, for the `require` condition of package.json's exports:
 * in a `"type": "module"` package a .d.ts describes an ES module, so CommonJS consumers need .d.cts files
 * whose relative imports name the .cjs twins (which TypeScript resolves to the .d.cts files). Returns how
 * many it wrote.
 */
export function writeCjsDeclarations(dir = dist) {
  let count = 0;
  for (const path of files(relative(root, dir))) {
    if (!path.endsWith('.d.ts')) continue;
    const text = readFileSync(join(root, path), 'utf8');
    writeFileSync(join(root, path.replace(/\.d\.ts$/, '.d.cts')), cjsDeclaration(text));
    count++;
  }
  return count;
}

/**
 * The bin: a `#!/usr/bin/env node` line and the executable bits. tsup builds the CLI together with the
 * library's ES modules (they share chunks), where a banner would go on every file.
 */
function markExecutable(file) {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${text}`);
  chmodSync(file, 0o755);
}

/** A .d.ts's text as a .d.cts: relative `./x.js` specifiers (imports, and the modules a codes file augments) become `./x.cjs`. */
export function cjsDeclaration(text) {
  return text.replace(RELATIVE_JS, (_, lead, quote, base) => `${lead}${quote}${base}.cjs${quote}`);
}

async function build() {
  const started = process.hrtime.bigint();
  // The stamp goes first: a build that fails or is interrupted leaves no stamp, so dist/ stays stale.
  rmSync(dist, { recursive: true, force: true });
  // Both write into dist/, different files: the bundles (.js, .cjs) and the declarations (.d.ts).
  const [bundled, declared] = await Promise.all([tsup(), declarations()]);
  if (bundled !== 0) return bundled;
  if (declared !== 0) return declared;
  writeCjsDeclarations();
  markExecutable(join(dist, 'cli/main.js'));
  const stamp = { inputs: inputHash(), outputs: outputHash() };
  writeFileSync(`${stampFile}.tmp`, `${JSON.stringify(stamp, null, 2)}\n`);
  renameSync(`${stampFile}.tmp`, stampFile);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`fwconf: built dist/ in ${seconds.toFixed(1)} s\n`);
  return 0;
}

/** Why dist/ is stale, or undefined when it is the build of the current sources. */
export function staleness() {
  const stamp = readStamp();
  if (!stamp) return existsSync(dist) ? 'dist/ has no build stamp' : 'there is no dist/';
  if (stamp.inputs !== inputHash()) return 'the sources changed since dist/ was built';
  if (stamp.outputs !== outputHash()) return 'dist/ was changed after its build';
  return undefined;
}

async function main() {
  restoreLeftoverManifest();
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && process.env.FWCONF_SKIP_BUILD === '1') return 0;
  if (ifStale) {
    const started = process.hrtime.bigint();
    const why = staleness();
    if (!why) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stderr.write(`fwconf: dist/ is up to date with the sources (checked in ${ms.toFixed(0)} ms)\n`);
      return 0;
    }
    process.stderr.write(`fwconf: building dist/ (${why})\n`);
  }
  return build();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();

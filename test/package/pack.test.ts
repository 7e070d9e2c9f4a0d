// The package as users get it: `npm pack` (with its prepack and postpack steps), installed into an empty
// project, bin and exports working, declarations that a strict TypeScript consumer compiles, and nothing in
// it that npm asks the consumer to approve. One file packs once: two packs at a time would race on the
// package.json that prepack edits.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_CONFIGS, CONSUMER_FILES, NAMESPACE_TYPES, moduleSubpaths, writeConsumer, writeNodeFreeConsumer } from './consumer.js';
import { FORMAT_NAMES } from '../../src/core/format.js';

const run = promisify(execFile);
const repo = resolve(__dirname, '../..');
/** The native TypeScript compiler's CLI, when `@typescript/native-preview` is installed. */
const tsgo = ((): { bin: string; version: string } | undefined => {
  const require = createRequire(join(repo, 'package.json'));
  try {
    const manifestPath = require.resolve('@typescript/native-preview/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; bin: Record<string, string> };
    return { bin: join(manifestPath, '..', manifest.bin.tsgo!), version: manifest.version };
  } catch {
    process.stderr.write('test/package/pack.test.ts: @typescript/native-preview is not installed, so TypeScript 7 did not check the consumer\n');
    return undefined;
  }
})();

let dir: string;
let tgz: string;
let manifestBefore: string;
let manifestAfter: string;
let installLog: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-pack-'));
  manifestBefore = readFileSync(join(repo, 'package.json'), 'utf8');
  // With its scripts, as `npm pack` and `npm publish` run: prepack finds dist/ fresh (the global setup built
  // it) and takes `prepare` out of the packed package.json; postpack puts package.json back.
  await run('npm', ['pack', '--pack-destination', dir], { cwd: repo });
  manifestAfter = readFileSync(join(repo, 'package.json'), 'utf8');
  tgz = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  // An ES module project, so consumer-esm.ts is ESM under node16 as in most projects today.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  // From npm's cache where it can: the runtime dependencies' tarballs are the ones the repository's own install
  // put there; on a fresh machine npm ci leaves no registry metadata, so --offline would fail to resolve them.
  const { stdout, stderr } = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tgz], { cwd: dir });
  installLog = stdout + stderr;
  // The consumer's @types/node is the repository's (installed after npm, which prunes what it did not add).
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(repo, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships only what users need', async () => {
    const listed = (await run('tar', ['-tzf', tgz])).stdout.split('\n');
    expect(listed).toContain('package/dist/cli/main.js');
    expect(listed).toContain('package/README.md');
    // The licence text travels with the code; so do the changelog and how to report a security problem.
    for (const doc of ['LICENSE', 'CHANGELOG.md', 'SECURITY.md', 'DIAGNOSTICS.md']) expect(listed).toContain(`package/${doc}`);
    expect(await run('tar', ['-xzOf', tgz, 'package/LICENSE']).then((r) => r.stdout)).toMatch(/^MIT License\n/);
    expect(listed).not.toContain('package/dist/.build-stamp.json');
    expect(listed.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/') || f.startsWith('package/grammars/'))).toBe(false);
  });

  it('has no install-time script, and npm asks the consumer to approve nothing', async () => {
    const packed = JSON.parse((await run('tar', ['-xzOf', tgz, 'package/package.json'])).stdout) as { scripts?: Record<string, string> };
    const scripts = Object.keys(packed.scripts ?? {});
    for (const installTime of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts).not.toContain(installTime);
    // The packed package.json is the repository's without `prepare` and nothing else.
    const source = JSON.parse(manifestBefore) as { scripts: Record<string, string> };
    delete source.scripts.prepare;
    expect(packed).toEqual(source);
    expect(installLog).not.toMatch(/install-scripts|approve/);
  });

  it('has a package.json that `npm pkg fix` leaves as it is, and says it has no side effects', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'fwconf-pkg-fix-'));
    try {
      writeFileSync(join(copy, 'package.json'), manifestBefore);
      await run('npm', ['pkg', 'fix'], { cwd: copy });
      expect(readFileSync(join(copy, 'package.json'), 'utf8')).toBe(manifestBefore);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    // Bundlers may drop a module whose exports are unused: no module of the library does anything on import.
    expect((JSON.parse(manifestBefore) as { sideEffects?: unknown }).sideEffects).toBe(false);
  });

  it('leaves the repository as it was: package.json back byte for byte, with its prepare script', () => {
    expect(manifestAfter).toBe(manifestBefore);
    expect(JSON.parse(manifestAfter).scripts.prepare).toBeDefined();
    // No copy left behind by prepack (scripts/pack.mjs names it after the checkout's path).
    const copy = `package.json.${createHash('sha256').update(repo).digest('hex').slice(0, 16)}.prepack`;
    expect(existsSync(join(repo, 'node_modules/.cache/fwconf', copy))).toBe(false);
  });

  it('runs the fwconf bin from an empty directory', async () => {
    const { stdout } = await run(join(dir, 'node_modules/.bin/fwconf'), ['--help'], { cwd: dir });
    expect(stdout).toMatch(/^Usage: fwconf <command>/);
    expect(stdout).toMatch(/roundtrip/);
    const rendered = await run('npx', ['--no-install', 'fwconf', 'render'], { cwd: dir });
    expect(rendered.stdout).toMatch(/^==> \/etc\/ssh\/sshd_config\.d\/00-fwconf\.conf <==$/m);
  });

  it('ships each module once among the ES modules: the CLI imports the library\'s chunks', () => {
    // esbuild marks where each source module's code starts (`// src/core/text.ts`); a module bundled into
    // the CLI and into the library would be marked in two files. (The CommonJS build is a copy by nature.)
    const root = join(dir, 'node_modules/fwconf/dist');
    const esm = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const where = new Map<string, string[]>();
    for (const file of esm) {
      for (const marker of new Set(readFileSync(join(root, file), 'utf8').match(/^\/\/ src\/\S+$/gm) ?? [])) where.set(marker, [...(where.get(marker) ?? []), file]);
    }
    expect(where.size).toBeGreaterThan(50);
    expect(where.get('// src/cli/main.ts')).toEqual(['cli/main.js']);
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it('loads as ESM and as CommonJS, root and subpaths', async () => {
    const esm = await run(
      'node',
      ['--input-type=module', '-e', "import * as f from 'fwconf'; import { format } from 'fwconf/sshd'; import * as core from 'fwconf/core'; console.log(Object.keys(f.formats).join(','), format.name, typeof core.SourceText)"],
      { cwd: dir },
    );
    expect(esm.stdout.trim()).toBe(`${FORMAT_NAMES.join(',')} sshd function`);
    const cjs = await run('node', ['-e', "const f = require('fwconf'); const t = require('fwconf/thpot'); console.log(typeof f.detectFormat, t.format.name)"], { cwd: dir });
    expect(cjs.stdout.trim()).toBe('function thpot');
  });
});

describe('the examples (examples/<format>.mjs), run from the installed package', () => {
  /** A line each example must print: what it shows, computed by the format's own code. */
  const EXPECTED: Record<string, RegExp> = {
    sshd: /^Port 2201\n[^]*^Match User alice\n\tPasswordAuthentication no\nalice: port \[ '2201' \] passwordauthentication \[ 'no' \]$/m,
    fail2ban: /^jail sshd: maxretry 3 \(from \/etc\/fail2ban\/jail\.local\), bantime 10m, logs \/var\/log\/auth\.log\n {2}failregex \^Failed password/m,
    iptables: /^ban sshd 198\.51\.100\.7\/32 -> iptables -D f2b-sshd -s 198\.51\.100\.7\/32 -j REJECT[^]*^iptables -N f2b-sshd$/m,
    xinetd: /^service thp-pasv: port 22, server \/usr\/sbin\/thpot\n$/,
    ufw: /^line 5: ufw allow from 0\.0\.0\.0\/0 to any port 2201 proto tcp$[^]*^line 8: ufw allow from ::\/0 to any port 80 proto tcp\n$/m,
    thpot: /^\{"records":3,"invalid":0,"sources":\{"192\.168\.88\.242":2,"203\.0\.113\.7":1\}/,
  };

  it('has one per format subpath', () => {
    const shipped = readdirSync(join(dir, 'node_modules/fwconf/examples')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
    const exportsMap = (JSON.parse(readFileSync(join(dir, 'node_modules/fwconf/package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
    const formatSubpaths = moduleSubpaths(exportsMap).filter((s) => !['core', 'builder', 'apply'].includes(s));
    expect(shipped.sort()).toEqual(formatSubpaths.sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(formatSubpaths.sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}.mjs runs as written and prints what it says`, async () => {
      const { stdout, stderr } = await run(process.execPath, [join(dir, 'node_modules/fwconf/examples', `${name}.mjs`)], { cwd: dir });
      expect(stderr).toBe('');
      expect(stdout).not.toMatch(/diagnostic:/);
      expect(stdout).toMatch(expected);
    });
  }
});

describe('the declarations, for a strict TypeScript consumer', () => {
  const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
  const exportsMap = () => (JSON.parse(readFileSync(join(dir, 'node_modules/fwconf/package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;

  it('has a type to try for every namespace, and a namespace for every subpath', () => {
    expect(moduleSubpaths(exportsMap()).sort()).toEqual(Object.keys(NAMESPACE_TYPES).sort());
  });

  // TypeScript 7 (the native compiler, `tsgo`) too, when it is installed (`@typescript/native-preview`).
  const compilers: [string, string][] = [[`TypeScript ${createRequire(join(repo, 'package.json'))('typescript/package.json').version}`, tsc]];
  if (tsgo) compilers.push([`TypeScript ${tsgo.version} (tsgo)`, tsgo.bin]);
  for (const [compiler, bin] of compilers) {
    for (const config of CONSUMER_CONFIGS) {
      it(`compiles with 0 errors under ${config} with ${compiler} (skipLibCheck false; ${CONSUMER_FILES.join(', ')})`, async () => {
        writeConsumer(dir, exportsMap());
        const result = await run(process.execPath, [bin, '-p', config, '--pretty', 'false', '--listFiles'], { cwd: dir }).then(
          (r) => ({ code: 0, out: r.stdout + r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
        );
        const lines = result.out.split('\n').filter(Boolean);
        expect(lines.filter((l) => !l.startsWith('/'))).toEqual([]);
        expect(result.code).toBe(0);
        // The package's declarations were in the program (so skipLibCheck: false checked them), ESM and CommonJS.
        expect(lines.some((f) => f.endsWith('/node_modules/fwconf/dist/builder/index.d.ts'))).toBe(true);
        expect(lines.some((f) => f.endsWith('/node_modules/fwconf/dist/builder/index.d.cts'))).toBe(true);
      }, 180_000);
    }
  }

  it('compiles the parser-only subpaths without @types/node (types: [], lib ES2023; node16 and bundler)', async () => {
    for (const config of writeNodeFreeConsumer(dir)) {
      const result = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false', '--listFiles'], { cwd: dir }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
      const lines = result.out.split('\n').filter(Boolean);
      expect(lines.filter((l) => !l.startsWith('/')), config).toEqual([]);
      expect(result.code, config).toBe(0);
      // No Node types came in another way, and the package's declarations were checked.
      expect(lines.filter((f) => f.includes('/@types/node/')), config).toEqual([]);
      expect(lines.some((f) => f.endsWith('/node_modules/fwconf/dist/thpot/summary.d.ts')), config).toBe(true);
    }
  }, 180_000);

  it('makes a type used as a value an error (a namespace declares its types as types)', async () => {
    // With tsup's rolled-up declarations this compiled, to an undefined value.
    writeFileSync(join(dir, 'broken.mts'), "import * as fw from 'fwconf';\nexport const bad = fw.builder.RenderResult;\n");
    writeFileSync(join(dir, 'tsconfig.broken.json'), JSON.stringify({ extends: './tsconfig.node16.json', compilerOptions: { skipLibCheck: true }, files: ['broken.mts'] }));
    const failed = await run(process.execPath, [tsc, '-p', 'tsconfig.broken.json', '--pretty', 'false'], { cwd: dir }).then(
      () => '',
      (e: { stdout: string }) => e.stdout,
    );
    expect(failed).toMatch(/^broken\.mts\(2,\d+\): error TS2339: Property 'RenderResult' does not exist/m);
  }, 180_000);
});

// The package linters, run on the tarball as a consumer would get it (devDependencies of the repository).
const lint = (await import('publint')) as { publint(o: { pkgDir: string; strict: boolean; pack: false }): Promise<{ messages: { type: string; code: string; args: unknown }[] }> };
const attw = (await import('@arethetypeswrong/core')) as unknown as {
  createPackageFromTarballData(data: Uint8Array): unknown;
  checkPackage(pkg: unknown): Promise<{ types: unknown; problems?: { kind: string; resolutionKind?: string; entrypoint?: string }[] }>;
};

describe('the tarball, by the package linters', () => {
  it('publint --strict finds nothing', async () => {
    const { messages } = await lint.publint({ pkgDir: join(dir, 'node_modules/fwconf'), strict: true, pack: false });
    expect(messages.map((m) => `${m.type} ${m.code} ${JSON.stringify(m.args)}`)).toEqual([]);
  });
  it('are the types wrong: no problem in node16 (ESM and CommonJS) and bundler resolution', async () => {
    const analysis = await attw.checkPackage(attw.createPackageFromTarballData(new Uint8Array(readFileSync(tgz))));
    expect(analysis.types).toBeTruthy();
    // node10 resolution ignores `exports` and cannot see a subpath; attw's node16 profile leaves it out too.
    const problems = (analysis.problems ?? []).filter((p) => p.resolutionKind !== 'node10');
    expect(problems).toEqual([]);
  });
});

describe('the development tree', () => {
  it('holds one esbuild, shared by tsup, tsx and vite', () => {
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const copies = Object.entries(lock.packages)
      .filter(([path]) => path === 'node_modules/esbuild' || path.endsWith('/node_modules/esbuild'))
      .map(([path, p]) => `${path}@${p.version}`);
    expect(copies).toHaveLength(1);
  });
});

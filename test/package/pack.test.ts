// The package as users get it: `npm pack` (with its prepack and postpack steps), installed into an empty
// project, bin and exports working, and nothing in it that npm asks the consumer to approve.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(__dirname, '../..');
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
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const { stdout, stderr } = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tgz], { cwd: dir });
  installLog = stdout + stderr;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships only what users need', async () => {
    const listed = (await run('tar', ['-tzf', tgz])).stdout.split('\n');
    expect(listed).toContain('package/dist/cli/main.js');
    expect(listed).toContain('package/README.md');
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

  it('loads as ESM and as CommonJS, root and subpaths', async () => {
    const esm = await run(
      'node',
      ['--input-type=module', '-e', "import * as f from 'fwconf'; import { format } from 'fwconf/sshd'; import * as core from 'fwconf/core'; console.log(Object.keys(f.formats).join(','), format.name, typeof core.SourceText)"],
      { cwd: dir },
    );
    expect(esm.stdout.trim()).toBe('sshd,xinetd,fail2ban,iptables-save,ufw-status,thpot sshd function');
    const cjs = await run('node', ['-e', "const f = require('fwconf'); const t = require('fwconf/thpot'); console.log(typeof f.detectFormat, t.format.name)"], { cwd: dir });
    expect(cjs.stdout.trim()).toBe('function thpot');
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

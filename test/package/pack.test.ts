// The package as users get it: `npm pack`, installed into an empty project, bin and exports working.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-pack-'));
  // dist/ was built by the global setup; pack it as it is.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, stdio: 'ignore' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz)], { cwd: dir, stdio: 'ignore' });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships only what users need', () => {
    const listed = execFileSync('tar', ['-tzf', join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)], { encoding: 'utf8' }).split('\n');
    expect(listed).toContain('package/dist/cli/main.js');
    expect(listed).toContain('package/README.md');
    expect(listed.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/') || f.startsWith('package/grammars/'))).toBe(false);
  });

  it('runs the fwconf bin from an empty directory', () => {
    const out = execFileSync(join(dir, 'node_modules/.bin/fwconf'), ['--help'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/^Usage: fwconf <command>/);
    expect(out).toMatch(/roundtrip/);
  });

  it('loads as ESM and as CommonJS, root and subpaths', () => {
    const esm = execFileSync(
      'node',
      ['--input-type=module', '-e', "import * as f from 'fwconf'; import { format } from 'fwconf/sshd'; import * as core from 'fwconf/core'; console.log(Object.keys(f.formats).join(','), format.name, typeof core.SourceText)"],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(esm.trim()).toBe('sshd,xinetd,fail2ban,iptables-save,ufw-status,thpot sshd function');
    const cjs = execFileSync('node', ['-e', "const f = require('fwconf'); const t = require('fwconf/thpot'); console.log(typeof f.detectFormat, t.format.name)"], { cwd: dir, encoding: 'utf8' });
    expect(cjs.trim()).toBe('function thpot');
  });
});

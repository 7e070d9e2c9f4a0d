// The CLI in-process: fwconf sshd effective, and the generic parse/check/roundtrip on sshd files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { detectFormat } from '../../src/formats.js';
import { captureIo } from '../cli/capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-sshd-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = () => captureIo({ stdin: 'Port 2\n', cwd: dir });

describe('fwconf sshd', () => {
  const file = join(dir, 'sshd_config');
  writeFileSync(file, 'Port 2201\nPermitRootLogin prohibit-password\nBanner banner.txt\nMatch User alice\n  PermitRootLogin no\n');

  it('prints the effective configuration', async () => {
    const a = io();
    expect(await main(['sshd', 'effective', file], a)).toBe(0);
    expect(a.out).toBe(`port 2201\nlistenaddress [::]:2201\nlistenaddress 0.0.0.0:2201\npermitrootlogin without-password\nbanner ${dir}/banner.txt\n`);
    const b = io();
    expect(await main(['sshd', 'effective', file, '--connection', 'user=alice,addr=10.0.0.1'], b)).toBe(0);
    expect(b.out).toContain('permitrootlogin no\n');
  });

  it('reads stdin, reports errors with exit 1 and usage errors with exit 2', async () => {
    const a = io();
    expect(await main(['sshd', 'effective', '-'], a)).toBe(0);
    expect(a.out).toBe('port 2\nlistenaddress [::]:2\nlistenaddress 0.0.0.0:2\n');
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, 'Port 99999\n');
    const b = io();
    expect(await main(['sshd', 'effective', bad], b)).toBe(1);
    expect(b.err).toContain(`${bad}:1:6: error: Badly formatted port number.`);
    const u = io();
    expect(await main(['sshd', 'effective', file, '--connection', 'colour=blue'], u)).toBe(2);
    // The usage printed after the error names effective's options.
    expect(u.err).toMatch(/^fwconf sshd: invalid connection specification 'colour=blue'/);
    expect(u.err).toContain('--connection SPEC');
    expect(u.err).toContain('--root DIR');
    expect(await main(['sshd', 'frobnicate'], io())).toBe(2);
    expect(await main(['sshd'], io())).toBe(2);
  });

  it('names a byte-order mark before the first keyword (sshd -t rejects the file)', async () => {
    const bom = join(dir, 'bom.conf');
    writeFileSync(bom, '\uFEFFPort 22\n');
    const a = io();
    expect(await main(['check', '--format', 'sshd', bom], a)).toBe(1);
    expect(a.err).toBe(`${bom}:1:1: error: Bad configuration option: Port (after a byte-order mark, which sshd reads as part of the keyword: save the file without it) [sshd/unknown-keyword]\n1 error, 0 warnings in 1 file\n`);
  });

  it('has --help everywhere', async () => {
    for (const argv of [['sshd', '--help'], ['sshd', 'effective', '--help']]) {
      const a = io();
      expect(await main(argv, a)).toBe(0);
      expect(a.out).toMatch(/Usage: fwconf sshd/);
    }
  });

  it('check, parse and roundtrip detect sshd files', async () => {
    const bad = join(dir, 'sshd_config.d');
    const a = io();
    writeFileSync(join(dir, 'x.conf'), 'PermitRootLogin maybe\nLoginGraceTime 5x\n');
    expect(await main(['check', '--format', 'sshd', join(dir, 'x.conf')], a)).toBe(1);
    expect(a.err).toContain(':1:17: error: unsupported option "maybe". [sshd/bad-value]');
    expect(a.err).toContain(':2:16: error: invalid time value. [sshd/bad-value]');
    const p = io();
    expect(await main(['parse', file], p)).toBe(0);
    expect(JSON.parse(p.out).matches[0].criteria).toEqual([{ criterion: 'user', written: 'User', patterns: 'alice' }]);
    expect(await main(['roundtrip', file], io())).toBe(0);
    void bad;
  });

  it('detects sshd files by name and content', () => {
    const f = (name: string | undefined, text: string) => {
      const d = detectFormat(name, text);
      return 'format' in d ? d.format.name : d.error;
    };
    expect(f('/etc/ssh/sshd_config', '')).toBe('sshd');
    expect(f('/etc/ssh/sshd_config.d/10-x.conf', 'whatever')).toBe('sshd');
    expect(f(undefined, 'Port 22\nPermitRootLogin no\n')).toBe('sshd');
  });

  it('--all prints the defaults too; --explain names the deciding line, the shadowed ones and defaults', async () => {
    const a = io();
    expect(await main(['sshd', 'effective', file, '--all'], a)).toBe(0);
    expect(a.out).toContain('permitrootlogin without-password\n');
    expect(a.out).toContain('maxauthtries 6\n');
    expect(a.out.split('\n').filter(Boolean).length).toBeGreaterThan(85);
    const b = io();
    expect(await main(['sshd', 'effective', file, '--explain', 'PermitRootLogin', '--connection', 'user=alice'], b)).toBe(0);
    expect(b.out).toBe(`permitrootlogin no\n  decided by ${file}:5\n  shadowed: ${file}:2: the Match block of ${file}:5 sets it for this connection\n`);
    const c = io();
    expect(await main(['sshd', 'effective', file, '--explain', 'maxauthtries', '--json'], c)).toBe(0);
    expect(JSON.parse(c.out)).toEqual({ keyword: 'maxauthtries', value: ['6'], winner: null, contributors: [], shadowed: [], default: 'compiled-in default' });
    const d = io();
    expect(await main(['sshd', 'effective', file, '--json'], d)).toBe(0);
    const entries = JSON.parse(d.out).explain as { keyword: string; winner: { line: number } | null }[];
    expect(entries.find((e) => e.keyword === 'banner')!.winner!.line).toBe(3);
    for (const argv of [['--explain', 'NoSuchKeyword'], ['--all', '--openssh', '1.0p1']]) {
      const e = io();
      expect(await main(['sshd', 'effective', file, ...argv], e), argv.join(' ')).toBe(2);
    }
  });
});

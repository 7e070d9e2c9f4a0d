// A reader that closes the pipe early (`fwconf … | head -1`): the built CLI must end quietly, without
// an EPIPE stack trace. The outputs here are far larger than a pipe's buffer (64 KiB), so the writes
// after the reader has gone are certain to fail with EPIPE.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'fwconf-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads its first chunk of output, closes the pipe; resolves with how it ended. */
function runAndClose(argv: string[]): Promise<{ first: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString('utf8');
      child.stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ first, stderr, code, signal }));
  });
}

describe('a closed output pipe', () => {
  it('ufw commands: exits quietly with the SIGPIPE status', async () => {
    const rules = Array.from({ length: 6000 }, (_, i) => `${1000 + i}/tcp${' '.repeat(19 - String(1000 + i).length)}ALLOW IN    Anywhere                   # rule number ${i}`);
    const file = join(dir, 'status.txt');
    writeFileSync(file, ['Status: active', '', 'To                         Action      From', '--                         ------      ----', ...rules, ''].join('\n'));
    const r = await runAndClose(['ufw', 'commands', file]);
    expect(r.first).toMatch(/^ufw allow/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });

  it('iptables script: exits quietly with the SIGPIPE status', async () => {
    const rules = Array.from({ length: 20000 }, (_, i) => `-A INPUT -s 10.${(i >> 8) & 255}.${i & 255}.1/32 -p tcp -m tcp --dport 22 -j ACCEPT`);
    const file = join(dir, 'rules.v4');
    writeFileSync(file, ['*filter', ':INPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n'));
    const r = await runAndClose(['iptables', 'script', '--family', 'ipv4', file]);
    expect(r.first).toMatch(/^#!\/bin\/sh/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });
});

// A value whose nested %()s references multiply (within fail2ban's depth limit) is refused at its
// line with the chain — configparser would expand it until the process ran out of memory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/fail2ban/index.js';
import { MAX_INTERPOLATED_LENGTH } from '../../src/fail2ban/config.js';
import { runCli } from '../cli/capture-io.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** `b0 = x…x`, `bI = %(bI-1)s` repeated `fanout` times, `ignoreip = %(b<levels>)s`. */
function bombTree(levels: number, fanout: number): string {
  const root = mkdtempSync(join(tmpdir(), 'fwconf-bomb-'));
  roots.push(root);
  const dir = join(root, 'etc/fail2ban');
  mkdirSync(dir, { recursive: true });
  const lines = ['[DEFAULT]', 'b0 = xxxxxxxxxx'];
  for (let i = 1; i <= levels; i++) lines.push(`b${i} = ` + `%(b${i - 1})s`.repeat(fanout));
  lines.push(`ignoreip = %(b${levels})s`, '[sshd]', 'enabled = true', 'logpath = /dev/null', 'backend = polling');
  writeFileSync(join(dir, 'jail.conf'), lines.join('\n') + '\n');
  return root;
}

describe('an interpolation bomb', () => {
  it('is a size error at the value that expands it, naming the chain', () => {
    const root = bombTree(6, 100); // 10^13 characters
    const r = resolve(join(root, 'etc/fail2ban'));
    expect(r.fatal).toBe(true);
    const d = r.diagnostics.find((x) => x.code === 'fail2ban/interpolation-size');
    expect(d).toBeDefined();
    expect(d!.file).toBe(join(root, 'etc/fail2ban/jail.conf'));
    expect(d!.message).toContain('%(b6)s');
    expect(d!.message).toContain('%(b5)s');
  });

  it('stops `fail2ban resolve` with exit 1 and a positioned diagnostic, not a crash', async () => {
    const root = bombTree(6, 100);
    const r = await runCli(['fail2ban', 'resolve', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/jail\.conf:\d+:\d+: error: .*\[fail2ban\/interpolation-size\]/);
  });

  it('leaves a large but honest value alone', () => {
    // 4 levels of 10: 10^5 copies of 10 characters = 10^6 characters, below the limit.
    const root = bombTree(4, 10);
    expect(10 ** 5 * 10).toBeLessThan(MAX_INTERPOLATED_LENGTH);
    const r = resolve(join(root, 'etc/fail2ban'));
    expect(r.diagnostics.filter((x) => x.code.startsWith('fail2ban/interpolation'))).toEqual([]);
  });
});

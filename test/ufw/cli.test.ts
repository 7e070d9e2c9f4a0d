import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/capture-io.js';

const fx = (f: string) => join(import.meta.dirname, '../../fixtures/ufw', f);

async function run(argv: string[], stdin = '') {
  const { code, out, err } = await runCli(argv, stdin);
  return { code, stdout: out, stderr: err };
}

describe('fwconf ufw', () => {
  it('--help', async () => {
    const r = await run(['ufw', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fwconf ufw script');
  });

  it('usage errors exit 2', async () => {
    expect((await run(['ufw'])).code).toBe(2);
    expect((await run(['ufw', 'frobnicate', 'x'])).code).toBe(2);
    expect((await run(['ufw', 'plan', fx('many.txt')])).code).toBe(2);
  });

  it('script: reset, defaults, logging, rules, enable', async () => {
    const r = await run(['ufw', 'script', fx('many-verbose.txt')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain('ufw --force reset || { sleep 1; ufw --force reset; }');
    expect(lines).toContain('ufw default reject incoming');
    expect(lines).toContain('ufw logging high');
    expect(lines).toContain('ufw app default allow');
    expect(lines).toContain('ufw limit 22/tcp');
    expect(lines).toContain("ufw allow 'Nginx Full'");
    expect(lines).toContain("ufw allow 60000:61000/udp comment mosh");
    expect(lines).toContain("ufw route allow in on eth0 out on eth1 to 192.168.1.10 port 443 proto tcp");
    expect(lines).toContain("ufw allow from ::/0 to any port 2222 proto tcp comment 'v6 only'");
    expect(lines).toContain("ufw deny log-all from 203.0.113.7 to any port 3306 proto tcp comment 'mysql ünï # hash (log)'");
    expect(lines.at(-2)).toBe('ufw --force enable');
  });

  it('script refuses non-verbose output', async () => {
    const r = await run(['ufw', 'script', fx('many.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ufw status verbose');
  });

  it('script of an inactive status only resets', async () => {
    const r = await run(['ufw', 'script', '-'], 'Status: inactive\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ufw --force reset || { sleep 1; ufw --force reset; }\n');
    expect(r.stdout).not.toContain('enable');
  });

  it('plan: numbered deletes from the highest down, then adds', async () => {
    const r = await run(['ufw', 'plan', fx('many-numbered.txt'), fx('no-inbound-verbose.txt')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const deletes = lines.filter((l) => l.startsWith('ufw --force delete ')).map((l) => Number(l.split(' ').at(-1)));
    expect(deletes.length).toBeGreaterThan(10);
    expect(deletes).toEqual([...deletes].sort((a, b) => b - a));
    expect(lines.slice(deletes.length)).toEqual(['ufw deny out 25/tcp', 'ufw route allow in on eth0 out on eth1']);
  });

  it('plan --json and commands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwconf-ufw-cli-'));
    writeFileSync(join(dir, 'a'), 'Status: active\n');
    const r = await run(['ufw', 'plan', '--json', join(dir, 'a'), fx('empty.txt')]);
    expect(JSON.parse(r.stdout)).toEqual({ commands: [], kept: 0, deleted: 0, added: 0, problems: [] });
    const c = await run(['ufw', 'commands', '--json', fx('many-numbered.txt')]);
    const rows = JSON.parse(c.stdout) as { create: string; delete: string }[];
    expect(rows[0]).toEqual({ line: 5, create: 'ufw limit from 0.0.0.0/0 to any port 22 proto tcp', delete: 'ufw --force delete 1' });
  });

  it('parse --format ufw-status prints the model; detection works without --format', async () => {
    const r = await run(['parse', fx('many-numbered.txt')]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ format: 'ufw-status', status: 'active', mode: 'numbered' });
    expect(m.rules[0]).toMatchObject({ number: 1, action: 'limit', direction: 'in', v6: false, comment: null, to: { text: '22/tcp', port: '22', proto: 'tcp' }, from: { text: 'Anywhere', address: null } });
    expect((await run(['roundtrip', fx('many-verbose.txt'), fx('hundred-numbered.txt')])).code).toBe(0);
    expect((await run(['check', '--format', 'ufw-status', fx('many.txt')])).code).toBe(0);
  });

  it('check reports garbage with a position', async () => {
    const r = await run(['check', '--format', 'ufw-status', '-'], 'Status: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       no/where\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/<stdin>:5:1: error: .*\[ufw\/unknown-line\]/);
  });
});

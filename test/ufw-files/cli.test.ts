// fwconf ufw status / show-added / check-files / backups on the trees captured from the real ufw,
// and parse / roundtrip / check --format on ufw's own files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/capture-io.js';

const BASE = join(import.meta.dirname, '../../fixtures/ufw-files');
const expected = (set: string, name: string) => readFileSync(join(BASE, set, 'expected', name), 'utf8');

describe('fwconf ufw status', () => {
  it.each([
    [[], 'status.out'],
    [['verbose'], 'status-verbose.out'],
    [['numbered'], 'status-numbered.out'],
  ])('%s prints what ufw printed', async (mode, name) => {
    const r = await runCli(['ufw', 'status', ...mode, '--root', join(BASE, 'many'), '--forwarding', 'no']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(expected('many', name));
  });

  it('prints the enabled form while ufw is disabled, and says so on stderr', async () => {
    const r = await runCli(['ufw', 'status', 'verbose', '--root', join(BASE, 'many-disabled'), '--forwarding', 'no']);
    expect(expected('many-disabled', 'status-verbose.out')).toBe('Status: inactive\n');
    expect(r.out).toBe(expected('many', 'status-verbose.out'));
    expect(r.err).toMatch(/ENABLED=no.*Status: inactive/);
    expect(r.code).toBe(0);
  });

  it('shows the routed policy when forwarding is on', async () => {
    const r = await runCli(['ufw', 'status', 'verbose', '--root', join(BASE, 'many'), '--forwarding', 'yes']);
    expect(r.out.split('\n')[2]).toBe('Default: deny (incoming), allow (outgoing), deny (routed)');
  });

  it('refuses a bad mode and a missing tree', async () => {
    expect((await runCli(['ufw', 'status', 'loud', '--root', join(BASE, 'many')])).code).toBe(2);
    const r = await runCli(['ufw', 'status', '--root', join(BASE, 'applications.d')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/user\.rules: error: cannot read/);
  });
});

describe('fwconf ufw show-added', () => {
  it.each(['stock', 'many', 'many-disabled'])('%s prints what ufw printed', async (set) => {
    const r = await runCli(['ufw', 'show-added', '--root', join(BASE, set)]);
    expect(r.out).toBe(expected(set, 'show-added.out'));
    expect(r.code).toBe(0);
  });
});

describe('fwconf ufw check-files', () => {
  it('reports the shadowed rules of the captured tree, with file:line:col', async () => {
    const r = await runCli(['ufw', 'check-files', '--root', join(BASE, 'many')]);
    expect(r.code).toBe(1);
    const all = r.err.trim().split('\n');
    expect(all.pop()).toBe('0 errors, 10 warnings in 2 files');
    const lines = all;
    for (const l of lines) expect(l).toMatch(/^\/etc\/ufw\/user6?\.rules:\d+:1: warning: this rule never matches: .* \[ufw-rules\/shadowed\]$/);
    // the six of the fixture test in user.rules, and the IPv6 twins of those without an IPv4 address
    expect(lines.filter((l) => l.startsWith('/etc/ufw/user.rules:')).length).toBe(6);
    expect(lines.filter((l) => l.startsWith('/etc/ufw/user6.rules:')).length).toBe(4);
  });
});

describe('fwconf ufw backups', () => {
  it('lists the set ufw reset left, with its rules and a diff against the stock files', async () => {
    const r = await runCli(['ufw', 'backups', '--root', join(BASE, 'reset'), '--json']);
    expect(r.code).toBe(0);
    const sets = JSON.parse(r.out);
    expect(sets.map((s: { stamp: string }) => s.stamp)).toEqual(['20261206_215820']);
    const s = sets[0];
    expect(s.files).toEqual(['user.rules', 'before.rules', 'after.rules', 'user6.rules', 'before6.rules', 'after6.rules']);
    // the commands are `ufw show added` of the tree before the reset
    expect(['Added user rules (see \'ufw status\' for running firewall):', ...s.commands].join('\n') + '\n').toBe(expected('many', 'show-added.out'));
    expect(s.diffs.map((d: { file: string }) => d.file)).toEqual(['/etc/ufw/user.rules', '/etc/ufw/user6.rules']);
    const text = await runCli(['ufw', 'backups', '--root', join(BASE, 'reset')]);
    expect(text.out).toMatch(/^20261206_215820: user\.rules, .*; 28 IPv4 and 16 IPv6 rules\n  ufw deny from 192\.0\.2\.66\n/);
  });
});

describe('parse / roundtrip / check of ufw files', () => {
  it.each([
    ['many/etc/ufw/user.rules', 'ufw-rules'],
    ['many/etc/ufw/before6.rules', 'ufw-rules'],
    ['reset/etc/ufw/user6.rules.20261206_215820', 'ufw-rules'],
    ['many/etc/ufw/ufw.conf', 'ufw-conf'],
    ['many/etc/default/ufw', 'ufw-conf'],
    ['applications.d/ufw-webserver', 'ufw-app'],
  ])('%s is detected as %s and prints back', async (rel, format) => {
    const file = join(BASE, rel);
    const p = await runCli(['parse', file]);
    expect(p.err).toBe('');
    expect(JSON.parse(p.out).format).toBe(format);
    const rt = await runCli(['roundtrip', file]);
    expect(rt.code).toBe(0);
  });
});

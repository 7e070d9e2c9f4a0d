// --json on the read commands (check, roundtrip, sshd effective, fail2ban check), with one shape for
// diagnostics; the closing count of check's text output; --format's aliases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-cli-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'];

describe('check', () => {
  const bad = file('bad_sshd_config', 'Port 22\nPortt 23\nPasswordAuthentication maybe\n');
  const good = file('good_sshd_config', 'Port 22\n');

  it('--json: every diagnostic of every file, in the one shape, on stdout', async () => {
    const text = await runCli(['check', '--format', 'sshd', bad, good]);
    const r = await runCli(['check', '--format', 'sshd', '--json', bad, good]);
    expect(r.code).toBe(text.code);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const { diagnostics } = JSON.parse(r.out) as { diagnostics: Record<string, unknown>[] };
    expect(diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of diagnostics) expect(Object.keys(d)).toEqual(KEYS);
    // The same diagnostics as the text output, line for line.
    const lines = text.err.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`));
    expect(diagnostics.every((d) => d.file === bad)).toBe(true);
  });

  it('--json on clean files: an empty list, exit 0', async () => {
    const r = await runCli(['check', '--json', '--format', 'sshd', good]);
    expect(r).toEqual({ code: 0, out: '{\n  "diagnostics": []\n}\n', err: '' });
  });

  it('closes the text output with the count of errors and warnings and the files they are in', async () => {
    const r = await runCli(['check', '--format', 'sshd', bad, good]);
    const { diagnostics } = JSON.parse((await runCli(['check', '--format', 'sshd', '--json', bad, good])).out) as { diagnostics: { severity: string }[] };
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    expect(r.err.trimEnd().split('\n').at(-1)).toBe(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in 1 file`);
    // Nothing to report, nothing printed.
    expect(await runCli(['check', '--format', 'sshd', good])).toEqual({ code: 0, out: '', err: '' });
  });

  it('names standard input <stdin> in the JSON', async () => {
    const r = await runCli(['check', '--format', 'sshd', '--json', '-'], 'Portt 1\n');
    const { diagnostics } = JSON.parse(r.out) as { diagnostics: { file: string }[] };
    expect(diagnostics.map((d) => d.file)).toEqual(['<stdin>']);
  });
});

describe('roundtrip --json', () => {
  it('says per file whether it re-prints byte for byte, and where it first differs', async () => {
    const same = file('same_sshd_config', 'Port 22\n# comment\n');
    const r = await runCli(['roundtrip', '--format', 'sshd', '--json', same]);
    expect(r).toEqual({ code: 0, out: `${JSON.stringify({ files: [{ file: same, roundtrips: true }] }, null, 2)}\n`, err: '' });
  });
});

describe('sshd effective --json', () => {
  it('the same lines as the text output, as objects', async () => {
    const conf = file('effective_sshd_config', 'Port 2201\nPermitRootLogin no\nMatch User alice\n  PasswordAuthentication no\n');
    const args = ['sshd', 'effective', conf, '--connection', 'user=alice,host=h,addr=10.0.0.5'];
    const text = await runCli(args);
    const r = await runCli([...args, '--json']);
    expect(r.code).toBe(0);
    expect(text.code).toBe(0);
    const parsed = JSON.parse(r.out) as { entries: { keyword: string; value: string }[]; diagnostics: unknown[] };
    expect(parsed.entries.map((e) => `${e.keyword} ${e.value}\n`).join('')).toBe(text.out);
    expect(parsed.entries).toContainEqual({ keyword: 'passwordauthentication', value: 'no' });
    expect(parsed.diagnostics).toEqual([]);
  });
});

describe('fail2ban check --json', () => {
  it('the diagnostics of a configuration directory, in the one shape', async () => {
    const missing = join(dir, 'no-such-fail2ban');
    const r = await runCli(['fail2ban', 'check', '--conf-dir', missing, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const { diagnostics } = JSON.parse(r.out) as { diagnostics: Record<string, unknown>[] };
    expect(diagnostics).toHaveLength(1);
    expect(Object.keys(diagnostics[0]!)).toEqual(KEYS);
    expect(diagnostics[0]).toMatchObject({ file: missing, severity: 'error', code: 'fail2ban/no-conf-dir' });
  });
});

describe('--format aliases', () => {
  const dump = 'fixtures/iptables/ufw.iptables-save';
  const status = 'fixtures/ufw/many-numbered.txt';

  it.each([
    ['iptables', 'iptables-save', dump],
    ['ufw', 'ufw-status', status],
  ])('--format %s reads as --format %s', async (alias, name, path) => {
    for (const command of ['parse', 'check', 'roundtrip']) {
      const byName = await runCli([command, '--format', name, path]);
      const byAlias = await runCli([command, '--format', alias, path]);
      expect(byAlias).toEqual(byName);
      expect(byAlias.code).toBe(0);
    }
    // Not an empty success: the model is the format's.
    expect(Object.keys(JSON.parse((await runCli(['parse', '--format', alias, path])).out) as object).length).toBeGreaterThan(0);
  });

  it('still refuses other names, and lists the aliases', async () => {
    const r = await runCli(['check', '--format', 'ip6tables', dump]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown format 'ip6tables' \(one of sshd, .*; or iptables for iptables-save, ufw for ufw-status\)/);
  });
});

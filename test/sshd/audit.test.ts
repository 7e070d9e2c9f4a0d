// fwconf sshd audit: findings per connection class with the line to change, --fix as a lossless
// edit of exactly those lines, policies as data, the rendered drop-in clean against the baseline.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, render } from '../../src/builder/index.js';
import { MemoryFileSource } from '../../src/core/files.js';
import { audit, BUILTIN_POLICIES, parse, parsePolicy } from '../../src/sshd/index.js';
import { runCli } from '../cli/capture-io.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const baseline = BUILTIN_POLICIES.get('baseline')!();

/** A root with Debian's layout: sshd_config including the drop-ins, cloud-init's drop-in re-enabling passwords. */
function cloudInitRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'fwconf-audit-'));
  roots.push(root);
  mkdirSync(join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  writeFileSync(join(root, 'etc/ssh/sshd_config'), 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n# keep\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication yes\n\tPermitRootLogin yes\n');
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), 'PasswordAuthentication yes   # cloud-init\n');
  return root;
}

describe('sshd audit', () => {
  it('finds the drop-in that re-enables passwords and the Match block that allows root', () => {
    const root = cloudInitRoot();
    const text = readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8');
    const files = new MemoryFileSource({ '/etc/ssh/sshd_config.d/50-cloud-init.conf': readFileSync(join(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), 'utf8') });
    const r = audit(parse(text, { file: '/etc/ssh/sshd_config' }), baseline, { files });
    expect(r.classes.map((c) => c.label)).toEqual(['global', 'Match Address 10.0.0.0/8']);
    const pw = r.findings.filter((f) => f.rule === 'password-auth');
    expect(pw.map((f) => [f.class, f.winner])).toEqual([
      ['global', { file: '/etc/ssh/sshd_config.d/50-cloud-init.conf', line: 1 }],
      ['Match Address 10.0.0.0/8', { file: '/etc/ssh/sshd_config', line: 5 }],
    ]);
    const root1 = r.findings.filter((f) => f.rule === 'root-login');
    expect(root1.map((f) => [f.class, f.winner?.line ?? null])).toEqual([
      ['global', null],
      ['Match Address 10.0.0.0/8', 6],
    ]);
    expect(root1[0]!.edit).toEqual({ file: '/etc/ssh/sshd_config', keyword: 'PermitRootLogin', value: 'no' });
  });

  it('--fix rewrites only the deciding lines (and adds what a default needs), and the audit is clean after', async () => {
    const root = cloudInitRoot();
    const main = join(root, 'etc/ssh/sshd_config');
    const before = readFileSync(main, 'utf8').split('\n');
    const dropin = join(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf');
    const r = await runCli(['sshd', 'audit', main, '--root', root, '--fix']);
    expect(r.err).toContain('fixed /etc/ssh/sshd_config.d/50-cloud-init.conf');
    expect(readFileSync(dropin, 'utf8')).toBe('PasswordAuthentication no   # cloud-init\n');
    const after = readFileSync(main, 'utf8').split('\n');
    // Lines that were there stay, except the two Match lines set in place; the rest is added before the Match block.
    expect(after.filter((l) => !before.includes(l))).toEqual(expect.arrayContaining(['\tPasswordAuthentication no', '\tPermitRootLogin no', 'PermitRootLogin no']));
    for (const l of ['Include /etc/ssh/sshd_config.d/*.conf', 'PasswordAuthentication no', '# keep', 'Match Address 10.0.0.0/8']) expect(after).toContain(l);
    expect(after.indexOf('PermitRootLogin no')).toBeLessThan(after.indexOf('Match Address 10.0.0.0/8'));
    expect(r.code).toBe(0); // nothing is left once the edits are written
    const again = await runCli(['sshd', 'audit', main, '--root', root]);
    expect(again.out).toBe('');
    expect(again.code).toBe(0);
  });

  it("--fix --root edits a Match block written in a drop-in, at the drop-in's line", async () => {
    const root = cloudInitRoot();
    const dropin = join(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf');
    writeFileSync(dropin, 'PasswordAuthentication no\nMatch User deploy\n\tPasswordAuthentication yes\n\tPermitRootLogin yes\n');
    const main = join(root, 'etc/ssh/sshd_config');
    const j = await runCli(['sshd', 'audit', main, '--root', root, '--json']);
    const found = JSON.parse(j.out) as { classes: { label: string; at: { file: string; line: number } | null; applies: boolean }[]; findings: { rule: string; class: string; winner: { file: string; line: number } | null }[] };
    expect(found.classes.map((c) => [c.label, c.at && `${c.at.file}:${c.at.line}`, c.applies])).toEqual([
      ['global', null, true],
      ['Match User deploy', '/etc/ssh/sshd_config.d/50-cloud-init.conf:2', true],
      // FILE is named as given; the drop-ins by their path below the root.
      ['Match Address 10.0.0.0/8', `${main}:4`, true],
    ]);
    expect(found.findings.filter((f) => f.class === 'Match User deploy').map((f) => [f.rule, f.winner && `${f.winner.file}:${f.winner.line}`])).toEqual([
      ['root-login', '/etc/ssh/sshd_config.d/50-cloud-init.conf:4'],
      ['password-auth', '/etc/ssh/sshd_config.d/50-cloud-init.conf:3'],
    ]);
    const text = await runCli(['sshd', 'audit', main, '--root', root]);
    expect(text.out).toContain('/etc/ssh/sshd_config.d/50-cloud-init.conf:3:1: error: PasswordAuthentication is yes for connections of "Match User deploy" (/etc/ssh/sshd_config.d/50-cloud-init.conf:2)');
    await runCli(['sshd', 'audit', main, '--root', root, '--fix']);
    expect(readFileSync(dropin, 'utf8')).toBe('PasswordAuthentication no\nMatch User deploy\n\tPasswordAuthentication no\n\tPermitRootLogin no\n');
    expect((await runCli(['sshd', 'audit', main, '--root', root])).code).toBe(0);
  });

  it('the rendered drop-in passes the built-in baseline without a finding', () => {
    const f = render(DEFAULT_SPEC).files.find((x) => x.path.startsWith('/etc/ssh/'))!;
    const r = audit(parse(f.content, { file: f.path }), baseline, { files: new MemoryFileSource({}) });
    expect(r.findings).toEqual([]);
  });

  it('reads policies as data, and reports a bad one at its place', async () => {
    const p = parsePolicy('name: mine\nrules:\n  - { id: tries, keyword: MaxAuthTries, max: 2, fix: "2", why: few }\n');
    expect('error' in p).toBe(false);
    const r = audit(parse('MaxAuthTries 3\n', { file: '/x' }), p as Exclude<typeof p, { error: string }>, { files: new MemoryFileSource({}) });
    expect(r.findings.map((f) => [f.rule, f.actual, f.winner?.line])).toEqual([['tries', '3', 1]]);
    const bad = parsePolicy('name: x\nrules:\n  - { id: a, keyword: Port, allow: ["1"], max: 3, why: w }\n', 'p.yaml');
    expect(bad).toEqual({ error: expect.stringMatching(/^p\.yaml:1:1: error: rules\.0: a rule has exactly one of allow, max, forbid \[sshd\/policy-invalid\]$/) });
    const broken = parsePolicy('name: [x\n', 'q.yaml');
    expect((broken as { error: string }).error).toMatch(/^q\.yaml:\d+:\d+: error: .*\[sshd\/policy-invalid\]$/);
  });

  it('prints SARIF and JSON, and exits 1 on an error finding', async () => {
    const root = cloudInitRoot();
    const main = join(root, 'etc/ssh/sshd_config');
    const s = await runCli(['sshd', 'audit', main, '--root', root, '--sarif']);
    expect(s.code).toBe(1);
    const log = JSON.parse(s.out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.some((x: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => x.ruleId === 'sshd/audit-password-auth' && x.locations[0]!.physicalLocation.region.startLine === 5)).toBe(true);
    const j = await runCli(['sshd', 'audit', main, '--root', root, '--json', '--policy', 'baseline']);
    expect(JSON.parse(j.out).findings.length).toBeGreaterThan(3);
    expect((await runCli(['sshd', 'audit', main, '--json', '--sarif'])).code).toBe(2);
  });
});

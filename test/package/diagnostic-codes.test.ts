// DIAGNOSTICS.md lists every diagnostic code the sources can report, each once with a sentence, and no code
// that they no longer report.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../..');
const NAMESPACES = ['fwconf', 'sshd', 'xinetd', 'fail2ban', 'iptables', 'ufw', 'thpot', 'builder', 'apply', 'host', 'export'];
/** Package subpaths (`'fwconf/core'` in a doc comment) are names, not codes. */
const SUBPATHS = new Set(['core', 'sshd', 'xinetd', 'fail2ban', 'iptables', 'ufw', 'thpot', 'builder', 'apply']);

function sources(): { path: string; text: string }[] {
  const dir = join(repo, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * The codes the sources report: string literals `'<namespace>/<kebab-name>'`, fail2ban's INI parser's and
 * the host findings'. (`sshd/audit-<id>` is named after the policy's rules: DIAGNOSTICS.md describes the family.)
 */
function reportedCodes(): Set<string> {
  const codes = new Set<string>();
  const literal = new RegExp(`'((?:${NAMESPACES.join('|')})/[a-z0-9]+(?:-[a-z0-9]+)*)'`, 'g');
  for (const { path, text } of sources()) {
    for (const m of text.matchAll(literal)) if (!(m[1]!.startsWith('fwconf/') && SUBPATHS.has(m[1]!.slice(7)))) codes.add(m[1]!);
    // src/fail2ban/parse.ts reports `fail2ban/${code}` through err('code', ...).
    if (path === join('fail2ban', 'parse.ts')) {
      expect(text).toMatch(/diagnostic\(`fail2ban\/\$\{code\}`/);
      for (const m of text.matchAll(/\berr\(\s*'([a-z-]+)'/g)) codes.add(`fail2ban/${m[1]}`);
    }
    // src/fail2ban/resolve.ts reports `fail2ban/interpolation-${e.kind}`, a kind of InterpolationError (config.ts).
    if (path === join('fail2ban', 'config.ts')) {
      const kinds = /readonly kind: ((?:'[a-z]+'(?: \| )?)+),/.exec(text)?.[1];
      expect(kinds).toBeDefined();
      for (const m of kinds!.matchAll(/'([a-z]+)'/g)) codes.add(`fail2ban/interpolation-${m[1]}`);
    }
    // src/host/findings.ts reports `host/${code}` through finding('code', ...).
    if (path === join('host', 'findings.ts')) {
      expect(text).toMatch(/diagnostic\(`host\/\$\{code\}`/);
      for (const m of text.matchAll(/\bfinding\(\s*'([a-z-]+)'/g)) codes.add(`host/${m[1]}`);
    }
  }
  return codes;
}

describe('DIAGNOSTICS.md', () => {
  const doc = readFileSync(join(repo, 'DIAGNOSTICS.md'), 'utf8');
  const entries = [...doc.matchAll(/^- `([a-z0-9]+\/[a-z0-9-]+)` — (.+)$/gm)].map((m) => ({ code: m[1]!, sentence: m[2]! }));

  it('lists every code the sources report, and only those', () => {
    const reported = reportedCodes();
    expect(reported.size).toBeGreaterThan(100);
    expect([...reported].filter((c) => !entries.some((e) => e.code === c)).sort()).toEqual([]);
    expect(entries.map((e) => e.code).filter((c) => !reported.has(c))).toEqual([]);
  });

  it('lists each code once, with a sentence, under its namespace', () => {
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of entries) expect(e.sentence, e.code).toMatch(/^\S.{10,}[.)]$/);
    // Each code sits in the section of its namespace: the sections come in the order of their first code.
    const sections = [...doc.matchAll(/^## (.+)$/gm)].map((m) => ({ title: m[1]!, at: m.index! }));
    for (const e of entries) {
      const at = doc.indexOf(`- \`${e.code}\``);
      const section = sections.filter((s) => s.at < at).at(-1)!;
      const ns = e.code.split('/')[0]!;
      expect(section.title.toLowerCase(), e.code).toContain(ns === 'iptables' ? 'iptables' : ns);
    }
  });
});

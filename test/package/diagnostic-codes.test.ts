// The code lists (src/*/codes.ts, gathered in src/codes.ts) hold every diagnostic code the sources can
// report and no code they no longer report; DIAGNOSTICS.md is written from them (`npm run docs:codes`), each
// code once with its sentence. (That a reported code is in a list is also checked by the compiler: core's
// diagnostic() takes only a listed code. The search below also finds codes built without it.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCodeLists } from '../../scripts/docs-codes.js';
import { DIAGNOSTIC_CODES } from '../../src/codes.js';

const repo = resolve(__dirname, '../..');
const NAMESPACES = Object.keys(DIAGNOSTIC_CODES);
/** Package subpaths (`'fwconf/core'` in a doc comment) are names, not codes. */
const SUBPATHS = new Set(['core', 'sshd', 'xinetd', 'fail2ban', 'iptables', 'ufw', 'thpot', 'builder', 'apply']);

function sources(): { path: string; text: string }[] {
  const dir = join(repo, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    // The lists themselves name every code: the search is for the places that report them.
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/(^|\/)codes\.ts$/.test(f))
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
    // src/fail2ban/parse.ts reports `fail2ban/${code}` through err('code', ...) (code: CodeName<'fail2ban'>).
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
    // src/host/findings.ts reports `host/${code}` through finding('code', ...) (code: CodeName<'host'>).
    if (path === join('host', 'findings.ts')) {
      expect(text).toMatch(/diagnostic\(`host\/\$\{code\}`/);
      for (const m of text.matchAll(/\bfinding\(\s*'([a-z-]+)'/g)) codes.add(`host/${m[1]}`);
    }
  }
  return codes;
}

const listed = Object.values(DIAGNOSTIC_CODES).flatMap((list) => Object.keys(list));

describe('the code lists', () => {
  it('hold every code the sources report, and only those', () => {
    const reported = reportedCodes();
    expect(reported.size).toBeGreaterThan(100);
    expect([...reported].filter((c) => !listed.includes(c)).sort()).toEqual([]);
    expect(listed.filter((c) => !reported.has(c))).toEqual([]);
  });

  it('keep each code in the list of its namespace, once', () => {
    expect(new Set(listed).size).toBe(listed.length);
    for (const [ns, list] of Object.entries(DIAGNOSTIC_CODES)) for (const code of Object.keys(list)) expect(code.startsWith(`${ns}/`), code).toBe(true);
  });
});

describe('DIAGNOSTICS.md', () => {
  const doc = readFileSync(join(repo, 'DIAGNOSTICS.md'), 'utf8');
  const entries = [...doc.matchAll(/^- `([a-z0-9-]+\/[a-z0-9-]+)` — (.+)$/gm)].map((m) => ({ code: m[1]!, sentence: m[2]! }));

  it('is written from the code lists (npm run docs:codes)', () => {
    expect(renderCodeLists(doc)).toBe(doc);
    expect(entries.map((e) => e.code)).toEqual(listed);
    for (const e of entries) expect(e.sentence).toBe(Object.values(DIAGNOSTIC_CODES).find((l) => e.code in l)![e.code as never]);
  });

  it('the writer replaces a stale sentence, and refuses a namespace it has no list for', () => {
    const stale = doc.replace(/^(- `sshd\/bad-value` — ).+$/m, '$1an old sentence.');
    expect(stale).not.toBe(doc);
    expect(renderCodeLists(stale)).toBe(doc);
    expect(() => renderCodeLists(`${doc}\n- \`nosuch/code\` — a sentence.\n`)).toThrow(/nosuch/);
    expect(() => renderCodeLists(doc.replace(/^- `apply\/.*$/gm, ''))).toThrow(/no section for apply/);
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

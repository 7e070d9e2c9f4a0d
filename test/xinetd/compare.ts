// fwconf's effective services against the real xinetd's debug dump and messages: the services it
// keeps, their fields, the lines it complains about, and whether `check` finds errors (shared by the
// xinetd differential and corpus system tests).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { hasErrors } from '../../src/core/diagnostics.js';
import { NodeFileSource } from '../../src/core/files.js';
import { check, parse, systemLookup, type EffectiveConfig } from '../../src/xinetd/index.js';
import type { OracleResult } from './oracle.js';

/**
 * Asserts that `ours` (effectiveFromFile of `conf`) is what xinetd -d printed. `expect`: services xinetd
 * must keep (a check of the case itself); `checkParity` (default true): check() on the main file has
 * errors exactly when xinetd printed parse ERRORs (single-file cases).
 */
export function expectAsXinetd(
  r: { oracle: OracleResult; ours: EffectiveConfig; conf: string },
  c: { expect?: string[]; checkParity?: boolean },
  sys: ReturnType<typeof systemLookup>,
): void {
  const theirs = r.oracle.services;
  expect(r.ours.services.map((s) => s.name), r.oracle.raw).toEqual(theirs.map((s) => s.name));
  if (c.expect) expect(theirs.map((s) => s.name)).toEqual(c.expect);
  r.ours.services.forEach((s, i) => {
    const f = theirs[i]!.fields;
    expect(s.id).toBe(f['id']);
    expect(s.socketType).toBe(f['socket_type']);
    expect(`(${s.protocol},${s.protocol === 'tcp' ? 6 : 17})`).toBe(f['Protocol (name,number)']);
    expect(String(s.port)).toBe(f['port']);
    expect(s.wait ? 'yes' : 'no').toBe(f['wait']);
    expect(s.type.join(' ')).toBe(f['type'] ?? '');
    if (!s.type.includes('INTERNAL')) {
      expect(String(sys.userId(s.user!) ?? s.user)).toBe(f['user']);
      expect(s.server).toBe(f['Server']);
      expect(s.serverArgv?.join(' ')).toBe(f['Server argv']);
    }
    if (f['Nice'] !== undefined) expect(String(s.nice)).toBe(f['Nice']);
    if (f['Instances'] !== undefined) expect(s.attributes['instances']?.[0]).toBe(f['Instances']);
    const success = theirs[i]!.lines.find((l) => l.startsWith('Log_on_success flags ='));
    if (success) expect([...(s.logOnSuccess ?? [])].sort().join(' ')).toBe(success.replace(/^Log_on_success flags =\s*/, '').split(/\s+/).filter(Boolean).sort().join(' '));
    const only = theirs[i]!.lines.find((l) => l.startsWith('Only from:'));
    if (only && !/All sites/.test(only)) expect(s.onlyFrom?.length).toBe(only.replace('Only from:', '').trim().split(/\s+/).length);
    const env = r.oracle.raw.includes('Environment additions:') && s.attributes['env'];
    if (env) for (const e of env) expect(r.oracle.raw).toContain(`\t\t${e}\n`);
  });
  // Every line xinetd complains about, we have a diagnostic for.
  const ours = new Set(r.ours.diagnostics.map((d) => `${d.file}:${d.line}`));
  for (const m of r.oracle.messages) {
    if (m.line === undefined || m.level === 'DEBUG' || /undefined environment variable/.test(m.text)) continue;
    // "missing '{'": xinetd reports the line after `service x {`; we point at that `{` itself.
    const near = ours.has(`${m.file}:${m.line}`) || (/missing '\{'/.test(m.text) && ours.has(`${m.file}:${m.line - 1}`));
    expect(near, `${m.level} ${m.text} [${m.file}:${m.line}]\nours: ${[...ours].join(', ')}`).toBe(true);
  }
  // check() errors ⇔ xinetd ERROR messages.
  if (c.checkParity !== false) {
    const text = readFileSync(r.conf, 'utf8');
    const ds = check(parse(text, { file: r.conf }), { files: new NodeFileSource(), system: systemLookup(new NodeFileSource()) });
    const theirErrors = r.oracle.messages.filter((m) => m.level === 'ERROR' && m.phase === 'parse');
    expect(hasErrors(ds), `ours: ${JSON.stringify(ds, null, 1)}\ntheirs: ${JSON.stringify(theirErrors)}`).toBe(theirErrors.length > 0);
  }
}

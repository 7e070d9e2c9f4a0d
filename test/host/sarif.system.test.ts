// `fwconf check --host --sarif` validated against the SARIF 2.1.0 schema (fixtures/sarif) by a real JSON
// schema validator, python3-jsonschema (Draft 4, with its format checker), on a root with findings of
// every severity, related locations and fixes; a broken log is rejected by the same run (the control).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../spawn.js';
import { appliedRoot, edit, fwconf, removeRoot, write } from './fixtures.js';

const SCHEMA = fileURLToPath(new URL('../../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url));
const VALIDATE = fileURLToPath(new URL('./sarif-validate.py', import.meta.url));

const roots: string[] = [];
afterAll(() => roots.forEach(removeRoot));

async function schemaErrors(log: unknown): Promise<{ path: string; message: string }[]> {
  const r = await run(['/usr/bin/python3', VALIDATE, SCHEMA], { input: JSON.stringify(log) });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; message: string; validator?: string });
  expect(lines.at(-1)).toEqual({ validator: 'Draft4Validator' });
  return lines.slice(0, -1);
}

describe('check --sarif', () => {
  it('is a valid SARIF 2.1.0 log (errors, warnings, notes, related locations); a broken one is not', async () => {
    const root = await appliedRoot();
    roots.push(root);
    edit(root, 'etc/ssh/sshd_config', (t) => t.replace(/^#Port 22$/m, 'Port 22'));
    write(root, 'etc/ssh/sshd_config.d/00-aaa.conf', 'PasswordAuthentication yes\n');
    write(root, 'var/log/auth.log', 'Dec  6 10:00:01 host sshd[125]: Accepted publickey for alice from 192.0.2.9 port 5000 ssh2: ED25519 SHA256:abc\n');
    fs.rmSync(path.join(root, 'etc/fail2ban/filter.d/thpot.local'));
    const s = await fwconf(['check', '--host', '--root', root, '--sarif']);
    expect(s.code).toBe(1);
    const log = JSON.parse(s.out);
    const levels = new Set(log.runs[0].results.map((r: { level: string }) => r.level));
    expect([...levels].sort()).toEqual(['error', 'note', 'warning']);
    expect(log.runs[0].results.some((r: { relatedLocations?: unknown[] }) => (r.relatedLocations?.length ?? 0) > 0)).toBe(true);
    expect(await schemaErrors(log)).toEqual([]);
    // The control: what the schema forbids is reported.
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].tool;
    const errors = await schemaErrors(broken);
    expect(errors.map((e) => e.path).sort()).toEqual(['runs/0', 'runs/0/results/0/level']);
  });
});

// Random valid specs: every rendered file passes `fwconf check` and `fwconf roundtrip` (main() in
// process), and each file parses back (through its format's parser) to the typed model the spec
// describes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { render } from '../../src/builder/render.js';
import { specSchema, type HostSpecInput } from '../../src/builder/spec.js';
import type { RenderedFile } from '../../src/builder/model.js';
import { captureIo } from '../cli/capture-io.js';
import { arbSpec } from './arbitraries.js';
import { fail2banModel, sshdModel, xinetdModel } from './readback.js';

const tmp = mkdtempSync(join(tmpdir(), 'fwconf-builder-random-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** Writes the files under a fresh root and runs `fwconf check` and `fwconf roundtrip` on each. */
async function checkAndRoundtrip(files: readonly RenderedFile[]): Promise<number> {
  // `fwconf check FILE` sees the files alone (no users or executables of the machine are looked up):
  // a root holding only the rendered files is enough.
  const root = join(tmp, String(n++));
  let checked = 0;
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, f.content);
  }
  for (const f of files) {
    const p = join(root, f.path);
    if (f.format === 'shell') {
      // the ufw script, detected and checked as one
      const sh = captureIo();
      expect(await main(['check', '--root', root, p], sh), `${f.path}:\n${f.content}\n${sh.err}`).toBe(0);
      expect(findings(sh.err), f.content).toEqual([]);
      continue;
    }
    const check = captureIo();
    expect(await main(['check', '--format', f.format, '--root', root, p], check), `${f.path}:\n${f.content}\n${check.err}`).toBe(0);
    expect(findings(check.err), f.content).toEqual([]);
    const rt = captureIo();
    expect(await main(['roundtrip', '--format', f.format, p], rt), `${f.path}: ${rt.err}`).toBe(0);
    checked++;
  }
  return checked;
}

/** What `fwconf check` printed. */
function findings(err: string): string[] {
  return err.split('\n').filter((l) => l !== '');
}

const values = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

/** What each file must read back as, derived from the spec (not from the builder). */
function expectModels(input: HostSpecInput, files: readonly RenderedFile[]): void {
  const spec = specSchema.parse(input);
  const file = (path: string) => files.find((f) => f.path === path)?.content;

  const ssh = spec.ssh!;
  const sshd = sshdModel(file('/etc/ssh/sshd_config.d/00-fwconf.conf')!);
  const given = Object.keys((input.ssh!.settings ?? {}) as object);
  const settings = given.map((k) => [k, (ssh.settings as Record<string, unknown>)[k]] as const);
  // In the order the spec gives them; ForceCommand (the rest of the line, verbatim) is compared as its line.
  expect(sshd.global.filter(([k]) => k !== 'ForceCommand')).toEqual([['Port', [String(ssh.port)]], ...settings.filter(([k]) => k !== 'ForceCommand').map(([k, v]) => [k, values(v)])]);
  if (ssh.settings.ForceCommand !== undefined) expect(file('/etc/ssh/sshd_config.d/00-fwconf.conf')!.split('\n')).toContain(`ForceCommand ${ssh.settings.ForceCommand}`);
  expect(sshd.matches).toEqual(
    (input.ssh!.match ?? []).map((m) => ({
      criteria: m.criteria === 'all' ? [['all', null]] : Object.entries(m.criteria).map(([k, v]) => [k.toLowerCase(), values(v).join(',')]),
      directives: Object.entries(m.settings as object).map(([k, v]) => [k, values(v)]),
    })),
  );

  for (const h of spec.honeypots) {
    expect(xinetdModel(file(`/etc/xinetd.d/${h.name}`)!)).toEqual({
      [h.name]: {
        type: ['UNLISTED'], socket_type: ['stream'], protocol: ['tcp'], port: [String(h.port)], wait: ['no'], user: [h.user], server: [h.server],
        server_args: [...h.args], ...(h.env.length > 0 ? { env: [...h.env] } : {}), nice: [String(h.nice)], disable: ['no'], instances: [String(h.instances)], per_source: [String(h.perSource)],
      },
    });
  }

  const f2b = spec.fail2ban!;
  expect(fail2banModel(file('/etc/fail2ban/jail.local')!)).toEqual(
    Object.fromEntries(Object.entries(f2b.jails).map(([name, j]) => [name, Object.fromEntries(Object.entries(j).map(([k, v]) => [k, values(v).join('\n')]))])),
  );
  for (const [name, f] of Object.entries(f2b.filters))
    expect(fail2banModel(file(`/etc/fail2ban/filter.d/${name}.local`)!)).toEqual({ Definition: { failregex: (f.failregex as string[]).join('\n') } });
}

describe('random valid specs', () => {
  it('every rendered file passes fwconf check and fwconf roundtrip, and parses back to the spec', async () => {
    let files = 0;
    await fc.assert(
      fc.asyncProperty(arbSpec, async (spec) => {
        const r = render(spec);
        files += await checkAndRoundtrip(r.files);
        expectModels(spec, r.files);
      }),
      { numRuns: 50 },
    );
    expect(files).toBeGreaterThanOrEqual(50 * 3);
  });
});

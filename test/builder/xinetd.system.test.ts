// Rendered honeypot services through the real xinetd: `xinetd -d` (debug dump of what it read) in a
// network namespace of our own, inside a private mount namespace where a `thpot` user exists (an
// /etc/passwd copy bound over the real one) and /usr/sbin/thpot is a stub (a tmpfs over /usr/sbin),
// so the files are read exactly as rendered. xinetd must keep every service with the attributes we
// wrote, complain about nothing, and hand thpot LC_TIME=POSIX even when its own locale is Japanese.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import { specSchema, type HoneypotSpec, type HostSpecInput } from '../../src/builder/spec.js';
import { parseOracle, XINETD_MAX_S, xinetdStarted, type OracleResult } from '../xinetd/oracle.js';
import { NetNamespace } from '../netns.js';
import { run, runOk } from '../spawn.js';
import { arbSpec } from './arbitraries.js';

let ns: NetNamespace;
const tmp = mkdtempSync(join(tmpdir(), 'fwconf-builder-xinetd-'));
const THPOT_UID = 64999;

beforeAll(async () => {
  await runOk(['test', '-x', '/usr/sbin/xinetd']);
  ns = await NetNamespace.create('builder');
  writeFileSync(join(tmp, 'passwd'), readFileSync('/etc/passwd', 'utf8') + `thpot:x:${THPOT_UID}:${THPOT_UID}::/nonexistent:/usr/sbin/nologin\n`);
  await runOk(['cp', '/usr/sbin/xinetd', join(tmp, 'xinetd')]);
});
afterAll(async () => {
  try {
    await ns?.delete();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

let n = 0;
/** Runs xinetd -d on the rendered xinetd files of a spec (through includedir); resolves with its dump. */
async function xinetd(files: readonly { path: string; content: string }[]): Promise<OracleResult> {
  const dir = join(tmp, `case-${n++}`);
  mkdirSync(join(dir, 'xinetd.d'), { recursive: true });
  for (const f of files) writeFileSync(join(dir, 'xinetd.d', basename(f.path)), f.content);
  writeFileSync(join(dir, 'xinetd.conf'), `includedir ${dir}/xinetd.d\n`);
  // xinetd's own locale is Japanese: the honeypot's env must still give thpot LC_TIME=POSIX.
  const inner = `stty -onlcr; exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=ja_JP.UTF-8 timeout -s TERM ${XINETD_MAX_S} ${tmp}/xinetd -d -dontfork -f ${dir}/xinetd.conf`;
  const script = [
    'mount -t tmpfs tmpfs /usr/sbin',
    `printf '#!/bin/sh\\n' > /usr/sbin/thpot`,
    'chmod 755 /usr/sbin/thpot',
    `mount --bind ${tmp}/passwd /etc/passwd`,
    `exec script -qec '${inner}' /dev/null`,
  ].join(' && ');
  // Stopped as soon as xinetd has started its services (test/xinetd/oracle.ts).
  const r = await run(['ip', 'netns', 'exec', ns.name, 'unshare', '-m', 'sh', '-c', script], { until: xinetdStarted });
  if (!r.stdout) throw new Error(`xinetd -d printed nothing (exit ${r.status ?? r.signal}): ${r.stderr}`);
  return parseOracle(r.stdout);
}

/** xinetd read every honeypot of the spec with the attributes we wrote, and complained about nothing. */
function expectServices(input: HostSpecInput, o: OracleResult): void {
  const complaints = o.messages.filter((m) => m.phase === 'parse' && m.level !== 'DEBUG');
  expect(complaints, o.raw).toEqual([]);
  const spec = specSchema.parse(input);
  const enabled = spec.honeypots.filter((h: HoneypotSpec) => !h.disable);
  expect(o.services.map((s) => s.name).sort(), o.raw).toEqual(enabled.map((h) => h.name).sort());
  for (const h of enabled) {
    const s = o.services.find((x) => x.name === h.name)!;
    expect(s.fields).toMatchObject({
      id: h.name,
      type: 'UNLISTED',
      socket_type: h.protocol === 'tcp' ? 'stream' : 'dgram',
      'Protocol (name,number)': h.protocol === 'tcp' ? '(tcp,6)' : '(udp,17)',
      port: String(h.port),
      wait: 'no',
      user: h.user === 'thpot' ? String(THPOT_UID) : h.user,
      Nice: String(h.nice),
      Server: h.server,
      'Server argv': [basename(h.server), ...h.args].join(' '),
      ...(h.instances !== 'UNLIMITED' ? { Instances: String(h.instances) } : {}),
      ...(h.perSource !== 'UNLIMITED' ? { PER_SOURCE: String(h.perSource) } : {}),
    });
    // "Environment additions:" lists the env attribute; "Environment strings:" is what the server gets.
    const at = s.lines.indexOf('Environment additions:');
    const strings = s.lines.indexOf('Environment strings:');
    if (h.env.length === 0) expect(at).toBe(-1);
    else {
      expect(s.lines.slice(at + 1, strings)).toEqual([...h.env]);
      const serverEnv = s.lines.slice(strings + 1);
      for (const e of h.env) expect(serverEnv).toContain(e);
    }
  }
}

describe('rendered honeypots through the real xinetd (xinetd -d)', () => {
  it('the default spec: thp-pasv as written, and thpot gets LC_TIME=POSIX under a Japanese xinetd', async () => {
    const r = render(DEFAULT_SPEC);
    const o = await xinetd(r.files.filter((f) => f.service === 'xinetd'));
    expectServices(DEFAULT_SPEC, o);
    const s = o.services[0]!;
    expect(s.fields['Server argv']).toBe('thpot nullresp');
    const serverEnv = s.lines.slice(s.lines.indexOf('Environment strings:') + 1);
    expect(serverEnv).toContain('LANG=ja_JP.UTF-8');
    expect(serverEnv).toContain('LC_TIME=POSIX');
  });

  it('random specs: every honeypot as written', async () => {
    const specs = fc.sample(arbSpec.filter((s) => (s.honeypots?.length ?? 0) > 0), { numRuns: 12 });
    let services = 0;
    for (let i = 0; i < specs.length; i += 6) {
      const batch = specs.slice(i, i + 6);
      const results = await Promise.all(batch.map((s) => xinetd(render(s).files.filter((f) => f.service === 'xinetd'))));
      batch.forEach((s, k) => {
        expectServices(s, results[k]!);
        services += results[k]!.services.length;
      });
    }
    expect(services).toBeGreaterThanOrEqual(12);
  }, 60_000);
});

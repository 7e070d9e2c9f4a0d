// The audit's algorithm verdicts against ssh-audit (Debian's package) run on a real sshd started
// from the same file inside a network namespace: every algorithm ssh-audit rates fail or warn is one
// the baseline forbids, and no other — apart from the differences policy.ts names.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, render } from '../../src/builder/index.js';
import { weakAlgorithms } from '../../src/sshd/policy.js';
import { withNetns, type NetNamespace as AsyncNetns } from '../netns.js';
import { run } from '../spawn.js';

let dir: string;
const keys: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-ssh-audit-'));
  for (const [type, bits] of [['ed25519', []], ['ecdsa', ['-b', '256']], ['rsa', ['-b', '2048']]] as const) {
    const k = join(dir, `host_${type}`);
    const r = await run(['ssh-keygen', '-q', '-t', type, ...bits, '-N', '', '-f', k]);
    expect(r.status, r.stderr).toBe(0);
    keys.push(k);
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const LIST = { kex: 'kexalgorithms', key: 'hostkeyalgorithms', enc: 'ciphers', mac: 'macs' } as const;

/** ssh-audit's verdict per algorithm: the worst of [fail], [warn] and [info] on its lines. */
function verdicts(text: string): { list: string; name: string; level: 'fail' | 'warn' | 'ok'; note: string }[] {
  const out: { list: string; name: string; level: 'fail' | 'warn' | 'ok'; note: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\((kex|key|enc|mac)\) (\S+)(?: \([^)]*\))?\s+-- \[(\w+)\] (.*)$/.exec(line);
    if (m) {
      out.push({ list: LIST[m[1] as keyof typeof LIST], name: m[2]!, level: m[3] === 'fail' ? 'fail' : m[3] === 'warn' ? 'warn' : 'ok', note: m[4]! });
      continue;
    }
    const c = /^\s+`- \[(\w+)\] (.*)$/.exec(line);
    const last = out[out.length - 1];
    if (c && last && (c[1] === 'fail' || (c[1] === 'warn' && last.level === 'ok'))) last.level = c[1] as 'fail' | 'warn';
  }
  return out;
}

/** ssh-audit has no rating for these (its 2.5 database predates them), or rates them where the baseline deliberately differs. */
const NOT_RATED = new Set(['kex-strict-s-v00@openssh.com', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com']);

/** Starts sshd from `config` in `ns` on `port`, runs ssh-audit against it, stops sshd. */
async function auditServer(ns: AsyncNetns, config: string, port: number): Promise<string> {
  const file = join(dir, `sshd-${port}.conf`);
  writeFileSync(file, config);
  const t = await run(['/usr/sbin/sshd', '-t', '-f', file, ...keys.flatMap((k) => ['-h', k])]);
  expect(t.status, t.stderr).toBe(0);
  const sshd = spawn('ip', ['netns', 'exec', ns.name, '/usr/sbin/sshd', '-D', '-e', '-f', file, '-p', String(port), '-o', 'PidFile=none', ...keys.flatMap((k) => ['-h', k])], { stdio: 'ignore' });
  try {
    // Wait until it listens: poll the namespace's sockets (bounded: 200 tries, backing off to 100 ms).
    for (let i = 0; ; i++) {
      const ss = await ns.spawn(['ss', '-ltnH', `sport = :${port}`]);
      if (ss.stdout.includes(`:${port}`)) break;
      if (i > 200 || sshd.exitCode !== null) throw new Error(`sshd did not start listening on ${port}`);
      await new Promise((r) => setTimeout(r, Math.min(100, 5 * (i + 1))));
    }
    const a = await ns.spawn(['ssh-audit', '-n', '-p', String(port), '127.0.0.1']);
    expect(a.stdout).toContain('(kex)');
    return a.stdout;
  } finally {
    sshd.kill();
  }
}

describe('sshd audit against ssh-audit on a running sshd', () => {
  it("rates sshd's defaults, every legacy algorithm, and the rendered drop-in as ssh-audit does", async () => {
    const legacy = [
      'KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1',
      'Ciphers +3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc',
      'MACs +hmac-md5,hmac-md5-96,hmac-sha1-96,hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,hmac-sha1-96-etm@openssh.com',
      'HostKeyAlgorithms +ssh-rsa',
    ].join('\n');
    const rendered = render(DEFAULT_SPEC).files.find((f) => f.path.startsWith('/etc/ssh/'))!.content;
    await withNetns('audit', async (ns) => {
      const compared: string[] = [];
      const mismatches: string[] = [];
      for (const [i, config] of ['', legacy + '\n', rendered].entries()) {
        for (const v of verdicts(await auditServer(ns, config, 2300 + i))) {
          if (NOT_RATED.has(v.name)) continue;
          const ours = weakAlgorithms(v.list).includes(v.name);
          if (ours !== (v.level !== 'ok')) mismatches.push(`${v.list} ${v.name}: ssh-audit ${v.level} (${v.note}), baseline ${ours ? 'forbids' : 'allows'} it`);
          compared.push(`${i}:${v.name}`);
          if (i === 2) expect(v.level, `the rendered drop-in offers ${v.name}`).toBe('ok');
        }
      }
      expect(mismatches).toEqual([]);
      expect(compared.length).toBeGreaterThan(40);
    });
  }, 120_000);
});

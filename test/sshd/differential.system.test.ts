// Differential tests against the real sshd (Debian's openssh-server): for generated configurations,
// `fwconf check` has errors exactly when `sshd -t` rejects the file, and `fwconf sshd effective`
// prints what `sshd -T -C …` prints for every keyword the file sets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { NodeFileSource } from '../../src/core/files.js';
import { check, parse, lookupKeyword } from '../../src/sshd/index.js';
import { configArb, CONNECTIONS } from './generate.js';
import { captureIo } from '../cli/capture-io.js';
import { run as spawnRun, runOk } from '../spawn.js';

const SSHD = '/usr/sbin/sshd';
let dir: string;
let hostKey: string;
let defaultsText = '';

/** sshd with these arguments; `code` is its exit status (a signal counts as 1). */
async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await spawnRun([SSHD, ...args], { cwd });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}


/** `keyword → lines` of sshd -T output. */
function byKeyword(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sp = line.indexOf(' ');
    const k = line.slice(0, sp);
    m.set(k, [...(m.get(k) ?? []), line]);
  }
  return m;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-sshd-'));
  mkdirSync('/run/sshd', { recursive: true });
  hostKey = join(dir, 'host_ed25519');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  defaultsText = await runOk([SSHD, '-T', '-f', '/dev/null', '-h', hostKey, '-C', 'lport=22'], { cwd: dir });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Keywords written in a config, as sshd -T names them. */
function dumpNamesIn(text: string): Set<string> {
  const doc = parse(text);
  const out = new Set<string>();
  for (const n of doc.nodes) {
    const d = n.directive;
    const dump = d && lookupKeyword(d.keyword)?.info.dump;
    if (dump) out.add(dump);
  }
  return out;
}

describe('sshd system tests', () => {
  it('check agrees with sshd -t and effective with sshd -T -C on generated configurations', async () => {
    const configs = [
      ...fc.sample(configArb({ invalidRate: 0.01, crlf: true }), { numRuns: 200, seed: 20240917 }),
      ...fc.sample(configArb({ invalidRate: 0.15, crlf: true }), { numRuns: 140, seed: 917 }),
    ];
    const defaults = byKeyword((await run(['-T', '-f', '/dev/null', '-h', hostKey, '-C', 'lport=22'], dir)).stdout);
    expect(defaults.get('port')).toEqual(['port 22']);
    const files = new NodeFileSource();
    let accepted = 0;
    let rejected = 0;
    let compared = 0;
    let connectionFatal = 0;
    const failures: string[] = [];
    await pool(
      configs.map((text, i) => ({ text, i })),
      4,
      async ({ text, i }) => {
        const file = join(dir, `gen-${i}.conf`);
        writeFileSync(file, text);
        const conn = CONNECTIONS[i % CONNECTIONS.length]!;
        const t = await run(['-t', '-f', file, '-h', hostKey], dir);
        const errors = check(parse(text, { file }), { files, cwd: dir }).filter((d) => d.severity === 'error');
        if ((t.code === 0) !== (errors.length === 0)) {
          failures.push(`#${i} sshd -t exit ${t.code} (${t.stderr.trim()}) but check found ${errors.length} errors: ${errors.map((e) => `${e.line}:${e.message}`).join('; ')}\n${text}`);
          return;
        }
        if (t.code !== 0) {
          rejected++;
          return;
        }
        accepted++;
        const T = await run(['-T', '-f', file, '-h', hostKey, '-C', conn], dir);
        const io = captureIo({ cwd: dir });
        const code = await main(['sshd', 'effective', file, '--connection', conn], io);
        if (T.code !== 0) {
          // The connection pass failed (sshd 9.2: `Match LocalPort` without lport): so must we, saying why.
          const why = T.stderr.trim().split('\n').pop() ?? '';
          if (code !== 1 || !io.err.includes(why)) failures.push(`#${i} sshd -T failed (${why}) but fwconf effective exit ${code}: ${io.err}\n${text}`);
          else connectionFatal++;
          return;
        }
        if (code !== 0) {
          failures.push(`#${i} fwconf sshd effective exit ${code}: ${io.err}\n${text}`);
          return;
        }
        const ours = byKeyword(io.out);
        const theirs = byKeyword(T.stdout);
        for (const [k, lines] of ours) {
          let want = theirs.get(k) ?? [];
          if (k === 'hostkey') want = want.slice(1); // the -h key comes first
          if (JSON.stringify(lines) !== JSON.stringify(want)) failures.push(`#${i} ${conn}\n  ours:   ${lines.join(' | ')}\n  sshd:   ${want.join(' | ')}\n${text}`);
          else compared++;
        }
        // A keyword the file names but that we do not print must be at sshd's default.
        for (const k of dumpNamesIn(text)) {
          if (ours.has(k) || k === 'hostkey' || k === 'listenaddress') continue;
          const d = JSON.stringify(defaults.get(k) ?? []);
          const got = JSON.stringify(theirs.get(k) ?? []);
          if (d !== got) failures.push(`#${i} ${conn}: ${k} not printed by fwconf but sshd -T has ${got} (default ${d})\n${text}`);
        }
      },
    );
    expect(failures.slice(0, 8).join('\n\n')).toBe('');
    expect(accepted).toBeGreaterThan(40);
    expect(rejected).toBeGreaterThan(40);
    expect(compared).toBeGreaterThan(600);
    expect(connectionFatal).toBeGreaterThan(3);
    console.log(`sshd differential: ${accepted} accepted, ${rejected} rejected, ${compared} keyword comparisons, ${connectionFatal} connection passes fatal in both`);
  }, 120_000);
});

describe('sshd parity corners', () => {
  // Each case: a file and a connection; check must fail exactly when sshd -t does, and effective
  // must print what sshd -T -C prints, or fail with sshd's message when sshd -T fails.
  const CASES: [string, string | null][] = [
    ['Match LocalPort 22\n  X11Forwarding no\n', null],
    ['Match LocalPort 22\n  X11Forwarding no\n', 'user=a'],
    ['Match LocalPort 22\n  X11Forwarding no\n', 'lport=22'],
    ['Match User nobody LocalPort 22\n X11Forwarding no\n', 'user=a'],
    ['Match LocalPort 22 User\n X11Forwarding no\n', 'user=a'],
    ['Match User x\n X11Forwarding no\nInclude /nonexistent/*.conf\nMatch LocalPort 2201\n PermitTTY no\n', 'user=x,lport=2201'],
    ['AuthenticationMethods password\nPasswordAuthentication no\n', 'lport=22'],
    ['PasswordAuthentication no\nMatch all\n AuthenticationMethods password\n', 'lport=22'],
    ['AuthenticationMethods password\nMatch User x\n PasswordAuthentication no\n', 'user=x,lport=22'],
    ['AuthenticationMethods hostbased password\n', 'lport=22'],
    ['AuthenticationMethods gssapi-with-mic\n', 'lport=22'],
    ['GSSAPIAuthentication yes\nHostbasedAuthentication yes\nAuthenticationMethods hostbased,gssapi-with-mic:x\n', 'lport=22'],
    ['ChallengeResponseAuthentication no\nAuthenticationMethods keyboard-interactive:pam\n', 'lport=22'],
    ['PubkeyAuthentication no\nAuthenticationMethods publickey\n', 'lport=22'],
    ['AuthenticationMethods publickey:foo,password:bar none\n', 'lport=22'],
    ['Match User x\n AuthenticationMethods publickey any\n', 'user=y,lport=22'],
    ['AuthenticationMethods publickey any\n', 'lport=22'],
    ['Match User x\n AuthenticationMethods any any\n', 'user=y,lport=22'],
    ['AuthenticationMethods publickey\nMatch User x\n AuthenticationMethods any\n', 'user=x,lport=22'],
    ['AuthenticationMethods ""\n', 'lport=22'],
    ['AuthenticationMethods publickey,\n', 'lport=22'],
    ['Match User x\n AuthenticationMethods hostbased\n', 'user=x,lport=22'],
    ['PermitOpen ""\n', 'lport=22'],
    ['PermitOpen a:1 ""\n', 'lport=22'],
    ['PermitOpen "" a:1\n', 'lport=22'],
    ['PermitListen ""\n', 'lport=22'],
    ['PermitListen 80 "" 81\n', 'lport=22'],
    ['PermitListen 80 ""\nMatch User x\n PermitOpen any\n', 'user=x,lport=22'],
    ['ChannelTimeout none\nMatch User root\n X11Forwarding no\n', 'user=root,lport=22'],
    ['Match User root\n ChannelTimeout none\n', 'user=root,lport=22'],
  ];

  it('agree with sshd -t and sshd -T -C', async () => {
    const failures: string[] = [];
    await pool(
      CASES.map((c, i) => ({ c, i })),
      4,
      async ({ c: [text, conn], i }) => {
        const file = join(dir, `corner-${i}.conf`);
        writeFileSync(file, text);
        const t = await run(['-t', '-f', file, '-h', hostKey], dir);
        const errors = check(parse(text, { file }), { files: new NodeFileSource(), cwd: dir }).filter((d) => d.severity === 'error');
        if ((t.code === 0) !== (errors.length === 0)) {
          failures.push(`${JSON.stringify(text)}: sshd -t exit ${t.code} (${t.stderr.trim()}), check: ${errors.map((e) => e.message).join('; ')}`);
          return;
        }
        if (t.code !== 0) return;
        const T = await run(['-T', '-f', file, '-h', hostKey, ...(conn ? ['-C', conn] : [])], dir);
        const io = captureIo({ cwd: dir });
        const code = await main(['sshd', 'effective', file, ...(conn ? ['--connection', conn] : [])], io);
        if (T.code !== 0) {
          const why = T.stderr.trim().split('\n').pop() ?? '';
          if (code !== 1 || !io.err.includes(why)) failures.push(`${JSON.stringify(text)} ${conn}: sshd -T: ${why}; fwconf exit ${code} ${io.err}`);
          return;
        }
        if (code !== 0) {
          failures.push(`${JSON.stringify(text)} ${conn}: fwconf exit ${code} ${io.err}`);
          return;
        }
        const theirs = new Set(T.stdout.split('\n'));
        const missing = io.out.split('\n').filter((l) => l && !theirs.has(l));
        if (missing.length) failures.push(`${JSON.stringify(text)} ${conn}: not in sshd -T: ${missing.join(' | ')}`);
        const ours = byKeyword(io.out);
        for (const k of ['channeltimeout', 'authenticationmethods', 'permitopen', 'permitlisten'])
          if (JSON.stringify(byKeyword(T.stdout).get(k)) !== JSON.stringify(ours.get(k) ?? byKeyword(defaultsText).get(k)))
            failures.push(`${JSON.stringify(text)} ${conn}: ${k}: ours ${ours.get(k)} sshd ${byKeyword(T.stdout).get(k)}`);
      },
    );
    expect(failures.join('\n')).toBe('');
  }, 60_000);
});

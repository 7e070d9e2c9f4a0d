// Real files: Debian's stock sshd_config, an upstream (OpenBSD) one, the seed setup's file, a
// hardening tree with drop-ins, and a file of odd spellings. Each round-trips byte for byte, reads
// into the model its lines describe, and is judged as the real sshd judges it.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFileSource, NodeFileSource } from '../../src/core/files.js';
import { check, effective, parse } from '../../src/sshd/index.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { run, runOk } from '../spawn.js';

const F = join(__dirname, '../../fixtures/sshd');
const read = (p: string) => readFileSync(join(F, p), 'utf8');
const FIXTURES = [
  'debian/sshd_config',
  'upstream/sshd_config',
  'upstream/openssh-9/sshd_config',
  'seed/sshd_config',
  'hardening/etc/ssh/sshd_config',
  'hardening/etc/ssh/sshd_config.d/10-crypto.conf',
  'hardening/etc/ssh/sshd_config.d/20-banner.conf',
  'odd/whitespace.conf',
];

let dir: string;
let key: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-sshd-fx-'));
  mkdirSync('/run/sshd', { recursive: true });
  key = join(dir, 'hk');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sshd(args: string[]) {
  const r = await run(['/usr/sbin/sshd', ...args], { cwd: dir });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe('fixtures', () => {
  it.each(FIXTURES)('%s round-trips byte for byte', (p) => {
    const text = read(p);
    expect(parse(text).toString()).toBe(text);
  });

  it('reads the Debian stock file into its model', () => {
    const m = parse(read('debian/sshd_config')).toJSON();
    expect(m.includes).toEqual(['/etc/ssh/sshd_config.d/*.conf']);
    const dirs = m.global.filter((e) => e.type === 'directive').map((e) => (e.type === 'directive' ? `${e.canonical} ${e.value}` : ''));
    expect(dirs).toEqual([
      'Include /etc/ssh/sshd_config.d/*.conf',
      'KbdInteractiveAuthentication no',
      'UsePAM yes',
      'X11Forwarding yes',
      'PrintMotd no',
      'AcceptEnv LANG LC_*',
      'Subsystem sftp\t/usr/lib/openssh/sftp-server',
    ]);
    expect(m.matches).toEqual([]);
  });

  it('reads odd spellings as sshd does', () => {
    const doc = parse(read('odd/whitespace.conf'));
    const m = doc.toJSON();
    expect(m.bom).toBe(true);
    expect(m.eol).toBe('crlf');
    expect(m.finalNewline).toBe(false);
    expect(doc.get('Port')).toBe('2222');
    expect(doc.get('permitrootlogin')).toBe('no');
    expect(doc.getArgs('AllowUsers')).toEqual(['alice', 'bob', 'carol d']);
    expect(doc.get('Banner')).toBe('/etc/issue net');
    expect(doc.get('ForceCommand')).toBe('/bin/echo "a b"  # kept in the value');
    expect(doc.get('PasswordAuthentication')).toBe('no');
    expect(doc.get('LogLevel')).toBe('VERBOSE');
    expect(m.matches.map((x) => x.criteria)).toEqual([
      [{ criterion: 'user', written: 'User', patterns: 'alice' }],
      [{ criterion: 'all', written: 'All', patterns: null }],
    ]);
    expect(doc.match({ user: 'alice' }).get('AllowTcpForwarding')).toBe('yes');
    // The BOM makes the first line's keyword "\uFEFF#": sshd reports a bad option, and so do we.
    const errors = check(doc, { files: new MemoryFileSource() }).filter((d) => d.severity === 'error');
    expect(errors.map((e) => [e.line, e.code])).toEqual([[1, 'sshd/unknown-keyword']]);
  });

  it.each(FIXTURES)('%s: check agrees with sshd -t', async (p) => {
    const file = join(dir, p.replace(/\//g, '_'));
    writeFileSync(file, read(p).replace(/^Include .*$/m, '# include removed'));
    const errors = check(parse(readFileSync(file, 'utf8'), { file }), { files: new MemoryFileSource() }).filter((d) => d.severity === 'error');
    const r = await sshd(['-t', '-f', file, '-h', key]);
    expect({ ok: errors.length === 0, errors: errors.map((e) => e.message) }).toMatchObject({ ok: r.code === 0 });
  });

  it("upstream's OpenSSH 9.x stock file: its model, and effective equals sshd -T", async () => {
    const text = read('upstream/openssh-9/sshd_config');
    const file = join(dir, 'upstream-9.conf');
    writeFileSync(file, text);
    const doc = parse(text, { file });
    const m = doc.toJSON();
    const dirs = m.global.filter((e) => e.type === 'directive').map((e) => (e.type === 'directive' ? `${e.canonical} ${e.value}` : ''));
    expect(dirs).toEqual(['AuthorizedKeysFile .ssh/authorized_keys', 'Subsystem sftp\t/usr/libexec/sftp-server']);
    expect(m.matches).toEqual([]);
    expect(check(doc, { files: new MemoryFileSource() })).toEqual([]);
    for (const conn of [undefined, 'user=anoncvs,addr=10.0.0.1,lport=22']) {
      const ours = effective(doc, conn ? Object.fromEntries(conn.split(',').map((kv) => kv.split('='))) : {}, { files: new MemoryFileSource(), cwd: dir });
      expect(ours.diagnostics).toEqual([]);
      expect(ours.toString()).toBe('authorizedkeysfile .ssh/authorized_keys\nsubsystem sftp /usr/libexec/sftp-server\n');
      const T = await sshd(['-T', '-f', file, '-h', key, ...(conn ? ['-C', conn] : [])]);
      expect(T.code).toBe(0);
      const theirs = new Set(T.stdout.split('\n'));
      expect(ours.entries.map((e) => `${e.keyword} ${e.value}`).filter((l) => !theirs.has(l))).toEqual([]);
    }
  });

  it('effective follows the hardening drop-ins as sshd -T does', async () => {
    // Copy the tree and point the Include at the copy: sshd reads real files.
    const root = join(dir, 'tree');
    cpSync(join(F, 'hardening'), root, { recursive: true });
    const main_ = join(root, 'etc/ssh/sshd_config');
    const text = read('hardening/etc/ssh/sshd_config')
      .replace('Include /etc/ssh/sshd_config.d/*.conf', `Include ${root}/etc/ssh/sshd_config.d/*.conf`)
      .replace(/^HostKey .*\n/gm, '');
    writeFileSync(main_, text);
    for (const conn of ['user=admin,addr=10.1.1.1,lport=2201', 'user=backup,addr=10.1.2.3,lport=2201', 'user=root,addr=8.8.8.8,lport=22']) {
      const ours = effective(parse(text, { file: main_ }), Object.fromEntries(conn.split(',').map((kv) => kv.split('='))), {
        files: new NodeFileSource(),
        cwd: dir,
        groups: (u) => (u === 'root' ? ['root'] : undefined),
      });
      expect(ours.diagnostics).toEqual([]);
      const T = await sshd(['-T', '-f', main_, '-h', key, '-C', conn]);
      expect(T.code).toBe(0);
      const theirs = new Set(T.stdout.split('\n'));
      const lines = ours.toString().split('\n').filter(Boolean).filter((l) => !l.startsWith('hostkey '));
      expect(lines.length).toBeGreaterThan(30);
      expect(lines.filter((l) => !theirs.has(l))).toEqual([]);
    }
    // And the same tree through --root, as the CLI reads it.
    const io = captureIo({ cwd: dir });
    const code = await main(['sshd', 'effective', join(F, 'hardening/etc/ssh/sshd_config'), '--root', join(F, 'hardening'), '--connection', 'user=backup,addr=10.1.2.3'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toContain('allowusers backup@10.1.2.3\n');
    expect(io.out).toContain('hostkeyalgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256\n');
    expect(io.out).toContain('rekeylimit 536870912 3600\n');
    expect(io.out).toContain('permittty no\n');
    expect(io.out).toContain('port 2201\naddressfamily inet\nlistenaddress 0.0.0.0:2201\n');
  });
});

// The audit's connection classes through the Includes, against the real sshd: every Match block of
// every Included file is a class (a block ends with its file, as sshd restores the Match state after
// an Include; a block Included from a Match block needs both), the connection the audit synthesizes
// for a class falls in its block (`sshd -T -C` with a marker line added to the block shows the marker),
// the effective configuration the audit judges for it is sshd's line for line, and each finding's value
// is what sshd prints for its class, at the file:line the finding names.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, BUILTIN_POLICIES, effective, parse, type AuditClass, type SshdConnection } from '../../src/sshd/index.js';
import { findingDiagnostic } from '../../src/sshd/audit.js';

const SSHD = '/usr/sbin/sshd';
const exec = promisify(execFile);
const baseline = BUILTIN_POLICIES.get('baseline')!();
let dir: string;
let hostKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-audit-inc-'));
  mkdirSync('/run/sshd', { recursive: true });
  hostKey = join(dir, 'host_ed25519');
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const spec = (c: SshdConnection): string =>
  (['user', 'host', 'addr', 'laddr', 'lport', 'rdomain'] as const)
    .filter((k) => c[k] !== undefined)
    .map((k) => `${k}=${c[k]}`)
    .join(',');

async function sshdT(file: string, conn: SshdConnection): Promise<string> {
  const r = await exec(SSHD, ['-T', '-f', file, '-h', hostKey, '-C', spec(conn)], { cwd: dir, encoding: 'utf8' });
  return r.stdout;
}

/** sshd -T lines without the host keys (-h puts the test's key first). */
const comparable = (text: string): string[] => text.split('\n').filter((l) => l && !l.startsWith('hostkey ')).sort();
const valueOf = (text: string, keyword: string): string =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${keyword} `))
    .map((l) => l.slice(keyword.length + 1))
    .join(' ');

/** Writes a layout (paths relative to `root`) and returns the main file's path. */
function writeLayout(root: string, files: Record<string, string>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return join(root, 'sshd_config');
}

/**
 * Checks one layout against sshd: the classes are the Match lines of every file, each class's
 * connection is in its block, the effective configuration per class is sshd's, the findings' values
 * are sshd's. Returns the audit.
 */
async function checkLayout(root: string, files: Record<string, string>) {
  const main = writeLayout(root, files);
  const doc = parse(files['sshd_config']!, { file: main });
  const r = audit(doc, baseline, { cwd: dir });
  expect(r.diagnostics).toEqual([]);
  // Every Match line of every file, wherever it is written, is a class.
  const matchLines = Object.entries(files).flatMap(([p, text]) =>
    text.split('\n').flatMap((l, i) => (/^\s*match\s/i.test(l) ? [`${join(root, p)}:${i + 1}`] : [])),
  );
  expect(r.classes.slice(1).map((c) => `${c.at!.file}:${c.at!.line}`).sort()).toEqual(matchLines.sort());
  const outputs = new Map<AuditClass, string>();
  for (const cls of r.classes) {
    const theirs = await sshdT(main, cls.connection);
    outputs.set(cls, theirs);
    const ours = effective(doc, { connection: cls.connection, all: true, cwd: dir });
    expect({ class: cls.label, lines: comparable(ours.toString()) }).toEqual({ class: cls.label, lines: comparable(theirs) });
    if (!cls.at) continue;
    // The class's connection falls in its block: a line added right after its Match line applies.
    const file = cls.at.file!;
    const rel = file.slice(root.length + 1);
    const lines = files[rel]!.split('\n');
    lines.splice(cls.at.line, 0, '\tChrootDirectory /fwconf-marker');
    const copy = { ...files, [rel]: lines.join('\n') };
    const markedRoot = mkdtempSync(join(dir, 'mark-'));
    // The Includes name absolute paths below `root`: the marked copy lives at the same paths in a private tree.
    const rewritten = Object.fromEntries(Object.entries(copy).map(([p, t]) => [p, t.split(root).join(markedRoot)]));
    const markedMain = writeLayout(markedRoot, rewritten);
    // A class the audit calls empty (no connection it can make is in the block): sshd agrees for the one it made.
    expect({ class: cls.label, marker: valueOf(await sshdT(markedMain, cls.connection), 'chrootdirectory') }).toEqual({ class: cls.label, marker: cls.applies ? '/fwconf-marker' : 'none' });
    if (!cls.applies) expect(r.findings.filter((f) => f.classAt === cls.at)).toEqual([]);
  }
  for (const f of r.findings) {
    const cls = r.classes.find((c) => c.label === f.class && c.at === f.classAt)!;
    expect({ rule: f.rule, class: f.class, actual: f.actual }).toEqual({ rule: f.rule, class: f.class, actual: valueOf(outputs.get(cls)!, f.keyword.toLowerCase()) });
  }
  return r;
}

describe('sshd audit: Match blocks in Included files', () => {
  it("finds cloud-init's drop-in Match block that re-enables passwords, at its file:line, and its scope ends with the file", async () => {
    const root = mkdtempSync(join(dir, 'cloud-'));
    const files = {
      sshd_config: [
        `Include ${root}/sshd_config.d/*.conf`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin no',
        'X11Forwarding no',
        'Match Address 10.0.0.0/8',
        `\tInclude ${root}/match.d/*.conf`,
        '\tAllowTcpForwarding no',
        '',
      ].join('\n'),
      // Written before the main file's global lines are read: a Match here must not swallow them.
      'sshd_config.d/50-cloud-init.conf': 'Match User deploy\n\tPasswordAuthentication yes\n',
      'sshd_config.d/60-sftp.conf': 'MaxAuthTries 3\nMatch LocalPort 2222\n\tPermitRootLogin yes\n',
      'match.d/lab.conf': 'AllowAgentForwarding no\nMatch Host *.lab.example\n\tX11Forwarding yes\n',
    };
    const r = await checkLayout(root, files);
    expect(r.classes.map((c) => [c.label, c.at && `${c.at.file!.slice(root.length + 1)}:${c.at.line}`])).toEqual([
      ['global', null],
      ['Match User deploy', 'sshd_config.d/50-cloud-init.conf:1'],
      ['Match LocalPort 2222', 'sshd_config.d/60-sftp.conf:2'],
      ['Match Address 10.0.0.0/8', 'sshd_config:6'],
      ['Match Address 10.0.0.0/8 > Match Host *.lab.example', 'match.d/lab.conf:2'],
    ]);
    const at = (f: { winner: { file?: string | undefined; line: number } | null }) => f.winner && `${f.winner.file!.slice(root.length + 1)}:${f.winner.line}`;
    const pw = r.findings.filter((f) => f.rule === 'password-auth');
    expect(pw.map((f) => [f.class, at(f), f.actual])).toEqual([['Match User deploy', 'sshd_config.d/50-cloud-init.conf:2', 'yes']]);
    expect(r.findings.filter((f) => f.rule === 'root-login').map((f) => [f.class, at(f)])).toEqual([['Match LocalPort 2222', 'sshd_config.d/60-sftp.conf:3']]);
    expect(r.findings.filter((f) => f.rule === 'x11').map((f) => [f.class, at(f)])).toEqual([['Match Address 10.0.0.0/8 > Match Host *.lab.example', 'match.d/lab.conf:3']]);
    expect(r.findings.find((f) => f.rule === 'password-auth')!.edit).toEqual({ file: join(root, 'sshd_config.d/50-cloud-init.conf'), line: 2, keyword: 'PasswordAuthentication', value: 'no' });
    const d = findingDiagnostic(pw[0]!, join(root, 'sshd_config'));
    expect([d.file, d.line]).toEqual([join(root, 'sshd_config.d/50-cloud-init.conf'), 2]);
    expect(d.message).toContain(`connections of "Match User deploy" (${join(root, 'sshd_config.d/50-cloud-init.conf')}:1)`);
  });

  it('agrees with sshd -T -C on generated layouts with drop-ins holding Match blocks', async () => {
    const seed = 20261207;
    console.log(`audit through Includes: seed ${seed}`);
    const criteria = ['User deploy', 'User admin,ops', 'Address 10.0.0.0/8', 'Address 192.168.1.0/24,!192.168.1.9', 'Host *.lab.example', 'LocalPort 2222', 'LocalAddress 10.9.9.9', 'User deploy Address 10.*', 'All'];
    const bodyLines = [
      'PasswordAuthentication yes', 'PasswordAuthentication no', 'PermitRootLogin yes', 'PermitRootLogin no', 'X11Forwarding yes', 'AllowTcpForwarding no',
      'AllowAgentForwarding yes', 'MaxAuthTries 8', 'MaxAuthTries 2', 'KbdInteractiveAuthentication yes', 'PermitEmptyPasswords yes', 'IgnoreRhosts no',
    ];
    const globalLines = [...bodyLines, 'LoginGraceTime 90', 'Ciphers +aes128-cbc', 'MACs -hmac-sha1', 'PermitUserEnvironment yes', 'HostbasedAuthentication yes'];
    const block = fc.tuple(fc.constantFrom(...criteria), fc.array(fc.constantFrom(...bodyLines), { minLength: 1, maxLength: 3 }));
    const fileOf = (lines: string[]) => fc.record({ global: fc.array(fc.constantFrom(...lines), { maxLength: 3 }), blocks: fc.array(block, { maxLength: 2 }) });
    const file = fileOf(globalLines);
    const layout = fc.record({
      dropins: fc.array(file, { minLength: 1, maxLength: 3 }),
      includeAt: fc.nat({ max: 2 }),
      main: file,
      // Included from a Match block: its lines before its own Match line are that block's.
      nested: fc.option(fileOf(bodyLines), { nil: undefined }),
    });
    const text = (f: { global: string[]; blocks: [string, string[]][] }, extra: string[] = []) =>
      [...f.global, ...f.blocks.flatMap(([c, body], i) => [`Match ${c}`, ...body.map((b) => `\t${b}`), ...(i === 0 ? extra : [])])].join('\n') + '\n';
    const samples = fc.sample(layout, { numRuns: 12, seed });
    let classes = 0;
    let empty = 0;
    for (const [n, s] of samples.entries()) {
      const root = mkdtempSync(join(dir, `gen-${n}-`));
      const main = { global: [...s.main.global], blocks: s.main.blocks };
      main.global.splice(Math.min(s.includeAt, main.global.length), 0, `Include ${root}/sshd_config.d/*.conf`);
      const files: Record<string, string> = {
        sshd_config: text(main, s.nested && main.blocks.length ? [`\tInclude ${root}/match.d/*.conf`] : []),
        ...Object.fromEntries(s.dropins.map((d, i) => [`sshd_config.d/${String(10 * (s.dropins.length - i)).padStart(2, '0')}-gen.conf`, text(d)])),
        ...(s.nested && main.blocks.length ? { 'match.d/nested.conf': text(s.nested) } : {}),
      };
      const r = await checkLayout(root, files);
      classes += r.classes.length;
      empty += r.classes.filter((c) => !c.applies).length;
    }
    console.log(`audit through Includes: ${samples.length} layouts, ${classes} classes (${empty} that no connection the audit makes falls in)`);
    expect(classes).toBeGreaterThan(20);
    expect(classes - empty).toBeGreaterThan(15);
  }, 300_000);
});

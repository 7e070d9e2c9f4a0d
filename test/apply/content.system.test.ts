// What `fwconf apply` writes into the user's files (issue 14), run for real: the built CLI applies the
// default setup to a scratch root, and the bytes on disk are compared with what was there before —
// bytes that are not UTF-8 survive an edit, a user's own jail.local and filter .local are edited in
// place (their jails, keys and comments kept), and real fail2ban reads both the user's jails and fwconf's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planApply } from '../../src/apply/index.js';
import { MARKER } from '../../src/builder/render.js';
import { alice, debianHost, scratchRoot, seedFiles, snapshotTree } from './fixtures.js';
import { run as spawnRun } from '../spawn.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: readonly string[]): Promise<Ran> {
  const r = await spawnRun([cmd, ...args], { env: { ...process.env, USER: 'alice', SUDO_USER: '' } });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

const apply = (...args: string[]) => run(process.execPath, [CLI, 'apply', '--root', root, ...args]);

let root: string;
const file = (p: string) => path.join(root, p);
const bytes = (p: string) => fs.readFileSync(file(p));

/** A file's lines as byte strings, each with its own ending. */
function byteLines(b: Buffer): string[] {
  return b.toString('latin1').split(/(?<=\n)/);
}

/** The lines of `after` with `before`'s lines removed in order; fails when a line of `before` is missing or moved. */
function addedLines(before: Buffer, after: Buffer): string[] {
  const a = byteLines(before);
  const added: string[] = [];
  let i = 0;
  for (const line of byteLines(after)) {
    if (i < a.length && line === a[i]) i++;
    else added.push(line);
  }
  expect(a.slice(i), 'lines of the original missing from the result').toEqual([]);
  return added;
}

beforeEach(() => {
  root = scratchRoot();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('apply keeps the bytes it did not edit', () => {
  it("the issue's case: a Latin-1 comment in an sshd_config without Include survives the inserted line", async () => {
    const original = Buffer.from('# Caf\xe9\nPort 22\n', 'latin1');
    fs.writeFileSync(file('etc/ssh/sshd_config'), original);
    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // the Include line added, sshd_config's own Port commented out (the drop-in sets the port)
    expect(bytes('etc/ssh/sshd_config')).toEqual(Buffer.from('# Caf\xe9\nInclude /etc/ssh/sshd_config.d/*.conf\n#Port 22\n', 'latin1'));
    expect(bytes('etc/ssh/sshd_config.orig')).toEqual(original);
    // the plan shows the byte it cannot print as text
    expect(r.stdout).toContain(' # Caf\\xE9\n-Port 22\n+Include /etc/ssh/sshd_config.d/*.conf\n+#Port 22\n');
  });

  it('CRLF endings, invalid sequences, UTF-8 and a BOM-like byte run in sshd_config: one line added, every other byte kept', async () => {
    const original = Buffer.concat([
      Buffer.from('# Caf\xe9 \xff\xfe \xc0\xaf \xed\xa0\x80 stray bytes\r\n', 'latin1'),
      Buffer.from('# UTF-8 too: é ü \ufeff\r\n', 'utf8'),
      Buffer.from('Port 22\r\n\r\nMatch User bob\xe9\r\n  X11Forwarding no\r\n', 'latin1'),
    ]);
    fs.writeFileSync(file('etc/ssh/sshd_config'), original);
    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // besides the Include line, only the Port line changes: commented out (the drop-in sets the port)
    const commented = Buffer.from(original.toString('latin1').replace('\nPort 22\r\n', '\n#Port 22\r\n'), 'latin1');
    expect(commented.equals(original)).toBe(false);
    expect(addedLines(commented, bytes('etc/ssh/sshd_config'))).toEqual(['Include /etc/ssh/sshd_config.d/*.conf\r\n']);
    expect(bytes('etc/ssh/sshd_config.orig')).toEqual(original);
  });

  it('files fwconf replaces (xinetd service, ufw script) that hold Latin-1: replaced, the originals saved byte for byte', async () => {
    const xinetd = Buffer.from('# h\xf4te de mon pot de miel\nservice thp-pasv\n{\n\tport = 22\n}\n', 'latin1');
    const ufw = Buffer.from('#!/bin/sh\n# r\xe8gles\nufw allow 22/tcp\n', 'latin1');
    fs.writeFileSync(file('etc/xinetd.d/thp-pasv'), xinetd);
    fs.mkdirSync(file('etc/fwconf'));
    fs.writeFileSync(file('etc/fwconf/ufw.sh'), ufw, { mode: 0o700 });
    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/replace +\/etc\/xinetd\.d\/thp-pasv \(0644\), original saved as \/etc\/xinetd\.d\/thp-pasv\.orig — not written by fwconf/);
    expect(bytes('etc/xinetd.d/thp-pasv.orig')).toEqual(xinetd);
    expect(bytes('etc/fwconf/ufw.sh.orig')).toEqual(ufw);
    expect(bytes('etc/xinetd.d/thp-pasv').toString('utf8')).toContain(`# ${MARKER}`);
    expect(fs.statSync(file('etc/fwconf/ufw.sh')).mode & 0o777).toBe(0o700);
  });

  it("a user's jail.local that is not UTF-8 is refused at the byte (fail2ban skips such a file whole); nothing changes", async () => {
    fs.writeFileSync(file('etc/fail2ban/jail.local'), Buffer.from('[DEFAULT]\n# caf\xe9\nbantime = 2h\n', 'latin1'));
    // the daemon's own behaviour, on this tree: the file is not read at all
    const d = await run('fail2ban-client', ['-c', file('etc/fail2ban'), '-d']);
    expect(d.stdout + d.stderr).toMatch(/Error decoding config file '.*jail\.local'/);
    const before = snapshotTree(root);
    const r = await apply('--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/etc/fail2ban/jail.local:2:6: error: byte 0xE9 is not UTF-8: fail2ban skips a file that is not UTF-8 as a whole');
    expect(r.stderr).toContain('[apply/not-utf8]');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe("apply edits a user's own .local files in place", () => {
  /** A hand-written jail.local: its own style (aligned keys, ':' separators, inline comments), its own jails. */
  const userJail = (r: string) =>
    [
      '# My jails — written by hand, no fwconf marker.',
      '[DEFAULT]',
      'bantime  = 2h    ; a day is too long',
      'findtime : 15m',
      '',
      '# Repeat offenders.',
      '[recidive]',
      'enabled  = true',
      `logpath  = ${r}/var/log/fail2ban.log`,
      '',
      '[my-own-jail]',
      'enabled = true',
      'filter  = sshd',
      `logpath = ${r}/var/log/my-own.log`,
      'backend = polling',
      'maxretry= 7',
      '',
      '[sshd]',
      'Enabled = false  ; off for now',
      'mode    = aggressive',
      '',
    ].join('\n');

  it('keeps the user’s jails, keys and comments byte for byte; fail2ban -d shows the user’s jails and fwconf’s', async () => {
    fs.writeFileSync(file('var/log/fail2ban.log'), '');
    fs.writeFileSync(file('var/log/my-own.log'), '');
    const original = Buffer.from(userJail(root), 'utf8');
    fs.writeFileSync(file('etc/fail2ban/jail.local'), original);

    const dry = await apply('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/edit +\/etc\/fail2ban\/jail\.local \(0644\), original saved as \/etc\/fail2ban\/jail\.local\.orig — the user's own file \(no fwconf marker\): fwconf sets \d+ options in \[sshd\], \[thp-ssh\], \[nginx-http-auth\]; every other line is kept/);
    // the edit as a diff: the user's value replaced where it stands (key spelling and comment kept)
    expect(dry.stdout).toContain('--- a/etc/fail2ban/jail.local\n+++ b/etc/fail2ban/jail.local\n');
    expect(dry.stdout).toContain('-Enabled = false  ; off for now\n+Enabled = true  ; off for now\n');
    expect(bytes('etc/fail2ban/jail.local')).toEqual(original);

    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = bytes('etc/fail2ban/jail.local');
    expect(bytes('etc/fail2ban/jail.local.orig')).toEqual(original);
    // Only [sshd]'s Enabled line changed in place; everything else the user wrote is there, in order.
    const edited = Buffer.from(original.toString('utf8').replace('Enabled = false  ; off for now', 'Enabled = true  ; off for now'), 'utf8');
    const added = addedLines(edited, after);
    expect(added.join('')).toMatch(/^port = 2201\n\n\[thp-ssh\]\nenabled = true\nfilter = thpot\n/);
    expect(after.toString('utf8')).not.toContain(MARKER);

    // Real fail2ban reads the result: the user's jails and fwconf's, with the user's own settings.
    const d = await run('fail2ban-client', ['-c', file('etc/fail2ban'), '-d']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).not.toMatch(/ERROR/);
    const added_ = [...d.stdout.matchAll(/^\['add', '([^']+)'/gm)].map((m) => m[1]);
    expect(added_).toEqual(expect.arrayContaining(['recidive', 'my-own-jail', 'sshd', 'thp-ssh', 'nginx-http-auth']));
    const dump = new Set(d.stdout.split('\n'));
    for (const line of [
      "['set', 'my-own-jail', 'maxretry', 7]", // the user's key
      "['set', 'my-own-jail', 'bantime', '2h']", // the user's [DEFAULT], inline comment stripped by fail2ban
      "['set', 'nginx-http-auth', 'findtime', '15m']", // the user's ':' separator
      "['set', 'recidive', 'addlogpath', '" + file('var/log/fail2ban.log') + "', 'head']",
      "['set', 'thp-ssh', 'maxretry', 3]", // fwconf's
      "['start', 'sshd']", // the user's `Enabled = false` turned on by fwconf
    ])
      expect(dump.has(line), line).toBe(true);

    // Applying again changes nothing.
    const again = await apply('--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing changed: already applied.');
    expect(bytes('etc/fail2ban/jail.local')).toEqual(after);
  });

  it("a user's filter.d/thpot.local: fwconf's failregex set, the user's ignoreregex and comments kept; fail2ban reads both", async () => {
    const original = Buffer.from('# my thpot filter\r\n[Definition]\r\nfailregex = ^OLD <HOST>$\r\n# keep my scanner out\r\nignoreregex = ^scanner \\S+ 192\\.0\\.2\\.7$\r\n', 'utf8');
    fs.writeFileSync(file('etc/fail2ban/filter.d/thpot.local'), original);
    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/edit +\/etc\/fail2ban\/filter\.d\/thpot\.local .*the user's own file/);
    expect(bytes('etc/fail2ban/filter.d/thpot.local')).toEqual(Buffer.from(original.toString('utf8').replace('^OLD <HOST>$', 'SRC=<HOST>'), 'utf8'));
    expect(bytes('etc/fail2ban/filter.d/thpot.local.orig')).toEqual(original);
    const d = await run('fail2ban-client', ['-c', file('etc/fail2ban'), '-d']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/\['multi-set', 'thp-ssh', 'addfailregex', \['SRC=<HOST>'\]\]|\['set', 'thp-ssh', 'addfailregex', 'SRC=<HOST>'\]/);
    expect(d.stdout).toMatch(/\['multi-set', 'thp-ssh', 'addignoreregex', \['\^scanner \\\\S\+ 192\\\\.0\\\\.2\\\\.7\$'\]\]|\['set', 'thp-ssh', 'addignoreregex', '\^scanner/);
  });

  it("a user's jail.local that fail2ban refuses already is not edited: refused at its line, nothing changes", async () => {
    fs.writeFileSync(file('etc/fail2ban/jail.local'), '[sshd]\nenabled = false\n\n[sshd]\nmode = normal\n');
    const t = await run('fail2ban-client', ['-c', file('etc/fail2ban'), '-t']);
    expect(t.code).not.toBe(0);
    const before = snapshotTree(root);
    const r = await apply('--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\/etc\/fail2ban\/jail\.local:4:1: error: section \[sshd\] appears twice .*\[fail2ban\/duplicate-section\]$/m);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a jail.local that fwconf rendered (its marker) is replaced, as render --out would', async () => {
    fs.writeFileSync(file('etc/fail2ban/jail.local'), `# ${MARKER}\n[old-jail]\nenabled = true\n`);
    const r = await apply('--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/replace +\/etc\/fail2ban\/jail\.local/);
    expect(bytes('etc/fail2ban/jail.local').toString('utf8')).not.toContain('[old-jail]');
  });

  it("a jail without a log: the fix for the user's own jail is in their file, for fwconf's in the spec", async () => {
    const exec = debianHost({ '/etc/fail2ban/jail.local': '# mine\n[my-own-jail]\nenabled = true\nfilter = sshd\nlogpath = /var/log/my-own.log\n' });
    exec.files.delete('/var/log/nginx/error.log');
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.files.find((f) => f.path === '/etc/fail2ban/jail.local')!.action).toBe('edit');
    const note = (jail: string) => plan.notes.find((n) => n.includes(`jail [${jail}]`)) ?? '';
    expect(note('my-own-jail')).toContain('set `enabled = false` in [my-own-jail] of /etc/fail2ban/jail.local:3');
    expect(note('nginx-http-auth')).toContain('disable the jail in the spec (fail2ban.jails.nginx-http-auth.enabled: false)');
  });
});

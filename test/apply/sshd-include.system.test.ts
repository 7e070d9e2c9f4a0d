// Include lines re-rooted in their own style (`=`, tabs, trailing comments, CRLF, inside a Match block)
// still make the real sshd read the root's files: `sshd -T -f` on the re-rooted main config shows
// the settings of the root's drop-ins, for the connection classes the Match block decides.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerootIncludes } from '../../src/apply/sshd-edits.js';
import { runOk } from '../spawn.js';

let dir: string;
let hostKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-reroot-'));
  mkdirSync('/run/sshd', { recursive: true });
  hostKey = join(dir, 'host_ed25519');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('re-rooted Include lines, read by sshd', () => {
  it('sshd -T reads the drop-ins below the root through Include lines written with =, tabs and comments', async () => {
    const root = join(dir, 'root');
    const files: Record<string, string> = {
      'etc/ssh/sshd_config.d/10-port.conf': 'Port 2299\n',
      'etc/ssh/extra.conf': 'MaxAuthTries 7\n',
      'etc/ssh/bob.conf': 'X11Forwarding yes\n',
    };
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), t);
    }
    const main = '# top\r\n  include=sshd_config.d/*.conf # drop-ins\r\nInclude\t/etc/ssh/extra.conf\t# local\r\nX11Forwarding no\r\nMatch User bob\r\n\tInclude = bob.conf   # bob only\r\n';
    const conf = join(dir, 'sshd_config');
    const rerooted = rerootIncludes(main, (p) => join(root, p));
    expect(rerooted).toBe(
      `# top\r\n  include=${root}/etc/ssh/sshd_config.d/*.conf # drop-ins\r\nInclude\t${root}/etc/ssh/extra.conf\t# local\r\nX11Forwarding no\r\nMatch User bob\r\n\tInclude = ${root}/etc/ssh/bob.conf   # bob only\r\n`,
    );
    writeFileSync(conf, rerooted);
    expect(readFileSync(conf, 'utf8')).toBe(rerooted);
    const t = (user: string) => runOk(['/usr/sbin/sshd', '-T', '-f', conf, '-h', hostKey, '-C', `user=${user},host=h,addr=192.0.2.1`], { cwd: dir });
    const alice = await t('alice');
    expect(alice).toMatch(/^port 2299$/m);
    expect(alice).toMatch(/^maxauthtries 7$/m);
    expect(alice).toMatch(/^x11forwarding no$/m);
    const bob = await t('bob');
    expect(bob).toMatch(/^port 2299$/m);
    expect(bob).toMatch(/^x11forwarding yes$/m);
  });
});

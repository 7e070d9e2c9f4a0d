// Relative Include against the real sshd: sshd resolves relative paths against /etc/ssh whatever the
// including file's directory. A tree with relative includes, globs, nested includes and includes
// inside Match is bind-mounted over /etc/ssh in a private mount namespace (`unshare -m`), so the
// host's own /etc/ssh is never touched, and `sshd -T -C` there is compared with
// `fwconf sshd effective --root TREE`. And apply's re-rooting of a main config's Include lines, written
// in their own style (`=`, tabs, trailing comments, CRLF, inside a Match block): sshd reads the root's
// drop-ins through them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerootIncludes } from '../../src/apply/sshd-edits.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { run, runOk } from '../spawn.js';

const TREE: Record<string, string> = {
  'etc/ssh/sshd_config': [
    '# relative includes resolve against /etc/ssh',
    'Include sshd_config.d/*.conf',
    'Port 2201',
    'Include "conf.d/[0-9]*.conf" missing/*.conf',
    'Match User alice',
    '\tInclude match.d/alice.conf',
    '\tX11Forwarding no',
    'Match Address 10.0.0.0/8',
    '\tInclude match.d/net*.conf',
    'Match All',
    '\tInclude ../ssh/tail.conf',
    '',
  ].join('\n'),
  'etc/ssh/sshd_config.d/05-first.conf': 'LogLevel VERBOSE\nClientAliveInterval 1m\n',
  // "nested/*.conf" here means /etc/ssh/nested, not sshd_config.d/nested.
  'etc/ssh/sshd_config.d/10-a.conf': 'PasswordAuthentication no\nInclude nested/*.conf\n',
  'etc/ssh/sshd_config.d/nested/x.conf': 'MaxAuthTries 5\nPermitEmptyPasswords yes\n',
  'etc/ssh/nested/x.conf': 'MaxAuthTries 3\n',
  'etc/ssh/sshd_config.d/20-b.conf': 'PermitRootLogin no\nMatch User bob\n\tAllowTcpForwarding no\n',
  'etc/ssh/sshd_config.d/30-c.conf.disabled': 'PermitRootLogin yes\n',
  'etc/ssh/conf.d/1-x.conf': 'AcceptEnv LANG\nMaxStartups 5:50:20\n',
  'etc/ssh/conf.d/2-y.conf': 'AcceptEnv LC_*\nLoginGraceTime 45\n',
  'etc/ssh/conf.d/z.conf': 'LoginGraceTime 99\n',
  'etc/ssh/match.d/alice.conf': 'PermitTTY no\nAllowUsers alice bob\nMatch Address 10.*\n\tMaxSessions 2\n',
  'etc/ssh/match.d/net1.conf': 'MaxSessions 4\nPermitOpen a:1\n',
  'etc/ssh/match.d/net2.conf': 'MaxSessions 7\nPermitListen 8080\n',
  'etc/ssh/tail.conf': 'ClientAliveCountMax 9\n',
};

const CONNECTIONS = [
  'user=alice,addr=10.1.1.1,lport=2201',
  'user=alice,addr=192.0.2.1,lport=2201',
  'user=bob,addr=10.2.2.2,lport=22',
  'user=carol,addr=192.0.2.9,host=c.example.com,lport=22',
];

let dir: string;
let key: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-sshd-inc-'));
  mkdirSync('/run/sshd', { recursive: true });
  key = join(dir, 'hk');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
  for (const [p, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, 'tree', p)), { recursive: true });
    writeFileSync(join(dir, 'tree', p), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const byKeyword = (text: string) => {
  const m = new Map<string, string[]>();
  for (const l of text.split('\n').filter(Boolean)) m.set(l.split(' ')[0]!, [...(m.get(l.split(' ')[0]!) ?? []), l]);
  return m;
};

describe('relative Include against the real sshd', () => {
  it('fwconf sshd effective --root equals sshd -T with the tree mounted over /etc/ssh', async () => {
    // One namespace, one sshd -T per connection, outputs separated by markers.
    const tree = join(dir, 'tree');
    const script = [
      `mount --bind '${tree}/etc/ssh' /etc/ssh`,
      ...CONNECTIONS.map((c) => `echo '@@ ${c}' && /usr/sbin/sshd -T -f /etc/ssh/sshd_config -h '${key}' -C '${c}'`),
    ].join(' && ');
    const res = await run(['unshare', '-m', 'sh', '-c', script], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const outputs = res.stdout.split(/^@@ .*\n/m).slice(1);
    expect(outputs).toHaveLength(CONNECTIONS.length);
    let compared = 0;
    for (const [i, conn] of CONNECTIONS.entries()) {
      const io = captureIo({ cwd: dir });
      const code = await main(['sshd', 'effective', join(tree, 'etc/ssh/sshd_config'), '--root', tree, '--connection', conn], io);
      expect(io.err).toBe('');
      expect(code).toBe(0);
      const ours = byKeyword(io.out);
      const theirs = byKeyword(outputs[i]!);
      for (const [k, lines] of ours) {
        if (k === 'hostkey') continue;
        expect({ conn, k, lines }).toEqual({ conn, k, lines: theirs.get(k) });
        compared++;
      }
    }
    // The values that only a correct resolution gives.
    const alice = byKeyword(outputs[0]!);
    expect(alice.get('maxauthtries')).toEqual(['maxauthtries 3']);
    expect(alice.get('maxsessions')).toEqual(['maxsessions 2']);
    expect(alice.get('logingracetime')).toEqual(['logingracetime 45']);
    expect(alice.get('clientalivecountmax')).toEqual(['clientalivecountmax 9']);
    expect(byKeyword(outputs[2]!).get('allowtcpforwarding')).toEqual(['allowtcpforwarding no']);
    expect(compared).toBeGreaterThan(40);
  });
});

describe('re-rooted Include lines (apply), read by sshd', () => {
  it('sshd -T reads the drop-ins below the root through Include lines written with =, tabs and comments', async () => {
    const root = join(dir, 'reroot');
    const files: Record<string, string> = {
      'etc/ssh/sshd_config.d/10-port.conf': 'Port 2299\n',
      'etc/ssh/extra.conf': 'MaxAuthTries 7\n',
      'etc/ssh/bob.conf': 'X11Forwarding yes\n',
    };
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), t);
    }
    const mainText = '# top\r\n  include=sshd_config.d/*.conf # drop-ins\r\nInclude\t/etc/ssh/extra.conf\t# local\r\nX11Forwarding no\r\nMatch User bob\r\n\tInclude = bob.conf   # bob only\r\n';
    const conf = join(dir, 'sshd_config.rerooted');
    const rerooted = rerootIncludes(mainText, (p) => join(root, p));
    expect(rerooted).toBe(
      `# top\r\n  include=${root}/etc/ssh/sshd_config.d/*.conf # drop-ins\r\nInclude\t${root}/etc/ssh/extra.conf\t# local\r\nX11Forwarding no\r\nMatch User bob\r\n\tInclude = ${root}/etc/ssh/bob.conf   # bob only\r\n`,
    );
    writeFileSync(conf, rerooted);
    expect(readFileSync(conf, 'utf8')).toBe(rerooted);
    const t = (user: string) => runOk(['/usr/sbin/sshd', '-T', '-f', conf, '-h', key, '-C', `user=${user},host=h,addr=192.0.2.1`], { cwd: dir });
    const alice = await t('alice');
    expect(alice).toMatch(/^port 2299$/m);
    expect(alice).toMatch(/^maxauthtries 7$/m);
    expect(alice).toMatch(/^x11forwarding no$/m);
    const bob = await t('bob');
    expect(bob).toMatch(/^port 2299$/m);
    expect(bob).toMatch(/^x11forwarding yes$/m);
  });
});

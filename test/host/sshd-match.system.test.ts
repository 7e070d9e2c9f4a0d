// Match blocks in the host's sshd settings: a Match block that sets a keyword of the hardening drop-in
// to another value is host/drop-in-overrides (a warning) exactly when, for a connection of its class,
// sshd itself (`sshd -T -C` on the root's tree) prints that value instead of the drop-in's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../spawn.js';
import { appliedRoot, copyRoot, edit, hostCodes, read, removeRoot, write, type JsonDiagnostic } from './fixtures.js';

const roots: string[] = [];
const track = (r: string) => (roots.push(r), r);
afterAll(() => roots.forEach(removeRoot));

let base: string;
beforeAll(async () => {
  base = track(await appliedRoot());
});

/** `sshd -T -C CONN` on the root's tree (Include paths re-rooted): keyword → value. */
async function sshdFor(root: string, conn: string): Promise<Map<string, string>> {
  const scratch = path.join(root, 'etc/ssh/.sshd_config.test');
  fs.writeFileSync(scratch, read(root, 'etc/ssh/sshd_config').replace(/^(\s*Include\s+)\/etc\//gim, `$1${root}/etc/`));
  const r = await run(['sshd', '-T', '-C', conn, '-f', scratch]);
  fs.rmSync(scratch);
  expect(r.status, r.stderr).toBe(0);
  return new Map(r.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as [string, string]));
}

const matchFindings = async (root: string): Promise<JsonDiagnostic[]> => (await hostCodes(root)).diagnostics.filter((d) => d.code === 'host/drop-in-overrides' && d.message.startsWith('Match '));

/** The finding's connection and value, run through sshd: it prints that value for that connection. */
async function sshdAgrees(root: string, d: JsonDiagnostic): Promise<{ conn: string; keyword: string; value: string }> {
  const m = /sshd -T -C (\S+) prints (\S+) (.*?)\) sshd takes that/.exec(d.message);
  expect(m, d.message).not.toBeNull();
  const [, conn, keyword, value] = m!;
  expect((await sshdFor(root, conn!)).get(keyword!)).toBe(value);
  return { conn: conn!, keyword: keyword!, value: value! };
}

describe('Match blocks against the hardening drop-in', () => {
  it('Match LocalPort 2201 turning passwords back on: a warning at its line; sshd -T -C agrees, and on another port it does not apply', async () => {
    const root = track(copyRoot(base));
    write(root, 'etc/ssh/sshd_config.d/50-match.conf', '# local\nMatch LocalPort 2201\n    PasswordAuthentication yes\n');
    const [d, ...more] = await matchFindings(root);
    expect(more).toEqual([]);
    expect(d).toMatchObject({ severity: 'warning', file: path.join(root, 'etc/ssh/sshd_config.d/50-match.conf'), line: 3, column: 5 });
    expect(d!.related.map((r) => [path.basename(r.file), r.message])).toEqual([
      ['00-fwconf.conf', "the drop-in's PasswordAuthentication"],
      ['50-match.conf', 'Match LocalPort 2201'],
    ]);
    const got = await sshdAgrees(root, d!);
    expect(got).toMatchObject({ keyword: 'passwordauthentication', value: 'yes' });
    expect(got.conn).toContain('lport=2201');
    expect((await sshdFor(root, got.conn.replace('lport=2201', 'lport=2222'))).get('passwordauthentication')).toBe('no');
  });

  it('Match Address in sshd_config letting root in: found with an address of the block; the drop-in decides for the others', async () => {
    const root = track(copyRoot(base));
    edit(root, 'etc/ssh/sshd_config', (t) => `${t}\nMatch Address 10.0.0.0/8,!10.0.0.9\n\tPermitRootLogin yes\n`);
    const [d] = await matchFindings(root);
    expect(d!.file).toBe(path.join(root, 'etc/ssh/sshd_config'));
    const got = await sshdAgrees(root, d!);
    expect(got).toMatchObject({ keyword: 'permitrootlogin', value: 'yes' });
    expect(got.conn).toMatch(/addr=10\./);
    expect((await sshdFor(root, got.conn.replace(/addr=[^,]+/, 'addr=192.0.2.1'))).get('permitrootlogin')).toBe('no');
  });

  it('no finding where the Match block changes nothing for its connections: the same value, or an earlier block decides', async () => {
    const root = track(copyRoot(base));
    write(root, 'etc/ssh/sshd_config.d/50-match.conf', 'Match LocalPort 2201\n  PasswordAuthentication no\nMatch All\n  PasswordAuthentication yes\nMatch User deploy\n  X11Forwarding no\n');
    expect(await matchFindings(root)).toEqual([]);
    // sshd agrees: on sshd's one port, 2201, the first block decides (the Match All block never does)
    expect((await sshdFor(root, 'user=alice,host=x.invalid,addr=192.0.2.1,laddr=192.0.2.2,lport=2201')).get('passwordauthentication')).toBe('no');
    // A Match All alone does decide for every connection.
    write(root, 'etc/ssh/sshd_config.d/50-match.conf', 'Match All\n  PasswordAuthentication yes\n');
    const [d] = await matchFindings(root);
    await sshdAgrees(root, d!);
  });
});

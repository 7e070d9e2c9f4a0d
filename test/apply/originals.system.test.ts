// A rollback puts back the original files themselves, not copies of their content: mtime to the
// nanosecond, mode, owner, inode and extended attributes are as before (checked with the kernel's own
// view: lstat, and python3's os.getxattr, as Node has no xattr API).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { metadataTree, scratchRoot, seedFiles, snapshotTree, spawnAsync } from './fixtures.js';

let root: string;
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const py = async (code: string, ...args: string[]) => {
  const r = await spawnAsync(['python3', '-c', code, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};
const setXattr = (file: string, name: string, value: string) => py('import os, sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())', file, name, value);
const xattrs = (file: string) => py('import os, sys; print(sorted((n, os.getxattr(sys.argv[1], n).decode()) for n in os.listxattr(sys.argv[1])))', file);

it('a rolled-back apply restores mtime (ns), mode, owner, inode and xattrs of every file it had changed', async () => {
  root = scratchRoot({ sshdConfig: 'sshd_config.noinclude' });
  // three originals the seed changes: the main config (edited: Include added), a drop-in and an xinetd service (replaced)
  fs.writeFileSync(path.join(root, 'etc/ssh/sshd_config.d/00-fwconf.conf'), '# older drop-in\nPort 22\n');
  fs.writeFileSync(path.join(root, 'etc/xinetd.d/thp-pasv'), 'service thp-pasv\n{\n\tdisable = yes\n}\n');
  const originals = ['etc/ssh/sshd_config', 'etc/ssh/sshd_config.d/00-fwconf.conf', 'etc/xinetd.d/thp-pasv'];
  for (const [i, rel] of originals.entries()) {
    const f = path.join(root, rel);
    fs.chmodSync(f, 0o640 + i);
    fs.chownSync(f, 1234 + i, 2345 + i);
    const t = await spawnAsync(['touch', '-h', '-d', `@15779342${i}5.123456789`, f]);
    expect(t.code, t.stderr).toBe(0);
    await setXattr(f, 'user.fwconf-test', `kept ${i}`);
  }
  const before = snapshotTree(root);
  const meta = metadataTree(root);
  expect(meta['etc/ssh/sshd_config']).toMatch(/mtime 1577934205123456789$/);
  const attrs = await Promise.all(originals.map((rel) => xattrs(path.join(root, rel))));
  expect(attrs[2]).toContain("'kept 2'");

  // a jail whose filter does not exist: fail2ban-client -t rejects the installed tree
  const bad = seedFiles().map((f) => (f.path.endsWith('jail.local') ? { ...f, content: f.content.replace('filter = thpot', 'filter = thpot-missing') } : f));
  const exec = new LocalExecutor({ root });
  const result = await executePlan(await planApply(bad, exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
  expect(result.status, formatResult(result)).toBe('rolled-back');
  expect(result.reason).toContain('fail2ban rejected');
  expect(result.steps.filter((s) => s.kind === 'backup').map((s) => s.detail)).toEqual(
    ['/etc/ssh/sshd_config.d/00-fwconf.conf.orig', '/etc/xinetd.d/thp-pasv.orig', '/etc/ssh/sshd_config.orig'].map((b) => `kept as ${b} (the original file itself)`),
  );

  expect(snapshotTree(root)).toEqual(before);
  expect(metadataTree(root)).toEqual(meta);
  expect(await Promise.all(originals.map((rel) => xattrs(path.join(root, rel))))).toEqual(attrs);
});

it('after a successful apply, NAME.orig is the original file with its mtime, owner and xattrs', async () => {
  root = scratchRoot({ sshdConfig: 'sshd_config.noinclude' });
  const main = path.join(root, 'etc/ssh/sshd_config');
  fs.chownSync(main, 1234, 2345);
  fs.utimesSync(main, 1577934245, 1577934245);
  await setXattr(main, 'user.fwconf-test', 'kept');
  const meta = metadataTree(root)['etc/ssh/sshd_config'];
  const content = fs.readFileSync(main, 'latin1');
  const exec = new LocalExecutor({ root });
  const result = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
  expect(result.status, formatResult(result)).toBe('applied');
  expect(metadataTree(root)['etc/ssh/sshd_config.orig']).toBe(meta);
  expect(fs.readFileSync(`${main}.orig`, 'latin1')).toBe(content);
  expect(await xattrs(`${main}.orig`)).toContain("('user.fwconf-test', 'kept')");
  // the new file keeps mode and owner
  const s = fs.statSync(main);
  expect([s.uid, s.gid]).toEqual([1234, 2345]);
});

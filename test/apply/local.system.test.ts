import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, PathEscapeError, planApply } from '../../src/apply/index.js';
import { host, scratchRoot, seedFiles, snapshotTree } from './fixtures.js';

let root: string;
let outside: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-root-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-outside-'));
  fs.mkdirSync(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/ssh/sshd_config'), host('sshd_config.noinclude'));
  fs.mkdirSync(path.join(root, 'etc/xinetd.d'), { recursive: true });
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('LocalExecutor under a root', () => {
  it('maps daemon paths into the root and keeps mode and owner on replace', async () => {
    const exec = new LocalExecutor({ root });
    expect(exec.live).toBe(false);
    expect(exec.hostPath('/etc/ssh/sshd_config')).toBe(path.join(fs.realpathSync(root), 'etc/ssh/sshd_config'));
    const jail = path.join(root, 'etc/fail2ban/jail.local');
    fs.mkdirSync(path.dirname(jail), { recursive: true });
    fs.writeFileSync(jail, '[sshd]\n');
    fs.chmodSync(jail, 0o600);
    fs.chownSync(jail, 1234, 2345);
    const f = seedFiles().find((x) => x.path.endsWith('jail.local'))!;
    const plan = await planApply([f], exec);
    await exec.write(plan.files[0]!.temp, Buffer.from(f.content), { mode: plan.files[0]!.mode, uid: plan.files[0]!.uid, gid: plan.files[0]!.gid });
    await exec.rename(plan.files[0]!.temp, f.path);
    const s = fs.statSync(jail);
    expect([s.mode & 0o7777, s.uid, s.gid]).toEqual([0o600, 1234, 2345]);
    expect(fs.readFileSync(jail, 'utf8')).toBe(f.content);
  });

  it('refuses paths that leave the root through a symlink, and writes nothing outside', async () => {
    fs.symlinkSync(outside, path.join(root, 'etc/fail2ban'));
    const exec = new LocalExecutor({ root });
    await expect(exec.write('/etc/fail2ban/jail.local', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(PathEscapeError);
    await expect(planApply(seedFiles(), exec)).rejects.toThrow(PathEscapeError);
    expect(fs.readdirSync(outside)).toEqual([]);
    // a dangling link and a link at the file itself are refused too
    fs.symlinkSync(path.join(outside, 'nope'), path.join(root, 'etc/xinetd.d/thp-pasv'));
    await expect(exec.read('/etc/xinetd.d/thp-pasv')).rejects.toThrow(PathEscapeError);
    await expect(exec.write('/etc/xinetd.d/thp-pasv', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(PathEscapeError);
    expect(fs.readdirSync(outside)).toEqual([]);
    // `..` cannot climb out either
    expect(exec.hostPath('/../../etc/passwd')).toBe(path.join(fs.realpathSync(root), 'etc/passwd'));
  });

  it('follows a symlink that stays inside the root', async () => {
    fs.mkdirSync(path.join(root, 'srv/f2b'), { recursive: true });
    fs.symlinkSync('../srv/f2b', path.join(root, 'etc/fail2ban'));
    const exec = new LocalExecutor({ root });
    await exec.write('/etc/fail2ban/x', Buffer.from('y'), { mode: 0o644 });
    expect(fs.readFileSync(path.join(root, 'srv/f2b/x'), 'utf8')).toBe('y');
  });

  it('runs programs with an argument list, never a shell', async () => {
    const exec = new LocalExecutor({ root });
    const r = await exec.run(['/bin/echo', '$(touch /tmp/x)', ';', '*']);
    expect(r).toEqual({ code: 0, stdout: '$(touch /tmp/x) ; *\n', stderr: '' });
    expect((await exec.run(['/nonexistent/program'])).code).toBe(127);
    expect(await exec.which('sshd')).toBe('/usr/sbin/sshd');
  });

  it('applies the seed into a scratch root with the real validators; rollback on a bad file is byte-exact', async () => {
    scratchRoot({ root, sshdConfig: 'sshd_config.noinclude' });
    const before = snapshotTree(root);
    const exec = new LocalExecutor({ root });
    // a jail whose filter does not exist: fail2ban-client -t rejects it
    const bad = seedFiles().map((f) => (f.path.endsWith('jail.local') ? { ...f, content: f.content.replace('filter = thpot', 'filter = thpot-missing') } : f));
    const failed = await executePlan(await planApply(bad, exec, { operator: { user: 'root' } }), exec, { allowLockout: true });
    expect(failed.status, formatResult(failed)).toBe('rolled-back');
    expect(failed.reason).toContain('fail2ban rejected');
    expect(snapshotTree(root)).toEqual(before);

    const plan = await planApply(seedFiles(), exec, { operator: { user: 'root' } });
    expect(plan.validations[0]!.argv.slice(0, 3)).toEqual(['sshd', '-t', '-f']);
    expect(plan.validations[0]!.scratch!.content).toContain(`Include ${fs.realpathSync(root)}/etc/ssh/sshd_config.d/*.conf`);
    const result = await executePlan(plan, exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('applied');
    expect(result.steps.filter((s) => s.kind === 'validate').map((s) => [s.what.split(' ')[0], s.ok])).toEqual([['sshd', true], ['sh', true], ['fail2ban-client', true], ['xinetd', true]]);
    expect(result.steps.filter((s) => s.kind === 'skip').map((s) => s.what)).toContain('systemctl reload ssh');
    for (const f of seedFiles()) expect(fs.readFileSync(path.join(root, f.path), 'utf8')).toBe(f.content);
    expect(fs.statSync(path.join(root, 'etc/fwconf/ufw.sh')).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config.orig'), 'utf8')).toBe(host('sshd_config.noinclude'));
    expect(fs.readdirSync(path.join(root, 'etc/ssh')).filter((n) => n.includes('fwconf')).sort()).toEqual([]);
    const again = await executePlan(await planApply(seedFiles(), exec, { operator: { user: 'root' } }), exec);
    expect(again.status).toBe('unchanged');
  });
});

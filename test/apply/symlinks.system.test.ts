// apply never writes through a symbolic link, nor replaces one, nor follows one out of the root: the
// attack of issue 14 run for real on scratch roots, links between files of the tree (as on a live
// system, where every target is "inside /"), the backups and the journal, and the live executor
// (root /) on a scratch tree.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan, formatResult, JOURNAL, LocalExecutor, PathEscapeError, planApply, recoverInterrupted, writeRefusals, type Plan } from '../../src/apply/index.js';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { scratchRoot, seedFiles, snapshotTree } from './fixtures.js';

let root: string;
let outside: string;
beforeEach(() => {
  root = scratchRoot({ sshdConfig: 'sshd_config.noinclude' });
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-outside-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const r = (p: string) => path.join(root, p);
const operator = { operator: { user: 'root' } };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdin: async () => '',
    interactive: false,
    env: { PATH: process.env.PATH, USER: 'alice' },
    cwd: process.cwd(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function applySeed(): Promise<ReturnType<typeof executePlan>> {
  const exec = new LocalExecutor({ root });
  return executePlan(await planApply(seedFiles(), exec, operator), exec, { allowLockout: true });
}

describe('a target that is a symbolic link is refused before anything is written', () => {
  it('fwconf apply --root R --yes with R/etc/fail2ban/jail.local -> ../passwd (and the dry run)', async () => {
    fs.symlinkSync('../passwd', r('etc/fail2ban/jail.local'));
    const before = snapshotTree(root);
    const passwd = fs.readFileSync(r('etc/passwd'), 'utf8');
    for (const flag of ['--yes', '--dry-run']) {
      const c = capture();
      expect(await main(['apply', '--root', root, flag, '--allow-lockout'], c.io)).toBe(1);
      expect(c.out()).toContain('REFUSED: /etc/fail2ban/jail.local (a file to change) is a symbolic link (-> ../passwd): apply neither writes through a link nor replaces one');
      expect(c.err()).toContain('fwconf apply: refusing, nothing was written: /etc/fail2ban/jail.local (a file to change) is a symbolic link (-> ../passwd)');
      expect(c.out()).not.toContain('would write');
      expect(fs.readFileSync(r('etc/passwd'), 'utf8')).toBe(passwd);
      expect(snapshotTree(root)).toEqual(before);
    }
  });

  it('links between files of the tree: a drop-in, an xinetd service, a file to create', async () => {
    fs.writeFileSync(r('etc/thp-real'), 'service thp-pasv\n{\n}\n');
    fs.symlinkSync('../thp-real', r('etc/xinetd.d/thp-pasv'));
    fs.symlinkSync('../sshd_config', r('etc/ssh/sshd_config.d/00-fwconf.conf'));
    fs.symlinkSync('thpot.conf', r('etc/fail2ban/filter.d/thpot.local')); // dangling: to create
    const before = snapshotTree(root);
    const result = await applySeed();
    expect(result.status, formatResult(result)).toBe('refused');
    expect(result.steps).toEqual([]);
    expect(result.reason).toContain('/etc/xinetd.d/thp-pasv (a file to change) is a symbolic link (-> ../thp-real)');
    expect(result.reason).toContain('/etc/ssh/sshd_config.d/00-fwconf.conf (a file to change) is a symbolic link (-> ../sshd_config)');
    expect(result.reason).toContain('/etc/fail2ban/filter.d/thpot.local (a file to create) is a symbolic link (-> thpot.conf)');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('the executor itself refuses a write or a rename onto a link, and removes a link, not its target', async () => {
    fs.symlinkSync('../passwd', r('etc/fail2ban/jail.local'));
    const passwd = fs.readFileSync(r('etc/passwd'), 'utf8');
    const exec = new LocalExecutor({ root });
    expect(await exec.readlink('/etc/fail2ban/jail.local')).toBe('../passwd');
    expect(Buffer.from((await exec.read('/etc/fail2ban/jail.local'))!).toString()).toBe(passwd); // reads follow, inside the root
    await expect(exec.write('/etc/fail2ban/jail.local', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(/symbolic link \(-> \.\.\/passwd\)/);
    await exec.write('/etc/fail2ban/.new', Buffer.from('[x]\n'), { mode: 0o644 });
    await expect(exec.rename('/etc/fail2ban/.new', '/etc/fail2ban/jail.local')).rejects.toThrow(PathEscapeError);
    await expect(exec.preserve('/etc/fail2ban/jail.local', '/etc/fail2ban/jail.local.orig', '/etc/fail2ban/t')).rejects.toThrow(PathEscapeError);
    await exec.remove('/etc/fail2ban/jail.local');
    expect(fs.existsSync(r('etc/fail2ban/jail.local'))).toBe(false);
    expect(fs.readFileSync(r('etc/passwd'), 'utf8')).toBe(passwd);
  });
});

describe('backups and the journal', () => {
  it('NAME.orig taken by a link: the backup gets the next name, the link and its target stay', async () => {
    fs.symlinkSync('../passwd', r('etc/ssh/sshd_config.orig'));
    const passwd = fs.readFileSync(r('etc/passwd'), 'utf8');
    const result = await applySeed();
    expect(result.status, formatResult(result)).toBe('applied');
    expect(fs.readlinkSync(r('etc/ssh/sshd_config.orig'))).toBe('../passwd');
    expect(fs.readFileSync(r('etc/passwd'), 'utf8')).toBe(passwd);
    const backups = fs.readdirSync(r('etc/ssh')).filter((n) => n.startsWith('sshd_config.orig.')).sort();
    expect(backups).toHaveLength(1);
    expect(fs.lstatSync(r(`etc/ssh/${backups[0]}`)).isFile()).toBe(true);
  });

  it('a dangling link as NAME.orig, the journal or its staging file: refused, nothing written', async () => {
    fs.symlinkSync('../nowhere', r('etc/ssh/sshd_config.orig'));
    fs.mkdirSync(r('var/lib/fwconf'), { recursive: true });
    fs.symlinkSync('../../../etc/passwd', r(`${JOURNAL}.tmp`));
    const before = snapshotTree(root);
    const result = await applySeed();
    expect(result.status).toBe('refused');
    expect(result.reason).toContain('/etc/ssh/sshd_config.orig (the backup of /etc/ssh/sshd_config) is a symbolic link (-> ../nowhere)');
    expect(result.reason).toContain(`${JOURNAL}.tmp (the journal's staging file) is a symbolic link (-> ../../../etc/passwd)`);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a journal that is a link is not taken for one: recovery refuses, apply refuses, the target stays', async () => {
    fs.mkdirSync(r('var/lib/fwconf'), { recursive: true });
    fs.symlinkSync('../../../etc/passwd', r(JOURNAL));
    const before = snapshotTree(root);
    const exec = new LocalExecutor({ root });
    const steps = await recoverInterrupted(exec);
    expect(steps).toEqual([expect.objectContaining({ kind: 'recover', ok: false, detail: expect.stringContaining('is a symbolic link (-> ../../../etc/passwd)') })]);
    expect((await executePlan(await planApply(seedFiles(), exec, operator), exec, { allowLockout: true })).status).toBe('refused');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('directories on the way', () => {
  it('a directory link that stays below the root is followed (chroot and host agree); the link stays a link', async () => {
    fs.renameSync(r('etc/ssh/sshd_config.d'), r('etc/sshd.d'));
    fs.symlinkSync('../sshd.d', r('etc/ssh/sshd_config.d'));
    const result = await applySeed();
    expect(result.status, formatResult(result)).toBe('applied');
    expect(fs.readlinkSync(r('etc/ssh/sshd_config.d'))).toBe('../sshd.d');
    expect(fs.readFileSync(r('etc/sshd.d/00-fwconf.conf'), 'utf8')).toBe(seedFiles()[0]!.content);
  });

  it('a dangling directory link is not a directory to create: nothing is made at its target, the apply rolls back', async () => {
    fs.symlinkSync('../srv/nowhere', r('etc/fwconf'));
    const before = snapshotTree(root);
    const result = await applySeed();
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(result.rollbackProblems).toEqual([]);
    expect(fs.existsSync(r('srv'))).toBe(false);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a relative link climbing above the root, or an absolute one (even to the root itself on this host), is refused', async () => {
    const rel = path.relative(r('etc'), outside);
    fs.rmSync(r('etc/xinetd.d'), { recursive: true });
    fs.symlinkSync(rel, r('etc/xinetd.d'));
    const exec = new LocalExecutor({ root });
    await expect(exec.read('/etc/xinetd.d/thp-pasv')).rejects.toThrow(/climbs above the root/);
    await expect(exec.write('/etc/xinetd.d/thp-pasv', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(PathEscapeError);
    await expect(exec.mkdir('/etc/xinetd.d/sub', 0o755)).rejects.toThrow(PathEscapeError);
    fs.unlinkSync(r('etc/xinetd.d'));
    fs.mkdirSync(r('srv/xinetd.d'), { recursive: true });
    fs.symlinkSync(r('srv/xinetd.d'), r('etc/xinetd.d')); // a chroot would read R/R/srv/..., this host R/srv/...
    await expect(exec.write('/etc/xinetd.d/thp-pasv', Buffer.from('x'), { mode: 0o644 })).rejects.toThrow(/absolute path/);
    const before = snapshotTree(root);
    await expect(planApply(seedFiles(), exec, operator)).rejects.toThrow(PathEscapeError);
    expect(snapshotTree(root)).toEqual(before);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(r('srv/xinetd.d'))).toEqual([]);
  });
});

describe('the live executor (root /) on a scratch tree', () => {
  it('follows links between files for reads and directories for writes, never a link at the path written', async () => {
    const t = fs.realpathSync(outside);
    fs.writeFileSync(path.join(t, 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    fs.symlinkSync('passwd', path.join(t, 'jail.local'));
    fs.mkdirSync(path.join(t, 'real'));
    fs.symlinkSync(path.join(t, 'real'), path.join(t, 'dir')); // absolute: the same on the host and under /
    const exec = new LocalExecutor();
    expect(exec.live).toBe(true);
    expect(Buffer.from((await exec.read(`${t}/jail.local`))!).toString()).toBe('root:x:0:0::/root:/bin/sh\n');
    await expect(exec.write(`${t}/jail.local`, Buffer.from('[x]\n'), { mode: 0o644 })).rejects.toThrow(PathEscapeError);
    await exec.write(`${t}/dir/x`, Buffer.from('y'), { mode: 0o600 });
    expect(fs.readFileSync(path.join(t, 'real/x'), 'utf8')).toBe('y');
    await exec.write(`${t}/.jail.local.tmp`, Buffer.from('[x]\n'), { mode: 0o644 });
    await expect(exec.rename(`${t}/.jail.local.tmp`, `${t}/jail.local`)).rejects.toThrow(PathEscapeError);
    expect(fs.readFileSync(path.join(t, 'passwd'), 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');

    // the plan's own check, read-only: a plan replacing the linked file is refused
    const plan: Plan = {
      target: exec.description,
      live: false,
      files: [
        { path: `${t}/jail.local`, service: 'fail2ban', format: 'fail2ban', action: 'replace', before: '', after: '[x]\n', diff: '', mode: 0o644, backup: `${t}/jail.local.orig`, temp: `${t}/.jail.local.tmp` },
      ],
      validations: [],
      libraryChecks: [],
      snapshots: [],
      reloads: [],
      verifications: [],
      lockout: [],
      notes: [],
    };
    expect(await writeRefusals(plan, exec)).toEqual([expect.stringContaining(`${t}/jail.local (a file to change) is a symbolic link (-> passwd)`)]);
  });
});

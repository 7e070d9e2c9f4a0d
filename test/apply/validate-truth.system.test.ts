// What apply says when a validator refuses the tree below a root, run for real (sshd -t on the root's
// re-rooted main config): the message names the file the user knows and its line — never the staging
// copy — and says whether the offending line was already there or is one the apply writes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import { fwconf } from '../host/fixtures.js';
import { alice, scratchRoot, snapshotTree } from './fixtures.js';

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('sshd -t refusing the tree below a root', () => {
  it("a bad line already in sshd_config: named as /etc/ssh/sshd_config:N, 'there before the apply', not the staging file", async () => {
    root = scratchRoot();
    const main = path.join(root, 'etc/ssh/sshd_config');
    const lines = fs.readFileSync(main, 'utf8').split('\n');
    lines.splice(20, 0, 'Frobnicate yes');
    fs.writeFileSync(main, lines.join('\n'));
    const before = snapshotTree(root);
    const exec = new LocalExecutor({ root });
    const plan = await planApply(render(DEFAULT_SPEC).files, exec, alice);
    const result = await executePlan(plan, exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    // Debian's sshd_config includes the drop-ins already: apply does not change it.
    expect(plan.files.some((f) => f.path === '/etc/ssh/sshd_config')).toBe(false);
    expect(result.reason).toContain('/etc/ssh/sshd_config:21: Bad configuration option: Frobnicate (already there before the apply; fwconf does not change this file)');
    // sshd's own words name the staging copy; apply shows them naming the main config
    expect(result.reason).toContain('exit 255: /etc/ssh/sshd_config: line 21: Bad configuration option: Frobnicate');
    expect(formatResult(result)).not.toMatch(/\.fwconf-[^ ]*\.check:? line/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("a bad value the apply writes in its drop-in: named at the drop-in's line, 'a line this apply writes'", async () => {
    root = scratchRoot();
    const exec = new LocalExecutor({ root });
    const files = render(DEFAULT_SPEC).files.map((f) => (f.path.endsWith('00-fwconf.conf') ? { ...f, content: f.content.replace(/^MaxAuthTries 3$/m, 'MaxAuthTries lots') } : f));
    const dropIn = files.find((f) => f.path.endsWith('00-fwconf.conf'))!;
    const line = dropIn.content.split('\n').indexOf('MaxAuthTries lots') + 1;
    expect(line).toBeGreaterThan(0);
    const result = await executePlan(await planApply(files, exec, alice), exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(result.reason).toContain(`${dropIn.path}:${line}: MaxAuthTries integer value invalid. (a line this apply writes)`);
  });
});

describe('fail2ban: what the plan says it will refuse stops the apply', () => {
  it("a jail's log that exists on this machine but not below the root: fail2ban-client -t passes, the apply is rolled back with the real cause", async () => {
    root = scratchRoot();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-hostlog-'));
    try {
      fs.writeFileSync(path.join(outside, 'auth.log'), '');
      fs.writeFileSync(path.join(root, 'etc/fail2ban/jail.d/zzz-test.local'), `[sshd]\nlogpath = ${outside}/auth.log\n`);
      const exec = new LocalExecutor({ root });
      const plan = await planApply(render(DEFAULT_SPEC).files, exec, alice);
      expect(plan.notes.filter((n) => n.startsWith('fail2ban will refuse'))).toEqual([expect.stringContaining(`jail [sshd]: logpath ${outside}/auth.log matches no file (logpath = ${outside}/auth.log, /etc/fail2ban/jail.d/zzz-test.local:2; ${outside} does not exist)`)]);
      const before = snapshotTree(root);
      const result = await executePlan(plan, exec, { allowLockout: true });
      expect(result.status, formatResult(result)).toBe('rolled-back');
      const validate = result.steps.filter((s) => s.kind === 'validate');
      expect(validate.find((s) => s.what.startsWith('fail2ban-client'))?.ok).toBe(true);
      expect(validate.at(-1)).toMatchObject({ ok: false });
      expect(result.reason).toContain('fail2ban will refuse to start: jail [sshd]');
      expect(result.reason).toContain('fail2ban-client -t reads log paths on this machine, not below the root');
      expect(snapshotTree(root)).toEqual(before);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('--dry-run runs the validators on a staged copy', () => {
  it('a clean tree: each validator runs (on a staged copy) and passes; a bad sshd line: the dry run says sshd would reject it, exit 1, nothing changed', async () => {
    root = scratchRoot();
    const before = snapshotTree(root);
    const c = await fwconf(['apply', '--root', root, '--dry-run']);
    expect(c.code, c.out + c.err).toBe(0);
    for (const v of ['sshd -t -f /etc/ssh/sshd_config', 'fail2ban-client -c /etc/fail2ban -t', 'sh -n /etc/fwconf/ufw.sh'])
      expect(c.out).toMatch(new RegExp(`ok +validate +${v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(on a staged copy\\)`));
    expect(snapshotTree(root)).toEqual(before);

    const main2 = path.join(root, 'etc/ssh/sshd_config');
    fs.writeFileSync(main2, fs.readFileSync(main2, 'utf8').replace(/^#Port 22$/m, '#Port 22\nFrobnicate yes'));
    const line = fs.readFileSync(main2, 'utf8').split('\n').indexOf('Frobnicate yes') + 1;
    const bad = snapshotTree(root);
    const d = await fwconf(['apply', '--root', root, '--dry-run']);
    expect(d.code).toBe(1);
    expect(d.out).toMatch(/FAIL +validate +sshd -t -f \/etc\/ssh\/sshd_config \(on a staged copy\)/);
    expect(d.err).toContain(`fwconf apply: dry run: the apply would be rolled back: sshd would reject the new configuration`);
    expect(d.err).toContain(`/etc/ssh/sshd_config:${line}: Bad configuration option: Frobnicate (already there before the apply; fwconf does not change this file)`);
    expect(d.err).not.toContain('fwconf-dry-run-');
    expect(snapshotTree(root)).toEqual(bad);
  });
});

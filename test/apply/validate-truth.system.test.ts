// What apply says when a validator refuses the tree below a root, run for real (sshd -t on the root's
// re-rooted main config): the message names the file the user knows and its line — never the staging
// copy — and says whether the offending line was already there or is one the apply writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
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

// fwconf apply --ufw-files: ufw's own files (as render --ufw-files renders them) installed through
// apply instead of the ufw script — on a scratch --root (the plan, the lockout guard read from the
// planned rule files, iptables-restore --test, the originals kept as .orig, no reload below a root),
// and accepted by the real ufw (in a network namespace, on the same tree with --rootdir/--datadir).
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadSpec } from '../../src/builder/load.js';
import { render } from '../../src/builder/render.js';
import { ufwState } from '../../src/builder/ufw.js';
import { statusText } from '../../src/ufw/layout.js';
import { FIXTURES, scratchRoot, snapshotTree } from '../apply/fixtures.js';
import { captureIo } from '../cli/capture-io.js';
import { withNetns } from '../netns.js';
import { privateUfwTree } from '../ufw-tree.js';

const SPEC = join(FIXTURES, 'spec/seed.yaml');
const UFW_FILES = ['etc/ufw/user.rules', 'etc/ufw/user6.rules', 'etc/ufw/ufw.conf', 'etc/default/ufw'];

async function fwconf(argv: string[]) {
  // the operator is alice (the scratch root's user with a key): the seed spec refuses root logins
  const io = Object.assign(captureIo(), { env: { PATH: process.env.PATH, USER: 'alice' } });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** What render --ufw-files gives for a spec file: daemon path → content. */
function rendered(specFile: string): Map<string, string> {
  const spec = loadSpec(readFileSync(specFile, 'utf8'), { file: specFile }).spec!;
  return new Map(render(spec as never, { ufw: 'files' }).files.filter((f) => f.service === 'ufw').map((f) => [f.path.slice(1), f.content]));
}

let root = '';
beforeEach(() => {
  root = scratchRoot();
  chmodSync(root, 0o755);
  privateUfwTree(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('fwconf apply --ufw-files', () => {
  it('installs ufw\'s own files instead of the script: validated, the originals kept, no reload below a root', async () => {
    const want = rendered(SPEC);
    expect([...want.keys()].sort()).toEqual([...UFW_FILES].sort());
    const originals = new Map(UFW_FILES.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
    const r = await fwconf(['apply', SPEC, '--root', root, '--ufw-files', '--yes']);
    expect(r.code, r.err + r.out).toBe(0);
    let replaced = 0;
    for (const f of UFW_FILES) {
      expect(readFileSync(join(root, f), 'utf8'), f).toBe(want.get(f));
      // a file that changes (ufw's stock file, not fwconf's) is replaced and kept as NAME.orig
      if (originals.get(f) === want.get(f)) expect(existsSync(join(root, `${f}.orig`)), `${f}.orig`).toBe(false);
      else {
        replaced++;
        expect(readFileSync(join(root, `${f}.orig`), 'utf8'), `${f}.orig`).toBe(originals.get(f));
      }
    }
    expect(replaced).toBeGreaterThanOrEqual(3); // user.rules, user6.rules (the rules), ufw.conf (ENABLED=yes)
    expect(existsSync(join(root, 'etc/fwconf/ufw.sh'))).toBe(false);
    expect(r.out).not.toContain('run the ufw script');
    expect(r.out).toMatch(/ok +validate +iptables-restore --test \S+\/etc\/ufw\/user\.rules/);
    expect(r.out).toMatch(/ok +validate +ip6tables-restore --test \S+\/etc\/ufw\/user6\.rules/);
    // below a root ufw is not asked to load them (the plan names it, skipped)
    expect(r.out).toMatch(/skip +ufw --force enable/);
    // and a second apply has nothing to do
    const again = await fwconf(['apply', SPEC, '--root', root, '--ufw-files', '--yes']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('Nothing changed: already applied.');
  }, 300_000);

  it('a dry run validates the rule files on a staged copy and changes nothing', async () => {
    const before = snapshotTree(root);
    const r = await fwconf(['apply', SPEC, '--root', root, '--ufw-files', '--dry-run']);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/ok +validate +iptables-restore --test \/etc\/ufw\/user\.rules \(on a staged copy\)/);
    expect(r.out).toMatch(/ok +validate +ip6tables-restore --test \/etc\/ufw\/user6\.rules \(on a staged copy\)/);
    expect(snapshotTree(root)).toEqual(before);
  }, 300_000);

  it('the lockout guard reads the planned rule files: ufw enabled without the SSH port is refused, nothing written', async () => {
    // the spec keeps sshd as it is and allows 22; the tree's sshd listens on 2222 (the builder cannot
    // know that; the plan reads it from the tree, the rule from the planned user.rules)
    const spec = join(root, 'closed.yaml');
    writeFileSync(spec, 'ufw:\n  defaults: { incoming: deny, outgoing: allow }\n  rules:\n    - { action: allow, port: 22, proto: tcp }\n');
    writeFileSync(join(root, 'etc/ssh/sshd_config'), readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8') + 'Port 2222\n');
    const before = snapshotTree(root);
    const r = await fwconf(['apply', spec, '--root', root, '--ufw-files', '--yes']);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err).toContain('fwconf apply: refusing: this would lock you out: ufw is enabled without a rule allowing the SSH port (2222/tcp)');
    expect(snapshotTree(root)).toEqual(before);
    // the same rules through the script path are refused the same way
    const script = await fwconf(['apply', spec, '--root', root, '--yes']);
    expect(script.code).toBe(1);
    expect(script.err).toContain('without a rule allowing the SSH port (2222/tcp)');
  }, 300_000);

  it('the real ufw loads the applied files and shows the spec\'s status', async () => {
    const r = await fwconf(['apply', SPEC, '--root', root, '--ufw-files', '--yes']);
    expect(r.code, r.err + r.out).toBe(0);
    const spec = loadSpec(readFileSync(SPEC, 'utf8'), { file: SPEC }).spec!;
    const want = statusText(ufwState(spec.ufw!, 'ufw'), 'verbose');
    await withNetns('ufwapply', async (ns) => {
      const ufw = (args: string) => ns.run(['sh', '-c', `/usr/sbin/ufw --rootdir='${root}' --datadir='${root}' ${args} 2>/dev/null`]);
      const applied = UFW_FILES.map((f) => readFileSync(join(root, f), 'utf8'));
      // what the live apply would run: the files say ENABLED=yes
      await ufw('--force enable');
      expect(await ufw('status verbose')).toBe(want);
      // ufw writes the rule files again as it starts (its logging rules): the same bytes fwconf installed
      for (const [i, f] of UFW_FILES.entries()) expect(readFileSync(join(root, f), 'utf8'), f).toBe(applied[i]);
      // and so does its next rule change
      await ufw('allow 9/tcp');
      await ufw('delete allow 9/tcp');
      expect(readFileSync(join(root, 'etc/ufw/user.rules'), 'utf8')).toBe(applied[0]);
      const dump = await ns.run(['iptables-save', '-t', 'filter']);
      expect(dump).toContain('-A ufw-user-input -p tcp -m tcp --dport 2201 -j ACCEPT');
    });
  }, 300_000);
});

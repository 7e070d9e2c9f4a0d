// `fwconf export ansible` run by Debian's ansible-core against localhost (connection local), each host's
// fwconf_root a scratch root: the playbook passes --syntax-check and --check --diff without changing a
// byte, its real run leaves each root byte for byte as `fwconf apply --root` leaves a copy of it (host a:
// the spec's values, Debian's sshd_config with an active Port line; host c: its own SSH port and a jail
// switched off in host_vars, an sshd_config without the Include line), a second run changes nothing, a
// failing validator (a stand-in sshd that exits 1 first on PATH) or the lockout guard fails the play with
// the root untouched, and ansible-lint finds nothing. The role's sshd_config regexps and its helper's Include
// re-rooting, run by Python's re on generated configurations, give what apply's own edits give.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { host, scratchRoot, snapshotTree } from '../apply/fixtures.js';
import { commentOutPorts, includesFile, insertInclude, rerootIncludes } from '../../src/apply/sshd-edits.js';
import { fcSeed } from '../fast-check-setup.js';
import { run, runOk, type Ran } from '../spawn.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../..');
/** One ansible-playbook run takes 20-60 s on two cores, up to 150 s with the machine loaded to a load average of 20. */
const PLAY_MS = 480_000;

let tmp: string;
let out: string;
const roots: Record<string, string> = {};

function capture(): { io: Io; text: () => string } {
  const chunks: string[] = [];
  return {
    io: {
      stdout: (t) => void chunks.push(t),
      stderr: (t) => void chunks.push(t),
      stdin: async () => '',
      interactive: false,
      env: { PATH: process.env.PATH, USER: 'alice', SUDO_USER: '' },
      cwd: repo,
    },
    text: () => chunks.join(''),
  };
}

/** The spec host c stands for: DEFAULT_SPEC with sshd on 2222 (and the rules naming 2201 following it), nginx-http-auth off. */
const SPEC_C = {
  ...DEFAULT_SPEC,
  ssh: { ...DEFAULT_SPEC.ssh, port: 2222 },
  fail2ban: { ...DEFAULT_SPEC.fail2ban, jails: { ...DEFAULT_SPEC.fail2ban.jails, sshd: { enabled: true, port: 2222 }, 'nginx-http-auth': { enabled: false, logpath: '%(nginx_error_log)s' } } },
  ufw: { ...DEFAULT_SPEC.ufw, rules: DEFAULT_SPEC.ufw.rules.map((r) => (r.port === 2201 ? { ...r, port: 2222 } : r)) },
};

function makeRoot(name: string, sshdConfig: string, nginxLog: boolean): string {
  const root = path.join(tmp, name);
  fs.mkdirSync(root);
  scratchRoot({ root, nginxLog });
  fs.writeFileSync(path.join(root, 'etc/ssh/sshd_config'), sshdConfig);
  return root;
}

const env = () => ({
  ...process.env,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_FORCE_COLOR: '0',
  ANSIBLE_RETRY_FILES_ENABLED: '0',
  ANSIBLE_PIPELINING: '1',
  ANSIBLE_LOCAL_TEMP: path.join(tmp, 'ansible-local'),
  ANSIBLE_REMOTE_TEMP: path.join(tmp, 'ansible-remote'),
  ANSIBLE_HOME: path.join(tmp, 'ansible-home'),
  ANSIBLE_CONFIG: path.join(tmp, 'none.cfg'),
});

function playbook(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  return run(['ansible-playbook', '-i', path.join(tmp, 'inventory.ini'), path.join(out, 'site.yml'), ...args], { cwd: out, env: { ...env(), ...extraEnv }, timeoutMs: PLAY_MS });
}

/** PLAY RECAP counts per host. */
function recap(r: Ran): Record<string, { ok: number; changed: number; failed: number }> {
  const outp: Record<string, { ok: number; changed: number; failed: number }> = {};
  for (const m of r.stdout.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/gm)) outp[m[1]!] = { ok: +m[2]!, changed: +m[3]!, failed: +m[4]! };
  return outp;
}

const ANSIBLE_BACKUP = /\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/;
const APPLY_BACKUP = /\.orig(\.\d{8}T\d{6}Z(\.\d+)?)?$/;

/** A root's tree with the root's own path written as ROOT, split into its files and its backups (by original name). */
function tree(root: string, backup: RegExp): { files: Record<string, string>; backups: Record<string, string[]> } {
  const files: Record<string, string> = {};
  const backups: Record<string, string[]> = {};
  // The test roots hold ROOT/ROOT/var (test/apply/fixtures.ts): named after the root, like the paths in files.
  const own = root.slice(1);
  for (const [key, v] of Object.entries(snapshotTree(root))) {
    const k = key.split(own).join('ROOT');
    const text = v.split(root).join('ROOT');
    if (backup.test(k)) (backups[k.replace(backup, '')] ??= []).push(text);
    else files[k] = text;
  }
  return { files, backups };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-ansible-'));
  out = path.join(tmp, 'export');
  const c = capture();
  expect(await main(['export', 'ansible', '--out', out], c.io), c.text()).toBe(0);
  const debianWithPort = host('sshd_config.debian').replace(/^#Port 22$/m, 'Port 22');
  expect(debianWithPort).toMatch(/^Port 22$/m);
  roots.a = makeRoot('a', debianWithPort, true);
  roots.b = makeRoot('b', debianWithPort, true);
  roots.c = makeRoot('c', host('sshd_config.noinclude'), false);
  roots.d = makeRoot('d', host('sshd_config.noinclude'), false);
  roots.e = makeRoot('e', debianWithPort, true);
  // fwconf's own xinetd check as host a's validator of the xinetd files.
  const tsx = pathToFileURL(path.join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
  const check = [process.execPath, '--import', tsx, '--import', path.join(repo, 'test/apply/peggy-register.mjs'), path.join(repo, 'src/cli/main.ts'), 'check', '--format', 'xinetd', '%s'].join(' ');
  fs.writeFileSync(
    path.join(tmp, 'inventory.ini'),
    [
      `a ansible_connection=local ansible_python_interpreter=/usr/bin/python3 fwconf_root=${roots.a} fwconf_operator=alice`,
      `c ansible_connection=local ansible_python_interpreter=/usr/bin/python3 fwconf_root=${roots.c}/ fwconf_operator=alice`,
      `e ansible_connection=local ansible_python_interpreter=/usr/bin/python3 fwconf_root=${roots.e} fwconf_operator=alice`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(tmp, 'none.cfg'), '[defaults]\n');
  fs.mkdirSync(path.join(out, 'host_vars'));
  fs.writeFileSync(path.join(out, 'host_vars/a.yml'), `---\nfwconf_xinetd_validate: ${JSON.stringify(check)}\n`);
  fs.writeFileSync(path.join(out, 'host_vars/c.yml'), '---\nfwconf_ssh_port: 2222\nfwconf_fail2ban_jails:\n  nginx-http-auth: false\n');
}, PLAY_MS);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('fwconf export ansible, run by ansible-playbook', () => {
  it('writes site.yml, group_vars and the role; the YAML parses back to a play of the role', () => {
    const site = parseYaml(fs.readFileSync(path.join(out, 'site.yml'), 'utf8')) as { hosts: string; roles: { role: string }[] }[];
    expect(site).toHaveLength(1);
    expect(site[0]!.roles).toEqual([{ role: 'fwconf' }]);
    expect(parseYaml(fs.readFileSync(path.join(out, 'group_vars/all.yml'), 'utf8'))).toEqual({
      fwconf_ssh_port: 2201,
      fwconf_fail2ban_jails: { sshd: true, 'thp-ssh': true, 'nginx-http-auth': true },
    });
  });

  it('ansible-lint finds nothing', async () => {
    const r = await run(['ansible-lint', '--nocolor', 'site.yml'], { cwd: out, env: env(), timeoutMs: PLAY_MS });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, PLAY_MS);

  it('--syntax-check passes', async () => {
    const r = await playbook(['--syntax-check']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, PLAY_MS);

  it('--check --diff passes, shows the changes and changes nothing', async () => {
    const before = Object.fromEntries(['a', 'c'].map((h) => [h, snapshotTree(roots[h]!)]));
    const r = await playbook(['--check', '--diff', '--limit', 'a,c']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('+Port 2201');
    expect(r.stdout).toContain('+Port 2222');
    expect(r.stdout).toContain('-Port 22');
    expect(r.stdout).toContain('+#Port 22');
    const counts = recap(r);
    expect(counts.a!.failed).toBe(0);
    expect(counts.a!.changed).toBeGreaterThan(0);
    for (const h of ['a', 'c']) expect(snapshotTree(roots[h]!), h).toEqual(before[h]);
  }, PLAY_MS);

  it('writes byte for byte what fwconf apply --root writes, a second run changes nothing', async () => {
    const r = await playbook(['--diff', '--limit', 'a,c']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(recap(r).a!.failed).toBe(0);

    const specC = path.join(tmp, 'spec-c.json');
    fs.writeFileSync(specC, JSON.stringify(SPEC_C));
    for (const [root, spec] of [
      [roots.b!, []],
      [roots.d!, [specC]],
    ] as const) {
      const c = capture();
      expect(await main(['apply', ...spec, '--root', root, '--yes'], c.io), c.text()).toBe(0);
    }
    for (const [ansible, apply] of [
      ['a', 'b'],
      ['c', 'd'],
    ] as const) {
      const got = tree(roots[ansible]!, ANSIBLE_BACKUP);
      const want = tree(roots[apply]!, APPLY_BACKUP);
      expect(got.files, `${ansible} against ${apply}`).toEqual(want.files);
      // Both keep the original of sshd_config (the one file they edit); Ansible keeps one backup per
      // edit task, so an sshd_config that gets both its Include line and its Port line commented out
      // has two: the original and the state between the edits.
      expect(Object.keys(got.backups)).toEqual(['etc/ssh/sshd_config']);
      expect(want.backups['etc/ssh/sshd_config'], apply).toHaveLength(1);
      expect(got.backups['etc/ssh/sshd_config'], ansible).toContain(want.backups['etc/ssh/sshd_config']![0]);
    }
    // The edits the roots show: host a's Port line commented out, host c's Include added, its own port.
    expect(fs.readFileSync(path.join(roots.a!, 'etc/ssh/sshd_config'), 'utf8')).toMatch(/^#Port 22$/m);
    expect(fs.readFileSync(path.join(roots.c!, 'etc/ssh/sshd_config'), 'utf8')).toMatch(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m);
    expect(fs.readFileSync(path.join(roots.c!, 'etc/ssh/sshd_config.d/00-fwconf.conf'), 'utf8')).toMatch(/^Port 2222$/m);
    expect(fs.readFileSync(path.join(roots.c!, 'etc/fail2ban/jail.local'), 'utf8')).toMatch(/\[nginx-http-auth\]\nenabled = false\n/);

    const again = await playbook(['--limit', 'a,c']);
    expect(again.status, `${again.stdout}\n${again.stderr}`).toBe(0);
    const counts = recap(again);
    expect(counts.a).toMatchObject({ changed: 0, failed: 0 });
    expect(counts.c).toMatchObject({ changed: 0, failed: 0 });
  }, 3 * PLAY_MS);

  it('a validator that refuses (a stand-in sshd exiting 1, first on PATH) fails the play and leaves the root as it was', async () => {
    const bin = path.join(tmp, 'stand-in');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'sshd'), '#!/bin/sh\necho "stand-in sshd: refusing $*" >&2\nexit 1\n', { mode: 0o755 });
    const before = snapshotTree(roots.e!);
    const r = await playbook(['--limit', 'e'], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.status).not.toBe(0);
    expect(recap(r).e!.failed).toBe(1);
    expect(r.stdout).toContain('stand-in sshd: refusing');
    expect(snapshotTree(roots.e!)).toEqual(before);
  }, PLAY_MS);

  it('the lockout guard stops the play before anything is written (root applying, PermitRootLogin no)', async () => {
    const before = snapshotTree(roots.e!);
    const r = await playbook(['--limit', 'e', '-e', 'fwconf_operator=root']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('this would lock root out');
    expect(snapshotTree(roots.e!)).toEqual(before);
  }, PLAY_MS);
});

describe("the role's sshd_config edits and Include re-rooting, run by Python's re, against apply's", () => {
  const LINES = [
    'Port 22',
    '  port 2222',
    'Port=23',
    '\tPort 24',
    '#Port 22',
    'Ports 3',
    '# a comment',
    '',
    'PermitRootLogin no',
    'Include /etc/ssh/sshd_config.d/*.conf',
    'Include sshd_config.d/*.conf',
    'include /etc/ssh/sshd_config.d/*',
    'Include "/etc/ssh/sshd_config.d/00-fwconf.conf"',
    'Include /other/*.conf',
    'Include /x/*.conf /etc/ssh/sshd_config.d/*.conf',
    'Include relative.conf "/with space/*.conf"',
    // Re-rooting keeps the line's own style: indentation, `=`, tabs, a trailing comment.
    '  include=relative.conf',
    'Include\t/other/*.conf\t# local',
  ];
  // Global sections only: a Port line inside a Match block is refused by sshd, so no valid file has one.
  const config = fc.array(fc.constantFrom(...LINES), { maxLength: 12 }).map((ls) => ls.map((l) => `${l}\n`).join(''));

  it('give the same text for generated configurations', async () => {
    const seed = fcSeed();
    console.log(`sshd_config edits differential: fc.sample seed ${seed}`);
    const texts = fc.sample(config, { numRuns: 300, seed });
    const tasks = parseYaml(fs.readFileSync(path.join(out, 'roles/fwconf/tasks/main.yml'), 'utf8')) as Record<string, any>[];
    const edits = (tasks.find((t) => t.block)!.block as Record<string, any>[]).filter((t) => t['ansible.builtin.replace'] && !String(t['ansible.builtin.replace'].path).includes('fwconf_stage')).map((t) => t['ansible.builtin.replace']);
    expect(edits).toHaveLength(2);
    // The replace module's own substitution: re.subn(regexp, replace, text, flags=re.MULTILINE).
    const script = [
      'import importlib.util, json, re, sys',
      `spec = importlib.util.spec_from_file_location('fwconf_check', ${JSON.stringify(path.join(out, 'roles/fwconf/files/fwconf_check.py'))})`,
      'helper = importlib.util.module_from_spec(spec); spec.loader.exec_module(helper)',
      'edits, texts = json.load(sys.stdin)',
      'out = []',
      'for t in texts:',
      "    out.append({'include': re.subn(edits[0]['regexp'], edits[0]['replace'], t, flags=re.MULTILINE)[0],",
      "                'ports': re.subn(edits[1]['regexp'], edits[1]['replace'], t, flags=re.MULTILINE)[0],",
      "                'reroot': helper.reroot(t, lambda p: '/R' + p)})",
      'print(json.dumps(out))',
    ].join('\n');
    const got = JSON.parse(await runOk(['python3', '-c', script], { input: JSON.stringify([edits, texts]) })) as { include: string; ports: string; reroot: string }[];
    const dropIn = '/etc/ssh/sshd_config.d/00-fwconf.conf';
    texts.forEach((t, i) => {
      const want = {
        // apply writes the line in the file's own style (its indentation, `Include=...` where the file
        // uses `=`); the role always writes `Include PATTERN` (a documented difference): otherwise the
        // same place and bytes.
        include: includesFile(t, dropIn) ? t : insertInclude(t, '/etc/ssh/sshd_config.d/*.conf').replace(/^[ \t]*Include[ \t]*[ \t=][ \t]*\/etc\/ssh\/sshd_config\.d\/\*\.conf$/m, 'Include /etc/ssh/sshd_config.d/*.conf'),
        ports: commentOutPorts(t).text,
        reroot: rerootIncludes(t, (p) => `/R${p}`),
      };
      expect(got[i], `seed ${seed}, case ${i}: ${JSON.stringify(t)}`).toEqual(want);
    });
  }, PLAY_MS);
});

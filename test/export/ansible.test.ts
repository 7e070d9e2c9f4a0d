// exportAnsible's output read back as YAML (no golden files): the asserts come before anything is
// written, every install task backs up, validates and sets its owner and mode, the handlers reload only
// on the live system, and each template — its expressions evaluated for a host's values — is byte for
// byte what `render` gives for a spec with those values (a property over ports and jail flags). The
// CLI writes the files, refuses to overwrite a file it did not write, and reports usage errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import { exportAnsible, EXPORT_MARKER, type AnsibleExport } from '../../src/export/ansible.js';
import { runCli } from '../cli/capture-io.js';

type Task = Record<string, any>;

const exported = exportAnsible(DEFAULT_SPEC);
const file = (x: AnsibleExport, p: string) => x.files.find((f) => f.path === p)?.content;
const yamlOf = (x: AnsibleExport, p: string) => parseYaml(file(x, p)!) as any;
const tasks = (x: AnsibleExport): Task[] => yamlOf(x, 'roles/fwconf/tasks/main.yml');
const blockOf = (ts: Task[]) => ts.find((t) => t.block)!;
const module = (t: Task) => Object.keys(t).find((k) => k.startsWith('ansible.builtin.'))!;

/** A spec like the built-in one for a host with its own SSH port and jail flags (the rules naming the port following it). */
function hostSpec(port: number, jails: Record<string, boolean>) {
  const j = DEFAULT_SPEC.fail2ban.jails;
  return {
    ...DEFAULT_SPEC,
    ssh: { ...DEFAULT_SPEC.ssh, port },
    fail2ban: {
      ...DEFAULT_SPEC.fail2ban,
      jails: {
        sshd: { ...j.sshd, port, enabled: jails.sshd ?? true },
        'thp-ssh': { ...j['thp-ssh'], enabled: jails['thp-ssh'] ?? true },
        'nginx-http-auth': { ...j['nginx-http-auth'], enabled: jails['nginx-http-auth'] ?? true },
      },
    },
    ufw: { ...DEFAULT_SPEC.ufw, rules: DEFAULT_SPEC.ufw.rules.map((r) => (r.port === 2201 ? { ...r, port } : r)) },
  };
}

/** Evaluates the template's expressions (the only Jinja in it) for a host's values. */
function evaluate(template: string, start: string, end: string, port: number, jails: Record<string, boolean>): string {
  return template.split(start).map((part, i) => {
    if (i === 0) return part;
    const at = part.indexOf(end);
    const expr = part.slice(0, at);
    let value: string;
    if (expr === 'fwconf_ssh_port | int') value = String(port);
    else {
      const m = /^\(fwconf_fail2ban_jails\['([^']+)'\] \| default\((true|false)\)\) \| bool \| ternary\('true', 'false'\)$/.exec(expr);
      expect(m, expr).not.toBeNull();
      value = String(jails[m![1]!] ?? m![2] === 'true');
    }
    return value + part.slice(at + end.length);
  }).join('');
}

describe('exportAnsible', () => {
  it('writes the playbook, group_vars, the role and a README; every YAML file starts with the marker and parses', () => {
    const paths = exported.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    for (const p of ['site.yml', 'group_vars/all.yml', 'roles/fwconf/tasks/main.yml', 'roles/fwconf/handlers/main.yml', 'roles/fwconf/defaults/main.yml', 'roles/fwconf/vars/main.yml', 'README.md'])
      expect(paths).toContain(p);
    for (const f of exported.files.filter((x) => x.path.endsWith('.yml'))) {
      expect(f.content.startsWith(`# ${EXPORT_MARKER}\n`), f.path).toBe(true);
      expect(() => parseYaml(f.content), f.path).not.toThrow();
    }
    // Deterministic: the same spec gives the same bytes.
    expect(exportAnsible(DEFAULT_SPEC)).toEqual(exported);
  });

  it('makes the SSH port and the jail flags variables, with the spec values as defaults', () => {
    expect(exported.variables.map((v) => [v.name, v.value])).toEqual([
      ['fwconf_ssh_port', 2201],
      ['fwconf_fail2ban_jails', { sshd: true, 'thp-ssh': true, 'nginx-http-auth': true }],
    ]);
    const defaults = yamlOf(exported, 'roles/fwconf/defaults/main.yml');
    expect(defaults).toMatchObject({ fwconf_root: '/', fwconf_ssh_port: 2201, fwconf_allow_lockout: false });
    expect(yamlOf(exported, 'group_vars/all.yml')).toEqual({ fwconf_ssh_port: 2201, fwconf_fail2ban_jails: { sshd: true, 'thp-ssh': true, 'nginx-http-auth': true } });
  });

  it('asserts the host check and the lockout guard before any task that writes below fwconf_root', () => {
    const ts = tasks(exported);
    const firstBlock = ts.findIndex((t) => t.block);
    const asserts = ts.slice(0, firstBlock).filter((t) => module(t) === 'ansible.builtin.assert').map((t) => t.name);
    expect(asserts).toEqual(['Host check | the per-host values are usable', 'Lockout guard | the setup keeps the user applying able to log in', "Host check | no fail2ban .local file is the user's own"]);
    // Before the block nothing writes; inside it, the staged checks run before the first install.
    for (const t of ts.slice(0, firstBlock)) expect(['ansible.builtin.assert', 'ansible.builtin.slurp', 'ansible.builtin.set_fact']).toContain(module(t));
    const block = blockOf(ts).block as Task[];
    const firstInstall = block.findIndex((t) => t.name.startsWith('Install |') && !['ansible.builtin.stat'].includes(module(t)));
    const checks = block.map((t, i) => [t.name as string, i] as const).filter(([n]) => n.startsWith('Check |'));
    expect(checks.map(([n]) => n)).toEqual(expect.arrayContaining(['Check | sshd -t on the staged configuration', 'Check | fail2ban-client -t on the staged configuration', 'Check | the shell parses the ufw script']));
    for (const [, i] of checks) expect(i).toBeLessThan(firstInstall);
    // Staging and checks change nothing, in check mode too.
    for (const t of block.slice(0, firstInstall)) if (t.name.startsWith('Stage |') || t.name.startsWith('Check |')) if (module(t) !== 'ansible.builtin.stat') expect(t, t.name).toMatchObject({ check_mode: false, changed_when: false });
    expect(blockOf(ts).always[0]['ansible.builtin.file']).toMatchObject({ state: 'absent' });
  });

  it('installs every rendered file below fwconf_root with a backup, its owner and mode, a validate and a handler', () => {
    const block = blockOf(tasks(exported)).block as Task[];
    const installs = block.filter((t) => /^Install \| \//.test(t.name));
    const rendered = render(DEFAULT_SPEC).files;
    expect(installs.map((t) => t[module(t)].dest)).toEqual(rendered.map((f) => `{{ fwconf_prefix }}${f.path}`));
    const handlers = (yamlOf(exported, 'roles/fwconf/handlers/main.yml') as Task[]).map((h) => h.name);
    installs.forEach((t, i) => {
      const args = t[module(t)];
      expect(args, t.name).toMatchObject({ backup: true, owner: 'root', group: 'root', mode: rendered[i]!.mode.toString(8).padStart(4, '0') });
      // xinetd has no checker: fwconf checked the bytes when it exported them; a host may name one (fwconf check).
      expect(args.validate, t.name).toMatch(rendered[i]!.service === 'xinetd' ? /^\{\{ fwconf_xinetd_validate \| default\(omit, true\) \}\}$/ : /%s/);
      expect(handlers).toContain(t.notify);
    });
    const validates = Object.fromEntries(installs.map((t) => [t[module(t)].dest.replace('{{ fwconf_prefix }}', ''), t[module(t)].validate]));
    expect(validates['/etc/ssh/sshd_config.d/00-fwconf.conf']).toMatch(/fwconf_check\.py sshd .* %s$/);
    expect(validates['/etc/fail2ban/jail.local']).toMatch(/fwconf_check\.py fail2ban .* %s$/);
    expect(validates['/etc/fwconf/ufw.sh']).toBe('sh -n %s');
    // sshd_config: its Include line and Port lines, backed up and validated through the staged tree.
    const edits = block.filter((t) => module(t) === 'ansible.builtin.replace' && !String(t['ansible.builtin.replace'].path).includes('fwconf_stage'));
    expect(edits.map((t) => t['ansible.builtin.replace'])).toEqual([
      expect.objectContaining({ path: '{{ fwconf_prefix }}/etc/ssh/sshd_config', backup: true, validate: expect.stringMatching(/sshd .* \/etc\/ssh\/sshd_config %s$/) }),
      expect.objectContaining({ path: '{{ fwconf_prefix }}/etc/ssh/sshd_config', backup: true, replace: '\\1#\\2' }),
    ]);
    // The staged copy gets the same two edits.
    const stagedEdit = block.find((t) => module(t) === 'ansible.builtin.replace' && String(t['ansible.builtin.replace'].path).includes('fwconf_stage'))!;
    expect(stagedEdit.loop).toEqual(edits.map((t) => ({ regexp: t['ansible.builtin.replace'].regexp, replace: t['ansible.builtin.replace'].replace })));
  });

  it("comments out Port lines and inserts the Include line as apply's edits do (Python's re, run here as JavaScript)", () => {
    const block = blockOf(tasks(exported)).block as Task[];
    const [include, ports] = block.filter((t) => module(t) === 'ansible.builtin.replace' && !String(t['ansible.builtin.replace'].path).includes('fwconf_stage')).map((t) => t['ansible.builtin.replace']);
    // The patterns use only syntax both engines read alike once the leading (?im) and \A are spelled for JavaScript.
    const js = (p: string) => new RegExp(p.replace(/^\(\?im\)/, '').replace(/\\A/g, '^(?<![\\s\\S])'), 'gim');
    const sub = (text: string, e: { regexp: string; replace: string }) => text.replace(js(e.regexp), e.replace.replace(/\\g<1>/g, '$1').replace(/\\(\d)/g, '$$$1').replace(/\\n/g, '\n'));
    expect(sub('# x\n\nPort 22\n  port=2222\n#Port 1\nPorts 3\n', ports)).toBe('# x\n\n#Port 22\n  #port=2222\n#Port 1\nPorts 3\n');
    expect(sub('# head\n\nPort 22\nInclude /other/*.conf\n', include)).toBe('# head\n\nInclude /etc/ssh/sshd_config.d/*.conf\nPort 22\nInclude /other/*.conf\n');
    for (const has of ['Include /etc/ssh/sshd_config.d/*.conf\n', 'include sshd_config.d/*\n', 'Include /x/*.conf "/etc/ssh/sshd_config.d/00-fwconf.conf"\n']) expect(sub(`# h\n${has}Port 22\n`, include)).toBe(`# h\n${has}Port 22\n`);
  });

  it('reloads only on the live system, the ufw script first, with a truthful changed_when', () => {
    const handlers = yamlOf(exported, 'roles/fwconf/handlers/main.yml') as Task[];
    expect(handlers.map((h) => h.name)).toEqual(['Run the ufw script', 'Reload ssh', 'Restart xinetd', 'Reload fail2ban']);
    for (const h of handlers) expect(h.when).toBe('fwconf_live | bool');
    expect(handlers[0]!.changed_when).toContain('fwconf-changed');
    expect(yamlOf(exported, 'roles/fwconf/vars/main.yml')).toEqual({ fwconf_prefix: "{{ fwconf_root | regex_replace('/+$', '') }}", fwconf_live: "{{ fwconf_prefix == '' }}" });
  });

  it("each template, evaluated for a host's values, is what render gives for that host's spec", () => {
    const install = (blockOf(tasks(exported)).block as Task[]).find((t) => module(t) === 'ansible.builtin.template')!['ansible.builtin.template'];
    const { variable_start_string: start, variable_end_string: end } = install;
    const templated = exported.files.filter((f) => f.path.endsWith('.j2'));
    expect(templated.map((f) => f.path)).toEqual([
      'roles/fwconf/templates/etc/fail2ban/jail.local.j2',
      'roles/fwconf/templates/etc/fwconf/ufw.sh.j2',
      'roles/fwconf/templates/etc/ssh/sshd_config.d/00-fwconf.conf.j2',
    ]);
    const ports = fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 22 && p !== 80 && p !== 443);
    const jails = fc.record({ sshd: fc.boolean(), 'thp-ssh': fc.boolean(), 'nginx-http-auth': fc.boolean() }, { requiredKeys: [] });
    fc.assert(
      fc.property(ports, jails, (port, flags) => {
        const want = render(hostSpec(port, flags)).files;
        for (const t of templated) {
          const daemonPath = t.path.replace('roles/fwconf/templates', '').replace(/\.j2$/, '');
          expect(evaluate(t.content, start, end, port, flags), daemonPath).toBe(want.find((f) => f.path === daemonPath)!.content);
        }
        // The files that are not templates do not depend on these values.
        for (const f of want.filter((w) => !templated.some((t) => t.path.endsWith(`${w.path}.j2`)))) expect(file(exported, `roles/fwconf/files${f.path}`), f.path).toBe(f.content);
      }),
      { numRuns: 60 },
    );
  });

  it("a jail flag that changes more than itself stays the fleet's, with a note; the port still varies", () => {
    // The sshd jail without a port of its own watches the SSH port only while enabled: disabling it drops that line.
    const x = exportAnsible({ ssh: { port: 2201 }, fail2ban: { jails: { sshd: { enabled: true }, recidive: { enabled: false } } } });
    expect(x.variables.map((v) => [v.name, v.value])).toEqual([
      ['fwconf_ssh_port', 2201],
      ['fwconf_fail2ban_jails', { recidive: false }],
    ]);
    expect(x.notes).toContainEqual(expect.stringMatching(/^fail2ban\.jails\.sshd\.enabled stays the same on every host: another value changes the lines of \/etc\/fail2ban\/jail\.local/));
    const jail = file(x, 'roles/fwconf/templates/etc/fail2ban/jail.local.j2')!;
    expect(jail).toContain('[sshd]\nenabled = true\nport = <@fwconf fwconf_ssh_port | int @>\n');
    expect(jail).toContain("[recidive]\nenabled = <@fwconf (fwconf_fail2ban_jails['recidive'] | default(false)) | bool | ternary('true', 'false') @>\n");
  });

  it('a line that mentions the port besides holding it keeps the mention (a ufw comment)', () => {
    const x = exportAnsible({ ssh: { port: 2201 }, ufw: { rules: [{ action: 'allow', port: 2201, proto: 'tcp', comment: 'ssh on 2201' }] } });
    expect(file(x, 'roles/fwconf/templates/etc/fwconf/ufw.sh.j2')).toContain("ufw allow <@fwconf fwconf_ssh_port | int @>/tcp comment 'ssh on 2201'\n");
  });

  it('a spec without ssh or fail2ban has neither variable, and no sshd or fail2ban tasks', () => {
    const x = exportAnsible({ ufw: { rules: [{ action: 'allow', port: 22, proto: 'tcp' }] } });
    expect(x.variables).toEqual([]);
    const names = (blockOf(tasks(x)).block as Task[]).map((t) => t.name as string);
    expect(names.filter((n) => /sshd|fail2ban/.test(n))).toEqual([]);
    expect(names).toContain('Install | /etc/fwconf/ufw.sh');
  });
});

describe('fwconf export ansible', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-export-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes the files under --out, again unchanged, and refuses to overwrite a file it did not write', async () => {
    const out = path.join(tmp, 'a');
    const first = await runCli(['export', 'ansible', '--out', out]);
    expect(first.code, first.err).toBe(0);
    for (const f of exported.files) expect(fs.readFileSync(path.join(out, f.path), 'utf8'), f.path).toBe(f.content);
    expect((fs.statSync(path.join(out, 'roles/fwconf/files/fwconf_check.py')).mode & 0o777).toString(8)).toBe('755');
    const again = await runCli(['export', 'ansible', '--out', out]);
    expect(again.out).not.toMatch(/^wrote /m);
    fs.writeFileSync(path.join(out, 'site.yml'), '- hosts: mine\n');
    const refused = await runCli(['export', 'ansible', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('site.yml: exists and was not written by fwconf; not overwritten (use --force)');
    expect(fs.readFileSync(path.join(out, 'site.yml'), 'utf8')).toBe('- hosts: mine\n');
    expect((await runCli(['export', 'ansible', '--out', out, '--force'])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'site.yml'), 'utf8')).toBe(file(exported, 'site.yml'));
  });

  it('reads a spec, reports its errors at their place, and prints JSON with --json', async () => {
    const spec = path.join(tmp, 'host.yaml');
    fs.writeFileSync(spec, 'ssh:\n  port: 2222\n');
    const r = await runCli(['export', 'ansible', spec, '--out', path.join(tmp, 'b'), '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.variables).toEqual([expect.objectContaining({ name: 'fwconf_ssh_port', value: 2222 })]);
    expect(j.files.map((f: { path: string }) => f.path)).toContain('site.yml');
    fs.writeFileSync(spec, 'ssh:\n  port: 99999\n');
    const bad = await runCli(['export', 'ansible', spec, '--out', path.join(tmp, 'c')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/host\.yaml:2:\d+: error: .*ssh\.port/);
    expect(fs.existsSync(path.join(tmp, 'c', 'site.yml'))).toBe(false);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['export'])).code).toBe(2);
    expect((await runCli(['export', 'chef', '--out', tmp])).code).toBe(2);
    expect((await runCli(['export', 'ansible'])).code).toBe(2);
    const j = await runCli(['export', 'ansible', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out).diagnostics[0].code).toBe('fwconf/usage');
  });
});

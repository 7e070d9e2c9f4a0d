// fail2ban through its format: which jails the verification expects comes from the fail2ban resolution
// of the whole planned tree, and a `fail2ban-client -t` refusal for a jail without a log file is
// explained (jail, path, fix).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan, formatPlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import { alice, debianHost, memorySnapshot, ok, scratchRoot, seedFiles, snapshotTree } from './fixtures.js';

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

const jailList = (...jails: string[]) => ok(`Status\n|- Number of jail:\t${jails.length}\n\`- Jail list:\t${jails.join(', ')}\n`);

describe('the jails fail2ban should run', () => {
  it("come from fail2ban's own resolution of the tree, not from a scan of jail.local", async () => {
    // jail.d is read after jail.local: it turns thp-ssh off and recidive on
    const exec = debianHost({ '/etc/fail2ban/jail.d/50-host.local': '[thp-ssh]\nenabled = false\n\n[recidive]\nenabled = true\n', '/var/log/fail2ban.log': '' });
    const plan = await planApply(seedFiles(), exec, alice);
    const verify = plan.verifications.find((v) => v.service === 'fail2ban')!;
    expect(verify.description).toBe('fail2ban runs the jails sshd, nginx-http-auth, recidive');
    expect(verify.expect!(jailList('nginx-http-auth', 'recidive', 'sshd'))).toBeUndefined();
    expect(verify.expect!(jailList('nginx-http-auth', 'sshd', 'thp-ssh'))).toBe('jails not running: recidive');

    const base = exec.handler;
    exec.handler = (argv) => (argv.join(' ').endsWith('fail2ban-client status') ? jailList('nginx-http-auth', 'sshd', 'thp-ssh') : base(argv));
    const before = memorySnapshot(exec);
    const result = await executePlan(plan, exec, { verifyDelayMs: 1 });
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toBe('after the reload, jails not running: recidive');
    expect(memorySnapshot(exec)).toEqual(before);
  });

  it('a jail whose filter is missing is not expected (fail2ban skips it)', async () => {
    const files = seedFiles().map((f) => (f.path.endsWith('jail.local') ? { ...f, content: f.content + '\n[mine]\nenabled = true\nfilter = no-such-filter\nlogpath = /var/log/auth.log\n' } : f));
    const plan = await planApply(files, debianHost(), alice);
    expect(plan.verifications.find((v) => v.service === 'fail2ban')!.description).toBe('fail2ban runs the jails sshd, nginx-http-auth, thp-ssh');
  });
});

describe('a jail without a log file', () => {
  it('is named in the plan, and the rollback says which jail, which path and how to fix it (real fail2ban-client -t)', async () => {
    root = scratchRoot({ nginxLog: false });
    // nginx's log where no host has it, for the root's tree and for fail2ban-client alike
    const absent = `/var/log/fwconf-absent-${process.pid}/www/error.log`;
    expect(fs.existsSync(path.dirname(path.dirname(absent)))).toBe(false);
    fs.writeFileSync(path.join(root, 'etc/fail2ban/paths-overrides.local'), `[DEFAULT]\nnginx_error_log = ${absent}\n`);
    const before = snapshotTree(root);

    const exec = new LocalExecutor({ root });
    // the default spec enables nginx-http-auth
    const plan = await planApply(render(DEFAULT_SPEC).files, exec, alice);
    const note = plan.notes.find((n) => n.includes('nginx-http-auth'));
    expect(note).toBeDefined();
    expect(formatPlan(plan)).toContain(`Note: fail2ban will refuse this configuration: jail [nginx-http-auth]: logpath ${absent} matches no file`);
    const result = await executePlan(plan, exec, { allowLockout: true });
    expect(result.status, formatResult(result)).toBe('rolled-back');
    expect(result.reason).toContain('Have not found any log file for nginx-http-auth jail');
    expect(result.reason).toContain(`jail [nginx-http-auth]: logpath ${absent} matches no file (logpath = %(nginx_error_log)s, /etc/fail2ban/jail.local:`);
    expect(result.reason).toContain(`To fix it: install and start the service that writes ${absent}, or disable the jail in the spec (fail2ban.jails.nginx-http-auth.enabled: false)`);
    expect(formatResult(result)).toMatch(/FAIL validate +fail2ban-client .* — .*jail \[nginx-http-auth\]/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('names the service when the log directory does, and points at the host file that enables the jail', async () => {
    const exec = debianHost({ '/etc/fail2ban/jail.d/50-host.local': '[apache-auth]\nenabled = true\n' });
    exec.files.delete('/var/log/nginx/error.log');
    const base = exec.handler;
    exec.handler = (argv) =>
      argv[0]!.endsWith('fail2ban-client') && argv.includes('-t') ? { code: 255, stdout: '', stderr: 'ERROR   Failed during configuration: Have not found any log file for nginx-http-auth jail\n' } : base(argv);
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toContain('jail [nginx-http-auth]: logpath /var/log/nginx/*error.log matches no file (logpath = %(nginx_error_log)s, /etc/fail2ban/jail.local:');
    expect(result.reason).toContain('install and start nginx (the service that writes /var/log/nginx/*error.log), or disable the jail in the spec (fail2ban.jails.nginx-http-auth.enabled: false)');
    // apache-auth has no log either: the plan says so, and the jail is the host's, not the spec's
    const plan = await planApply(seedFiles(), exec, alice);
    const apache = plan.notes.find((n) => n.includes('[apache-auth]'))!;
    expect(apache).toContain('or set `enabled = false` in [apache-auth] of /etc/fail2ban/jail.d/50-host.local:2');
  });
});

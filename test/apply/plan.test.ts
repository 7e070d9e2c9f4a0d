import { describe, expect, it } from 'vitest';
import {
  DryRunExecutor,
  executePlan,
  formatPlan,
  formatResult,
  JOURNAL,
  planApply,
  recoverInterrupted,
  RecordingExecutor,
} from '../../src/apply/index.js';
import { MARKER } from '../../src/builder/render.js';
import { alice, debianHost, failed, healthyHandler, host, KEY, memorySnapshot, mutations, ok, PASSWD, seedFiles } from './fixtures.js';

const healthy = healthyHandler();

describe('plan', () => {
  it('creates the five files with diffs, validators, reloads and checks in order', async () => {
    const exec = debianHost();
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.files.map((f) => [f.path, f.action])).toEqual([
      ['/etc/ssh/sshd_config.d/00-fwconf.conf', 'create'],
      ['/etc/xinetd.d/thp-pasv', 'create'],
      ['/etc/fail2ban/jail.local', 'create'],
      ['/etc/fail2ban/filter.d/thpot.local', 'create'],
      ['/etc/fwconf/ufw.sh', 'create'],
    ]);
    expect(plan.files[0]!.diff).toContain('--- /dev/null');
    expect(plan.files[0]!.diff).toContain('+Port 2201');
    expect(plan.files[4]!.mode).toBe(0o755);
    expect(plan.validations.map((v) => v.argv.join(' '))).toEqual([
      'sshd -t -f /etc/ssh/sshd_config',
      'sh -n /etc/fwconf/ufw.sh',
      'fail2ban-client -c /etc/fail2ban -t',
    ]);
    expect(plan.reloads.map((v) => v.argv.join(' '))).toEqual(['sh /etc/fwconf/ufw.sh', 'systemctl reload ssh', 'systemctl restart xinetd', 'fail2ban-client reload']);
    expect(plan.lockout).toEqual([]);
    const text = formatPlan(plan);
    expect(text).toContain('+failregex = SRC=<HOST>');
    expect(text).toContain('systemctl reload ssh');
    // planning changes nothing; the only program it runs reads the live nftables tables
    expect(mutations(exec)).toEqual([]);
    expect(exec.runs()).toEqual([['/usr/sbin/nft', 'list', 'tables']]);
  });

  it('applies: journal, staging, install by rename, validate, reload, verify; a second apply is a no-op', async () => {
    const exec = debianHost();
    const before = exec.snapshot();
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status, formatResult(result)).toBe('applied');
    for (const f of seedFiles()) expect(exec.text(f.path)).toBe(f.content);
    expect(exec.files.get('/etc/fwconf/ufw.sh')!.mode).toBe(0o755);
    expect(exec.text(JOURNAL)).toBeUndefined();
    // no staging file left behind, every other file untouched
    const after = exec.snapshot();
    for (const p of Object.keys(after)) expect(p).not.toMatch(/fwconf-.*\.tmp$/);
    for (const [p, t] of Object.entries(before)) expect(after[p]).toBe(t);
    // every install is a rename of a staged file written in the same directory
    const renames = exec.ops.filter((o) => o.op === 'rename' && !o.to.startsWith('/var/lib/fwconf'));
    expect(renames.map((r) => (r.op === 'rename' ? r.to : ''))).toEqual(seedFiles().map((f) => f.path));
    for (const r of renames) if (r.op === 'rename') expect(r.from.slice(0, r.from.lastIndexOf('/'))).toBe(r.to.slice(0, r.to.lastIndexOf('/')));
    const runs = exec.runs().map((a) => a.join(' '));
    expect(runs.shift()).toBe('/usr/sbin/nft list tables'); // the plan's look at nftables
    expect(runs.slice(0, 8)).toEqual([
      '/usr/sbin/sshd -t -f /etc/ssh/sshd_config',
      '/usr/sbin/sh -n /etc/fwconf/ufw.sh',
      '/usr/sbin/fail2ban-client -c /etc/fail2ban -t',
      '/usr/sbin/env LANG=C LC_ALL=C ufw status verbose',
      '/usr/sbin/sh /etc/fwconf/ufw.sh',
      '/usr/sbin/systemctl reload ssh',
      '/usr/sbin/systemctl restart xinetd',
      '/usr/sbin/fail2ban-client reload',
    ]);
    expect(runs.slice(8)).toEqual(['/usr/sbin/ss -Hltn', '/usr/sbin/env LANG=C LC_ALL=C ufw status', '/usr/sbin/fail2ban-client status']);

    exec.ops.length = 0;
    const plan2 = await planApply(seedFiles(), exec, alice);
    expect(plan2.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(formatPlan(plan2)).toContain('Nothing to change');
    const again = await executePlan(plan2, exec);
    expect(again.status).toBe('unchanged');
    expect(formatResult(again)).toContain('already applied');
    expect(exec.ops).toEqual([]);
  });

  it('backs up an existing file as NAME.orig, and later backups with a timestamp', async () => {
    // a jail.local fwconf rendered (its marker): replaced, not edited
    const mine = `# ${MARKER}\n[sshd]\nenabled = true\n`;
    // recidive (enabled below) reads fail2ban's own log: without it fail2ban would refuse to start
    const exec = debianHost({ '/etc/fail2ban/jail.local': mine, '/var/log/fail2ban.log': '' });
    exec.files.get('/etc/fail2ban/jail.local')!.mode = 0o640;
    exec.files.get('/etc/fail2ban/jail.local')!.uid = 7;
    const plan = await planApply(seedFiles(), exec, { ...alice, now: new Date('2024-05-06T07:08:09Z') });
    const jail = plan.files.find((f) => f.path === '/etc/fail2ban/jail.local')!;
    expect(jail.action).toBe('replace');
    expect(jail.backup).toBe('/etc/fail2ban/jail.local.orig');
    expect((await executePlan(plan, exec)).status).toBe('applied');
    expect(exec.text('/etc/fail2ban/jail.local.orig')).toBe(mine);
    // mode and owner kept
    expect(exec.files.get('/etc/fail2ban/jail.local')).toMatchObject({ mode: 0o640, uid: 7 });

    const changed = seedFiles().map((f) => (f.path.endsWith('jail.local') ? { ...f, content: f.content + '\n[recidive]\nenabled = true\n' } : f));
    exec.handler = (argv) =>
      argv.join(' ').endsWith('fail2ban-client status') ? ok('`- Jail list:\tnginx-http-auth, recidive, sshd, thp-ssh\n') : healthy(argv);
    const plan2 = await planApply(changed, exec, { ...alice, now: new Date('2024-05-06T07:08:09Z') });
    expect(plan2.files.filter((f) => f.action !== 'unchanged').map((f) => f.backup)).toEqual(['/etc/fail2ban/jail.local.orig.20240506T070809Z']);
    expect(plan2.reloads.map((r) => r.service)).toEqual(['fail2ban']);
    expect((await executePlan(plan2, exec)).status).toBe('applied');
    expect(exec.text('/etc/fail2ban/jail.local.orig')).toBe(mine);
    expect(exec.text('/etc/fail2ban/jail.local.orig.20240506T070809Z')).toBe(seedFiles()[2]!.content);
  });

  it('adds the Include line to an sshd_config that lacks it and comments out its Port, keeping every other byte', async () => {
    const original = host('sshd_config.noinclude');
    const exec = debianHost({ '/etc/ssh/sshd_config': original });
    const plan = await planApply(seedFiles(), exec, alice);
    const main = plan.files.find((f) => f.path === '/etc/ssh/sshd_config')!;
    expect(main.action).toBe('edit');
    expect(main.backup).toBe('/etc/ssh/sshd_config.orig');
    expect(main.reason).toContain('/etc/ssh/sshd_config.d');
    expect(main.reason).toMatch(/Port 22 \(line \d+\).*commented out/);
    // The Include line is added, the active Port line commented out; nothing else changes.
    expect(main.after.replace('Include /etc/ssh/sshd_config.d/*.conf\n', '').replace(/^#Port 22$/m, 'Port 22')).toBe(original);
    // before the first directive, so before the Port line and the Match block
    expect(main.after.indexOf('Include /etc/ssh')).toBeLessThan(main.after.indexOf('\n#Port 22'));
    expect(main.after.indexOf('Include /etc/ssh')).toBeLessThan(main.after.indexOf('Match User backup'));
    expect(main.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['-Port 22', '+Include /etc/ssh/sshd_config.d/*.conf', '+#Port 22']);
    // Port accumulates across files, so sshd_config's Port 22 would have kept sshd on 22 beside the drop-in's 2201
    expect(plan.verifications.find((v) => v.service === 'sshd')!.description).toBe('sshd listens on 2201');
  });

  it('keeps CRLF line endings when it adds the Include line and comments out Port', async () => {
    const exec = debianHost({ '/etc/ssh/sshd_config': '# top\r\nPort 22\r\nUsePAM yes\r\n' });
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.files.find((f) => f.path === '/etc/ssh/sshd_config')!.after).toBe('# top\r\nInclude /etc/ssh/sshd_config.d/*.conf\r\n#Port 22\r\nUsePAM yes\r\n');
  });
});

describe('lockout', () => {
  it('refuses ufw enabled without a rule for the SSH port, unless allowed', async () => {
    const files = seedFiles().map((f) => (f.service === 'ufw' ? { ...f, content: f.content.replace('ufw allow 2201/tcp\n', '') } : f));
    const exec = debianHost();
    const plan = await planApply(files, exec, alice);
    expect(plan.lockout).toEqual(['ufw is enabled without a rule allowing the SSH port (2201/tcp)']);
    const refused = await executePlan(plan, exec);
    expect(refused.status).toBe('refused');
    expect(refused.reason).toContain('--allow-lockout');
    expect(mutations(exec)).toEqual([]);
    expect((await executePlan(plan, exec, { allowLockout: true })).status).toBe('applied');
  });

  it('refuses sshd moved to a port the ufw rules do not allow', async () => {
    const files = seedFiles().map((f) => (f.service === 'ufw' ? { ...f, content: f.content.replace('2201/tcp', '22/tcp').replace('ufw --force enable\n', '') } : f));
    const plan = await planApply(files, debianHost(), alice);
    expect(plan.lockout).toEqual(['sshd listens on 2201/tcp, which the ufw rules being applied do not allow']);
  });

  it('refuses password logins disabled while the user has no authorized key', async () => {
    const exec = debianHost();
    exec.files.delete('/home/alice/.ssh/authorized_keys');
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.lockout).toEqual(['password logins are disabled and alice has no authorized key in .ssh/authorized_keys or .ssh/authorized_keys2']);
    const bob = await planApply(seedFiles(), exec, { operator: { user: 'bob' } });
    expect(bob.lockout[0]).toContain('no home directory found for bob');
    // a key in authorized_keys2 is enough
    exec.put('/home/alice/.ssh/authorized_keys2', '# keys\n' + KEY);
    expect((await planApply(seedFiles(), exec, alice)).lockout).toEqual([]);
    // and with password logins left on, no key is needed
    exec.files.delete('/home/alice/.ssh/authorized_keys2');
    const soft = seedFiles().map((f) => (f.service === 'sshd' ? { ...f, content: f.content.replace('PasswordAuthentication no', 'PasswordAuthentication yes') } : f));
    expect((await planApply(soft, exec, alice)).lockout).toEqual([]);
  });

  it('refuses PermitRootLogin no when root applies it', async () => {
    const plan = await planApply(seedFiles(), debianHost(), { operator: { user: 'root' } });
    expect(plan.lockout).toEqual(['root logins are refused (PermitRootLogin no) and the user applying is root']);
  });
});

describe('faults', () => {
  it('a failing validator rolls everything back byte for byte', async () => {
    const exec = debianHost({ '/etc/fail2ban/jail.local': '[sshd]\nenabled = true\n', '/etc/ssh/sshd_config': host('sshd_config.noinclude') });
    expect(exec.dirs.has('/etc/fwconf') || exec.dirs.has('/var/lib')).toBe(false);
    const before = memorySnapshot(exec);
    exec.handler = (argv) => (argv.includes('-t') && argv[0]!.endsWith('fail2ban-client') ? { code: 255, stdout: '', stderr: 'ERROR   Failed during configuration: bad filter\n' } : healthy(argv));
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toContain('fail2ban rejected the new configuration');
    expect(result.reason).toContain('bad filter');
    expect(result.rollbackProblems).toEqual([]);
    // files and directories: /etc/fwconf, /var/lib and /var/lib/fwconf were made by this run and are gone
    expect(memorySnapshot(exec)).toEqual(before);
    expect(result.steps.filter((s) => s.detail?.startsWith('removed (directory')).map((s) => s.what)).toEqual(['/etc/fwconf', '/var/lib/fwconf', '/var/lib']);
    // nothing was reloaded
    expect(exec.runs().some((a) => a.includes('reload'))).toBe(false);
    expect(formatResult(result)).toContain('Every original file is back in place.');
  });

  it('a failing reload rolls back, restores the firewall as it was and re-runs the reloads already done', async () => {
    const exec = debianHost({ '/etc/fwconf/ufw.sh': '#!/bin/sh\nufw allow 22/tcp\nufw allow 2201/tcp\n' });
    const before = memorySnapshot(exec);
    const base = exec.handler;
    let restoreScript: string | undefined;
    exec.handler = (argv) => {
      if (argv.join(' ') === '/usr/sbin/sh /var/lib/fwconf/restore-ufw.sh') restoreScript = exec.text('/var/lib/fwconf/restore-ufw.sh');
      return argv.join(' ').endsWith('restart xinetd') ? failed('Job for xinetd.service failed.\n') : base(argv);
    };
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(memorySnapshot(exec)).toEqual(before);
    const runs = exec.runs().map((a) => a.join(' '));
    const i = runs.indexOf('/usr/sbin/systemctl restart xinetd');
    // the firewall from its saved state (not by re-running the old script), then the other reloads
    expect(runs.slice(i + 1)).toEqual(['/usr/sbin/sh /var/lib/fwconf/restore-ufw.sh', '/usr/sbin/systemctl reload ssh', '/usr/sbin/systemctl restart xinetd']);
    expect(restoreScript).toBe(
      [
        '#!/bin/sh',
        '# Written by fwconf apply: the ufw state from before the apply, restored on rollback.',
        'set -e',
        '',
        'ufw --force reset || { sleep 1; ufw --force reset; }',
        'ufw default deny incoming',
        'ufw default allow outgoing',
        '# routed: disabled (forwarding is off in the kernel; ufw keeps its routed policy)',
        'ufw logging medium',
        'ufw app default skip',
        'ufw limit 22/tcp comment ssh',
        'ufw --force enable',
        '',
      ].join('\n'),
    );
    expect(result.steps.find((s) => s.kind === 'snapshot')).toMatchObject({ ok: true, what: 'env LANG=C LC_ALL=C ufw status verbose' });
    expect(result.steps.find((s) => s.what.startsWith('ufw: sh'))).toMatchObject({ kind: 'rollback', ok: true });
    expect(result.rollbackProblems).toEqual(['systemctl restart xinetd: exit 1: Job for xinetd.service failed.']);
  });

  it('a new ufw script (no earlier one) is undone too: the firewall goes back to its saved state', async () => {
    const exec = debianHost();
    const before = memorySnapshot(exec);
    const base = exec.handler;
    exec.handler = (argv) => (argv.join(' ').endsWith('sh /etc/fwconf/ufw.sh') ? failed('ERROR: Bad port\n') : base(argv));
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toContain('ERROR: Bad port');
    expect(result.rollbackProblems).toEqual([]);
    expect(exec.runs().map((a) => a.join(' ')).slice(-1)).toEqual(['/usr/sbin/sh /var/lib/fwconf/restore-ufw.sh']);
    expect(memorySnapshot(exec)).toEqual(before);
  });

  it('does not touch the firewall when its current state cannot be saved', async () => {
    for (const answer of [failed('ufw: command not found\n', 127), ok('Status: active\n\nTo                         Action      From\n')]) {
      const exec = debianHost();
      const before = memorySnapshot(exec);
      const base = exec.handler;
      exec.handler = (argv) => (argv.join(' ').endsWith('ufw status verbose') ? answer : base(argv));
      const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
      expect(result.status).toBe('rolled-back');
      expect(result.reason).toMatch(/^could not save the current ufw state/);
      expect(exec.runs().filter((a) => a.join(' ').includes('reload') || a.join(' ') === '/usr/sbin/sh /etc/fwconf/ufw.sh')).toEqual([]);
      expect(memorySnapshot(exec)).toEqual(before);
    }
  });

  it('an inactive firewall is restored inactive', async () => {
    const exec = debianHost();
    exec.handler = healthyHandler('Status: inactive\n');
    const base = exec.handler;
    let script: string | undefined;
    exec.handler = (argv) => {
      if (argv.join(' ').endsWith('restore-ufw.sh')) script = exec.text('/var/lib/fwconf/restore-ufw.sh');
      return argv.join(' ').endsWith('fail2ban-client reload') ? failed('no') : base(argv);
    };
    expect((await executePlan(await planApply(seedFiles(), exec, alice), exec)).status).toBe('rolled-back');
    expect(script).toMatch(/\nufw --force reset \|\| \{ sleep 1; ufw --force reset; \}\n$/);
  });

  it('a failed check after the reload rolls back too', async () => {
    const exec = debianHost();
    const before = exec.snapshot();
    exec.handler = (argv) => (argv.join(' ').endsWith('ss -Hltn') ? ok('LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n') : healthy(argv));
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec, { verifyDelayMs: 1 });
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toBe('after the reload, nothing listens on 2201');
    expect(exec.snapshot()).toEqual(before);
  });

  it('a write error mid-way leaves no half-written file and the originals intact', async () => {
    const exec = debianHost({ '/etc/fail2ban/jail.local': '[sshd]\nenabled = true\n' });
    const before = exec.snapshot();
    exec.beforeOp = (op) => {
      if (op.op === 'write' && op.path.includes('thpot.local.fwconf')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const result = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toContain('ENOSPC');
    expect(exec.snapshot()).toEqual(before);
  });

  it('a crash between two installs is undone by recovery, then apply completes', async () => {
    const exec = debianHost({ '/etc/fail2ban/jail.local': '[sshd]\nenabled = true\n', '/etc/ssh/sshd_config': host('sshd_config.noinclude') });
    const before = exec.snapshot();
    let renames = 0;
    let dead = false;
    exec.beforeOp = (op) => {
      if (dead) throw new Error('process killed');
      if (op.op === 'rename' && !op.to.startsWith('/var/lib/') && !op.to.includes('.orig') && ++renames === 3) {
        dead = true;
        throw new Error('process killed');
      }
    };
    await executePlan(await planApply(seedFiles(), exec, alice), exec);
    // the machine as the kill left it: two files installed, the rest not
    exec.beforeOp = undefined;
    expect(exec.text(JOURNAL)).toBeDefined();
    expect(exec.text('/etc/ssh/sshd_config.d/00-fwconf.conf')).toBe(seedFiles()[0]!.content);
    const blocked = await executePlan(await planApply(seedFiles(), exec, alice), exec);
    expect(blocked.status).toBe('refused');
    const steps = await recoverInterrupted(exec);
    expect(steps[0]).toMatchObject({ kind: 'recover', ok: true });
    expect(exec.snapshot()).toEqual(before);
    expect(await recoverInterrupted(exec)).toEqual([]);
    expect((await executePlan(await planApply(seedFiles(), exec, alice), exec)).status).toBe('applied');
  });
});

describe('executors', () => {
  it('a dry run prints what would happen and changes nothing', async () => {
    const base = debianHost();
    const before = base.snapshot();
    const dry = new DryRunExecutor(base);
    const result = await executePlan(await planApply(seedFiles(), dry, alice), dry);
    expect(result.status).toBe('applied');
    expect(result.steps.filter((s) => s.kind === 'verify')).toEqual([]);
    expect(base.snapshot()).toEqual(before);
    expect(mutations(base)).toEqual([]);
    // only read-only programs run for real in a dry run over the live system: the look at nftables,
    // and the validators, each on a staged copy of the tree it would leave (a temporary directory)
    const runs = base.runs().map((a) => a.join(' '));
    expect(runs[0]).toBe('/usr/sbin/nft list tables');
    expect(runs.slice(1).map((r) => r.replace(/\/tmp\/fwconf-dry-run-[^/]+/g, 'STAGE'))).toEqual([
      '/usr/sbin/sshd -t -f STAGE/etc/ssh/sshd_config',
      '/usr/sbin/sh -n STAGE/etc/fwconf/ufw.sh',
      '/usr/sbin/fail2ban-client -c STAGE/etc/fail2ban -t',
    ]);
    expect(result.steps.filter((s) => s.kind === 'validate').map((s) => [s.ok, s.what.endsWith('(on a staged copy)')])).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(dry.log.some((l) => l.includes('nft'))).toBe(false);
    expect(dry.log.some((l) => l.startsWith('would write /etc/fwconf/.ufw.sh.fwconf-'))).toBe(true);
    expect(dry.log).toContain('would run: /usr/sbin/systemctl reload ssh');
  });

  it('a non-live executor skips reloads and checks, and says so', async () => {
    const exec = new RecordingExecutor({ files: { '/etc/ssh/sshd_config': host('sshd_config.debian'), '/etc/passwd': PASSWD, '/home/alice/.ssh/authorized_keys': KEY }, live: false });
    const plan = await planApply(seedFiles(), exec, alice);
    expect(plan.notes.join('\n')).toContain('reloads and post-checks are skipped');
    const result = await executePlan(plan, exec);
    expect(result.status).toBe('applied');
    expect(exec.runs().map((a) => a[0])).toEqual(['/usr/sbin/sshd', '/usr/sbin/sh', '/usr/sbin/fail2ban-client']);
    expect(result.steps.filter((s) => s.kind === 'skip').map((s) => s.what)).toContain('systemctl reload ssh');
  });

  it('rejects misuse with TypeError', async () => {
    const exec = debianHost();
    await expect(planApply('x' as never, exec)).rejects.toThrow(TypeError);
    await expect(planApply([{ ...seedFiles()[0]!, path: 'relative' }], exec)).rejects.toThrow(TypeError);
    await expect(planApply([seedFiles()[0]!, seedFiles()[0]!], exec)).rejects.toThrow(/twice/);
  });
});

describe('ufw script reader', () => {
  it('reads the rendered forms', async () => {
    const { readUfwScript, allowsTcpPort } = await import('../../src/apply/index.js');
    const s = readUfwScript(
      '#!/bin/sh\nset -eu\nufw=${UFW:-ufw}\n\n$ufw default deny incoming\n$ufw allow in proto tcp from any to any port 2201\n"$ufw" limit 22/tcp\n/usr/sbin/ufw allow 6000:6007/tcp\n${ufw} allow OpenSSH\n$ufw deny in proto tcp from 10.0.0.0/8 to any port 8080\n$ufw --force enable\necho ufw allow 9999\n',
    );
    expect(s.enables).toBe(true);
    expect(s.defaultIncoming).toBe('deny');
    expect(s.rules.map((r) => [r.action, r.ports, r.proto, r.from])).toEqual([
      ['allow', [[2201, 2201]], 'tcp', undefined],
      ['limit', [[22, 22]], 'tcp', undefined],
      ['allow', [[6000, 6007]], 'tcp', undefined],
      ['allow', [[22, 22]], 'tcp', undefined],
      ['deny', [[8080, 8080]], 'tcp', '10.0.0.0/8'],
    ]);
    expect([2201, 22, 6003, 8080, 9999].map((p) => allowsTcpPort(s, p))).toEqual([true, true, true, false, false]);
  });
});

describe('lockout per user', () => {
  it("a Match block that turns passwords off for the operator counts (sshd's own evaluation)", async () => {
    const exec = debianHost();
    exec.files.delete('/home/alice/.ssh/authorized_keys');
    const soft = seedFiles().map((f) => (f.service === 'sshd' ? { ...f, content: f.content.replace('PasswordAuthentication no', 'PasswordAuthentication yes') } : f));
    expect((await planApply(soft, exec, alice)).lockout).toEqual([]);
    exec.put('/etc/ssh/sshd_config', host('sshd_config.debian') + '\nMatch User alice\n\tPasswordAuthentication no\n');
    expect((await planApply(soft, exec, alice)).lockout[0]).toContain('password logins are disabled and alice has no authorized key');
    expect((await planApply(soft, exec, { operator: { user: 'bob' } })).lockout).toEqual([]);
  });

  it('a Match LocalPort block on the port sshd moves to counts; one on another port does not', async () => {
    const exec = debianHost();
    const keys = await planApply(seedFiles(), exec, alice);
    expect(keys.lockout).toEqual([]);
    // alice logs in with her key; on 2201, the port of the drop-in, keys are looked for elsewhere
    exec.put('/etc/ssh/sshd_config', host('sshd_config.debian') + '\nMatch LocalPort 2201\n\tAuthorizedKeysFile /etc/ssh/keys/%u\n');
    expect((await planApply(seedFiles(), exec, alice)).lockout).toEqual(['password logins are disabled and alice has no authorized key in /etc/ssh/keys/%u']);
    exec.put('/etc/ssh/sshd_config', host('sshd_config.debian') + '\nMatch LocalPort 22\n\tAuthorizedKeysFile /etc/ssh/keys/%u\n');
    expect((await planApply(seedFiles(), exec, alice)).lockout).toEqual([]);
    exec.put('/etc/ssh/keys/alice', KEY);
    exec.put('/etc/ssh/sshd_config', host('sshd_config.debian') + '\nMatch LocalPort 2201\n\tAuthorizedKeysFile /etc/ssh/keys/%u\n');
    expect((await planApply(seedFiles(), exec, alice)).lockout).toEqual([]);
  });
});

describe('xinetd (no check mode: the xinetd format checks the files)', () => {
  const withXinetd = (content: string) => seedFiles().map((f) => (f.service === 'xinetd' ? { ...f, content } : f));

  it('a file the parser cannot read rolls back before any reload, with its diagnostics', async () => {
    const exec = debianHost();
    const before = memorySnapshot(exec);
    const broken = 'service thp-pasv\n{\n\tsocket_type = stream\n\tgarbage line here\n';
    const result = await executePlan(await planApply(withXinetd(broken), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toBe('xinetd files have errors: /etc/xinetd.d/thp-pasv:4:10: Bad operator for attribute: garbage (expected =, += or -=) [xinetd/bad-operator]');
    expect(result.steps.find((s) => s.kind === 'validate' && s.what.startsWith('xinetd'))).toMatchObject({ ok: false });
    expect(exec.runs().filter((a) => a.join(' ').includes('reload') || a.includes('restart'))).toEqual([]);
    expect(memorySnapshot(exec)).toEqual(before);
  });

  it('a service xinetd would drop (bad value, missing attribute) rolls back too', async () => {
    const exec = debianHost();
    const bad = seedFiles().find((f) => f.service === 'xinetd')!.content.replace('port\t\t= 22', 'port\t\t= ssh-ish');
    const result = await executePlan(await planApply(withXinetd(bad), exec, alice), exec);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toMatch(/^xinetd files have errors: \/etc\/xinetd\.d\/thp-pasv:7:\d+: port number is invalid.*\[xinetd\/bad-value\]; .*must have a port entry \[xinetd\/service-rejected\]$/);
  });

  it('warnings alone do not stop the apply', async () => {
    const exec = debianHost();
    const warned = seedFiles().find((f) => f.service === 'xinetd')!.content.replace('\tdisable', '\tno_such_attribute = 1\n\tdisable');
    const result = await executePlan(await planApply(withXinetd(warned), exec, alice), exec);
    expect(result.status, formatResult(result)).toBe('applied');
  });
});

describe('ufw state across an interruption', () => {
  it('a crash after the ufw script ran: recovery restores the files and the firewall, and removes what the run made', async () => {
    const exec = debianHost();
    const before = memorySnapshot(exec);
    const plan = await planApply(seedFiles(), exec, alice);
    expect(formatPlan(plan)).toContain("Before reloading:\n  env LANG=C LC_ALL=C ufw status verbose    # saves the firewall's current rules");
    exec.beforeOp = (op) => {
      if (op.op === 'run' && op.argv.join(' ').endsWith('systemctl reload ssh')) throw new Error('process killed');
    };
    await expect(executePlan(plan, exec)).rejects.toThrow('process killed');
    exec.beforeOp = undefined;
    expect(exec.text('/var/lib/fwconf/restore-ufw.sh')).toContain('ufw limit 22/tcp comment ssh');
    exec.ops.length = 0;
    const steps = await recoverInterrupted(exec);
    expect(steps[0]).toMatchObject({ kind: 'recover', ok: true });
    expect(exec.runs().map((a) => a.join(' '))).toEqual(['/usr/sbin/sh /var/lib/fwconf/restore-ufw.sh']);
    expect(memorySnapshot(exec)).toEqual(before);
  });
});

// The seed scenario for real, inside a network namespace this test creates: apply the rendered
// files into a scratch root, run sshd and fail2ban from that root, get an address banned from the
// honeypot's captures log, read the ban back through iptables-save and our parser, and lift it with
// the command our iptables model renders.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { rerootIncludes } from '../../src/apply/sshd-view.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import * as iptables from '../../src/iptables/index.js';
import { scratchRoot } from './fixtures.js';

const NS = `fwconf-apply-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
let tmp: string;
let root: string;
let sshdPid: number | undefined;
let f2bStarted = false;

const inNs = (argv: string[], input?: string) =>
  spawnSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8', timeout: 30_000, input });

/** The default spec (`fwconf apply` without SPEC): the seed setup, nginx-http-auth included. */
const defaultRendered = () => render(DEFAULT_SPEC).files;

async function until<T>(what: string, f: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const f2b = (...args: string[]) => inNs(['fail2ban-client', '-c', `${root}/etc/fail2ban`, ...args]);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-sys-'));
  root = path.join(tmp, 'root');
  scratchRoot({ root, fail2banRuntime: tmp });
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
});

afterAll(() => {
  try {
    if (f2bStarted) f2b('stop');
  } finally {
    if (sshdPid) {
      try {
        process.kill(sshdPid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    spawnSync('ip', ['netns', 'del', NS]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

describe('seed scenario in a network namespace', () => {
  it('applies, runs sshd on 2201 and fail2ban from the root, bans and unbans through our iptables model', async () => {
    const files = defaultRendered();
    expect(files.map((f) => f.path).sort()).toEqual([
      '/etc/fail2ban/filter.d/thpot.local',
      '/etc/fail2ban/jail.local',
      '/etc/fwconf/ufw.sh',
      '/etc/ssh/sshd_config.d/00-fwconf.conf',
      '/etc/xinetd.d/thp-pasv',
    ]);
    const exec = new LocalExecutor({ root });
    const plan = await planApply(files, exec, { operator: { user: 'alice' } });
    const result = await executePlan(plan, exec);
    expect(result.status, formatResult(result)).toBe('applied');
    const again = await executePlan(await planApply(files, exec, { operator: { user: 'alice' } }), exec);
    expect(again.status).toBe('unchanged');

    // sshd from the root: the main config with its Include pointed into the root (as the validator does)
    const key = path.join(tmp, 'hostkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const conf = path.join(tmp, 'sshd_config');
    fs.writeFileSync(conf, rerootIncludes(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config'), 'utf8'), (p) => path.join(root, p)));
    const pidFile = path.join(tmp, 'sshd.pid');
    const sshd = inNs(['/usr/sbin/sshd', '-f', conf, '-h', key, '-o', `PidFile=${pidFile}`]);
    expect(sshd.status, sshd.stderr).toBe(0);
    sshdPid = await until('the sshd pid file', () => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : undefined));
    const listening = await until('sshd on 2201', () => {
      const ss = inNs(['ss', '-Hltn']).stdout;
      return /:2201\s/.test(ss) ? ss : undefined;
    });
    expect(listening).not.toMatch(/:22\s/);
    const banner = inNs(['timeout', '5', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/2201; head -c 8 <&3']);
    expect(banner.stdout).toBe('SSH-2.0-');

    // fail2ban from the root's config, inside the namespace
    const start = f2b('start');
    expect(start.status, start.stderr + start.stdout).toBe(0);
    f2bStarted = true;
    const status = await until('fail2ban jails', () => {
      const s = f2b('status');
      return s.status === 0 && /thp-ssh/.test(s.stdout) ? s.stdout : undefined;
    });
    expect(status).toMatch(/Jail list:.*\bsshd\b/);
    // the jails the plan expects (the fail2ban format's resolution of the tree) are the ones running
    const verify = plan.verifications.find((v) => v.service === 'fail2ban')!;
    expect(verify.description).toBe('fail2ban runs the jails sshd, nginx-http-auth, thp-ssh');
    expect(verify.expect!({ code: 0, stdout: status, stderr: '' })).toBeUndefined();
    expect(/Jail list:\s*(.*)$/m.exec(status)![1]!.split(/,\s*/).sort()).toEqual(['nginx-http-auth', 'sshd', 'thp-ssh']);

    // capture lines for one address, in thpot's single-line format (local time, %b %d %T)
    const addr = '192.0.2.77';
    const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const stampNow = `${mon[now.getMonth()]} ${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    const lines = Array.from({ length: 6 }, (_, i) => `${stampNow} SID=${(Math.floor(now.getTime() / 1000) + i).toString(16).toUpperCase()}1F4.nullresp PID=${4000 + i} SRC=${addr} SPT=${50000 + i}\n`).join('');
    fs.appendFileSync(path.join(root, 'var/log/thpot/captures'), lines);
    await until('the ban', () => {
      const s = f2b('status', 'thp-ssh');
      return s.stdout.includes(addr) ? s.stdout : undefined;
    });

    // the ban, read back through iptables-save and our parser
    const save = inNs(['iptables-save']);
    expect(save.status).toBe(0);
    const doc = iptables.parse(save.stdout);
    expect(doc.toString()).toBe(save.stdout);
    const bans = iptables.fail2ban(doc).bans.filter((b) => b.jail === 'thp-ssh');
    expect(bans.map((b) => [b.chain, b.address])).toEqual([['f2b-thp-ssh', `${addr}/32`]]);
    expect(iptables.isBanned(doc, addr).length).toBe(1);

    // lift it with the command the model renders, and see the rule gone
    const unban = bans[0]!.unban;
    expect(unban).toMatch(/^iptables -D f2b-thp-ssh -s 192\.0\.2\.77\/32 -j /);
    const run = inNs(['sh', '-c', unban]);
    expect(run.status, run.stderr).toBe(0);
    const after = iptables.parse(inNs(['iptables-save']).stdout);
    expect(iptables.isBanned(after, addr)).toEqual([]);
    expect(iptables.fail2ban(after).jails.some((j) => j.jail === 'thp-ssh')).toBe(true);
  });
});

// The seed scenario for real, inside a network namespace this test creates: apply the rendered
// files into a scratch root, run sshd and fail2ban from that root, get an address banned from the
// honeypot's captures log, read the ban back through iptables-save and our parser, and lift it with
// the command our iptables model renders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan, formatResult, LocalExecutor, planApply } from '../../src/apply/index.js';
import { rerootIncludes } from '../../src/apply/sshd-edits.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import * as iptables from '../../src/iptables/index.js';
import { scratchRoot } from './fixtures.js';
import { NetNamespace } from '../netns.js';
import { pollFor, runOk } from '../spawn.js';

let ns: NetNamespace;
let tmp: string;
let root: string;
let sshdPid: number | undefined;
let f2bStarted = false;

const inNs = (argv: string[], input?: string) => ns.spawn(argv, input);

/** The default spec (`fwconf apply` without SPEC): the seed setup, nginx-http-auth included. */
const defaultRendered = () => render(DEFAULT_SPEC).files;

/**
 * Polls for a condition the daemons bring about, every 250 ms, for at most 60 s (sshd and fail2ban
 * start in a second or two alone, and a few seconds on a loaded machine).
 */
const until = <T>(what: string, f: () => Promise<T | undefined>) => pollFor(what, f, { timeoutMs: 60_000, intervalMs: 250 });

const f2b = (...args: string[]) => inNs(['fail2ban-client', '-c', `${root}/etc/fail2ban`, ...args]);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-sys-'));
  root = path.join(tmp, 'root');
  scratchRoot({ root, fail2banRuntime: tmp });
  ns = await NetNamespace.create('apply');
});

afterAll(async () => {
  try {
    if (f2bStarted) await f2b('stop');
  } finally {
    if (sshdPid) {
      try {
        process.kill(sshdPid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    await ns?.delete();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// Applies twice, starts sshd and fail2ban, waits for a ban: ~15 s alone, up to ~60 s on a loaded machine.
describe('seed scenario in a network namespace', { timeout: 180_000 }, () => {
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
    await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const conf = path.join(tmp, 'sshd_config');
    fs.writeFileSync(conf, rerootIncludes(fs.readFileSync(path.join(root, 'etc/ssh/sshd_config'), 'utf8'), (p) => path.join(root, p)));
    const pidFile = path.join(tmp, 'sshd.pid');
    const sshd = await inNs(['/usr/sbin/sshd', '-f', conf, '-h', key, '-o', `PidFile=${pidFile}`]);
    expect(sshd.status, sshd.stderr).toBe(0);
    sshdPid = await until('the sshd pid file', async () => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : undefined));
    const listening = await until('sshd on 2201', async () => {
      const ss = (await inNs(['ss', '-Hltn'])).stdout;
      return /:2201\s/.test(ss) ? ss : undefined;
    });
    expect(listening).not.toMatch(/:22\s/);
    const banner = await inNs(['timeout', '5', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/2201; head -c 8 <&3']);
    expect(banner.stdout).toBe('SSH-2.0-');

    // fail2ban from the root's config, inside the namespace
    const start = await f2b('start');
    expect(start.status, start.stderr + start.stdout).toBe(0);
    f2bStarted = true;
    const status = await until('fail2ban jails', async () => {
      const s = await f2b('status');
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
    await until('the ban', async () => {
      const s = await f2b('status', 'thp-ssh');
      return s.stdout.includes(addr) ? s.stdout : undefined;
    });

    // the ban, read back through iptables-save and our parser: fail2ban lists the address as banned
    // before its action has added the rule, so wait for the rule itself
    const save = await until('the ban rule in iptables-save', async () => {
      const r = await inNs(['iptables-save']);
      expect(r.status, r.stderr).toBe(0);
      return iptables.isBanned(iptables.parse(r.stdout), addr).length > 0 ? r : undefined;
    });
    const doc = iptables.parse(save.stdout);
    expect(doc.toString()).toBe(save.stdout);
    const bans = iptables.fail2ban(doc).bans.filter((b) => b.jail === 'thp-ssh');
    expect(bans.map((b) => [b.chain, b.address])).toEqual([['f2b-thp-ssh', `${addr}/32`]]);
    expect(iptables.isBanned(doc, addr).length).toBe(1);

    // lift it with the command the model renders, and see the rule gone
    const unban = bans[0]!.unban;
    expect(unban).toMatch(/^iptables -D f2b-thp-ssh -s 192\.0\.2\.77\/32 -j /);
    const run = await inNs(['sh', '-c', unban]);
    expect(run.status, run.stderr).toBe(0);
    const after = iptables.parse((await inNs(['iptables-save'])).stdout);
    expect(iptables.isBanned(after, addr)).toEqual([]);
    expect(iptables.fail2ban(after).jails.some((j) => j.jail === 'thp-ssh')).toBe(true);
  });
});

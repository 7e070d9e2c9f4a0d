// The rendered files against the real programs: sshd -t/-T on a main config that includes the
// drop-in, fail2ban-client -t/-d on a copy of Debian's /etc/fail2ban with our files laid over it (in a
// private mount namespace whose /var/log is a tmpfs), and the ufw script applied to a real ufw in a
// network namespace with a private ufw tree. The host's own config and firewall are never touched.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetNamespace } from '../netns.js';
import { run, runOk } from '../spawn.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import type { HostSpecInput } from '../../src/builder/spec.js';
import { ufwState } from '../../src/builder/ufw.js';
import type { RenderResult } from '../../src/builder/model.js';
import { parse as parseUfw, renderStatus } from '../../src/ufw/index.js';
import { fail2banModel, sshdModel, xinetdModel } from './readback.js';
import { arbSpec } from './arbitraries.js';
import { privateUfwTree, ufwWrapper } from '../ufw-tree.js';

const tmp = mkdtempSync(join(tmpdir(), 'fwconf-builder-sys-'));
chmodSync(tmp, 0o755);
let ns: NetNamespace;
const hostKey = join(tmp, 'ssh_host_ed25519_key');

beforeAll(async () => {
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  ns = await NetNamespace.create('builder');
});
afterAll(async () => {
  try {
    await ns?.delete();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

let n = 0;
function file(r: RenderResult, suffix: string) {
  return r.files.find((f) => f.path.endsWith(suffix));
}

/** sshd -T on Debian's stock sshd_config whose Include points at our drop-in. */
async function sshdT(r: RenderResult): Promise<Map<string, string[]>> {
  const dir = join(tmp, `ssh-${n++}`);
  mkdirSync(join(dir, 'sshd_config.d'), { recursive: true });
  writeFileSync(join(dir, 'sshd_config.d/00-fwconf.conf'), file(r, 'fwconf.conf')!.content);
  const stock = readFileSync('/etc/ssh/sshd_config', 'utf8');
  expect(stock).toContain('Include /etc/ssh/sshd_config.d/*.conf');
  writeFileSync(join(dir, 'sshd_config'), stock.replace('Include /etc/ssh/sshd_config.d/*.conf', `Include ${dir}/sshd_config.d/*.conf`));
  const t = await run(['/usr/sbin/sshd', '-t', '-f', join(dir, 'sshd_config'), '-h', hostKey]);
  expect(t.stderr + `exit ${t.status}`).toBe('exit 0');
  const out = await runOk(['/usr/sbin/sshd', '-T', '-f', join(dir, 'sshd_config'), '-h', hostKey]);
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) m.set(line.slice(0, i), [...(m.get(line.slice(0, i)) ?? []), line.slice(i + 1)]);
  }
  return m;
}

/** fail2ban-client -t and -d on a copy of /etc/fail2ban with our files over it; returns the -d dump. */
async function fail2ban(r: RenderResult): Promise<string> {
  const dir = join(tmp, `f2b-${n++}`);
  cpSync('/etc/fail2ban', dir, { recursive: true });
  for (const f of r.files.filter((f) => f.service === 'fail2ban')) writeFileSync(join(dir, f.path.replace('/etc/fail2ban/', '')), f.content);
  const logs = ['/var/log/auth.log', '/var/log/thpot/captures', '/var/log/nginx/error.log'];
  const script = `mount -t tmpfs tmpfs /var/log && mkdir -p /var/log/thpot /var/log/nginx && touch ${logs.join(' ')} &&
    fail2ban-client -c '${dir}' -t >&2 && fail2ban-client -c '${dir}' -d`;
  const res = await run(['unshare', '-m', 'sh', '-c', script]);
  expect(res.status, res.stderr).toBe(0);
  expect(res.stderr).toContain('OK: configuration test is successful');
  return res.stdout;
}

/** Runs the ufw script against a private ufw tree in the namespace; returns `ufw status verbose`. */
async function ufw(r: RenderResult): Promise<string> {
  const root = privateUfwTree(join(tmp, `ufw-${n++}`));
  const bin = join(root, 'bin');
  ufwWrapper(bin, root);
  const script = join(root, 'ufw.sh');
  writeFileSync(script, file(r, 'ufw.sh')!.content, { mode: 0o755 });
  const ran = await ns.spawn(['env', `PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, 'sh', script]);
  expect(ran.status, ran.stderr).toBe(0);
  return ns.run([join(bin, 'ufw'), 'status', 'verbose']);
}

function ufwRules(text: string) {
  const j = parseUfw(text).toJSON() as unknown as { defaults: unknown; logging: unknown; rules: { to: { text: string }; from: { text: string }; actionText: string; comment: string | null; log: string | null }[] };
  return { defaults: j.defaults, logging: j.logging, rules: j.rules.map((r) => [r.to.text, r.actionText, r.from.text, r.log, r.comment]) };
}

describe('the default spec against the real programs', () => {
  const r = render(DEFAULT_SPEC);

  it('sshd -t accepts the drop-in and sshd -T shows port 2201 and the hardening', async () => {
    const t = await sshdT(r);
    expect(t.get('port')).toEqual(['2201']);
    expect(t.get('permitrootlogin')).toEqual(['no']);
    expect(t.get('passwordauthentication')).toEqual(['no']);
    expect(t.get('kbdinteractiveauthentication')).toEqual(['no']);
    expect(t.get('x11forwarding')).toEqual(['no']);
    expect(t.get('maxauthtries')).toEqual(['3']);
    expect(t.get('logingracetime')).toEqual(['30']);
    expect(t.get('clientaliveinterval')).toEqual(['300']);
  });

  it('fail2ban-client -t accepts the overlay; -d shows thp-ssh with SRC=<HOST>, the sshd jail on 2201', async () => {
    const d = await fail2ban(r);
    expect(d).toContain("['add', 'thp-ssh', 'auto']");
    expect(d).toContain("['set', 'thp-ssh', 'addfailregex', 'SRC=<HOST>']");
    expect(d).toContain("['set', 'thp-ssh', 'maxretry', 3]");
    expect(d).toContain("['set', 'thp-ssh', 'findtime', '1800']");
    expect(d).toContain("['set', 'thp-ssh', 'bantime', '99999']");
    expect(d).toContain("['set', 'thp-ssh', 'addlogpath', '/var/log/thpot/captures', 'head']");
    expect(d).toContain("['set', 'thp-ssh', 'addaction', 'iptables-allports']");
    expect(d).toMatch(/\['multi-set', 'sshd', 'action', 'iptables-multiport', \[.*\['port', '2201'\]/);
    expect(d).toContain("['set', 'nginx-http-auth', 'addlogpath', '/var/log/nginx/error.log', 'head']");
  });

  it('the ufw script gives a ufw whose status verbose parses back to the spec', async () => {
    const status = await ufw(r);
    expect(ufwRules(status)).toEqual(ufwRules(renderStatus(ufwState(DEFAULT_SPEC.ufw)).toString()));
    expect(ufwRules(status).rules.map((x) => x.slice(0, 3))).toEqual([
      ['2201/tcp', 'ALLOW IN', 'Anywhere'],
      ['80/tcp', 'ALLOW IN', 'Anywhere'],
      ['443/tcp', 'ALLOW IN', 'Anywhere'],
      ['22/tcp', 'ALLOW IN', 'Anywhere'],
      ['2201/tcp (v6)', 'ALLOW IN', 'Anywhere (v6)'],
      ['80/tcp (v6)', 'ALLOW IN', 'Anywhere (v6)'],
      ['443/tcp (v6)', 'ALLOW IN', 'Anywhere (v6)'],
      ['22/tcp (v6)', 'ALLOW IN', 'Anywhere (v6)'],
    ]);
  });
});

describe('random valid specs against the real programs', () => {
  // Each run starts sshd twice, fail2ban-client twice and a ufw script of up to a few dozen ufw commands: a
  // few seconds alone, up to ~30 s on two busy cores; 3 runs get 240 s.
  it('sshd, fail2ban and ufw accept every file and read back the spec', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(arbSpec, async (spec: HostSpecInput) => {
        const r = render(spec);
        const t = await sshdT(r);
        expect(t.get('port')).toEqual([String(spec.ssh!.port)]);
        const s = spec.ssh!.settings ?? {};
        if (s.Banner !== undefined) expect(t.get('banner')).toEqual([s.Banner]);
        if (s.ForceCommand !== undefined) expect(t.get('forcecommand')).toEqual([s.ForceCommand]);
        if (s.AllowUsers !== undefined) expect(t.get('allowusers')).toEqual([...(s.AllowUsers as string[])]);
        // AcceptEnv accumulates: Debian's sshd_config adds LANG LC_* after the Include.
        if (s.AcceptEnv !== undefined) expect(t.get('acceptenv')).toEqual([...(s.AcceptEnv as string[]), 'LANG', 'LC_*']);
        if (s.PermitRootLogin !== undefined) expect(t.get('permitrootlogin')).toEqual([s.PermitRootLogin === 'prohibit-password' ? 'without-password' : s.PermitRootLogin]);
        expect(sshdModel(file(r, 'fwconf.conf')!.content).matches).toHaveLength(spec.ssh!.match?.length ?? 0);

        const d = await fail2ban(r);
        for (const [name, j] of Object.entries(spec.fail2ban!.jails ?? {})) {
          if (j.enabled) expect(d).toContain(`['add', '${name}',`);
        }
        for (const [name, f] of Object.entries(spec.fail2ban!.filters ?? {})) {
          const model = fail2banModel(file(r, `filter.d/${name}.local`)!.content);
          expect(model.Definition!.failregex).toBe((f.failregex as string[]).join('\n'));
        }
        for (const h of spec.honeypots ?? []) {
          const x = xinetdModel(file(r, `xinetd.d/${h.name}`)!.content)[h.name]!;
          expect(x.port).toEqual([String(h.port)]);
          expect(x.server_args).toEqual(h.args ?? ['nullresp']);
        }

        const status = await ufw(r);
        expect(ufwRules(status)).toEqual(ufwRules(renderStatus(ufwState(spec.ufw as never)).toString()));
      }),
      { numRuns: 3, endOnFailure: true },
    );
  });
});

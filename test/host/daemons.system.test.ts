// The host findings against the real daemons, in network namespaces: sshd started from the tree and
// ufw enabled from the tree's script — a connection from a peer fails ⇔ host/ssh-port-not-allowed;
// sshd and xinetd started from the tree — xinetd cannot bind ⇔ host/honeypot-port-conflict.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NetNamespace as AsyncNetns } from '../netns.js';
import { run } from '../spawn.js';
import { privateUfwTree, ufwWrapper } from '../ufw-tree.js';
import { NodeFileSource } from '../../src/core/files.js';
import { readUfwFiles, readUfwStatus, ufwAllows, type HostUfw } from '../../src/host/index.js';
import { appliedRoot, edit, fwconf, hostCodes, read, removeRoot, write } from './fixtures.js';

const roots: string[] = [];
const children: ChildProcess[] = [];
const namespaces: AsyncNetns[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const ns of namespaces) await ns.delete();
  roots.forEach(removeRoot);
});

async function netns(): Promise<AsyncNetns> {
  const ns = await AsyncNetns.create('host');
  namespaces.push(ns);
  return ns;
}

/** Polls `probe` (every 50 ms) until it holds; fails with `what` after `limitMs`. */
async function until(probe: () => Promise<boolean> | boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a daemon in the namespace (`ip netns exec` execs it, so the child is the daemon). */
function daemon(ns: AsyncNetns, argv: string[]): ChildProcess & { output: () => string } {
  const child = spawn('ip', ['netns', 'exec', ns.name, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  children.push(child);
  return Object.assign(child, { output: () => out });
}

async function listening(ns: AsyncNetns): Promise<number[]> {
  const r = await ns.spawn(['ss', '-Hltn']);
  return [...new Set(r.stdout.split('\n').map((l) => /:(\d+)\s*$/.exec(l.trim().split(/\s+/)[3] ?? '')?.[1]).filter(Boolean).map(Number))].sort((a, b) => a - b);
}

/** sshd started from the root's tree (its main file with the Include paths re-rooted), in the namespace. */
async function startSshd(ns: AsyncNetns, root: string, ports: number[]): Promise<ChildProcess> {
  const main = path.join(root, 'etc/ssh/.sshd_config.run');
  fs.writeFileSync(main, read(root, 'etc/ssh/sshd_config').replace(/^(\s*Include\s+)\/etc\//gim, `$1${root}/etc/`));
  const sshd = daemon(ns, ['/usr/sbin/sshd', '-D', '-e', '-f', main, '-o', 'PidFile=none']);
  await until(async () => {
    const now = await listening(ns);
    return ports.every((p) => now.includes(p));
  }, `sshd on ${ports.join(', ')}: ${sshd.output()}`);
  return sshd;
}

/** A server namespace (10.201.0.1) and a peer namespace (10.201.0.2) on a veth link. */
async function linkedPair(): Promise<{ server: AsyncNetns; peer: AsyncNetns }> {
  const server = await netns();
  const peer = await netns();
  await server.run(['ip', 'link', 'add', 'h0', 'type', 'veth', 'peer', 'name', 'h1', 'netns', peer.name]);
  await server.run(['ip', 'addr', 'add', '10.201.0.1/24', 'dev', 'h0']);
  await server.run(['ip', 'link', 'set', 'h0', 'up']);
  await peer.run(['ip', 'addr', 'add', '10.201.0.2/24', 'dev', 'h1']);
  await peer.run(['ip', 'link', 'set', 'h1', 'up']);
  return { server, peer };
}

/** The peer opens a connection to sshd on 2201 and reads its banner (a DROP shows as no answer: 10 s is far beyond a veth round trip). */
async function peerReachesSshd(peer: AsyncNetns): Promise<boolean> {
  const r = await peer.spawn(['timeout', '10', 'bash', '-c', 'exec 3<>/dev/tcp/10.201.0.1/2201 && head -c 4 <&3']);
  return r.status === 0 && r.stdout === 'SSH-';
}

/**
 * A server namespace with sshd and the tree's ufw script run, and a peer namespace on a veth link:
 * whether the peer reaches sshd on 2201. `then` runs in the server namespace after ufw is enabled.
 */
async function reach(root: string, then?: (server: AsyncNetns) => Promise<void>): Promise<boolean> {
    const { server, peer } = await linkedPair();
    await startSshd(server, root, [2201]);
    const ufwRoot = privateUfwTree(path.join(root, 'ufw-run'));
    const bin = path.join(ufwRoot, 'bin');
    ufwWrapper(bin, ufwRoot, server.name);
    const script = await run(['env', `PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, 'sh', path.join(root, 'etc/fwconf/ufw.sh')]);
    expect(script.status, script.stderr).toBe(0);
    // ufw's own files, as fwconf reads them (ufw.conf, user.rules tuples), say what ufw's status says.
    const status = await server.run([path.join(bin, 'ufw'), 'status', 'verbose']);
    const fromFiles = readUfwFiles(new NodeFileSource({ root: ufwRoot }))!;
    const fromStatus = readUfwStatus(status, 'status');
    expect(fromFiles.enabled).toBe(true);
    expect(fromStatus.enabled).toBe(true);
    for (const port of [22, 80, 443, 2201, 2222, 8080])
      expect({ port, allowed: ufwAllows(fromFiles, port).allowed }).toEqual({ port, allowed: ufwAllows(fromStatus, port).allowed });
    expect(fromFiles.rules.map((r) => [r.action, r.ports, r.proto, r.v6])).toEqual(fromStatus.rules.map((r) => [r.action, r.ports, r.proto, r.v6]));
    if (then) await then(server);
    return peerReachesSshd(peer);
}

describe('host/ssh-port-not-allowed ⇔ a peer cannot connect to sshd once ufw is enabled from the tree', () => {

  it('the default setup: no finding, and the peer reaches sshd on 2201', async () => {
    const root = await appliedRoot();
    roots.push(root);
    expect((await hostCodes(root)).codes).not.toContain('host/ssh-port-not-allowed');
    expect(await reach(root)).toBe(true);
  });

  it('the script without `ufw allow 2201/tcp`: the finding, and the peer cannot connect', async () => {
    const root = await appliedRoot();
    roots.push(root);
    edit(root, 'etc/fwconf/ufw.sh', (t) => t.replace(/^ufw allow 2201\/tcp\n/m, ''));
    expect((await hostCodes(root)).codes).toContain('host/ssh-port-not-allowed');
    expect(await reach(root)).toBe(false);
  });
});

describe('host/ufw-with-nftables from `nft list ruleset` ⇔ a hand-made table beside ufw drops sshd', () => {
  /** ufw enabled from the tree, then a hand-made table loaded with the real nft; the ruleset as nft lists it. */
  async function withTable(table: string): Promise<{ reached: boolean; ruleset: string; findings: Awaited<ReturnType<typeof hostCodes>>['diagnostics'] }> {
    const root = await appliedRoot();
    roots.push(root);
    const conf = path.join(root, 'hand-made.nft');
    fs.writeFileSync(conf, table);
    const dump = path.join(root, 'ruleset.txt');
    const reached = await reach(root, async (server) => {
      await server.run(['nft', '-f', conf]);
      fs.writeFileSync(dump, await server.run(['nft', 'list', 'ruleset']));
    });
    const h = await hostCodes(root, ['--nft-ruleset', dump]);
    return { reached, ruleset: fs.readFileSync(dump, 'utf8'), findings: h.diagnostics.filter((d) => d.code === 'host/ufw-with-nftables') };
  }
  const table = (accept: string) => `table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiif "lo" accept\n\t\ttcp dport ${accept} accept\n\t}\n}\n`;

  it('an input chain with policy drop that accepts 22 only: an error at the table, and the peer cannot reach sshd on 2201', async () => {
    const r = await withTable(table('22'));
    // ufw's own tables (iptables-nft's) are in the ruleset and are not reported
    expect(r.ruleset).toMatch(/^table ip filter \{/m);
    expect(r.ruleset).toMatch(/^table ip6 filter \{/m);
    expect(r.findings).toHaveLength(1);
    const d = r.findings[0]!;
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/^the ruleset has table inet filter .* drops 2201\/tcp, where sshd listens/);
    expect(r.ruleset.split('\n')[d.line - 1]).toBe('table inet filter {');
    expect(d.command).toBe('nft delete table inet filter');
    expect(r.reached).toBe(false);
  });

  it('the same table accepting 2201 too: a warning only, and the peer reaches sshd', async () => {
    const r = await withTable(table('{ 22, 2201 }'));
    expect(r.findings.map((d) => d.severity)).toEqual(['warning']);
    expect(r.reached).toBe(true);
  });
});

describe('host/honeypot-port-conflict ⇔ xinetd cannot bind the honeypot beside sshd started from the tree', () => {
  /**
   * sshd, then xinetd, from the tree. The service runs as nobody with /bin/true: this machine has no
   * thpot user or /usr/sbin/thpot (xinetd would disable the service for that before binding), and the
   * claim is about the port. Returns xinetd's log once it has started working.
   */
  async function xinetdLog(root: string, sshdPorts: number[]): Promise<string> {
    const ns = await netns();
    await startSshd(ns, root, sshdPorts);
    const dir = path.join(root, 'xinetd-run');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'xinetd.d'), { recursive: true });
    for (const name of fs.readdirSync(path.join(root, 'etc/xinetd.d')).filter((n) => !n.includes('.')))
      write(dir, `xinetd.d/${name}`, read(root, `etc/xinetd.d/${name}`).replace(/^(\s*user\s*=\s*).*$/m, '$1nobody').replace(/^(\s*server\s*=\s*).*$/m, '$1/bin/true'));
    write(dir, 'xinetd.conf', read(root, 'etc/xinetd.conf').replace(/^(\s*includedir\s+)\/etc\/xinetd\.d/m, `$1${dir}/xinetd.d`));
    const log = path.join(dir, 'log');
    daemon(ns, ['/usr/sbin/xinetd', '-dontfork', '-filelog', log, '-pidfile', path.join(dir, 'pid'), '-f', path.join(dir, 'xinetd.conf')]);
    await until(() => fs.existsSync(log) && /Started working/.test(fs.readFileSync(log, 'utf8')), 'xinetd to start working');
    return fs.readFileSync(log, 'utf8');
  }

  it('Port 22 left in sshd_config: the finding, and xinetd fails to bind thp-pasv; after apply neither', async () => {
    const root = await appliedRoot();
    roots.push(root);
    edit(root, 'etc/ssh/sshd_config', (t) => t.replace(/^#Port 22$/m, 'Port 22'));
    expect((await hostCodes(root)).codes).toContain('host/honeypot-port-conflict');
    const before = await xinetdLog(root, [22, 2201]);
    expect(before).toMatch(/bind failed \(Address already in use.*service = thp-pasv/);
    expect(before).toMatch(/Started working: 0 available services/);

    const applied = await fwconf(['apply', '--root', root, '--yes']);
    expect(applied.code, applied.out + applied.err).toBe(0);
    expect((await hostCodes(root)).codes).not.toContain('host/honeypot-port-conflict');
    const after = await xinetdLog(root, [2201]);
    expect(after).not.toMatch(/bind failed/);
    expect(after).toMatch(/Started working: 1 available service/);
  });
});

describe('host/ban-misses-ssh ⇔ fail2ban from the tree bans the peer and the peer still reaches sshd', () => {
  /** sshd and fail2ban from the tree in the server namespace; bans the peer in the sshd jail; can the peer still connect? */
  async function reachesAfterBan(root: string): Promise<boolean> {
    const { server, peer } = await linkedPair();
    await startSshd(server, root, [2201]);
    expect(await peerReachesSshd(peer)).toBe(true);
    const runtime = path.join(root, 'f2b-run');
    fs.mkdirSync(runtime, { recursive: true });
    write(root, 'etc/fail2ban/fail2ban.d/zz-run.local', `[Definition]\nsocket = ${runtime}/f2b.sock\npidfile = ${runtime}/f2b.pid\nlogtarget = ${runtime}/f2b.log\ndbfile = :memory:\n`);
    const f2b = (...args: string[]) => server.spawn(['fail2ban-client', '-c', path.join(root, 'etc/fail2ban'), ...args]);
    const start = await f2b('start');
    expect(start.status, start.stdout + start.stderr).toBe(0);
    try {
      await until(async () => /Jail list:.*\bsshd\b/.test((await f2b('status')).stdout), 'the sshd jail');
      const ban = await f2b('set', 'sshd', 'banip', '10.201.0.2');
      expect(ban.status, ban.stderr).toBe(0);
      await until(async () => /10\.201\.0\.2/.test((await server.spawn(['iptables', '-S'])).stdout), 'the ban in iptables');
      return await peerReachesSshd(peer);
    } finally {
      await f2b('stop');
    }
  }

  it("the default setup: no finding, and the banned peer cannot reach sshd", async () => {
    const root = await appliedRoot();
    roots.push(root);
    expect((await hostCodes(root)).codes).not.toContain('host/ban-misses-ssh');
    expect(await reachesAfterBan(root)).toBe(false);
  });

  it("the sshd jail's action bans port 22 only: the finding, and the banned peer still reaches sshd on 2201", async () => {
    const root = await appliedRoot();
    roots.push(root);
    edit(root, 'etc/fail2ban/jail.local', (t) => t.replace(/^port = 2201$/m, 'port = 2201\naction = iptables-multiport[name=sshd, port=22]'));
    expect((await hostCodes(root)).codes).toContain('host/ban-misses-ssh');
    expect(await reachesAfterBan(root)).toBe(true);
  });
});

describe("ufw's files as fwconf reads them ⇔ the real ufw's status", () => {
  it('app, interface, source, limit/log, deny, route and IPv6 rules: the same rules, the same answer per port', async () => {
    const ns = await netns();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-ufwfiles-'));
    roots.push(dir);
    const ufwRoot = privateUfwTree(dir);
    const bin = path.join(ufwRoot, 'bin');
    const ufw = ufwWrapper(bin, ufwRoot, ns.name);
    for (const cmd of [
      'default deny incoming',
      'allow OpenSSH',
      'limit log 2201/tcp',
      'allow in on eth0 to any port 8080 proto tcp',
      'deny in on eth1 to any port 2201 proto tcp',
      'allow from 10.0.0.0/8 to any port 9000 proto tcp',
      'deny 23/tcp',
      'allow 6000:6007/tcp',
      'route allow 80/tcp',
      'allow 443 comment web',
      '--force enable',
    ]) {
      const r = await run([ufw, ...cmd.split(' ')]);
      expect(r.status, `${cmd}: ${r.stderr}`).toBe(0);
    }
    const status = await ns.run([ufw, 'status', 'verbose']);
    const fromFiles = readUfwFiles(new NodeFileSource({ root: ufwRoot }))!;
    const fromStatus = readUfwStatus(status, 'status');
    const shape = (x: HostUfw) => x.rules.map((r) => [r.action, r.direction, r.ports ?? null, r.proto ?? null, r.from ?? null, r.interface ?? null, r.v6]);
    expect(shape(fromFiles)).toEqual(shape(fromStatus));
    expect(fromFiles.rules.length).toBeGreaterThanOrEqual(9);
    for (const port of [22, 23, 80, 443, 2201, 6003, 8080, 9000, 9001])
      expect({ port, allowed: ufwAllows(fromFiles, port).allowed }).toEqual({ port, allowed: ufwAllows(fromStatus, port).allowed });
    expect([22, 23, 443, 2201, 6003, 8080, 9000].map((p) => ufwAllows(fromFiles, p).allowed)).toEqual([true, false, true, true, true, false, false]);
  });
});

// The README's library example, run as written against the built package: on this machine's stock
// /etc/ssh and /etc/fail2ban, with iptables-save in a network namespace holding fail2ban's bans.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetNamespace } from '../netns.js';

const repo = resolve(__dirname, '../..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
let ns: NetNamespace;
const tmp = mkdtempSync(join(tmpdir(), 'fwconf-readme-'));

beforeAll(async () => {
  ns = await NetNamespace.create('readme');
  await ns.run(['iptables-restore'], readFileSync(join(repo, 'fixtures/iptables/fail2ban.iptables-save'), 'utf8'));
});
afterAll(async () => {
  await ns.delete();
  rmSync(tmp, { recursive: true, force: true });
});

describe('README', () => {
  it('its library example runs as written and prints what it says', async () => {
    const block = /## Library\n\n```ts\n([^]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The only change: 'fwconf' resolves to this checkout's build (dist/, made by the global setup).
    const script = join(tmp, 'readme-example.mjs');
    writeFileSync(script, block!.replace("from 'fwconf'", `from '${join(repo, 'dist/index.js')}'`));
    const { status, stdout, stderr } = await ns.spawn(['node', script]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^passwordauthentication \[ 'no' \]$/m);
    expect(stdout).toMatch(/^jail sshd \d+ failregex$/m);
    expect(stdout).toContain('ban sshd 192.168.10.10/32 -> iptables -D f2b-sshd -s 192.168.10.10/32 -j REJECT --reject-with icmp-port-unreachable\n');
  });
});

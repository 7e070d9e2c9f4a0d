// fail2ban: the jails fail2ban-client would start, from a configuration held in memory.
// Run: node examples/fail2ban.mjs
import { MemoryFileSource } from 'fwconf/core';
import { resolve } from 'fwconf/fail2ban';

const files = new MemoryFileSource({
  '/etc/fail2ban/jail.conf': `[DEFAULT]
filter = %(__name__)s
bantime = 10m
maxretry = 5

[sshd]
port = ssh
logpath = /var/log/auth.log
`,
  '/etc/fail2ban/jail.local': `[sshd]
enabled = true
maxretry = 3
`,
  '/etc/fail2ban/filter.d/sshd.conf': `[Definition]
failregex = ^Failed password for .* from <HOST>
`,
  '/var/log/auth.log': '',
});
const { jails, diagnostics } = resolve('/etc/fail2ban', { files });
for (const jail of jails) {
  const where = (option) => jail.provenance[option]?.file ?? 'default';
  console.log(`jail ${jail.name}: maxretry ${jail.options.maxretry} (from ${where('maxretry')}), bantime ${jail.options.bantime}, logs ${jail.logpath.map((l) => l.path).join(', ')}`);
  for (const regex of jail.filter?.failregex ?? []) console.log(`  failregex ${regex}`);
}
for (const d of diagnostics) console.log('diagnostic:', d.message);

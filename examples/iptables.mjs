// iptables-save: who fail2ban has banned, and the commands that rebuild the dump.
// Run: node examples/iptables.mjs
import { fail2ban, parse, rebuildScript } from 'fwconf/iptables';

const dump = parse(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:f2b-sshd - [0:0]
-A INPUT -p tcp -m multiport --dports 2201 -j f2b-sshd
-A f2b-sshd -s 198.51.100.7/32 -j REJECT --reject-with icmp-port-unreachable
-A f2b-sshd -j RETURN
COMMIT
`, { file: 'rules.v4' });
for (const ban of fail2ban(dump).bans) console.log('ban', ban.jail, ban.address, '->', ban.unban);
process.stdout.write(rebuildScript(dump));

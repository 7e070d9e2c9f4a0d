// What the system tests (test/**/*.system.test.ts) need: root (they create network namespaces, mount
// namespaces and run the daemons' own checks) and the programs of Debian's packages. Checked by
// test/global-setup.ts before anything else when the `system` project runs, so that a run without
// them stops at once with this list instead of failing test after test.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** Program → the Debian package that has it. */
export const SYSTEM_PROGRAMS: Readonly<Record<string, string>> = {
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  'ssh-audit': 'ssh-audit',
  'fail2ban-client': 'fail2ban',
  'fail2ban-regex': 'fail2ban',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  'iptables-restore': 'iptables',
  'ip6tables-save': 'iptables',
  'ip6tables-restore': 'iptables',
  'iptables-legacy-save': 'iptables',
  'iptables-legacy-restore': 'iptables',
  ebtables: 'iptables',
  arptables: 'iptables',
  nft: 'nftables',
  ufw: 'ufw',
  xinetd: 'xinetd',
  ip: 'iproute2',
  ss: 'iproute2',
  unshare: 'util-linux',
  script: 'bsdutils',
  perl: 'perl-base',
  python3: 'python3',
  strace: 'strace',
  'ansible-playbook': 'ansible-core',
  'ansible-lint': 'ansible-lint',
};

const DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function found(program: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...DIRS];
  return dirs.some((d) => {
    try {
      accessSync(join(d, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What is missing for the system tests, as sentences; empty when they can run. */
export function systemProblems(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push(`they need root (uid ${process.getuid?.() ?? '?'}): they create network and mount namespaces`);
  const missing = Object.entries(SYSTEM_PROGRAMS).filter(([p]) => !found(p));
  if (missing.length) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].sort();
    problems.push(`missing programs: ${missing.map(([p]) => p).join(', ')} (apt-get install ${packages.join(' ')})`);
  }
  return problems;
}

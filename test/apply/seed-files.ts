// The seed's rendered files, as fixtures (the builder's default spec renders the same set of paths).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RenderedFile } from '../../src/builder/model.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/apply/', import.meta.url));

const seed = (p: string) => readFileSync(`${FIXTURES}seed${p}`, 'utf8');

export function seedFiles(): RenderedFile[] {
  return [
    { path: '/etc/ssh/sshd_config.d/00-fwconf.conf', content: seed('/etc/ssh/sshd_config.d/00-fwconf.conf'), format: 'sshd', service: 'sshd', mode: 0o644 },
    { path: '/etc/xinetd.d/thp-pasv', content: seed('/etc/xinetd.d/thp-pasv'), format: 'xinetd', service: 'xinetd', mode: 0o644 },
    { path: '/etc/fail2ban/jail.local', content: seed('/etc/fail2ban/jail.local'), format: 'fail2ban', service: 'fail2ban', mode: 0o644 },
    { path: '/etc/fail2ban/filter.d/thpot.local', content: seed('/etc/fail2ban/filter.d/thpot.local'), format: 'fail2ban', service: 'fail2ban', mode: 0o644 },
    { path: '/etc/fwconf/ufw.sh', content: seed('/etc/fwconf/ufw.sh'), format: 'shell', service: 'ufw', mode: 0o755 },
  ];
}

export const host = (name: string) => readFileSync(`${FIXTURES}host/${name}`, 'utf8');

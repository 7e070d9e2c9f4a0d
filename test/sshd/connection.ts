// sshd -T -C's connection specs as fwconf's connections, and sshd -T output made comparable with
// `fwconf sshd effective --all` (shared by the effective --all and corpus system tests).
import type { SshdConnection } from '../../src/sshd/index.js';

/** `user=U,addr=A,...` as a connection object. */
export function connection(spec: string): SshdConnection {
  const c: Record<string, string | number> = {};
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=') as [string, string];
    c[k] = k === 'lport' ? Number(v) : v;
  }
  return c as SshdConnection;
}

/** sshd -T lines without the host keys (-h puts the test's key first, where a file has none). */
export const comparable = (text: string): string[] => text.split('\n').filter((l) => l && !l.startsWith('hostkey ')).sort();

/**
 * TCP service names for `Port ssh` and friends: sshd resolves them with getservbyname(3), which reads
 * /etc/services. The semantics read that file through a FileSource; without one, this small table of
 * Debian netbase's best-known entries stands in.
 */
import type { FileSource } from '../core/files.js';

const BUILTIN: Record<string, number> = {
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, mail: 25, domain: 53, http: 80, www: 80, pop3: 110, 'pop-3': 110,
  sunrpc: 111, portmapper: 111, auth: 113, nntp: 119, imap2: 143, imap: 143, https: 443, submissions: 465, ssmtp: 465,
  smtps: 465, submission: 587, imaps: 993, pop3s: 995, socks: 1080, mysql: 3306, 'http-alt': 8080, webcache: 8080,
};

/** Maps service names (and aliases) to TCP ports. */
export type ServiceLookup = (name: string) => number | undefined;

/** Parses services(5) text: `name port/proto [aliases…] [# comment]`, TCP entries only; first entry wins. */
export function parseServices(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/[ \t]+/);
    if (fields.length < 2) continue;
    const m = /^(\d+)\/tcp$/.exec(fields[1]!);
    if (!m) continue;
    const port = Number(m[1]);
    for (const name of [fields[0]!, ...fields.slice(2)]) if (!map.has(name)) map.set(name, port);
  }
  return map;
}

/** Service lookup through `/etc/services` of a FileSource, or the built-in table. */
export function serviceLookup(files?: FileSource): ServiceLookup {
  const text = files?.read('/etc/services');
  if (text !== undefined) {
    const map = parseServices(text);
    return (n) => map.get(n);
  }
  return (n) => (Object.prototype.hasOwnProperty.call(BUILTIN, n) ? BUILTIN[n] : undefined);
}

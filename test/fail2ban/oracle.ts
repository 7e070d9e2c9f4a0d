// Runs the real programs the fail2ban tests compare against: Python's configparser through fail2ban's
// own SafeConfigParserWithIncludes, and `fail2ban-client -d`.
import { accessSync, constants, cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from '../spawn.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '../../fixtures/fail2ban');
export const DEBIAN_ETC = join(FIXTURES, 'debian-etc');

export type OracleResult = { defaults: [string, string][]; sections: [string, [string, string][]][] } | { error: string };

/** The Python that runs fail2ban-client (its shebang), so fail2ban's own modules import. */
export function fail2banPython(): string {
  const client = (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .map((d) => join(d || '.', 'fail2ban-client'))
    .find((p) => {
      try {
        accessSync(p, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!client) throw new Error('fail2ban-client is not on PATH (Debian package fail2ban)');
  const first = readFileSync(client, 'utf8').split('\n')[0]!;
  const m = /^#!\s*(\S+)/.exec(first);
  return m ? m[1]! : 'python3';
}

/** Reads each text as fail2ban's configparser does, all in one python3 process. */
export async function pythonRead(texts: string[]): Promise<OracleResult[]> {
  const out = await runOk([fail2banPython(), join(here, 'oracle.py')], { input: JSON.stringify(texts) });
  return JSON.parse(out) as OracleResult[];
}

/** `fail2ban-client -c DIR -d` stdout. */
export function fail2banDump(dir: string): Promise<string> {
  return runOk(['fail2ban-client', '-c', dir, '-d']);
}

/** Every file below a directory, relative paths. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `fwconf-fail2ban-${process.pid}-${tag}-`));
}

/** A copy of Debian's /etc/fail2ban with extra files. */
export function stockTree(extra: Record<string, string> = {}): string {
  const d = tempDir('tree');
  cpSync(DEBIAN_ETC, d, { recursive: true });
  writeTree(d, extra);
  return d;
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
}

export function removeTree(d: string): void {
  rmSync(d, { recursive: true, force: true });
}

/** Jail sections of the stock jail.conf. */
export function stockJails(): string[] {
  const text = readFileSync(join(DEBIAN_ETC, 'jail.conf'), 'utf8');
  return [...text.matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1]!).filter((n) => n !== 'INCLUDES' && n !== 'DEFAULT');
}

/** The seed setup of the issue. */
export const SEED: Record<string, string> = {
  'jail.local': `[sshd]
port = 2201

[thp-ssh]
enabled = true
port = all
filter = thpot
logpath = /var/log/thpot/captures
banaction = iptables-allports
maxretry = 3
findtime = 1800
bantime = 99999

[nginx-http-auth]
logpath = %(nginx_error_log)s
`,
  'filter.d/thpot.local': '[Definition]\nfailregex = SRC=<HOST>\n',
};

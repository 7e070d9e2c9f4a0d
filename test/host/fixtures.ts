// Scratch host roots for the host-layer tests: a Debian-like tree (Debian's sshd_config, this
// machine's /etc/fail2ban, xinetd.conf, ufw's files, the system databases, the logs the jails read),
// and the default setup applied to it with the real `fwconf apply --root` (its validators included).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { host, linkRootVar } from '../apply/fixtures.js';

export interface HostRootOptions {
  /** /etc/passwd has the honeypot's user thpot and /usr/sbin/thpot exists (default true). */
  thpot?: boolean;
  /** The main sshd_config (default Debian's, `#Port 22`). */
  sshdConfig?: string;
}

/**
 * A Debian-like root. The jails' logs are named by their path on this machine (`ROOT/var/log/...`,
 * in jail.d/zz-scratch.local) so that the real `fail2ban-client -c ROOT/etc/fail2ban -t` finds them;
 * ROOT/ROOT/var is a relative link to ROOT/var, so fwconf reading the root as a chroot (and apply's
 * executor) finds the same files.
 */
export function hostRoot(options: HostRootOptions = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-host-'));
  const w = (p: string, text: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text, { mode });
  };
  w('etc/ssh/sshd_config', options.sshdConfig ?? host('sshd_config.debian'));
  fs.mkdirSync(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  fs.cpSync('/etc/fail2ban', path.join(root, 'etc/fail2ban'), { recursive: true });
  w('etc/xinetd.conf', fs.readFileSync('/etc/xinetd.conf', 'utf8'));
  fs.mkdirSync(path.join(root, 'etc/xinetd.d'), { recursive: true });
  fs.cpSync('/etc/ufw', path.join(root, 'etc/ufw'), { recursive: true });
  w('etc/ufw/ufw.conf', 'ENABLED=no\nLOGLEVEL=low\n');
  w('etc/default/ufw', fs.readFileSync('/etc/default/ufw', 'utf8'));
  w('etc/services', fs.readFileSync('/etc/services', 'utf8'));
  w('etc/protocols', fs.readFileSync('/etc/protocols', 'utf8'));
  w('etc/default/locale', 'LANG=en_US.UTF-8\n');
  const thpot = options.thpot ?? true;
  w('etc/passwd', `root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n${thpot ? 'thpot:x:998:998::/nonexistent:/usr/sbin/nologin\n' : ''}`);
  w('etc/group', `root:x:0:\nalice:x:1000:\n${thpot ? 'thpot:x:998:\n' : ''}`);
  if (thpot) w('usr/sbin/thpot', '#!/bin/sh\nexit 0\n', 0o755);
  w('home/alice/.ssh/authorized_keys', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake alice\n');
  w('var/log/auth.log', '');
  w('var/log/thpot/captures', '');
  w('var/log/nginx/error.log', '');
  linkRootVar(root);
  w(
    'etc/fail2ban/jail.d/zz-scratch.local',
    `[sshd]\nlogpath = ${root}/var/log/auth.log\n[thp-ssh]\nlogpath = ${root}/var/log/thpot/captures\n[nginx-http-auth]\nlogpath = ${root}/var/log/nginx/error.log\n`,
  );
  return root;
}

/** Runs `fwconf ARGV...` in process as alice's sudo (what apply's lockout guard asks about). */
export async function fwconf(argv: string[], env: Record<string, string> = { SUDO_USER: 'alice' }): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  (io as { env: Record<string, string> }).env = env;
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** The default setup applied to a fresh root; fails the test when apply does not apply. */
export async function appliedRoot(options: HostRootOptions = {}): Promise<string> {
  const root = hostRoot(options);
  const r = await fwconf(['apply', '--root', root, '--yes']);
  if (r.code !== 0 || !/Applied/.test(r.out)) throw new Error(`apply --root failed (${r.code}):\n${r.out}\n${r.err}`);
  return root;
}

/** A copy of an applied root in a new scratch directory, with its own log paths (the DIR/DIR/var link and jail.d/zz-scratch.local). */
export function copyRoot(base: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-hostcopy-'));
  fs.cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(dir, base.split('/')[1]!), { recursive: true });
  linkRootVar(dir);
  edit(dir, 'etc/fail2ban/jail.d/zz-scratch.local', (t) => t.split(base).join(dir));
  return dir;
}

export const read = (root: string, p: string) => fs.readFileSync(path.join(root, p), 'utf8');
export const write = (root: string, p: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  fs.writeFileSync(path.join(root, p), text);
};
export const edit = (root: string, p: string, f: (t: string) => string) => write(root, p, f(read(root, p)));
export const removeRoot = (root: string) => fs.rmSync(root, { recursive: true, force: true });

/** The codes of `check --host --json` on a root, and its exit status. */
export async function hostCodes(root: string, extra: string[] = []): Promise<{ code: number; codes: string[]; diagnostics: JsonDiagnostic[] }> {
  const r = await fwconf(['check', '--host', '--root', root, '--json', ...extra]);
  const diagnostics = (JSON.parse(r.out) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { code: r.code, codes: diagnostics.map((d) => d.code), diagnostics };
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  file: string | null;
  line: number;
  column: number;
  message: string;
  related: { file: string; line: number; message?: string }[];
  fix?: string;
  command?: string;
}

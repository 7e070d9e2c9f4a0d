// Shared fixtures of the apply tests: the seed's rendered files, an in-memory Debian host for the
// recording executor, scratch roots on disk with the real fail2ban tree, and tree snapshots.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingExecutor, type RunResult } from '../../src/apply/index.js';
import type { RenderedFile } from '../../src/builder/model.js';
import { run, type Ran, type SpawnOptions } from '../spawn.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/apply/', import.meta.url));

const seed = (p: string) => fs.readFileSync(`${FIXTURES}seed${p}`, 'utf8');

/** The seed's rendered files (the builder's default spec renders the same set of paths). */
export function seedFiles(): RenderedFile[] {
  return [
    { path: '/etc/ssh/sshd_config.d/00-fwconf.conf', content: seed('/etc/ssh/sshd_config.d/00-fwconf.conf'), format: 'sshd', service: 'sshd', mode: 0o644 },
    { path: '/etc/xinetd.d/thp-pasv', content: seed('/etc/xinetd.d/thp-pasv'), format: 'xinetd', service: 'xinetd', mode: 0o644 },
    { path: '/etc/fail2ban/jail.local', content: seed('/etc/fail2ban/jail.local'), format: 'fail2ban', service: 'fail2ban', mode: 0o644 },
    { path: '/etc/fail2ban/filter.d/thpot.local', content: seed('/etc/fail2ban/filter.d/thpot.local'), format: 'fail2ban', service: 'fail2ban', mode: 0o644 },
    { path: '/etc/fwconf/ufw.sh', content: seed('/etc/fwconf/ufw.sh'), format: 'shell', service: 'ufw', mode: 0o755 },
  ];
}

/** The seed's files with one of them changed. */
export function seedWith(pathEnd: string, edit: (content: string) => string): RenderedFile[] {
  return seedFiles().map((f) => (f.path.endsWith(pathEnd) ? { ...f, content: edit(f.content) } : f));
}

/** A host file from fixtures/apply/host. */
export const host = (name: string) => fs.readFileSync(`${FIXTURES}host/${name}`, 'utf8');

export const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n';
export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly alice@laptop\n';
export const alice = { operator: { user: 'alice' } };

export const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' });
export const failed = (stderr: string, code = 1): RunResult => ({ code, stdout: '', stderr });

/** `ufw status verbose` of a firewall with the seed's rules (ufw 0.36.2's layout, trailing spaces kept). */
export const UFW_SEED_VERBOSE =
  'Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\n' +
  'To                         Action      From\n--                         ------      ----\n' +
  '2201/tcp                   ALLOW IN    Anywhere                  \n80/tcp                     ALLOW IN    Anywhere                  \n443/tcp                    ALLOW IN    Anywhere                  \n\n';

/** `ufw status verbose` of the firewall before the apply: OpenSSH's port only, with a comment. */
export const UFW_BEFORE_VERBOSE =
  'Status: active\nLogging: on (medium)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\n' +
  'To                         Action      From\n--                         ------      ----\n' +
  '22/tcp                     LIMIT IN    Anywhere                   # ssh\n22/tcp (v6)                LIMIT IN    Anywhere (v6)              # ssh\n\n';

/**
 * A live host answering like a healthy Debian box after the seed was applied: sshd on 2201, the
 * seed's jails running, ufw with the seed's rules (`ufwBefore` answers `ufw status verbose` until the
 * ufw script has run).
 */
export function healthyHandler(ufwBefore = UFW_BEFORE_VERBOSE) {
  let scriptRan = false;
  return (argv: readonly string[]): RunResult => {
    const cmd = argv.join(' ');
    if (/\bsh \/etc\/fwconf\/ufw\.sh$/.test(cmd)) scriptRan = true;
    if (cmd.endsWith('ss -Hltn')) return ok('LISTEN 0 128 0.0.0.0:2201 0.0.0.0:*\nLISTEN 0 64 0.0.0.0:22 0.0.0.0:*\n');
    if (cmd.endsWith('fail2ban-client status')) return ok('Status\n|- Number of jail:\t3\n`- Jail list:\tnginx-http-auth, sshd, thp-ssh\n');
    if (cmd.endsWith('ufw status verbose')) return ok(scriptRan ? UFW_SEED_VERBOSE : ufwBefore);
    if (cmd.endsWith('ufw status'))
      return ok('Status: active\n\nTo                         Action      From\n--                         ------      ----\n2201/tcp                   ALLOW       Anywhere                  \n80/tcp                     ALLOW       Anywhere                  \n443/tcp                    ALLOW       Anywhere                  \n\n');
    return ok();
  };
}

/** The parts of this machine's /etc/fail2ban the jails of the seed read, for an in-memory host. */
function fail2banTree(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(conf|local)$/.test(e.name)) out[p] = fs.readFileSync(p, 'utf8');
    }
  };
  walk('/etc/fail2ban');
  return out;
}
let f2bCache: Record<string, string> | undefined;

/**
 * A Debian host in memory: Debian's sshd_config with its drop-in directory, alice with a key, this
 * machine's /etc/fail2ban, the logs the seed's jails read, an xinetd service.
 */
export function debianHost(extra: Record<string, string> = {}, options: { live?: boolean } = {}): RecordingExecutor {
  f2bCache ??= fail2banTree();
  const exec = new RecordingExecutor({
    files: {
      '/etc/ssh/sshd_config': host('sshd_config.debian'),
      '/etc/passwd': PASSWD,
      '/home/alice/.ssh/authorized_keys': KEY,
      ...f2bCache,
      '/var/log/auth.log': '',
      '/var/log/thpot/captures': '',
      '/var/log/nginx/error.log': '',
      '/etc/xinetd.d/echo': 'service echo\n{\n}\n',
      ...extra,
    },
    handler: healthyHandler(),
    live: options.live,
  });
  exec.dirs.add('/etc/ssh/sshd_config.d');
  return exec;
}

/** What an executor changed (its log without the programs it ran). */
export const mutations = (e: RecordingExecutor) => e.ops.filter((o) => o.op !== 'run');

/** The recording executor's whole tree: files with their content and mode, directories as `dir/`. */
export function memorySnapshot(e: RecordingExecutor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, f] of e.files) out[p] = `${f.mode.toString(8)} ${Buffer.from(f.data).toString('utf8')}`;
  for (const d of e.dirs) out[`${d}/`] = 'dir';
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * A directory tree as text: files as `mode content` (latin1, byte for byte), symlinks as `-> target`,
 * directories as `dir` under `name/` (so a directory left behind shows).
 */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[`${rel}/`] = `dir ${(fs.statSync(p).mode & 0o7777).toString(8)}`;
        walk(p);
      } else out[rel] = `${(fs.statSync(p).mode & 0o7777).toString(8)} ${fs.readFileSync(p, 'latin1')}`;
    }
  };
  walk(dir);
  return out;
}

export interface ScratchOptions {
  /** The directory to fill (default: a new temporary one). */
  root?: string;
  /** Which fixtures/apply/host sshd_config (default sshd_config.debian). */
  sshdConfig?: 'sshd_config.debian' | 'sshd_config.noinclude';
  /** Give nginx-http-auth a log file inside the root (default true). */
  nginxLog?: boolean;
  /** fail2ban-server's runtime files (socket, pid, log) go to this directory, via fail2ban.d. */
  fail2banRuntime?: string;
}

/**
 * A scratch root like a Debian host: sshd_config with its drop-in directory, a copy of this machine's
 * /etc/fail2ban with the jails' log paths pointed into the root (jail.d/zz-scratch.local, read last),
 * the logs (found at the same paths below the root, see the link), an empty /etc/xinetd.d, and alice
 * with an authorized key. Returns the root.
 */
export function scratchRoot(options: ScratchOptions = {}): string {
  const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-apply-'));
  const w = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  };
  fs.mkdirSync(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  w('etc/ssh/sshd_config', host(options.sshdConfig ?? 'sshd_config.debian'));
  fs.cpSync('/etc/fail2ban', path.join(root, 'etc/fail2ban'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc/xinetd.d'), { recursive: true });
  w('var/log/thpot/captures', '');
  w('var/log/auth.log', '');
  const nginx = options.nginxLog ?? true;
  if (nginx) w('var/log/nginx-error.log', '');
  w(
    'etc/fail2ban/jail.d/zz-scratch.local',
    `[sshd]\nlogpath = ${root}/var/log/auth.log\nbackend = polling\n[thp-ssh]\nlogpath = ${root}/var/log/thpot/captures\n` +
      (nginx ? `[nginx-http-auth]\nlogpath = ${root}/var/log/nginx-error.log\n` : ''),
  );
  if (options.fail2banRuntime) {
    const t = options.fail2banRuntime;
    w('etc/fail2ban/fail2ban.d/zz-scratch.local', `[Definition]\nsocket = ${t}/f2b.sock\npidfile = ${t}/f2b.pid\nlogtarget = ${t}/f2b.log\ndbfile = :memory:\n`);
  }
  // The log paths above are this machine's (for the real fail2ban-client); below the root, ROOT/ROOT/var
  // is a relative link to ROOT/var (one that stays below the root, so apply follows it): fwconf reading
  // the root finds the same logs.
  linkRootVar(root);
  w('etc/passwd', 'alice:x:1000:1000::/home/alice:/bin/sh\n');
  w('home/alice/.ssh/authorized_keys', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake alice\n');
  return root;
}

/**
 * ROOT/ROOT/var → ROOT/var as a relative link: a log path of this machine (ROOT/var/log/x, what the
 * real fail2ban-client is given) read below the root reaches the same file, for fwconf's readers and
 * for apply's executor (which refuses links that leave the root).
 */
export function linkRootVar(root: string): void {
  const dir = path.join(root, root);
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.relative(dir, path.join(root, 'var')), path.join(dir, 'var'));
}

export interface ChildResult extends Ran {
  readonly code: number | null;
}

/** Runs a program (no shell) and waits for it without blocking the test worker: test/spawn.ts's run, with `code`. */
export async function spawnAsync(argv: readonly string[], options: SpawnOptions = {}): Promise<ChildResult> {
  const r = await run(argv, options);
  return { ...r, code: r.status };
}

/**
 * What a rollback must keep of each file below `dir` besides its content: inode, mode, owner and the
 * modification time in nanoseconds (symlinks as themselves).
 */
export function metadataTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      const s = fs.lstatSync(p, { bigint: true });
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `ino ${s.ino} mode ${(s.mode & 0o7777n).toString(8)} owner ${s.uid}:${s.gid} mtime ${s.mtimeNs}`;
    }
  };
  walk(dir);
  return out;
}

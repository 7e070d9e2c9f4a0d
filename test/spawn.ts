// The one way tests run programs: asynchronous spawns (no shell), so a test worker keeps answering
// vitest while sshd, fail2ban, iptables or python work. Every spawn has a bounded time: a program still
// running after `timeoutMs` (default SPAWN_TIMEOUT_MS) is killed and the promise rejects, naming it, so
// a hung daemon fails its test with a message instead of blocking the run.
import { spawn } from 'node:child_process';

/**
 * The default bound of one program run: 120 s. The slowest single programs of the suite (a
 * fail2ban-client -d over a full /etc/fail2ban, a ufw enable, an oracle process reading every case of a
 * property test) take a few seconds alone and up to ~20 s on two cores shared with two busy loops; the
 * bound is far above that and below vitest's hook timeout.
 */
export const SPAWN_TIMEOUT_MS = 120_000;

export interface SpawnOptions {
  /** Text (or bytes) written to the program's standard input, which is then closed. */
  input?: string | Uint8Array;
  cwd?: string;
  /** The whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Kill the program and reject after this long (default SPAWN_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface Ran {
  /** Exit status, or null when a signal ended the program. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes. */
  readonly stdoutBytes: Buffer;
}

export interface RunUntilOptions extends SpawnOptions {
  /**
   * Called with the stdout so far after each chunk: once it returns true the program is sent SIGTERM
   * (for a daemon that runs until stopped, e.g. `xinetd -d` once it has printed "Started working").
   */
  until?: (stdout: string) => boolean;
}

/** Runs a program; resolves with its status and output, failing or not (rejects when it cannot start or times out). */
export function run(argv: readonly string[], options: RunUntilOptions = {}): Promise<Ran> {
  const timeoutMs = options.timeoutMs ?? SPAWN_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let stopped = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      if (options.until && !stopped && options.until(Buffer.concat(out).toString('utf8'))) {
        stopped = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${argv[0]}: cannot run: ${e.message}`));
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) reject(new Error(`${argv.join(' ')}: still running after ${timeoutMs} ms, killed; stderr: ${stderr}`));
      else resolve({ status, signal, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
    });
    child.stdin.on('error', () => undefined); // a program that does not read its input
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a program and resolves with its stdout; rejects (with its stderr) when it does not exit 0. */
export async function runOk(argv: readonly string[], options: SpawnOptions = {}): Promise<string> {
  return (await runChecked(argv, options)).stdout;
}

/** Like runOk, with the whole result. */
export async function runChecked(argv: readonly string[], options: SpawnOptions = {}): Promise<Ran> {
  const r = await run(argv, options);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return r;
}

/**
 * Polls `probe` until it returns a value that is not undefined, and resolves with it. Waits `intervalMs`
 * between tries; rejects with `what` after `timeoutMs`. For waiting on a condition a daemon brings about
 * (a ban in the firewall, a port listening) instead of sleeping a fixed time.
 */
export async function pollFor<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

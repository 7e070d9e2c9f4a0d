// A network namespace driven with asynchronous spawns (test/netns.ts is the synchronous one): each
// instance makes its own uniquely named namespace and deletes it.
import { spawn } from 'node:child_process';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program; resolves with its status and output, failing or not. */
export function run(argv: readonly string[], input?: string): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.on('error', () => undefined); // a program that does not read its input
    child.stdin.end(input ?? '');
  });
}

/** Runs a program and resolves with its stdout; rejects (with its stderr) when it fails. */
async function runOk(argv: readonly string[], input?: string): Promise<string> {
  const r = await run(argv, input);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export class AsyncNetns {
  readonly name: string;

  private constructor(prefix: string) {
    this.name = `fwconf-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Creates `fwconf-<prefix>-<pid>-<random>` with its loopback up. */
  static async create(prefix: string): Promise<AsyncNetns> {
    const ns = new AsyncNetns(prefix);
    await runOk(['ip', 'netns', 'add', ns.name]);
    await runOk(['ip', '-n', ns.name, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Runs a program inside; rejects (with its stderr) when it fails. */
  run(argv: readonly string[], input?: string): Promise<string> {
    return runOk(['ip', 'netns', 'exec', this.name, ...argv], input);
  }

  /** Runs a program inside; resolves with its status and output, failing or not. */
  spawn(argv: readonly string[], input?: string): Promise<Ran> {
    return run(['ip', 'netns', 'exec', this.name, ...argv], input);
  }

  async delete(): Promise<void> {
    await run(['ip', 'netns', 'del', this.name]);
  }
}

/** Runs `body` in a fresh namespace, deleted afterwards whatever happens. */
export async function withNetns<T>(prefix: string, body: (ns: AsyncNetns) => Promise<T>): Promise<T> {
  const ns = await AsyncNetns.create(prefix);
  try {
    return await body(ns);
  } finally {
    await ns.delete();
  }
}

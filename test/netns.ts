// Network namespaces for system tests: each test makes its own, with a unique name, and deletes it,
// so iptables, ufw and the daemons run for real without touching the host's firewall. Driven with the
// asynchronous spawns of test/spawn.ts.
import { run, runOk, type Ran, type SpawnOptions } from './spawn.js';

export class NetNamespace {
  readonly name: string;

  private constructor(prefix: string) {
    this.name = `fwconf-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Creates `fwconf-<prefix>-<pid>-<random>` with its loopback up. */
  static async create(prefix: string): Promise<NetNamespace> {
    const ns = new NetNamespace(prefix);
    await runOk(['ip', 'netns', 'add', ns.name]);
    try {
      await runOk(['ip', '-n', ns.name, 'link', 'set', 'lo', 'up']);
    } catch (e) {
      await ns.delete();
      throw e;
    }
    return ns;
  }

  /** Runs a program inside; rejects (with its stderr) when it fails. */
  run(argv: readonly string[], input?: string, options: SpawnOptions = {}): Promise<string> {
    return runOk(['ip', 'netns', 'exec', this.name, ...argv], { ...options, input });
  }

  /** Runs a program inside; resolves with its status and output, failing or not. */
  spawn(argv: readonly string[], input?: string, options: SpawnOptions = {}): Promise<Ran> {
    return run(['ip', 'netns', 'exec', this.name, ...argv], { ...options, input });
  }

  async delete(): Promise<void> {
    await run(['ip', 'netns', 'del', this.name]);
  }
}

/** Namespaces made through it are deleted by `deleteAll()` (call it in afterAll). */
export class NetNamespaces {
  private readonly made: NetNamespace[] = [];

  constructor(private readonly prefix: string) {}

  async create(): Promise<NetNamespace> {
    const ns = await NetNamespace.create(this.prefix);
    this.made.push(ns);
    return ns;
  }

  async deleteAll(): Promise<void> {
    await Promise.all(this.made.splice(0).map((ns) => ns.delete()));
  }
}

/** Runs `body` in a fresh namespace, deleted afterwards whatever happens. */
export async function withNetns<T>(prefix: string, body: (ns: NetNamespace) => Promise<T>): Promise<T> {
  const ns = await NetNamespace.create(prefix);
  try {
    return await body(ns);
  } finally {
    await ns.delete();
  }
}

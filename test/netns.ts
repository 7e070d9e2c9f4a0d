// Network namespaces for system tests: each test makes its own, with a unique name, and deletes it,
// so iptables and ufw run for real without touching the host's firewall.
import { execFileSync, spawnSync } from 'node:child_process';

export class NetNamespace {
  readonly name: string;

  /** Creates `fwconf-<prefix>-<pid>-<random>` with its loopback up. */
  constructor(prefix: string) {
    this.name = `fwconf-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    execFileSync('ip', ['netns', 'add', this.name]);
    execFileSync('ip', ['-n', this.name, 'link', 'set', 'lo', 'up']);
  }

  /** Runs a program inside; throws (with its stderr) when it fails. */
  run(argv: readonly string[], input?: string): string {
    return execFileSync('ip', ['netns', 'exec', this.name, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** Runs a program inside and returns its status and output, failing or not. */
  spawn(argv: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
    return spawnSync('ip', ['netns', 'exec', this.name, ...argv], { input, encoding: 'utf8' });
  }

  delete(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
  }
}

/** Namespaces made through it are deleted by `deleteAll()` (call it in afterAll). */
export class NetNamespaces {
  private readonly made: NetNamespace[] = [];

  constructor(private readonly prefix: string) {}

  create(): NetNamespace {
    const ns = new NetNamespace(this.prefix);
    this.made.push(ns);
    return ns;
  }

  deleteAll(): void {
    for (const ns of this.made.splice(0)) ns.delete();
  }
}

// A private copy of ufw's state for system tests: the real ufw runs on it with --rootdir/--datadir
// (inside a network namespace), so the host's /etc/ufw is never read or changed.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UfwRuleInput } from '../src/ufw/index.js';
import type { NetNamespace } from './netns.js';

/** Copies ufw's configuration, defaults, rule templates and data under `root`; returns `root`. */
export function privateUfwTree(root: string): string {
  mkdirSync(join(root, 'etc/default'), { recursive: true });
  mkdirSync(join(root, 'lib'), { recursive: true });
  mkdirSync(join(root, 'usr/share'), { recursive: true });
  cpSync('/etc/ufw', join(root, 'etc/ufw'), { recursive: true });
  cpSync('/etc/default/ufw', join(root, 'etc/default/ufw'));
  cpSync('/lib/ufw', join(root, 'lib/ufw'), { recursive: true });
  cpSync('/usr/share/ufw', join(root, 'usr/share/ufw'), { recursive: true });
  return root;
}

/**
 * Writes `bin/ufw`, a wrapper that runs the real ufw on the tree at `root` (in `namespace` when given),
 * so a script that calls plain `ufw` can be run with `bin` first on its PATH. Returns the wrapper's path.
 */
export function ufwWrapper(bin: string, root: string, namespace?: string): string {
  mkdirSync(bin, { recursive: true });
  const netns = namespace ? `ip netns exec '${namespace}' ` : '';
  const path = join(bin, 'ufw');
  writeFileSync(path, `#!/bin/sh\nexec ${netns}/usr/sbin/ufw '--rootdir=${root}' '--datadir=${root}' "$@"\n`, { mode: 0o755 });
  return path;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A rule as the words of a ufw command (without `ufw`), written here independently of
 * src/ufw/commands.ts, so the tests that drive the real ufw with it do not take fwconf's word for it.
 */
export function ufwRuleWords(r: UfwRuleInput): string {
  const a: string[] = [];
  if (r.route) a.push('route');
  a.push(r.action);
  if (r.interfaceIn) a.push('in', 'on', r.interfaceIn);
  if (r.interfaceOut) a.push('out', 'on', r.interfaceOut);
  else if (r.direction === 'out') a.push('out');
  if (r.log) a.push(r.log);
  a.push('from', r.from ?? (r.family === 'v4' ? '0.0.0.0/0' : r.family === 'v6' ? '::/0' : 'any'));
  if (r.fromApp) a.push('app', q(r.fromApp));
  else if (r.fromPort) a.push('port', r.fromPort);
  a.push('to', r.to ?? 'any');
  if (r.app) a.push('app', q(r.app));
  else if (r.port) a.push('port', r.port);
  if (r.proto) a.push('proto', r.proto);
  if (r.comment) a.push('comment', q(r.comment));
  return a.join(' ');
}

/** Whether the namespace forwards packets (IPv4 or IPv6): ufw's status then reports routing. */
export async function forwardingOn(ns: NetNamespace): Promise<boolean> {
  const f = await ns.run(['sh', '-c', 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv6/conf/default/forwarding']);
  return f.split('\n').some((l) => l.trim() === '1');
}

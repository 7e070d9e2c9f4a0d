// A private copy of ufw's state for system tests: the real ufw runs on it with --rootdir/--datadir
// (inside a network namespace), so the host's /etc/ufw is never read or changed.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/**
 * Groups of a user for `Match Group`: sshd asks getpwnam(3) and getgrouplist(3), which read
 * /etc/passwd (the primary group) and /etc/group (the groups that list the user). Read here through
 * a FileSource, so `--root DIR` answers for DIR's accounts.
 */
import type { FileSource } from '../core/files.js';

/** The groups of a user, or undefined when the user does not exist. */
export type GroupLookup = (user: string) => readonly string[] | undefined;

/** Group lookup through `/etc/passwd` and `/etc/group` of a FileSource (no passwd file: no user exists). */
export function groupLookup(files: FileSource): GroupLookup {
  let tables: { primary: Map<string, string>; groups: { name: string; gid: string; members: string[] }[] } | null | undefined;
  const load = () => {
    if (tables !== undefined) return tables;
    const passwd = files.read('/etc/passwd');
    if (passwd === undefined) return (tables = null);
    const primary = new Map<string, string>();
    for (const line of passwd.split('\n')) {
      const f = line.split(':');
      if (f.length >= 4 && f[0] && !primary.has(f[0])) primary.set(f[0], f[3]!);
    }
    const groups = (files.read('/etc/group') ?? '').split('\n').flatMap((line) => {
      const f = line.split(':');
      return f.length >= 3 && f[0] ? [{ name: f[0], gid: f[2]!, members: (f[3] ?? '').split(',').filter(Boolean) }] : [];
    });
    return (tables = { primary, groups });
  };
  return (user) => {
    const t = load();
    const gid = t?.primary.get(user);
    if (!t || gid === undefined) return undefined;
    return [...new Set(t.groups.filter((g) => g.gid === gid || g.members.includes(user)).map((g) => g.name))];
  };
}

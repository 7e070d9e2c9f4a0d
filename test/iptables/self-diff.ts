// A restore file loaded by the real iptables-restore (ip6tables-restore) in a fresh network namespace
// and dumped by the real iptables-save: fwconf's diff of the file and its dump (shared by the iptables
// diff and corpus system tests).
import { diff, formatDiff, parse, type Family } from '../../src/iptables/index.js';
import { withNetns, type NetNamespace } from '../netns.js';

const prog = (family: Family) => (family === 'ipv6' ? 'ip6tables' : 'iptables');

/** Loads the file in the namespace and returns iptables-save's dump. */
export async function loadAndSave(ns: NetNamespace, file: string, family: Family): Promise<string> {
  await ns.run([`${prog(family)}-restore`], file);
  return ns.run([`${prog(family)}-save`]);
}

/** The diff between a file and its own dump, in diff's text form ('' when none). */
export async function selfDiff(file: string, family: Family = 'ipv4'): Promise<{ text: string; dump: string }> {
  return withNetns('ipt-diff', async (ns) => {
    const dump = await loadAndSave(ns, file, family);
    return { text: formatDiff(diff(parse(file), parse(dump), { family })), dump };
  });
}

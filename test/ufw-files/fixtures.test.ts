// ufw's own files captured from the real ufw (fixtures/ufw-files/capture.sh): they parse cleanly and
// print back byte for byte, the iptables lines under every tuple are those fwconf would write for it,
// and the offline status / show-added of each tree equal what ufw printed for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import { chainLines, checkTree, parseConf, parseRules, readTree, showAdded, statusOutput, isEnabled, tupleText } from '../../src/ufw-files/index.js';

const BASE = join(import.meta.dirname, '../../fixtures/ufw-files');
const files = new NodeFileSource();
const expected = (set: string, name: string) => readFileSync(join(BASE, set, 'expected', name), 'utf8');

describe.each(['stock', 'many', 'many-disabled'])('fixture tree %s', (set) => {
  const tree = readTree(files, join(BASE, set));

  it('parses every file without a diagnostic and prints it back', () => {
    expect(tree.missing).toEqual([]);
    for (const name of ['user.rules', 'user6.rules', 'before.rules', 'before6.rules', 'after.rules', 'after6.rules']) {
      const path = join(BASE, set, 'etc/ufw', name);
      const text = readFileSync(path, 'utf8');
      const doc = parseRules(text, { file: path });
      expect(doc.toString()).toBe(text);
      expect(doc.diagnostics, path).toEqual([]);
    }
    for (const rel of ['etc/ufw/ufw.conf', 'etc/default/ufw']) {
      const text = readFileSync(join(BASE, set, rel), 'utf8');
      const doc = parseConf(text, { file: rel });
      expect(doc.toString()).toBe(text);
      expect(doc.diagnostics, rel).toEqual([]);
    }
  });

  it('writes each tuple and its iptables lines as ufw wrote them', () => {
    for (const doc of [tree.rules4, tree.rules6])
      for (const r of doc.rules()) {
        expect(tupleText(r.spec), `${doc.file}:${r.line}`).toBe(doc.nodes[r.line - 1]!.raw.replace(/\n$/, ''));
        expect(chainLines(r.spec), `${doc.file}:${r.line}`).toEqual(r.chainLines);
      }
  });

  it('prints the status and show-added ufw printed (the enabled form while disabled)', () => {
    const from = set === 'many-disabled' ? 'many' : set;
    expect(isEnabled(tree)).toBe(set === 'many');
    if (set === 'stock') expect(expected(set, 'status.out')).toBe('Status: inactive\n');
    for (const [mode, name] of [['plain', 'status.out'], ['verbose', 'status-verbose.out'], ['numbered', 'status-numbered.out']] as const)
      if (from !== 'stock') expect(statusOutput(tree, mode, { forwarding: false }), name).toBe(expected(from, name));
    expect(showAdded(tree)).toBe(expected(set, 'show-added.out'));
  });
});

describe('findings on the captured tree', () => {
  it('ufw-written files have no untupled or mismatched lines; the shadowed rules are the ones an earlier rule covers', () => {
    const tree = readTree(files, join(BASE, 'many'));
    const ds = checkTree(tree);
    expect(ds.filter((d) => d.code !== 'ufw-rules/shadowed')).toEqual([]);
    const lines = (doc: typeof tree.rules4) => ds.filter((d) => d.file === doc.file).map((d) => doc.nodes[d.line - 1]!.raw.trim());
    // the udp ones: `allow proto udp to any` comes before them and lets every udp packet in; the tcp
    // ones: `allow Multi` (any interface, any address) comes before them
    expect(lines(tree.rules4)).toEqual([
      '### tuple ### allow udp 67 0.0.0.0/0 68 0.0.0.0/0 in_eth2',
      '### tuple ### allow udp 2000 0.0.0.0/0 any 0.0.0.0/0 Multi - in',
      '### tuple ### allow tcp 1000:1010 0.0.0.0/0 any 0.0.0.0/0 Multi - in_eth0',
      '### tuple ### allow udp 2000 0.0.0.0/0 any 0.0.0.0/0 Multi - in_eth0',
      '### tuple ### allow tcp 1000:1010 1.1.1.1 53 10.0.0.0/8 Multi DNSX in',
      '### tuple ### allow udp 2000 1.1.1.1 53 10.0.0.0/8 Multi DNSX in',
    ]);
  });
});

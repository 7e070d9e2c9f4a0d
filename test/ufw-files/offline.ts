// What fwconf predicts from ufw's own files, against the real ufw on a private tree: the rule files
// after a rule command, and the offline outputs (shared by the ufw-files and corpus system tests).
import { expect } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import type { UfwRuleSpec } from '../../src/ufw/index.js';
import { parseRules, readTree, showAdded, statusOutput } from '../../src/ufw-files/index.js';

/** What fwconf predicts for the two files after `ufw [delete] RULE`. */
export function predict(before: { v4: string; v6: string }, specs: UfwRuleSpec[], remove: boolean): { v4: string; v6: string } {
  const out = { ...before };
  for (const fam of ['v4', 'v6'] as const) {
    const doc = parseRules(before[fam], { file: fam === 'v4' ? 'user.rules' : 'user6.rules' });
    for (const s of specs.filter((x) => x.v6 === (fam === 'v6'))) {
      if (remove) doc.removeRule(s);
      else doc.addRule(s);
    }
    out[fam] = doc.toString();
  }
  return out;
}

/**
 * fwconf's status (plain, verbose, numbered) and show-added of the tree at `root` equal the real ufw's;
 * `sh` runs a script in which `ufw` is the real ufw on that tree (in a namespace).
 */
export async function expectOfflineOutputsOf(root: string, sh: (script: string) => Promise<string>, forwarding: boolean): Promise<void> {
  const tree = readTree(new NodeFileSource({ root }), '/');
  const [plain, verbose, numbered, added] = await Promise.all([
    sh('ufw status 2>/dev/null'),
    sh('ufw status verbose 2>/dev/null'),
    sh('ufw status numbered 2>/dev/null'),
    sh('ufw show added 2>/dev/null'),
  ]);
  expect(statusOutput(tree, 'plain', { forwarding })).toBe(plain);
  expect(statusOutput(tree, 'verbose', { forwarding })).toBe(verbose);
  expect(statusOutput(tree, 'numbered', { forwarding })).toBe(numbered);
  expect(showAdded(tree)).toBe(added);
}

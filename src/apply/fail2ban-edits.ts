/**
 * The edit apply makes to a fail2ban `.local` the user wrote: fwconf's options put in through the
 * fail2ban document's lossless edits, every other line kept.
 */
import { Fail2banDocument } from '../fail2ban/document.js';
import type { IniContent } from '../fail2ban/parse.js';

/** What editUserLocal did: the new text, and the options it set (`[section] key`, in fwconf's order). */
export interface LocalEdit {
  readonly text: string;
  readonly changed: readonly string[];
}

/**
 * Puts fwconf's rendered `.local` into a file the user wrote, through the fail2ban document's lossless
 * edits: for each option fwconf renders, the user's value is replaced where it stands (the key kept as
 * the user spelt it, an inline comment kept) or the option is added at the end of its section (created
 * at the end of the file when missing), in the file's own style. Every other line — the user's jails,
 * their keys, comments, blank lines, line endings — stays byte for byte; nothing is removed. fwconf's
 * header comment is not copied in.
 *
 * Why edit jail.local rather than write a jail.d/ file of fwconf's own: fail2ban reads jail.d/*.local
 * after jail.local, so such a file would silently override the user's settings for the same keys, and
 * the setup would live in two places. Editing keeps one place, and the plan's diff shows every change.
 *
 * Throws when the result does not read back as intended (a guard: each of fwconf's options with its
 * rendered value, each of the user's other options unchanged).
 */
export function editUserLocal(current: string, rendered: string, file: string): LocalEdit {
  const doc = new Fail2banDocument(current, { file });
  const want = new Fail2banDocument(rendered, { file });
  const changed: string[] = [];
  for (const sec of want.toJSON().sections) {
    if (sec.options.length === 0) continue; // nothing of fwconf's to put there
    if (!doc.hasSection(sec.name)) doc.addSection(sec.name);
    for (const o of sec.options) {
      if (doc.get(sec.name, o.key) === o.value) continue;
      doc.set(sec.name, o.rawKey, o.value);
      changed.push(`[${sec.name}] ${o.rawKey}`);
    }
  }
  const text = doc.toString();
  const got = new Fail2banDocument(text, { file }).content();
  const mine = new Fail2banDocument(current, { file }).content();
  const theirs = want.content();
  const problem = (c: IniContent, pick: (s: string, k: string) => boolean, expected: IniContent) => {
    for (const [name, opts] of [['DEFAULT', expected.defaults] as const, ...expected.sections]) {
      const there = name === 'DEFAULT' ? c.defaults : c.sections.get(name);
      for (const [k, o] of opts) if (pick(name, k) && there?.get(k)?.value !== o.value) return `[${name}] ${k}`;
    }
    return undefined;
  };
  const fwconfs = (s: string, k: string) => (s === 'DEFAULT' ? theirs.defaults.has(k) : theirs.sections.get(s)?.has(k) === true);
  const bad = problem(got, () => true, theirs) ?? problem(got, (s, k) => !fwconfs(s, k), mine);
  if (bad) throw new Error(`${file}: editing the user's file in place would not keep ${bad} as intended; not applied`);
  return { text, changed };
}

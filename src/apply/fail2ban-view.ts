/**
 * What apply needs to know about the fail2ban configuration as it will be, through the fail2ban format:
 * the jails fail2ban will run (its own resolution, not a scan of jail.local) and, when
 * `fail2ban-client -t` refuses the tree, which jail and which file are at fault and how to fix it.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import type { FileSource } from '../core/files.js';
import { checkConfig, resolve, type Resolution } from '../fail2ban/index.js';
import { Fail2banDocument } from '../fail2ban/document.js';
import type { IniContent } from '../fail2ban/parse.js';
import type { Executor } from './executor.js';
import { overPlannedTree } from './tree-source.js';

export interface Fail2banView {
  readonly resolution: Resolution;
  /** checkConfig's findings on the planned tree. */
  readonly diagnostics: readonly Diagnostic[];
  /** The jails `fail2ban-client status` should list once reloaded, in fail2ban's order. */
  readonly jails: readonly string[];
  /** Paths of the files fwconf renders whole (a jail enabled there is the spec's). */
  readonly rendered: ReadonlySet<string>;
  /**
   * Whether the spec sets `enabled` of a jail in a file: in a file fwconf renders whole, every jail; in
   * a user's file fwconf edits in place, the jails whose `enabled` fwconf sets (the others are the user's).
   */
  readonly specEnables: (file: string, jail: string) => boolean;
}

/**
 * Resolves the planned fail2ban tree (`confDir` and everything it reads, log paths included).
 * `rendered`: the files fwconf renders whole; `edited`: the user's files fwconf edits in place, each with
 * fwconf's rendered text for it.
 */
export async function fail2banView(
  exec: Executor,
  overlay: ReadonlyMap<string, string>,
  confDir: string,
  rendered: Iterable<string>,
  edited: ReadonlyMap<string, string> = new Map(),
): Promise<Fail2banView> {
  const { resolution, diagnostics } = await overPlannedTree(exec, overlay, (files: FileSource) => {
    const r = resolve(confDir, { files });
    return { resolution: r, diagnostics: checkConfig(confDir, { files, resolution: r }) };
  });
  const whole = new Set(rendered);
  const docs = new Map([...edited].map(([p, text]) => [p, new Fail2banDocument(text, { file: p })] as const));
  const specEnables = (file: string, jail: string) => whole.has(file) || docs.get(file)?.get(jail, 'enabled') !== undefined;
  return { resolution, diagnostics, jails: resolution.jails.filter((j) => !j.error).map((j) => j.name), rendered: whole, specEnables };
}

/** Jails enabled whose logpath matches no file (fail2ban-client refuses the whole configuration then). */
export function jailsWithoutLogs(view: Fail2banView): string[] {
  return view.resolution.jails.filter((j) => !j.error && !j.backend.startsWith('systemd') && j.logpathPatterns.length > 0 && j.logpath.length === 0).map((j) => j.name);
}

/** Why a jail's logpath matches nothing, and the two ways out. */
export function missingLogAdvice(view: Fail2banView, name: string): string {
  const jail = view.resolution.jails.find((j) => j.name === name);
  const diag = view.diagnostics.find((d) => d.code === 'fail2ban/logpath-no-file' && d.message.includes(`[${name}]`));
  const patterns = jail?.logpathPatterns ?? [];
  const lp = jail?.provenance.logpath;
  const where = lp?.file ? ` (logpath = ${lp.raw}, ${lp.file}:${lp.line})` : '';
  const what = diag ? `${diag.message.replace(/, so fail2ban-client refuses the whole configuration \([^)]*\) and starts no jail at all/, '')}${where}` : `jail [${name}]: logpath ${patterns.join(', ') || '(none)'} matches no file${where}`;
  // The directory of the log, when it is missing altogether, usually names the service.
  const dirs = [...new Set(patterns.map((p) => p.slice(0, p.lastIndexOf('/'))).filter((d) => d && !/[*?[]/.test(d)))];
  const service = dirs.map((d) => /^\/var\/log\/([^/]+)$/.exec(d)?.[1]).find((s) => s !== undefined);
  const install = service ? `install and start ${service} (the service that writes ${patterns.join(', ')})` : `install and start the service that writes ${patterns.join(', ') || 'its log'}`;
  const enabled = jail?.provenance.enabled;
  const disable =
    enabled?.file && !view.specEnables(enabled.file, name)
      ? `set \`enabled = false\` in [${name}] of ${enabled.file}:${enabled.line}`
      : `disable the jail in the spec (fail2ban.jails.${name}.enabled: false)`;
  return `${what}. To fix it: ${install}, or ${disable}`;
}

/**
 * What went wrong, from `fail2ban-client -t`'s output and the format's own check of the same tree:
 * the jail without a log file (with its path and the fix), or the errors the check finds.
 */
export function explainFail2banTest(view: Fail2banView, output: string): string | undefined {
  const named = [...output.matchAll(/Have not found any log file for (\S+) jail/g)].map((m) => m[1]!);
  const jails = named.length ? [...new Set(named)] : /log file/i.test(output) ? jailsWithoutLogs(view) : [];
  if (jails.length) return jails.map((j) => missingLogAdvice(view, j)).join('; ');
  const errors = view.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return errors.slice(0, 3).map((d) => `${d.file ?? ''}${d.file ? `:${d.line}: ` : ''}${d.message}`).join('; ');
  return undefined;
}

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

/**
 * Diagnostics beyond syntax, computed the way sshd -t finds them: the startup pass over the file and
 * its Includes (only `Match All` applies; every other block is checked for syntax and for keywords
 * Match does not allow). Unlike sshd, checking goes on after a fatal error, so one run shows them all.
 */
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import type { CheckOptions } from '../core/format.js';
import type { SshdDocument } from './document.js';
import { walkEnvironment, type EffectiveOptions } from './effective.js';
import { newPass, postChecks, walkConfig } from './servconf.js';

export interface SshdCheckOptions extends CheckOptions, Omit<EffectiveOptions, 'files'> {}

/** Every diagnostic of a document: syntax, keywords, values, Match criteria, Includes, ignored later values. */
export function check(doc: SshdDocument, options: SshdCheckOptions = {}): Diagnostic[] {
  const env = walkEnvironment(options);
  const st = newPass();
  walkConfig(doc, doc.file ?? '/etc/ssh/sshd_config', null, env, st, { continueAfterFatal: true });
  postChecks(st, doc.file);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...doc.diagnostics, ...st.diagnostics, ...st.ignoredLater]) {
    const k = `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(d);
  }
  return sortDiagnostics(out);
}

/**
 * Diagnostics beyond syntax, with xinetd's own rules. Severity follows what xinetd does: `error`
 * when xinetd drops the entry (or, in defaults, exits), `warning` when it ignores a line and goes on.
 *
 * - xinetd/unknown-attribute (warning): not in xinetd's table for a service / for defaults
 * - xinetd/operator-not-allowed (warning): `+=`/`-=` on an attribute that is not modifiable
 * - xinetd/value-count (warning): a fixed-count attribute with the wrong number of values
 * - xinetd/duplicate-attribute (warning): a fixed attribute set again (the first one counts)
 * - xinetd/bad-value (error): a value the attribute's parser rejects (the service is disabled)
 * - xinetd/missing-attribute (error): required for the service's kind (socket_type, wait; user and
 *   server unless INTERNAL; protocol and port for UNLISTED; rpc_version for RPC; ...)
 * - xinetd/service-rejected (error): other post-processing failures (not in /etc/services, wrong port,
 *   INTERNAL without a builtin of that name and socket type in the xinetd Debian ships, ...)
 * - xinetd/duplicate-id (warning): two services of one file with the same id
 */
import { Reporter, type Diagnostic } from '../core/diagnostics.js';
import type { CheckOptions } from '../core/format.js';
import type { SystemLookup } from './attributes.js';
import type { XinetdDocument } from './document.js';
import { evaluateEntry, serviceProblem, type EntryState } from './effective.js';
import type { XinetdCode } from './codes.js';

export interface XinetdCheckOptions extends CheckOptions {
  /**
   * System databases (users, groups, protocols, services, executables). None by default: a format's
   * check sees the files alone, never the machine (the host layer passes the root's, see src/host).
   */
  system?: SystemLookup;
}

/** Every diagnostic of a document: the parse's plus xinetd's attribute and service checks. */
export function check(doc: XinetdDocument, options: XinetdCheckOptions = {}): Diagnostic[] {
  const system = options.system ?? {};
  const out: Diagnostic[] = [...doc.diagnostics];
  const report = new Reporter<XinetdCode>(doc.file, out);
  const defaults: EntryState = { values: new Map(), specified: new Map(), disabled: false };
  const ids = new Map<string, number>();
  for (const e of doc.entries) {
    if (e.ignored) continue;
    const { state, problems } = evaluateEntry(doc, e, { system, ...(e.kind === 'defaults' ? { into: defaults } : {}), stop: false });
    for (const p of problems) {
      // Lines after `disable = yes` are never read by xinetd: what would be an error is only a warning there.
      const unread = state.stoppedAt !== undefined && p.line > state.stoppedAt;
      report.span(p.line, p.start, p.end, p.code, unread ? 'warning' : p.severity, unread ? `${p.message} (not read by xinetd while the service is disabled)` : p.message);
    }
    if (e.kind !== 'service' || e.dropped) continue;
    const header = doc.lines[e.header]!;
    const nameWord = header.words[1]!;
    const id = state.values.get('id')?.[0] ?? e.name;
    const idKey = id.toLowerCase();
    if (ids.has(idKey))
      report.span(e.header, nameWord.start, nameWord.end, 'xinetd/duplicate-id', 'warning', `service id ${id} is already used by the service on line ${ids.get(idKey)}; give each entry its own id`);
    else ids.set(idKey, e.header + 1);
    if (state.disabled && /^yes$/i.test(state.values.get('disable')?.[0] ?? '')) continue; // xinetd never looks further
    const problem = serviceProblem(e.name, state.values, system);
    if (problem)
      report.span(e.header, nameWord.start, nameWord.end, /missing attribute/.test(problem) ? 'xinetd/missing-attribute' : 'xinetd/service-rejected', 'error', problem);
  }
  return out;
}

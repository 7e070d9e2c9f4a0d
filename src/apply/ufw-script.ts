/** The ufw script's rollback: the script that restores the state `ufw status verbose` showed. */
import * as ufwStatus from '../ufw/index.js';

export { readUfwScript, allowsTcpPort, type UfwScript, type UfwScriptRule } from '../host/ufw-script.js';

/**
 * The script that brings ufw back to the state a `ufw status verbose` (run with LANG=C) shows, through
 * the ufw format's own renderScript: reset, defaults, logging, app policy, the rules in order (IPv4 and
 * IPv6), enable when it was active. `problem` says why there is none (another form of the output, a
 * rule ufw could not re-create).
 *
 * Limits of what the status shows: while ufw is inactive it lists no rules, so the restored state is an
 * inactive ufw without stored rules; a `disabled` routed policy is left to the kernel's forwarding.
 */
export function ufwRestoreScript(statusVerbose: string, header: readonly string[] = []): { script: string } | { problem: string } {
  const doc = ufwStatus.parse(statusVerbose);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { problem: `ufw status verbose is not readable: ${errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('; ')}` };
  const state = doc.state();
  if (!state) return { problem: `ufw status verbose did not show the whole state (${doc.status ?? 'no status line'}${doc.mode ? `, ${doc.mode} form` : ''})` };
  try {
    // renderScript retries a reset that collides with one in the same second (ufw names its backups
    // by the second): a rollback right after a failed script hits that.
    const script = ufwStatus.renderScript(state, { header });
    return { script };
  } catch (e) {
    if (e instanceof RangeError) return { problem: e.message };
    throw e;
  }
}

/**
 * A rule set → the text ufw would print (`ufw status verbose` preview) and → the shell script of
 * ufw commands that recreates it. The builder calls these.
 */
import { appendCommands, collapseApps, commentProblem, createCommand, shellQuote } from './commands.js';
import type { UfwStatusDocument } from './document.js';
import { statusText } from './layout.js';
import type { UfwRuleSpec, UfwState, UfwStatusMode } from './model.js';
import { parse } from './parse.js';

/** The state as `ufw status verbose` (or another form) prints it, as a fresh document. */
export function renderStatus(state: UfwState, mode: UfwStatusMode = 'verbose'): UfwStatusDocument {
  return parse(statusText(state, mode));
}

/** Options of the ufw script made from rules. */
export interface ScriptOptions {
  /** First lines of the script after the shebang, as `# ` comments. */
  header?: readonly string[];
}

/**
 * `ufw --force reset` names its backups by the second (`user.rules.YYYYMMDD_HHMMSS`) and aborts when
 * one of that name exists, so a second reset within the same second fails ("... already exists.
 * Aborting"). The script retries once a second later; the failed attempt changed no rule file (ufw
 * checks every backup name before it moves anything).
 */
const RESET = 'ufw --force reset || { sleep 1; ufw --force reset; }';

/** Commands that add the rules in order (IPv4 and IPv6 orders both kept; twins share a command). */
export function ruleCommands(rules: readonly UfwRuleSpec[]): string[] {
  const out: string[] = [];
  for (const g of ['in', 'out', 'fwd'] as const) {
    const inGroup = collapseApps(rules.filter((r) => (r.route ? 'fwd' : r.direction) === g));
    out.push(...appendCommands(inGroup.filter((r) => !r.v6), inGroup.filter((r) => r.v6)).map((c) => c.text));
  }
  return out;
}

/**
 * A POSIX shell script that brings ufw to this state: `ufw --force reset` (retried a second later
 * when a reset in the same second left its backups), the default policies,
 * the logging level, the policy for new app profiles, the rules in order, then `ufw --force enable`
 * when the state is active. Its `ufw status verbose` then prints `statusText(state, 'verbose')`.
 * Throws a RangeError for a rule ufw cannot create (a comment with `'`).
 */
export function renderScript(state: UfwState, options: ScriptOptions = {}): string {
  const lines = ['#!/bin/sh', ...(options.header ?? []).map((h) => `# ${h}`), 'set -e', '', RESET];
  for (const r of state.rules) {
    const p = commentProblem(r.comment);
    if (p) throw new RangeError(`${createCommand(r).text}: ${p}`);
  }
  if (state.status === 'active') {
    const d = state.defaults;
    lines.push(`ufw default ${d.incoming} incoming`, `ufw default ${d.outgoing} outgoing`);
    if (d.routed === 'disabled') lines.push('# routed: disabled (forwarding is off in the kernel; ufw keeps its routed policy)');
    else lines.push(`ufw default ${d.routed} routed`);
    const l = state.logging;
    if (l.state === 'unknown') lines.push('# logging: unknown (LOGLEVEL missing or invalid in ufw.conf); not set');
    else lines.push(`ufw logging ${l.state === 'off' ? 'off' : (l.level ?? 'low')}`);
    lines.push(`ufw app default ${shellQuote(state.newProfiles)}`);
    lines.push(...ruleCommands(state.rules));
    lines.push('ufw --force enable');
  }
  return lines.join('\n') + '\n';
}

/**
 * A shell script of iptables (or ip6tables) commands, rendered from the typed model, that rebuilds a
 * dump's tables on a host whose tables are empty: user chains (`-N`), built-in policies (`-P`, which
 * also creates the table), then every rule in order.
 */
import type { IptablesDocument } from './document.js';
import { toCommand } from './document.js';
import { BUILTIN_CHAINS } from './modules.js';
import { shellQuote } from './scan.js';

/** Options of `rebuildScript`. */
export interface ScriptOptions {
  /** Carry rule counters over with `-c PACKETS BYTES`. */
  counters?: boolean;
  /** Force the program; default from the dump's family. */
  family?: 'ipv4' | 'ipv6';
}

/** The commands, one per element, without the script's preamble. */
export function rebuildCommands(doc: IptablesDocument, options: ScriptOptions = {}): string[] {
  const family = options.family ?? doc.family;
  const prog = family === 'ipv6' ? 'ip6tables' : 'iptables';
  const out: string[] = [];
  for (const t of doc.tables()) {
    const tflag = t.name === 'filter' ? '' : ` -t ${shellQuote(t.name)}`;
    const builtins = BUILTIN_CHAINS[t.name] ?? [];
    const chains = t.chains();
    for (const c of chains) if (builtins.includes(c.name)) out.push(`${prog}${tflag} -P ${shellQuote(c.name)} ${shellQuote(c.policy)}`);
    if (!chains.some((c) => builtins.includes(c.name))) {
      // No built-in chain listed: create the table anyway with its first chain's default policy.
      if (builtins[0]) out.push(`${prog}${tflag} -P ${builtins[0]} ACCEPT`);
    }
    for (const c of chains) if (!builtins.includes(c.name)) out.push(`${prog}${tflag} -N ${shellQuote(c.name)}`);
    doc.forEachRule((rule, node) => {
      if (node.block !== t.block) return;
      let cmd = toCommand(rule, rule.command, { family });
      if (options.counters && rule.counters) cmd += ` -c ${rule.counters.packets} ${rule.counters.bytes}`;
      out.push(cmd);
    });
  }
  return out;
}

/** A POSIX shell script rebuilding the dump. */
export function rebuildScript(doc: IptablesDocument, options: ScriptOptions = {}): string {
  const lines = ['#!/bin/sh', '# Rebuilds the tables of an iptables-save dump on a host with empty tables.', 'set -e', ...rebuildCommands(doc, options)];
  return lines.join('\n') + '\n';
}

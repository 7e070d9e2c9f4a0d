/**
 * Unbanning an address everywhere fail2ban holds it: the plan (the jails whose database holds a current
 * ban of it, the `fail2ban-client set JAIL unbanip ADDR` commands, the firewall rules that go with them,
 * and rules in fail2ban chains no ban stands behind, which only an `iptables -D` removes), and carrying
 * it out through an apply executor, checked afterwards against the database and the firewall.
 */
import { isIP } from 'node:net';
import { shellJoin } from '../../core/shell.js';
import { withHostPrefix, type IptablesDocument } from '../../iptables/document.js';
import { fail2ban, type Ban } from '../../iptables/fail2ban.js';
import { parse as parseIptables } from '../../iptables/parse.js';
import { shlexSplit } from '../resolve.js';
import type { BanDatabase, BanView } from './bans.js';
import { bansByJail } from './bans.js';

/** One command of an unban plan, and what it does. */
export interface UnbanStep {
  argv: string[];
  /** What the step does, in words. */
  why: string;
}

/** How to lift every ban of an address: the jails holding it, the firewall rules for it, and the steps (fail2ban-client, then iptables for what is left) that remove them. */
export interface UnbanPlan {
  address: string;
  /** `iptables` or `ip6tables`, after the address's family. */
  tool: 'iptables' | 'ip6tables';
  /** The current bans of the address in the database (the jails that hold it). */
  bans: BanView[];
  /** Rules in the firewall's fail2ban chains for the address: `removedBy` says which step takes each away. */
  rules: (Ban & { removedBy: 'fail2ban' | 'iptables' })[];
  steps: UnbanStep[];
  /** Things the plan cannot do anything about, said plainly. */
  notes: string[];
}

/** Options of `planUnban`. */
export interface PlanOptions {
  /** Only this jail. */
  jail?: string;
  /** Arguments put before `set` in every fail2ban-client command (`-c DIR`, `-s SOCKET`). */
  clientArgs?: readonly string[];
  /** Unix seconds "now" for what counts as a current ban. */
  now: number;
}

/** `iptables` for an IPv4 address, `ip6tables` for IPv6; undefined for something else. */
export function toolFor(address: string): 'iptables' | 'ip6tables' | undefined {
  const f = isIP(address);
  return f === 4 ? 'iptables' : f === 6 ? 'ip6tables' : undefined;
}

/** The plan for unbanning `address`, from the database and the firewall (an iptables-save dump of the address's family, when it could be read). */
export function planUnban(address: string, db: BanDatabase, firewall: IptablesDocument | undefined, options: PlanOptions): UnbanPlan {
  const tool = toolFor(address);
  if (!tool) throw new TypeError(`'${address}' is not an IPv4 or IPv6 address`);
  const want = withHostPrefix(address);
  const bans = bansByJail(db, options.now, options.jail).flatMap((j) => j.current.filter((b) => withHostPrefix(b.ip) === want));
  const jails = new Set(bans.map((b) => b.jail));
  const steps: UnbanStep[] = [];
  const notes: string[] = [];
  for (const b of bans) steps.push({ argv: ['fail2ban-client', ...(options.clientArgs ?? []), 'set', b.jail, 'unbanip', address], why: `lift the ban in ${b.jail} (database and the jail's actions)` });
  const rules: UnbanPlan['rules'] = [];
  if (firewall) {
    for (const r of fail2ban(firewall).bans) {
      if (withHostPrefix(r.address) !== want) continue;
      if (options.jail !== undefined && r.jail !== options.jail) continue;
      if (jails.has(r.jail)) rules.push({ ...r, removedBy: 'fail2ban' });
      else {
        rules.push({ ...r, removedBy: 'iptables' });
        steps.push({ argv: shlexSplit(r.unban), why: `${r.chain} blocks the address with no ban in the database behind it: fail2ban-client cannot lift it` });
      }
    }
    for (const b of bans) if (!rules.some((r) => r.jail === b.jail)) notes.push(`${b.jail} holds ${address} in its database, but no fail2ban chain of the firewall blocks it (a rule deleted by hand, or an action other than iptables)`);
  } else notes.push(`the firewall was not read: the rules that go are not known`);
  if (!bans.length && !rules.length) notes.push(`${address} is not banned${options.jail !== undefined ? ` in ${options.jail}` : ''}: neither the database nor the firewall's fail2ban chains hold it`);
  return { address, tool, bans, rules, steps, notes };
}

/** An unban plan as text: the jails holding the address and each command with its reason. */
export function formatPlan(p: UnbanPlan): string {
  const out: string[] = [];
  out.push(`unban ${p.address}`);
  out.push(p.bans.length ? `  jails holding it: ${p.bans.map((b) => b.jail).join(', ')}` : '  jails holding it: none');
  for (const r of p.rules) out.push(`  rule that goes: ${r.table === 'filter' ? '' : `-t ${r.table} `}-A ${r.chain} -s ${r.address} -j ${r.blocktype}${r.removedBy === 'fail2ban' ? ` (fail2ban's actionunban)` : ''}`);
  for (const s of p.steps) out.push(`  run: ${shellJoin(s.argv)}`);
  for (const n of p.notes) out.push(`  note: ${n}`);
  return out.join('\n') + '\n';
}

/** What running an unban plan did: each command's result, and the jails that still hold the ban. */
export interface UnbanResult {
  ran: { argv: string[]; code: number; stdout: string; stderr: string }[];
  /** Jails whose database still holds a current ban of the address afterwards. */
  stillInDatabase: string[];
  /** Rules of fail2ban chains still blocking it afterwards. */
  stillInFirewall: Ban[];
  /** Problems reading back (the database or the firewall could not be read). */
  problems: string[];
  ok: boolean;
}

/** A program's exit status and output, as an unban step or a firewall read gives them. */
export interface UnbanRun {
  /** Exit status; 127 when the program could not be started. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What unbanning needs of the machine: running programs (`fwconf/apply`'s Executor is one). */
export interface UnbanRunner {
  /** Runs a program and waits for it. */
  run(argv: readonly string[]): Promise<UnbanRun>;
  /** A run that only reads the system's state, even in a dry run (optional: `run` is used without it). */
  query?(argv: readonly string[]): Promise<UnbanRun>;
}

/** Reads the firewall of the address's family through the executor (`iptables-save`, read-only). */
export async function readFirewall(executor: UnbanRunner, tool: 'iptables' | 'ip6tables'): Promise<{ doc: IptablesDocument } | { error: string }> {
  const argv = [`${tool}-save`];
  const r = executor.query ? await executor.query(argv) : await executor.run(argv);
  if (r.code !== 0) return { error: `${argv[0]} exited ${r.code}: ${r.stderr.trim()}` };
  return { doc: parseIptables(r.stdout, { file: `${tool}-save`, family: tool === 'ip6tables' ? 'ipv6' : 'ipv4' }) };
}

/**
 * Runs the plan's steps through the executor, stopping at the first that fails, then reads the
 * database (`reread`) and the firewall back: the address must be in neither.
 */
export async function carryOutUnban(plan: UnbanPlan, executor: UnbanRunner, reread: () => Promise<BanDatabase>, options: PlanOptions): Promise<UnbanResult> {
  const ran: UnbanResult['ran'] = [];
  const problems: string[] = [];
  for (const s of plan.steps) {
    const r = await executor.run(s.argv);
    ran.push({ argv: s.argv, ...r });
    if (r.code !== 0) {
      problems.push(`${shellJoin(s.argv)} exited ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
      break;
    }
  }
  const db = await reread();
  for (const d of db.diagnostics) if (d.severity === 'error') problems.push(`reading the database back: ${d.message}`);
  const want = withHostPrefix(plan.address);
  const stillInDatabase = bansByJail(db, options.now, options.jail)
    .filter((j) => j.current.some((b) => withHostPrefix(b.ip) === want))
    .map((j) => j.jail);
  let stillInFirewall: Ban[] = [];
  const fw = await readFirewall(executor, plan.tool);
  if ('error' in fw) problems.push(`reading the firewall back: ${fw.error}`);
  else stillInFirewall = fail2ban(fw.doc).bans.filter((r) => withHostPrefix(r.address) === want && (options.jail === undefined || r.jail === options.jail));
  return { ran, stillInDatabase, stillInFirewall, problems, ok: !problems.length && !stillInDatabase.length && !stillInFirewall.length };
}

/**
 * The bans a jail would make over a log's own times: fail2ban 1.0.2's FailManager (a ticket per id,
 * adjustTime's rate estimate over findtime, ban at maxretry), the ban time with `bantime.increment`
 * (factor, the default formula, multipliers, maxtime; a custom formula is not evaluated), ignoreip,
 * and the unban when the ban time has run out. Failures of an address that is banned are not counted
 * (the daemon would report "already banned").
 */
import { networkInterfaces } from 'node:os';
import { banCommand, type BanCommand } from '../tags.js';
import type { ResolvedJail } from '../resolve.js';
import { parseTime } from '../model.js';
import { pyStr, type PyValue } from '../pytext.js';
import { ipAddr, isInNet, isValid, ipEquals, type IPAddr } from './ipaddr.js';

export interface BanEvent {
  kind: 'ban' | 'unban';
  id: string;
  time: number;
  /** Ban: the failures counted; end of ban (null: permanent). */
  failures?: number;
  bantime?: number;
  until?: number | null;
  bancount?: number;
  commands?: { action: string; command: string; env: Record<string, string> }[];
}

export interface BanOptions {
  maxretry: number;
  findtime: number;
  bantime: number;
  ignoreip: string[];
  ignoreself: boolean;
  increment: boolean;
  factor: number;
  multipliers: number[];
  maxtime?: number;
  rndtime?: number;
  formula?: string;
}

interface Ticket {
  first: number;
  time: number;
  retry: number;
  failures: number;
  matches: string[];
}

const num = (v: PyValue | string[] | undefined, d: number): number => {
  if (v === undefined || v === null || Array.isArray(v)) return d;
  const t = parseTime(pyStr(v));
  return typeof t === 'number' && Number.isFinite(t) ? t : d;
};

/** The ban options of a resolved jail (fail2ban's defaults where unset). */
export function banOptionsOf(j: ResolvedJail): { options: BanOptions; notes: string[] } {
  const o = j.options;
  const notes: string[] = [];
  const g = (k: string) => o[k];
  const inc = g('bantime.increment');
  const mult = g('bantime.multipliers');
  const factorText = g('bantime.factor');
  let factor = 1;
  if (factorText !== undefined && factorText !== null && !Array.isArray(factorText)) {
    const f = Number(pyStr(factorText));
    if (Number.isFinite(f)) factor = f;
    else notes.push(`bantime.factor = ${pyStr(factorText)} is a Python expression not evaluated here; 1 used`);
  }
  const options: BanOptions = {
    maxretry: num(g('maxretry'), 5),
    findtime: num(g('findtime'), 600),
    bantime: num(g('bantime'), 600),
    ignoreip: Array.isArray(g('ignoreip')) ? (g('ignoreip') as string[]) : [],
    ignoreself: g('ignoreself') === undefined ? true : /^(1|yes|true|on)$/i.test(pyStr(g('ignoreself') as PyValue)),
    increment: inc !== undefined && inc !== null && !Array.isArray(inc) && /^(1|yes|true|on)$/i.test(pyStr(inc)),
    factor,
    multipliers: mult && !Array.isArray(mult) ? pyStr(mult).split(' ').filter(Boolean).map(Number) : [],
    ...(g('bantime.maxtime') !== undefined ? { maxtime: num(g('bantime.maxtime'), 0) } : {}),
    ...(g('bantime.rndtime') !== undefined ? { rndtime: num(g('bantime.rndtime'), 0) } : {}),
    ...(g('bantime.formula') !== undefined ? { formula: pyStr(g('bantime.formula') as PyValue) } : {}),
  };
  if (options.formula) notes.push(`bantime.formula is not evaluated: the default formula is used`);
  if (options.rndtime) notes.push(`bantime.rndtime adds up to ${options.rndtime} s at random: the times shown leave it out`);
  if (options.increment) notes.push('bantime.increment counts earlier bans from fail2ban\'s database; here only the bans of this log count');
  return { options, notes };
}

export function selfAddresses(): IPAddr[] {
  const out: IPAddr[] = [ipAddr('127.0.0.1'), ipAddr('::1')];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(ipAddr(a.address.replace(/%.*$/, '')));
  return out.filter(isValid);
}

export class BanPlayer {
  private tickets = new Map<string, Ticket>();
  private banned = new Map<string, { until: number | null }>();
  private banCounts = new Map<string, number>();
  readonly events: BanEvent[] = [];
  private ignoreNets: IPAddr[];
  readonly notes: string[] = [];

  constructor(
    readonly o: BanOptions,
    private readonly jail?: ResolvedJail,
    self: IPAddr[] = [],
  ) {
    this.ignoreNets = [];
    for (const w of o.ignoreip) {
      const a = ipAddr(w);
      if (isValid(a)) this.ignoreNets.push(a);
      else this.notes.push(`ignoreip ${w}: a host name, not resolved here (fail2ban would look it up)`);
    }
    if (o.ignoreself) this.ignoreNets.push(...self);
  }

  /** Whether fail2ban's ignoreip/ignoreself would drop a failure of this id. */
  ignored(id: string): boolean {
    const a = ipAddr(id);
    if (!isValid(a)) return false;
    return this.ignoreNets.some((n) => ipEquals(a, n) || isInNet(a, n));
  }

  /** Unbans due up to `time`. */
  advance(time: number): void {
    const due = [...this.banned].filter(([, b]) => b.until !== null && b.until <= time).sort((a, b) => a[1].until! - b[1].until!);
    for (const [id, b] of due) {
      this.banned.delete(id);
      this.events.push({ kind: 'unban', id, time: b.until!, ...(this.jail ? { commands: this.commands(id, 'actionunban', b.until!, 0, 0) } : {}) });
    }
  }

  /** A failure of `id` at `time` (the line's time), with the matched line. */
  failure(id: string, time: number, match: string): 'ignored' | 'banned' | 'counted' | 'ban' {
    this.advance(time);
    if (this.ignored(id)) return 'ignored';
    if (this.banned.has(id)) return 'banned';
    // FailManager.cleanup: tickets whose last failure is older than findtime are forgotten.
    for (const [k, t] of this.tickets) if (t.time <= time - this.o.findtime) this.tickets.delete(k);
    let t = this.tickets.get(id);
    if (t) {
      if (time > t.time) {
        if (t.first < time - this.o.findtime) {
          t.retry = Math.round((t.retry / (time - t.first)) * this.o.findtime);
          t.first = time - this.o.findtime;
        }
        t.time = time;
      }
      t.retry += 1;
      t.failures += 1;
      t.matches.push(match);
    } else {
      t = { first: time, time, retry: 1, failures: 1, matches: [match] };
      this.tickets.set(id, t);
    }
    if (t.retry < this.o.maxretry) return 'counted';
    this.tickets.delete(id);
    const count = this.banCounts.get(id) ?? 0;
    const bantime = this.banTime(count);
    this.banCounts.set(id, count + 1);
    const until = bantime < 0 ? null : time + bantime;
    this.banned.set(id, { until });
    this.events.push({ kind: 'ban', id, time, failures: t.failures, bantime, until, bancount: count, ...(this.jail ? { commands: this.commands(id, 'actionban', time, t.failures, bantime, t.matches) } : {}) });
    return 'ban';
  }

  private banTime(count: number): number {
    const o = this.o;
    if (!o.increment || o.bantime <= 0 || count === 0) return o.bantime;
    let t: number;
    if (o.multipliers.length) t = o.bantime * o.factor * o.multipliers[count < o.multipliers.length ? count : o.multipliers.length - 1]!;
    else t = Math.max(o.bantime, o.bantime * 2 ** Math.min(count, 20) * o.factor);
    if (o.maxtime !== undefined) t = Math.min(t, o.maxtime);
    return t;
  }

  private commands(id: string, op: string, time: number, failures: number, bantime: number, matches: string[] = []): { action: string; command: string; env: Record<string, string> }[] {
    return (this.jail?.actions ?? []).map((a) => {
      const c: BanCommand = banCommand(a, { ip: id, time, failures, bantime, matches: matches.join('\n') }, op);
      return { action: a.name, command: c.command, env: c.env };
    });
  }
}

/**
 * The bans a jail would make over a log's own times, as if the log were written live: fail2ban
 * 1.0.2's FailManager (a ticket per id, adjustTime's rate estimate over findtime, ban at maxretry),
 * BanManager.addBanTicket and Actions.__checkBan (a ticket of an address already banned is no new
 * ban: "already banned", and the ban is prolonged to the ticket's time + bantime when that ends
 * later), the Observer of `bantime.increment` (banFound: the ban time from the formula or the
 * multipliers, with factor, maxtime; failureFound: each failure of an address banned before counts
 * (2^bancount)/2 + 1, at most maxretry), ignoreip, and the unban once the ban time has run out
 * (BanManager.unBanList: strictly after the end). The database is this log's own bans alone, one
 * jail (`bantime.overalljails` would also count the bans of other jails).
 */
import { networkInterfaces } from 'node:os';
import { banCommand, type BanCommand } from '../tags.js';
import type { ResolvedJail } from '../resolve.js';
import { parseTime } from '../model.js';
import { pyStr, type PyValue } from '../pytext.js';
import { ipAddr, isInNet, isValid, ipEquals, type IPAddr } from './ipaddr.js';
import { compileFormula, evalFactor, FormulaError, type Formula } from './banformula.js';

/** A ban, an unban or an "already banned" a jail would make, with its time and the failures that led to it. */
export interface BanEvent {
  /** `already-banned`: maxretry reached again during a ban (fail2ban's "already banned"; no action runs). */
  kind: 'ban' | 'unban' | 'already-banned';
  id: string;
  time: number;
  /** Ban: the failures counted; end of ban (null: permanent). */
  failures?: number;
  bantime?: number;
  until?: number | null;
  bancount?: number;
  /** already-banned: the ban's new end when the ticket prolonged it. */
  prolongedUntil?: number | null;
  commands?: { action: string; command: string; env: Record<string, string> }[];
}

/** A jail's ban settings, as the BanPlayer uses them (maxretry, findtime, bantime and its increment, ignoreip, ...). */
export interface BanOptions {
  maxretry: number;
  /** Matches a ticket keeps (jail.conf: maxretry). */
  maxmatches: number;
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
  /** The compiled formula (fail2ban's default when not set). */
  evformula?: Formula;
  overalljails?: boolean;
}

/** A bantime.* option fail2ban would evaluate differently or not at all (an error, with the option). */
export interface BanOptionError {
  option: string;
  message: string;
  /** 0-based offset in the option's value, when known. */
  offset?: number;
}

const DEFAULT_FORMULA = 'ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor';

interface Ticket {
  first: number;
  time: number;
  retry: number;
  failures: number;
  matches: string[];
}

/** Python 3's round() of a float to an int: halves to even. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

const num = (v: PyValue | string[] | undefined, d: number): number => {
  if (v === undefined || v === null || Array.isArray(v)) return d;
  const t = parseTime(pyStr(v));
  return typeof t === 'number' && Number.isFinite(t) ? t : d;
};

/** The ban options of a resolved jail (fail2ban's defaults where unset). */
export function banOptionsOf(j: ResolvedJail): { options: BanOptions; notes: string[]; errors: BanOptionError[] } {
  const o = j.options;
  const notes: string[] = [];
  const errors: BanOptionError[] = [];
  const g = (k: string) => o[k];
  const text = (k: string): string | undefined => {
    const v = g(k);
    if (v === undefined || v === null || Array.isArray(v)) return undefined;
    const t = pyStr(v);
    return t === '' ? undefined : t;
  };
  const inc = g('bantime.increment');
  let factor = 1;
  const factorText = text('bantime.factor');
  if (factorText !== undefined) {
    try {
      factor = evalFactor(factorText);
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      errors.push({ option: 'bantime.factor', message: `bantime.factor = ${factorText}: ${e.message}; fail2ban evaluates it as Python, fwconf predicts no ban time from it`, offset: e.offset });
    }
  }
  let multipliers: number[] = [];
  const multText = text('bantime.multipliers');
  if (multText !== undefined) {
    // [int(i) for i in value.split(' ')]
    const parts = multText.split(' ');
    const bad = parts.find((x) => !/^\s*[-+]?\d+(?:_\d+)*\s*$/.test(x));
    if (bad !== undefined) errors.push({ option: 'bantime.multipliers', message: `bantime.multipliers = ${multText}: ${bad === '' ? 'two spaces in a row make an empty item' : `'${bad}' is not an integer`}: fail2ban's int() raises ValueError and the jail gets no ban time extra` });
    else multipliers = parts.map((x) => Number(x.replace(/_/g, '')));
  }
  const formula = text('bantime.formula');
  let evformula: Formula | undefined;
  try {
    evformula = compileFormula(formula ?? DEFAULT_FORMULA);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    errors.push({ option: 'bantime.formula', message: `bantime.formula = ${formula}: ${e.message}; fwconf predicts no ban time from it`, offset: e.offset });
  }
  const seconds = (k: string): number | undefined => {
    const t = text(k);
    if (t === undefined) return undefined;
    const v = num(t, NaN);
    if (Number.isNaN(v)) errors.push({ option: k, message: `${k} = ${t} is not a time fail2ban's str2seconds reads` });
    return Number.isNaN(v) ? undefined : v;
  };
  const maxtime = seconds('bantime.maxtime');
  const rndtime = seconds('bantime.rndtime');
  const bool = (v: PyValue | string[] | undefined) => v !== undefined && v !== null && !Array.isArray(v) && /^(1|yes|true|on)$/i.test(pyStr(v));
  const options: BanOptions = {
    maxretry: num(g('maxretry'), 5),
    maxmatches: num(g('maxmatches'), num(g('maxretry'), 5)),
    findtime: num(g('findtime'), 600),
    bantime: num(g('bantime'), 600),
    ignoreip: Array.isArray(g('ignoreip')) ? (g('ignoreip') as string[]) : [],
    ignoreself: g('ignoreself') === undefined ? true : bool(g('ignoreself')),
    increment: bool(inc),
    factor,
    multipliers,
    ...(maxtime !== undefined ? { maxtime } : {}),
    ...(rndtime !== undefined ? { rndtime } : {}),
    ...(formula !== undefined ? { formula } : {}),
    ...(evformula ? { evformula } : {}),
    overalljails: bool(g('bantime.overalljails')),
  };
  if (options.increment && options.rndtime) notes.push(`bantime.rndtime adds up to ${options.rndtime} s at random to every increased ban time: the times shown leave it out`);
  if (options.increment) notes.push("bantime.increment counts earlier bans from fail2ban's database; here only the bans of this log count");
  if (options.increment && options.overalljails) notes.push('bantime.overalljails counts the bans of every jail; here only those of this jail in this log');
  return { options, notes, errors };
}

/** This host's addresses (loopback and every interface's), which `ignoreself` keeps from being banned. */
export function selfAddresses(): IPAddr[] {
  const out: IPAddr[] = [ipAddr('127.0.0.1'), ipAddr('::1')];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(ipAddr(a.address.replace(/%.*$/, '')));
  return out.filter(isValid);
}

/** fail2ban's FailManager and BanManager replayed over a log: the failures of each address, and the bans and unbans they give. */
export class BanPlayer {
  /** FailManager's failList. */
  private tickets = new Map<string, Ticket>();
  /** BanManager's banList: the ban ticket's time and ban time (-1: permanent). */
  private banned = new Map<string, { time: number; bantime: number }>();
  /** The database's bips: ban count and time of the last ban, per id (kept after the unban). */
  private db = new Map<string, { count: number; timeOfBan: number }>();
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

  private static end(b: { time: number; bantime: number }): number | null {
    return b.bantime === -1 ? null : b.time + b.bantime;
  }

  /** Unbans due before `time` (the ban's end is passed: BanManager.unBanList's `time > eob`). */
  advance(time: number): void {
    const due = [...this.banned].filter(([, b]) => b.bantime !== -1 && time > b.time + b.bantime).sort((a, b) => BanPlayer.end(a[1])! - BanPlayer.end(b[1])!);
    for (const [id, b] of due) {
      this.banned.delete(id);
      const until = BanPlayer.end(b)!;
      this.events.push({ kind: 'unban', id, time: until, ...(this.jail ? { commands: this.commands(id, 'actionunban', until, 0, 0) } : {}) });
    }
  }

  /** FailManager.addFailure; returns the ticket's retry count, or undefined (observed, no ticket). */
  private addFailure(id: string, time: number, match: string | undefined, count: number, observed: boolean): number | undefined {
    const t = this.tickets.get(id);
    if (t) {
      // adjustTime: a ticket older than findtime keeps its rate over the last findtime
      if (time > t.time) {
        if (t.first < time - this.o.findtime) {
          t.retry = pyRound((t.retry / (time - t.first)) * this.o.findtime);
          t.first = time - this.o.findtime;
        }
        t.time = time;
      }
      t.retry += count;
      t.failures += 1;
      if (match !== undefined) {
        t.matches.push(match);
        // maxmatches (jail.conf: maxretry) last matches kept
        if (t.matches.length > this.o.maxmatches) t.matches.splice(0, t.matches.length - this.o.maxmatches);
      }
      return t.retry;
    }
    if (observed) return undefined;
    this.tickets.set(id, { first: time, time, retry: count, failures: 1, matches: match !== undefined ? [match] : [] });
    return count;
  }

  /**
   * A failure of `id` at `time` (the line's time), with the matched line: the filter's
   * processLineAndAdd, then (bantime.increment) the observer's failureFound, each to its end.
   */
  failure(id: string, time: number, match: string): 'ignored' | 'counted' | 'ban' | 'already-banned' {
    this.advance(time);
    if (this.ignored(id)) return 'ignored';
    // FailManager.cleanup: tickets whose last failure is older than findtime are forgotten.
    for (const [k, t] of this.tickets) if (t.time <= time - this.o.findtime) this.tickets.delete(k);
    let result: 'counted' | 'ban' | 'already-banned' = 'counted';
    // the observer adds the line's match again unless this very failure made the ticket
    const created = !this.tickets.has(id);
    const attempts = this.addFailure(id, time, match, 1, false)!;
    if (attempts >= this.o.maxretry) result = this.performBan(id);
    if (this.o.increment) {
      const known = this.db.get(id);
      if (known && time > known.timeOfBan) {
        const retryCount = Math.min(2 ** Math.min(known.count, 20) / 2 + 1, this.o.maxretry);
        if (retryCount > 1) {
          const r = this.addFailure(id, time, created ? undefined : match, retryCount - 1, true);
          if (r !== undefined && r >= this.o.maxretry) result = this.performBan(id);
        }
      }
    }
    return result;
  }

  /** Filter.performBan → Actions.__checkBan → BanManager.addBanTicket (+ Observer.banFound). */
  private performBan(id: string): 'ban' | 'already-banned' {
    const t = this.tickets.get(id)!;
    this.tickets.delete(id);
    const old = this.banned.get(id);
    const bantime = this.o.bantime;
    if (old) {
      // the new ticket's end (the jail's bantime: failure tickets carry none) against the ban's end
      const eob = bantime === -1 ? Infinity : t.time + bantime;
      const oldEnd = old.bantime === -1 ? Infinity : old.time + old.bantime;
      let prolonged: number | null | undefined;
      if (eob > oldEnd) {
        old.bantime = bantime === -1 ? -1 : bantime + Math.max(0, t.time - old.time);
        prolonged = BanPlayer.end(old);
      }
      this.events.push({ kind: 'already-banned', id, time: t.time, failures: t.failures, ...(prolonged !== undefined ? { prolongedUntil: prolonged } : {}) });
      return 'already-banned';
    }
    const prev = this.db.get(id);
    const count = prev?.count ?? 0;
    let btime = bantime;
    if (this.o.increment && bantime > 0 && count > 0) btime = this.banTime(count);
    this.banned.set(id, { time: t.time, bantime: btime });
    this.db.set(id, { count: count + 1, timeOfBan: t.time });
    const until = BanPlayer.end({ time: t.time, bantime: btime });
    this.events.push({ kind: 'ban', id, time: t.time, failures: t.failures, bantime: btime, until, bancount: count, ...(this.jail ? { commands: this.commands(id, 'actionban', t.time, t.failures, btime, t.matches) } : {}) });
    return 'ban';
  }

  /** The jail's evformula for a ban with `count` earlier bans (jail.py setBanTimeExtra). */
  private banTime(count: number): number {
    const o = this.o;
    let t: number;
    if (o.multipliers.length) t = o.bantime * o.factor * o.multipliers[count < o.multipliers.length ? count : o.multipliers.length - 1]!;
    else if (o.evformula) {
      try {
        t = Math.max(o.bantime, o.evformula.eval(o.bantime, count, o.factor));
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        // Observer.incrBanTime logs the exception and keeps the jail's bantime
        this.notes.push(`bantime.formula raised ${e.message} for ban.Count = ${count}: fail2ban logs the error and keeps bantime ${o.bantime}`);
        return o.bantime;
      }
    } else t = o.bantime;
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

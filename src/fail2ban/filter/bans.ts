/**
 * The bans a jail would make over a log's own times, as if the log were written live: fail2ban
 * 1.0.2's FailManager (a ticket per id, adjustTime's rate estimate over findtime, ban at maxretry),
 * BanManager.addBanTicket and Actions.__checkBan (a ticket of an address already banned is no new
 * ban: "already banned", and the ban is prolonged to the ticket's time + bantime when that ends
 * later), the Observer of `bantime.increment` (banFound: the ban time from the formula or the
 * multipliers, with factor, maxtime; failureFound: each failure of an address banned before counts
 * (2^bancount)/2 + 1, at most maxretry), ignoreip, and the unban once the ban time has run out
 * (BanManager.unBanList: strictly after the end). The database is this log's own bans, on top of
 * a ban database's history when one is given (`history`): its bips rows as Database.getBan reads them
 * (this jail's row for failureFound; with `bantime.overalljails` the sum of the counts and the latest
 * time over every jail for banFound's increment), the bans still current at the log's start restored
 * as Jail.restoreCurrentBans does (Database.getCurrentBans: maxtime or the jail's bantime as the
 * cap, -2 as the jail's bantime), and the observer's hourly purge of out-dated bad addresses
 * (`dbpurgeage`) counted from the log's start, when the server is taken to have started.
 */
import { networkInterfaces } from 'node:os';
import { banCommand, type BanCommand } from '../tags.js';
import type { ResolvedJail } from '../resolve.js';
import { parseTime } from '../time.js';
import { pyStr, type PyValue } from '../pytext.js';
import { ipAddr, isInNet, isValid, ipEquals, type IPAddr } from './ipaddr.js';
import { compileFormula, evalFactor, FormulaError, type Formula } from './banformula.js';
import type { BanRow } from '../db/bans.js';

/** A ban, an unban or an "already banned" a jail would make, with its time and the failures that led to it. */
export interface BanEvent {
  /**
   * `already-banned`: maxretry reached again during a ban (fail2ban's "already banned"; no action runs).
   * `restored`: a ban of the database still running at the log's start ("Restore Ban"), with its own
   * time (`time` is the time of the ban, before the log's start) and ban time.
   */
  kind: 'ban' | 'unban' | 'already-banned' | 'restored';
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
  /** fail2ban.conf's dbpurgeage (seconds, default one day): the hourly purge forgets bad addresses older. */
  purgeAge?: number;
}

/** A bips row as the player keeps it: the latest ban of an address in a jail. */
export interface BadAddress {
  count: number;
  timeOfBan: number;
  bantime: number;
}

/** A row of the ban database's bips table as `history` takes it. */
export type HistoryRow = Pick<BanRow, 'jail' | 'ip' | 'timeOfBan' | 'banTime' | 'banCount'> & Partial<Pick<BanRow, 'failures' | 'matches'>>;

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
  /** The database's bips of this jail: ban count and time of the last ban, per id (kept after the unban). */
  private db = new Map<string, BadAddress>();
  /** The bips of the other jails (bantime.overalljails): every row of an id. */
  private others = new Map<string, BadAddress[]>();
  /** The last hourly purge (the first failure's time, or `history`'s, to begin with). */
  private lastPurge: number | undefined;
  /** Whether a database history was given (the notes say what was counted). */
  private withHistory = false;
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

  /**
   * The ban database's history for this jail, read as the server starting at `at` (the log's start)
   * reads it: every bips row counts for the increment; this jail's bans still running at `at` are
   * restored (`restored` events, ended by an unban at their end).
   */
  history(bips: readonly HistoryRow[], at: number): void {
    const jail = this.jail?.name;
    this.withHistory = true;
    this.lastPurge = at;
    for (const r of bips) {
      const row: BadAddress = { count: r.banCount, timeOfBan: r.timeOfBan, bantime: r.banTime };
      if (r.jail === jail) this.db.set(r.ip, row);
      else {
        const list = this.others.get(r.ip);
        if (list) list.push(row);
        else this.others.set(r.ip, [row]);
      }
    }
    // Jail.restoreCurrentBans → Database.getCurrentBans(jail, forbantime, correctBanTime, fromtime = now)
    const o = this.o;
    const forbantime = o.increment ? undefined : o.bantime;
    // getMaxBanTime: maxtime (-1 unset) with increment, else the jail's bantime; -1 corrects nothing
    const maxBan = o.increment ? (o.maxtime ?? -1) : o.bantime;
    const correct = maxBan === -1 ? undefined : maxBan;
    const restore = bips
      .filter((r) => r.jail === jail && r.ip !== '')
      .filter((r) => r.timeOfBan + r.banTime > at || r.banTime <= -1)
      .filter((r) => forbantime === undefined || forbantime === -1 || r.timeOfBan > at - forbantime)
      .sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    for (const r of restore) {
      let bantime = r.banTime;
      if (bantime === -2) bantime = o.bantime;
      else if (correct !== undefined && correct >= 0 && (bantime === -1 || bantime > correct)) bantime = correct;
      if (bantime !== -1 && r.timeOfBan + bantime <= at) continue;
      if (this.ignored(r.ip)) {
        this.notes.push(`${r.ip}: banned in the database until ${bantime === -1 ? 'forever' : r.timeOfBan + bantime}, not restored: ignoreip/ignoreself holds it`);
        continue;
      }
      // the restored ticket is banned like any other (the banManager counts it), with its own time
      this.banned.set(r.ip, { time: r.timeOfBan, bantime });
      const until = BanPlayer.end({ time: r.timeOfBan, bantime });
      const matches = r.matches ?? [];
      this.events.push({ kind: 'restored', id: r.ip, time: r.timeOfBan, failures: r.failures ?? matches.length, bantime, until, bancount: r.banCount, ...(this.jail ? { commands: this.commands(r.ip, 'actionban', r.timeOfBan, r.failures ?? matches.length, bantime, matches, true) } : {}) });
    }
    if (o.increment && this.db.size + this.others.size) this.notes.push(`bantime.increment counts the ${this.db.size} address(es) the database holds for this jail${o.overalljails ? ` and, with bantime.overalljails, those of the other jails (${this.others.size})` : ''}`);
  }

  /** The hourly purge of the observer (Database._purge_bips), the first an hour after the start. */
  private purge(time: number): void {
    if (this.lastPurge === undefined) this.lastPurge = time;
    const age = this.o.purgeAge ?? 86400;
    while (this.lastPurge + 3600 <= time) {
      const now = (this.lastPurge += 3600);
      // DELETE FROM bips WHERE timeofban < now - purgeage AND bantime != -1 AND timeofban + bantime * 3 < now - purgeage
      const old = (b: BadAddress) => b.timeOfBan < now - age && b.bantime !== -1 && b.timeOfBan + b.bantime * 3 < now - age;
      for (const [id, b] of this.db) if (old(b)) this.db.delete(id);
      for (const [id, list] of this.others) {
        const keep = list.filter((b) => !old(b));
        if (keep.length) this.others.set(id, keep);
        else this.others.delete(id);
      }
    }
  }

  /** Database.getBan(ip, jail, overalljails): this jail's row, or the sum of the counts and the latest time over all jails. */
  private lookup(id: string, overall: boolean): BadAddress | undefined {
    const own = this.db.get(id);
    if (!overall) return own;
    const rows = [...(own ? [own] : []), ...(this.others.get(id) ?? [])];
    if (!rows.length) return undefined;
    return { count: rows.reduce((n, r) => n + r.count, 0), timeOfBan: Math.max(...rows.map((r) => r.timeOfBan)), bantime: rows.reduce((n, r) => n + r.bantime, 0) };
  }

  /** What the notes say about the database the increment counted with. */
  historyNotes(): string[] {
    if (!this.o.increment) return [];
    if (!this.withHistory) return ["bantime.increment counts earlier bans from fail2ban's database; here only the bans of this log count (give --db for the database's)", ...(this.o.overalljails ? ['bantime.overalljails counts the bans of every jail; here only those of this jail in this log'] : [])];
    return [];
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
    if (time !== Infinity) this.purge(time);
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
    // Observer.incrBanTime: Database.getBan (overalljails: every jail's rows)
    const prev = this.o.increment && bantime > 0 ? this.lookup(id, !!this.o.overalljails) : undefined;
    const count = prev?.count ?? 0;
    let btime = bantime;
    if (count > 0) btime = this.banTime(count);
    this.banned.set(id, { time: t.time, bantime: btime });
    // a ticket not after the database's last ban is taken as read again (restored): not written again
    if (!prev || t.time > prev.timeOfBan) this.db.set(id, { count: count + 1, timeOfBan: t.time, bantime: btime });
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

  private commands(id: string, op: string, time: number, failures: number, bantime: number, matches: string[] = [], restored = false): { action: string; command: string; env: Record<string, string> }[] {
    // a restored ban runs no action that says norestored
    const runs = (a: { params: Record<string, PyValue> }) => !restored || !/^(1|yes|true|on)$/i.test(a.params.norestored === undefined || a.params.norestored === null ? '' : pyStr(a.params.norestored));
    return (this.jail?.actions ?? []).filter(runs).map((a) => {
      const c: BanCommand = banCommand(a, { ip: id, time, failures, bantime, matches: matches.join('\n') }, op);
      return { action: a.name, command: c.command, env: c.env };
    });
  }
}

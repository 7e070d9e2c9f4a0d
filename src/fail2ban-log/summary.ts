/** What `fwconf fail2ban log` prints: bans per jail, per address and per hour, counted one entry at a time. */
import { ownSlice } from '../core/text.js';
import type { Entry, LogEventType } from './model.js';

/** What the log says of one jail: Found events, bans, restored bans, unbans. */
export interface JailCounts {
  found: number;
  bans: number;
  /** `Restore Ban` at start (bans fail2ban read back from its database). */
  restored: number;
  unbans: number;
  alreadyBanned: number;
  /** Addresses banned at the end of the log (each Ban or Restore Ban, less each Unban). */
  banned: number;
}

/** What the log says of one address: its bans and Found events in all jails, and the jails that banned it. */
export interface AddressCounts {
  ip: string;
  /** Ban and Restore Ban events, in all jails. */
  bans: number;
  /** Found events. */
  found: number;
  /** Jails that banned it, by name. */
  jails: string[];
}

/** Found events, bans and unbans in one hour of the log. */
export interface HourCounts {
  /** `YYYY-MM-DD HH` as written (the server's local time). */
  hour: string;
  found: number;
  bans: number;
  unbans: number;
}

/**
 * `fwconf fail2ban log --json`:
 * - `records`: records (a header line and its continuation lines); `unknown`: lines before the first
 *   record without a header; `lines`: every line.
 * - `first` / `last`: the timestamps as written of the first and last record.
 * - `events`: records per event type.
 * - `jails`: per jail, by name (sorted).
 * - `addresses`: per address, most bans first (then most Found, then by address).
 * - `hours`: per hour with any Found, Ban or Unban, in time order.
 */
export interface LogSummaryJSON {
  records: number;
  unknown: number;
  lines: number;
  first: string | null;
  last: string | null;
  events: Partial<Record<LogEventType, number>>;
  jails: Record<string, JailCounts>;
  addresses: AddressCounts[];
  hours: HourCounts[];
}

interface Address {
  bans: number;
  found: number;
  jails: Set<string>;
}

/** A key kept in a map: copied out of the chunk it was sliced from, so the chunk can go. */
function own(s: string): string {
  return ownSlice(s, 0, s.length);
}

/** Counts of a fail2ban.log as it streams by: per jail, per address and per hour, with the first and last timestamps. */
export class LogSummary {
  records = 0;
  unknown = 0;
  lines = 0;
  first: string | null = null;
  private lastTs: string | null = null;
  private readonly eventCounts = new Map<LogEventType, number>();
  private readonly jailMap = new Map<string, JailCounts & { current: Set<string> }>();
  private readonly addressMap = new Map<string, Address>();
  private readonly hourMap = new Map<string, HourCounts>();

  get last(): string | null {
    return this.lastTs;
  }

  /** Counts one entry of the log. */
  add(e: Entry): void {
    if (e.kind === 'unknown') {
      this.unknown++;
      this.lines++;
      return;
    }
    this.records++;
    this.lines += e.endLine - e.line + 1;
    if (this.first === null) this.first = own(e.timestamp);
    this.lastTs = e.timestamp;
    const ev = e.event;
    this.eventCounts.set(ev.type, (this.eventCounts.get(ev.type) ?? 0) + 1);
    if (!('jail' in ev) || !('ip' in ev)) return;
    const t = ev.type;
    if (t !== 'found' && t !== 'ban' && t !== 'restore-ban' && t !== 'unban' && t !== 'already-banned') return;
    const j = this.jail(ev.jail);
    const hour = e.timestamp.slice(0, 13);
    let h = this.hourMap.get(hour);
    if (!h) this.hourMap.set(own(hour), (h = { hour: own(hour), found: 0, bans: 0, unbans: 0 }));
    if (t === 'already-banned') {
      j.alreadyBanned++;
      return;
    }
    let a = this.addressMap.get(ev.ip);
    if (!a && t !== 'unban') this.addressMap.set(own(ev.ip), (a = { bans: 0, found: 0, jails: new Set() }));
    if (t === 'found') {
      j.found++;
      h.found++;
      a!.found++;
    } else if (t === 'unban') {
      j.unbans++;
      h.unbans++;
      j.current.delete(ev.ip);
    } else {
      if (t === 'ban') j.bans++;
      else j.restored++;
      h.bans++;
      a!.bans++;
      if (!a!.jails.has(ev.jail)) a!.jails.add(own(ev.jail));
      if (!j.current.has(ev.ip)) j.current.add(own(ev.ip));
    }
  }

  private jail(name: string): JailCounts & { current: Set<string> } {
    let j = this.jailMap.get(name);
    if (!j) this.jailMap.set(own(name), (j = { found: 0, bans: 0, restored: 0, unbans: 0, alreadyBanned: 0, banned: 0, current: new Set() }));
    return j;
  }

  /** Copies the last timestamp out of its chunk (call before the chunk is let go, or at the end). */
  settle(): void {
    if (this.lastTs !== null) this.lastTs = own(this.lastTs);
  }

  get jails(): Map<string, JailCounts> {
    const out = new Map<string, JailCounts>();
    for (const name of [...this.jailMap.keys()].sort(byCode)) {
      const { current, ...c } = this.jailMap.get(name)!;
      out.set(name, { ...c, banned: current.size });
    }
    return out;
  }

  /** Addresses, most bans first (then most found, then by address). */
  topAddresses(limit = Infinity): AddressCounts[] {
    return [...this.addressMap]
      .sort((x, y) => y[1].bans - x[1].bans || y[1].found - x[1].found || byCode(x[0], y[0]))
      .slice(0, limit)
      .map(([ip, a]) => ({ ip, bans: a.bans, found: a.found, jails: [...a.jails].sort(byCode) }));
  }

  get addressCount(): number {
    return this.addressMap.size;
  }

  get hours(): HourCounts[] {
    return [...this.hourMap.values()].sort((x, y) => byCode(x.hour, y.hour)).map((h) => ({ ...h }));
  }

  get events(): Partial<Record<LogEventType, number>> {
    return Object.fromEntries([...this.eventCounts].sort((x, y) => byCode(x[0], y[0])));
  }

  /** The counts as plain data (what `fwconf fail2ban log --json` prints). */
  toJSON(): LogSummaryJSON {
    this.settle();
    return {
      records: this.records,
      unknown: this.unknown,
      lines: this.lines,
      first: this.first,
      last: this.last,
      events: this.events,
      jails: Object.fromEntries(this.jails),
      addresses: this.topAddresses(),
      hours: this.hours,
    };
  }
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

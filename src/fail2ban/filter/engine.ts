/**
 * fail2ban 1.0.2's Filter (server/filter.py) for one stream of lines: processLine (the date, or the
 * last one for an undated line), findFailure (ignoreregex, prefregex with `<F-CONTENT>`, every
 * failregex, the multi-line buffer of `maxlines`, `<F-MLFID>` merging with nofail/gained/forget) and
 * the failure ids it returns. No DNS lookups: a host name is kept as written (fail2ban-regex -r).
 */
import { DateDetector, DateLineError, DateTemplateError, TemplateCache, validateTimeZone, type Clock } from './dates.js';
import { FailRegex, Regex, RegexError, tupleLinesBuf, type FailDict, type TupleLine } from './failregex.js';
import { LateTranslationError } from './pyre-adapter.js';
import { pyRepr } from '../options.js';
import { CIDR_RAW, CIDR_UNSPEC, FAM_IPV4, FAM_IPV6, ipAddr, ipText, isValid, type IPAddr } from './ipaddr.js';

/** A filter as fail2ban-client passes it to the server: its regexes, date pattern, maxlines and options. */
export interface FilterSpec {
  failregex: readonly string[];
  ignoreregex?: readonly string[];
  prefregex?: string;
  maxlines?: number | null;
  /** `datepattern` as the client passes it (one pattern a line). */
  datepattern?: string;
  logtimezone?: string;
  usedns?: string;
}

/** How a Filter runs: fail2ban-regex's switches. */
export interface FilterFlags {
  /** Try every failregex, not only up to the first that matches (fail2ban-regex default, samples). */
  checkAllRegex?: boolean;
  /** Keep hosts raw (no DNS): fail2ban-regex -r, the sample tests. */
  returnRawHost?: boolean;
  /** The daemon's check of line times against now and findtime; off in fail2ban-regex. */
  checkFindTime?: boolean;
  ignorePending?: boolean;
  findtime?: number;
}

/** Which part of a spec could not be compiled. */
export class FilterSpecError extends Error {
  constructor(
    readonly option: 'failregex' | 'ignoreregex' | 'prefregex' | 'datepattern' | 'logtimezone' | 'maxlines',
    readonly index: number,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** One failure found: [failregex index, failure id, time, fail dict] as findFailure returns it. */
export interface Failure {
  index: number;
  /** The id banned: str(IPAddr) of the address or id; null for a pending multi-line failure. */
  fid: string | null;
  fidAddr?: IPAddr;
  time: number | null;
  fail: FailDict;
}

/** How a line's date was read. */
export interface LineDate {
  /** The template that found a date, by name. */
  template?: string;
  /** The text taken as the date. */
  text: string;
  time: number | null;
  /** Why the text gives no time (fail2ban: "findFailure failed to parse timeText"). */
  error?: string;
  /** The line had no date: the last date (within 60 s of now) or none was used. */
  noDate: boolean;
  /** The last line's date was reused. */
  reused: boolean;
}

/** What a Filter makes of one line: its failures, its date, the ignoreregex that matched. */
export interface LineResult {
  failures: Failure[];
  date: LineDate;
  /** ignoreregex indexes that matched. */
  ignored: number[];
  /** The line as fail2ban-regex shows it (date kept). */
  line: string;
  /** An exception fail2ban's processLineAndAdd would log ("Failed to process line"). */
  exception?: string;
}

class Cache<V> {
  private m = new Map<string, { v: V; until: number }>();
  constructor(
    private maxCount: number,
    private maxTime: number,
    private wall: () => number,
  ) {}
  get(k: string): V | undefined {
    const e = this.m.get(k);
    if (!e) return undefined;
    if (e.until > this.wall()) return e.v;
    this.m.delete(k);
    return undefined;
  }
  set(k: string, v: V): void {
    const t = this.wall();
    if (this.m.size >= this.maxCount) {
      for (const [ck, cv] of this.m) {
        this.m.delete(ck);
        if (cv.until > t && this.m.size < this.maxCount) break;
      }
    }
    this.m.set(k, { v, until: t + this.maxTime });
  }
  unset(k: string): void {
    this.m.delete(k);
  }
}

/** fail2ban's Filter: a filter's regexes, date detector and options, run on lines as fail2ban-server and fail2ban-regex do. */
export class Filter {
  readonly failRegex: FailRegex[] = [];
  readonly ignoreRegex: Regex[] = [];
  prefRegex: Regex | undefined;
  dateDetector: DateDetector | undefined;
  readonly lineBufferSize: number;
  private lineBuffer: TupleLine[] = [];
  private lastTimeText = '';
  private lastDate: number | null = null;
  private mlfid: Cache<[number | null, FailDict]> | undefined;
  readonly useDns: string;
  readonly flags: Required<FilterFlags>;
  private logtimezone: number | undefined;

  constructor(
    spec: FilterSpec,
    flags: FilterFlags = {},
    readonly clock: Clock = { now: () => Date.now() / 1000 },
    private readonly wall: () => number = () => Date.now() / 1000,
    cache: TemplateCache = new TemplateCache(),
  ) {
    this.flags = { checkAllRegex: false, returnRawHost: false, checkFindTime: true, ignorePending: true, findtime: 600, ...flags };
    this.useDns = spec.usedns ?? 'warn';
    const maxlines = spec.maxlines ?? 1;
    if (!Number.isInteger(maxlines) || maxlines <= 0) throw new FilterSpecError('maxlines', 0, 'maxlines must be integer greater than zero');
    this.lineBufferSize = maxlines;
    const fail = (option: FilterSpecError['option'], index: number, f: () => void) => {
      try {
        f();
      } catch (e) {
        if (e instanceof RegexError) throw new FilterSpecError(option, index, e.message, e.offset);
        if (e instanceof DateTemplateError || e instanceof RangeError) throw new FilterSpecError(option, index, e.message);
        throw e;
      }
    };
    fail('logtimezone', 0, () => {
      this.logtimezone = validateTimeZone(spec.logtimezone);
    });
    if (spec.prefregex) fail('prefregex', 0, () => (this.prefRegex = new Regex(spec.prefregex!, { useDns: this.useDns })));
    spec.failregex.forEach((r, i) => fail('failregex', i, () => this.failRegex.push(new FailRegex(r, { prefRegex: this.prefRegex, multiline: this.lineBufferSize > 1, useDns: this.useDns }))));
    (spec.ignoreregex ?? []).forEach((r, i) => fail('ignoreregex', i, () => this.ignoreRegex.push(new Regex(r, { useDns: this.useDns }))));
    this.dateDetector = new DateDetector(cache, wall);
    this.dateDetector.defaultTz = this.logtimezone;
    const dd = this.dateDetector;
    const patterns = spec.datepattern !== undefined ? spec.datepattern.split(/\n+/).map((s) => s.trim()).filter(Boolean) : [];
    fail('datepattern', 0, () => {
      for (const p of patterns) dd.appendTemplate(p);
      if (!dd.templates.length) dd.addDefaultTemplate();
      // Compile now, so an untranslatable template is a spec error, not a line's.
      for (const t of dd.templates) t.template.translation();
    });
  }

  private get mlfidCache(): Cache<[number | null, FailDict]> {
    return (this.mlfid ??= new Cache(100, 5 * 60, this.wall));
  }

  /** Whether the line being processed is known to be pure ASCII (undefined: not known). */
  private lineAscii: boolean | undefined;

  /**
   * processLine(line) or, for a journal entry whose time is known, processLine(tuple, date).
   * `ascii`: the caller knows the line is pure ASCII (logLineBatches tells per decoded chunk); the
   * regexes then run their ASCII translations without testing the line.
   */
  processLine(line0: string | TupleLine, date0?: number, ascii?: boolean): LineResult {
    this.lineAscii = ascii || undefined;
    let date: number | null = date0 ?? null;
    let tupleLine: TupleLine;
    let line: string;
    let noDate = false;
    const info: LineDate = { text: '', time: null, noDate: false, reused: false };
    try {
      if (date !== null && typeof line0 !== 'string') {
        tupleLine = line0;
        line = line0.join('');
        this.lastTimeText = tupleLine[1];
        this.lastDate = date;
        info.text = tupleLine[1];
      } else {
        line = typeof line0 === 'string' ? line0 : line0.join('');
        const tm = this.dateDetector!.matchTime(line, this.lineAscii);
        if (tm) {
          const [s, e] = tm.match.spans[1]!;
          const m = s >= 0 ? line.slice(s, e) : '';
          tupleLine = [line.slice(0, Math.max(s, 0)), m, line.slice(e >= 0 ? e : 0)];
          if (s < 0) tupleLine = ['', '', line];
          info.template = tm.template.name;
          info.text = m;
          if (m) {
            const r = this.dateDetector!.getTime(m, tm, this.clock);
            if (r.time !== undefined) {
              date = r.time;
              this.lastTimeText = m;
              this.lastDate = date;
            } else info.error = r.error;
          } else if (this.lastDate !== null && this.lastDate > this.clock.now() - 60) {
            tupleLine = ['', this.lastTimeText, line];
            date = this.lastDate;
            info.reused = true;
          } else date = this.clock.now();
        } else tupleLine = ['', '', line];
        if (date === null) {
          noDate = true;
          if (this.lastDate !== null && this.lastDate > this.clock.now() - 60) {
            tupleLine = ['', this.lastTimeText, line];
            date = this.lastDate;
            info.reused = true;
          } else if (this.flags.checkFindTime) date = this.clock.now();
        }
      }
      info.time = date;
      info.noDate = noDate;
      if (this.flags.checkFindTime && date !== null) {
        // In operation: a time far from now counts as now.
        if (Math.abs(Math.trunc(date - this.clock.now())) > 60) {
          date = this.clock.now();
          this.lastDate = date;
        }
      }
      const ignored: number[] = [];
      const failures = this.findFailure(tupleLine, date, noDate, ignored);
      // the tuple of a line read here is the line cut in three (unless the last date was reused)
      return { failures, date: info, ignored, line: typeof line0 === 'string' && !info.reused ? line : tupleLine.join('') };
    } catch (e) {
      if (e instanceof DateLineError || e instanceof RegexError || e instanceof LateTranslationError) return { failures: [], date: info, ignored: [], line: typeof line0 === 'string' ? line0 : line0.join(''), exception: e.message };
      throw e;
    }
  }

  private ignoreLine(buf0: string, orgBuffer0: TupleLine[], ignored: number[], failRegex?: FailRegex): number | undefined {
    let buf = buf0;
    let orgBuffer = orgBuffer0;
    if (failRegex && this.lineBufferSize > 1) {
      orgBuffer = failRegex.getMatchedTupleLines();
      buf = tupleLinesBuf(orgBuffer);
    }
    let fnd: number | undefined;
    for (let i = 0; i < this.ignoreRegex.length; i++) {
      const r = this.ignoreRegex[i]!;
      r.search(buf, orgBuffer, this.lineBufferSize > 1 ? undefined : this.lineAscii);
      if (r.hasMatched()) {
        fnd = i;
        ignored.push(i);
        if (!this.flags.checkAllRegex || this.lineBufferSize > 1) {
          if (failRegex) this.lineBuffer = failRegex.getUnmatchedTupleLines();
        }
        if (!this.flags.checkAllRegex) break;
      }
    }
    return fnd;
  }

  private updateUsers(fail: FailDict, user: unknown): Set<string> | undefined {
    let users = fail.users as Set<string> | undefined | null;
    if (user) {
      if (!users) fail.users = users = new Set();
      users.add(user as string);
      return users;
    }
    return users ?? undefined;
  }

  private mergeFailure(mlfid: string, fail0: FailDict, failRegex: FailRegex): FailDict {
    let fail = fail0;
    let mlfidFail = this.mlfidCache.get(mlfid);
    let users: Set<string> | undefined;
    let nfflgs = 0;
    if (fail.mlfgained) {
      nfflgs |= 8 | 1;
      if (!fail.nofail) fail.nofail = fail.mlfgained;
    } else if (fail.nofail) nfflgs |= 1;
    if (popKey(fail, 'mlfforget')) nfflgs |= 2;
    if (mlfidFail) {
      const g = mlfidFail[1];
      users = this.updateUsers(g, fail.user);
      if (popKey(g, 'nofail')) nfflgs |= 4;
      if (popKey(g, 'mlfgained')) nfflgs |= 4;
      if (nfflgs & 8) delete g.mlfpending;
      if ((nfflgs & 4) === 0 && !g.mlfpending) delete g.matches;
      for (const [k, v] of Object.entries(fail)) if (v !== null && v !== undefined) g[k] = v;
      fail = g;
      if (nfflgs & 2) this.mlfidCache.unset(mlfid);
    } else if (!(nfflgs & 2)) {
      users = this.updateUsers(fail, fail.user);
      mlfidFail = [this.lastDate, fail];
      this.mlfidCache.set(mlfid, mlfidFail);
    }
    if (popKey(fail, 'mlfpending') || (users && users.size > 1)) {
      delete fail.nofail;
      delete fail.mlfgained;
      nfflgs &= ~(8 | 1);
    }
    if ((nfflgs & 1) === 0) {
      const m = [...((popKey(fail, 'nofail-matches') as TupleLine[] | undefined) ?? []), ...((fail.matches as TupleLine[] | undefined) ?? [])];
      if ((nfflgs & 8) === 0) m.push(...failRegex.getMatchedTupleLines());
      fail.matches = m;
    } else if ((nfflgs & 3) === 1) {
      fail['nofail-matches'] = [...((fail['nofail-matches'] as TupleLine[] | undefined) ?? []), ...failRegex.getMatchedTupleLines()];
    }
    return fail;
  }

  /** The failures one line gives (a line and its date), as fail2ban's `findFailure`. */
  findFailure(tupleLine: TupleLine, date: number | null, noDate: boolean, ignored: number[] = []): Failure[] {
    const failList: Failure[] = [];
    const defcidr = this.useDns === 'raw' || this.flags.returnRawHost ? CIDR_RAW : CIDR_UNSPEC;
    let orgBuffer: TupleLine[];
    if (this.lineBufferSize > 1) {
      this.lineBuffer.push(tupleLine);
      orgBuffer = this.lineBuffer = this.lineBuffer.slice(-this.lineBufferSize);
    } else orgBuffer = this.lineBuffer = [tupleLine];
    let buf: string | null = tupleLinesBuf(orgBuffer);
    // a buffer of several lines may hold earlier, non-ASCII ones: tested then
    const ascii = this.lineBufferSize > 1 ? undefined : this.lineAscii;
    if (this.ignoreRegex.length && this.ignoreRegex.length < this.failRegex.length - 2) {
      if (this.ignoreLine(buf, orgBuffer, ignored) !== undefined) return failList;
    }
    let preGroups: FailDict = {};
    let hasPre = false;
    if (this.prefRegex) {
      this.prefRegex.search(buf, orgBuffer, ascii);
      if (!this.prefRegex.hasMatched()) return failList;
      preGroups = this.prefRegex.getGroups();
      const repl = popKey(preGroups, 'content');
      for (const _k in preGroups) {
        hasPre = true;
        break;
      }
      if (repl) {
        this.lineBuffer = [['', '', repl as string]];
        buf = null;
      }
    }
    for (let idx = 0; idx < this.failRegex.length; idx++) {
      const failRegex = this.failRegex[idx]!;
      if (buf === null) buf = tupleLinesBuf(this.lineBuffer);
      failRegex.search(buf, orgBuffer, ascii);
      if (!failRegex.hasMatched()) continue;
      let fail = failRegex.getGroups();
      if (this.ignoreRegex.length && this.ignoreLine(buf, orgBuffer, ignored, failRegex) !== undefined) {
        buf = null;
        if (!this.flags.checkAllRegex) break;
        continue;
      }
      if (noDate && date === null && this.flags.checkFindTime) continue;
      if (!this.flags.checkAllRegex || this.lineBufferSize > 1) {
        this.lineBuffer = failRegex.getUnmatchedTupleLines();
        buf = null;
      }
      let cidr = defcidr;
      let raw = defcidr === CIDR_RAW;
      if (hasPre) fail = { ...preGroups, ...fail };
      const mlfid = fail.mlfid as string | null | undefined;
      if (mlfid !== null && mlfid !== undefined) {
        fail = this.mergeFailure(mlfid, fail, failRegex);
        if (fail.nofail) {
          if (!this.flags.checkAllRegex) return failList;
        }
      } else {
        const had = fail.matches as TupleLine[] | undefined;
        fail.matches = had && had.length ? [...had, ...failRegex.getMatchedTupleLines()] : failRegex.getMatchedTupleLines().slice();
      }
      let fid = fail.fid !== undefined && fail.fid !== null ? tupleText(fail.fid) : null;
      let ip = (fail.ip4 as string | null | undefined) ?? null;
      if (ip !== null) {
        cidr = fail.cidr ? parseInt(fail.cidr as string, 10) : FAM_IPV4;
        raw = true;
      } else {
        ip = (fail.ip6 as string | null | undefined) ?? null;
        if (ip !== null) {
          cidr = fail.cidr ? parseInt(fail.cidr as string, 10) : FAM_IPV6;
          raw = true;
        } else {
          ip = (fail.dns as string | null | undefined) ?? null;
          if (ip === null) {
            if (fid === null && (mlfid === null || mlfid === undefined)) fid = failRegex.getFailID();
            ip = fid;
            raw = true;
          }
        }
      }
      let fids: (IPAddr | null)[];
      if (ip === null) {
        fail.mlfpending = 1;
        if (!this.flags.checkAllRegex && this.flags.ignorePending) return failList;
        fids = [null];
      } else if (raw) {
        let f: IPAddr;
        const isTuple = Array.isArray(fail.fid);
        if (fid === null || fid === ip) f = isTuple ? ipAddr(fid ?? ip, CIDR_RAW) : ipAddr(ip, cidr);
        else {
          fail.ip = ipText(ipAddr(ip, cidr));
          f = ipAddr(fid, isTuple ? CIDR_RAW : defcidr);
        }
        fids = [f];
      } else {
        // DNSUtils.textToIp: an address as such; a name is looked up unless usedns = no (not here).
        const a = ipAddr(ip);
        fids = isValid(a) ? [a] : this.useDns === 'yes' || this.useDns === 'warn' ? [{ raw: ip, family: 'raw', addr: 0n, plen: 0 }] : [];
      }
      if (this.flags.checkAllRegex && mlfid !== null && mlfid !== undefined) fail = { ...fail };
      for (const f of fids) failList.push({ index: idx, fid: f ? ipText(f) : null, ...(f ? { fidAddr: f } : {}), time: date, fail });
      if (!this.flags.checkAllRegex) break;
    }
    return failList;
  }
}

/** A `tuple_` id is a Python tuple: IPAddr keeps it raw, its text is the tuple's repr. */
function tupleText(v: unknown): string {
  return Array.isArray(v) ? '(' + v.map((x) => (x === null ? 'None' : pyRepr(String(x)))).join(', ') + (v.length === 1 ? ',)' : ')') : (v as string);
}

function popKey(d: FailDict, k: string): FailDict[string] {
  const v = d[k];
  delete d[k];
  return v;
}

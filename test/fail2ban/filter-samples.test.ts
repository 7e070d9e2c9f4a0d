// The truth of fail2ban's own test-suite: every annotated sample log it ships
// (tests/files/logs/NAME, `# failJSON:` before each line) run with the stock filter
// /etc/fail2ban/filter.d/NAME.conf through our engine, read as samplestestcase.py reads it
// (now = 1124013600, TZ Europe/Zurich, raw hosts, all regexes tried, `# filterOptions:` blocks,
// `constraint`s, journal entries with their known time). A filter our translator cannot take is
// a diagnostic for each of its expectations, never a wrong answer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Filter, FilterSpecError } from '../../src/fail2ban/filter/engine.js';
import { loadFilter } from '../../src/fail2ban/filter/load.js';
import { pySplitlines } from '../../src/fail2ban/filter/failregex.js';
import { ipAddr, ipEquals, isValid } from '../../src/fail2ban/filter/ipaddr.js';

process.env.TZ = 'Europe/Zurich';
const LOGS = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';
const CONF = '/etc/fail2ban';
const TEST_NOW = 1124013600;
const TEST_NOW_STR = '2005-08-14T10:00:00';

type Opts = Record<string, string>;

/** samplestestcase's eval of test.condition / constraint: the forms the sample logs use. */
function evaluate(expr: string, name: string, opts: Opts): boolean {
  let m = /^\s*name\s*==\s*'([^']*)'\s*$/.exec(expr);
  if (m) return name === m[1];
  m = /^\s*opts\.get\('([^']*)'\)\s*(==|!=)\s*'([^']*)'\s*$/.exec(expr);
  if (m) return (opts[m[1]!] === m[3]) === (m[2] === '==');
  throw new Error(`unmodelled condition ${expr}`);
}

interface Tally {
  pass: number;
  wrong: string[];
  diagnostic: string[];
}

/** Python's json.loads for the annotations (plain JSON). */
function fileLines(path: string): string[] {
  const text = new TextDecoder('utf-8').decode(readFileSync(path));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l + '\n');
}

function localTime(t: string): number {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/.exec(t);
  if (!m) return NaN;
  const d = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return d.getTime() / 1000 + (m[7] ? Number('0.' + m[7]) : 0);
}

function runSample(name: string, t: Tally): void {
  const filenames = [name];
  let commonOpts: Opts = {};
  const filters = new Map<string, Filter | string>();
  const readFilter = (fltName: string, opts: Opts): Filter | string => {
    if (filters.has(fltName)) return filters.get(fltName)!;
    const args = Object.entries(opts).map(([k, v]) => `${k}=${/[,\]"]/.test(v) ? JSON.stringify(v) : v}`);
    const loaded = loadFilter(CONF, args.length ? `${name}[${args.join(', ')}]` : name);
    let f: Filter | string;
    if (loaded.error) f = `filter ${fltName} not read: ${loaded.error}`;
    else {
      try {
        f = new Filter(loaded.spec, { returnRawHost: true, checkAllRegex: true, checkFindTime: false }, { now: () => TEST_NOW });
      } catch (e) {
        if (!(e instanceof FilterSpecError)) throw e;
        f = `${fltName}: ${e.option} ${e.index}: ${e.message.slice(0, 160)}`;
      }
    }
    filters.set(fltName, f);
    return f;
  };
  let tests: [string, Filter | string, Opts][] | undefined;
  for (let i = 0; i < filenames.length; i++) {
    const lines = fileLines(join(LOGS, filenames[i]!));
    let ignoreBlock = false;
    for (let n = 0; n < lines.length; n++) {
      let line = lines[n]!;
      const jm = /^#+ ?(failJSON|(?:file|filter)Options|addFILE):([^\n]+)$/.exec(line.replace(/\n$/, ''));
      let faildata: Record<string, unknown> = {};
      if (jm) {
        const data = JSON.parse(jm[2]!) as unknown;
        if (jm[1] === 'fileOptions') {
          commonOpts = data as Opts;
          continue;
        }
        if (jm[1] === 'filterOptions') {
          tests = [];
          ignoreBlock = false;
          for (const fd of Array.isArray(data) ? data : [data]) {
            const opts: Opts = { ...commonOpts, ...(fd as Opts) };
            if (opts['test.condition']) ignoreBlock = !evaluate(opts['test.condition'], name, opts);
            if (!ignoreBlock) {
              const fltOpts = Object.fromEntries(Object.entries(opts).filter(([k]) => !k.startsWith('test.')));
              const fltName = name + (opts['test.filter-name'] ?? (Object.keys(fltOpts).length ? JSON.stringify(fltOpts) : ''));
              tests.push([fltName, readFilter(fltName, fltOpts), opts]);
            }
          }
          continue;
        }
        if (jm[1] === 'addFILE') {
          filenames.push(data as string);
          continue;
        }
        faildata = data as Record<string, unknown>;
        n++;
        line = lines[n] ?? '';
      } else if (ignoreBlock || line.startsWith('#') || !line.trim()) continue;
      if (ignoreBlock) continue;
      if (!tests) tests = [[name, readFilter(name, {}), {}]];
      line = line.replace(/[\r\n]+$/, '');
      for (const [fltName, flt, opts] of tests) {
        if (faildata.constraint && !evaluate(faildata.constraint as string, name, opts)) continue;
        const where = `${filenames[i]}:${n + 1} (${fltName})`;
        if (typeof flt === 'string') {
          t.diagnostic.push(`${where}: ${flt}`);
          continue;
        }
        const r = opts.logtype !== 'journal' ? flt.processLine(line) : flt.processLine(['', TEST_NOW_STR, (opts['test.prefix-line'] ?? '') + line], TEST_NOW);
        const found = r.failures.filter((f) => f.fid !== null && !f.fail.nofail);
        const want = !!faildata.match;
        const problems: string[] = [];
        if (!found.length) {
          if (want) problems.push('not matched');
        } else if (!want) problems.push(`matched by failregex ${found[0]!.index}`);
        else if (found.length !== 1) problems.push(`several regexes matched ${found.map((f) => f.index)}`);
        else {
          const f = found[0]!;
          for (const [k, v] of Object.entries(faildata)) {
            if (['time', 'match', 'desc', 'constraint'].includes(k)) continue;
            let fv: unknown = f.fail[k] ?? null;
            if (fv === null) {
              // IPAddr == str compares addresses (IPAddr(str)), a raw id compares text.
              if (k === 'host') fv = f.fidAddr && isValid(f.fidAddr) && typeof v === 'string' && ipEquals(f.fidAddr, ipAddr(v)) ? v : f.fid;
              if (k === 'attempts') fv = ((f.fail.matches as unknown[]) ?? []).length;
            }
            if (fv instanceof Set) fv = [...fv].sort();
            if (Array.isArray(fv) && Array.isArray(v)) {
              if (JSON.stringify([...fv].sort()) !== JSON.stringify([...v].sort())) problems.push(`${k}: ${JSON.stringify(fv)} != ${JSON.stringify(v)}`);
            } else if (JSON.stringify(fv) !== JSON.stringify(v)) problems.push(`${k}: ${JSON.stringify(fv)} != ${JSON.stringify(v)}`);
          }
          if (typeof faildata.time === 'string' && f.time !== localTime(faildata.time)) problems.push(`time ${f.time} != ${localTime(faildata.time)} (${faildata.time})`);
        }
        if (problems.length) t.wrong.push(`${where}: ${problems.join('; ')}: ${line.slice(0, 160)}`);
        else t.pass++;
      }
    }
  }
}

describe("fail2ban's annotated sample logs", () => {
  it('give the annotated verdict, host, user and time with the stock filters', () => {
    const names = readdirSync(LOGS).filter((n) => statSync(join(LOGS, n)).isFile()).sort();
    const t: Tally = { pass: 0, wrong: [], diagnostic: [] };
    let withFilter = 0;
    for (const name of names) {
      try {
        statSync(join(CONF, 'filter.d', name + '.conf'));
      } catch {
        continue;
      }
      withFilter++;
      runSample(name, t);
    }
    console.log(`sample logs: ${withFilter} with a stock filter; expectations: ${t.pass} pass, ${t.wrong.length} wrong, ${t.diagnostic.length} diagnostics`);
    const byFilter = new Map<string, number>();
    for (const d of t.diagnostic) byFilter.set(d.replace(/:.*$/, ''), (byFilter.get(d.replace(/:.*$/, '')) ?? 0) + 1);
    console.log([...new Set(t.diagnostic.map((d) => d.replace(/^[^(]*\(/, '(')))].slice(0, 40).join('\n'));
    console.log(t.wrong.slice(0, 60).join('\n'));
    expect(withFilter).toBeGreaterThan(80);
    expect(t.pass).toBeGreaterThan(500);
    expect(t.wrong).toEqual([]);
  }, 600_000);
});

void pySplitlines;

// fail2ban.log: records and events of real fail2ban-server logs, the stream equal to parse() on any
// text cut into any chunks, and `fwconf fail2ban log`.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { entries, parse, summarizeLog, type Entry } from '../../src/fail2ban-log/index.js';
import { formats, detectFormat } from '../../src/formats.js';
import { runCli } from '../cli/capture-io.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'fail2ban-log');
const REAL = join(FIXTURES, 'fail2ban.log');
const OLD = join(FIXTURES, '0.8', 'fail2ban.log');
const real = readFileSync(REAL, 'utf8');
const old = readFileSync(OLD, 'utf8');

async function collect(it: AsyncIterable<Entry>): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** Lines of a text, as an independent reading: split at \n. */
const textLines = (t: string) => t.replace(/\n$/, '').split('\n');

describe('a fail2ban-server 1.0.2 log', () => {
  const doc = parse(real, { file: REAL });

  it('is detected and prints back byte for byte, without diagnostics', () => {
    expect(detectFormat('/var/log/fail2ban.log', real)).toEqual({ format: formats['fail2ban-log'] });
    expect(detectFormat(undefined, real)).toEqual({ format: formats['fail2ban-log'] });
    expect(doc.toString()).toBe(real);
    expect(doc.diagnostics).toEqual([]);
  });

  it('has one record per header line; the traceback stays with its ERROR record', () => {
    const headers = textLines(real).filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} fail2ban\./.test(l));
    expect(doc.records()).toHaveLength(headers.length);
    const tb = doc.records().filter((r) => r.continuation.length > 0);
    expect(tb).toHaveLength(1);
    expect(tb[0]!.level).toBe('ERROR');
    expect(tb[0]!.message).toMatch(/^Failed to execute ban jail 'boom' action 'boom'/);
    expect(tb[0]!.continuation[0]).toBe('Traceback (most recent call last):');
    expect(tb[0]!.continuation.at(-1)).toBe('RuntimeError: cannot ban 192.0.2.66');
    expect(tb[0]!.endLine - tb[0]!.line).toBe(tb[0]!.continuation.length);
  });

  it('types Ban, Restore Ban, Unban, Found and already banned as the lines say', () => {
    const lines = textLines(real);
    const grab = (re: RegExp) => lines.flatMap((l) => { const m = re.exec(l); return m ? [[m[1], m[2]]] : []; });
    const pairs = (type: string) => doc.records().filter((r) => r.event.type === type).map((r) => [(r.event as { jail: string }).jail, (r.event as { ip: string }).ip]);
    expect(pairs('ban')).toEqual(grab(/NOTICE  \[([^\]]+)\] Ban (\S+)$/));
    expect(pairs('restore-ban')).toEqual(grab(/NOTICE  \[([^\]]+)\] Restore Ban (\S+)$/));
    expect(pairs('unban')).toEqual(grab(/NOTICE  \[([^\]]+)\] Unban (\S+)$/));
    expect(pairs('found')).toEqual(grab(/INFO    \[([^\]]+)\] Found (\S+) - /));
    expect(pairs('already-banned')).toEqual(grab(/: (?:NOTICE|WARNING|DEBUG) *\[([^\]]+)\] (\S+) already banned$/));
    expect(pairs('already-banned').length).toBeGreaterThan(0);
    const jails = (type: string) => doc.records().filter((r) => r.event.type === type).map((r) => (r.event as { jail: string }).jail);
    expect(jails('jail-created')).toEqual(grab(/Creating new jail '(.*)'()$/).map((p) => p[0]));
    expect(jails('jail-started')).toEqual(grab(/Jail '(.*)' started()$/).map((p) => p[0]));
    expect(jails('jail-stopped')).toEqual(grab(/Jail '(.*)' stopped()$/).map((p) => p[0]));
    const errors = doc.records().filter((r) => r.event.type === 'error');
    expect(errors.length).toBe(lines.filter((l) => / ERROR   /.test(l)).length);
    expect(doc.records().filter((r) => r.event.type === 'warning').map((r) => r.message)).toEqual(lines.filter((l) => /WARNING /.test(l)).map((l) => l.slice(l.indexOf('WARNING ') + 8)));
  });

  it('keeps the message exactly, leading spaces included', () => {
    const ban = doc.records().find((r) => r.message === '  banTime: 600');
    expect(ban?.logger).toBe('fail2ban.actions');
    expect(ban?.pid).toBeGreaterThan(0);
  });
});

describe('a fail2ban-server 1.0.2 log with bantime.increment', () => {
  const path = join(FIXTURES, 'increment', 'fail2ban.log');
  const text = readFileSync(path, 'utf8');
  const doc = parse(text, { file: path });
  it("types the observer's lines: Found …, bad and Increase Ban, apart from the filter's Found", () => {
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics).toEqual([]);
    const lines = textLines(text);
    expect(doc.events('found')).toHaveLength(lines.filter((l) => / fail2ban\.filter .*\] Found /.test(l)).length);
    const bad = doc.events('found-bad');
    expect(bad).toHaveLength(lines.filter((l) => / fail2ban\.observer .*\] Found .*, bad - /.test(l)).length);
    expect(bad[0]!.event).toEqual({ type: 'found-bad', jail: 'sshd', ip: '192.0.2.77', time: /bad - (\S+ \S+),/.exec(bad[0]!.message)![1], banCount: 1, retry: '2.0', ban: true });
    const inc = doc.events('increase-ban');
    expect(inc).toHaveLength(1);
    expect(inc[0]!.event).toMatchObject({ jail: 'sshd', ip: '192.0.2.77', banCount: 2, bantime: '8s' });
    expect(inc[0]!.event.until).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const s = doc.summary();
    expect(s.jails.sshd).toMatchObject({ bans: 2, unbans: 2, alreadyBanned: 1, banned: 0, found: doc.events('found').length });
  });
});

describe('a fail2ban 0.8 log (its own layout: no pid, Ban at WARNING)', () => {
  const doc = parse(old, { file: OLD });
  it('reads records and bans', () => {
    expect(doc.toString()).toBe(old);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.records().every((r) => r.pid === null)).toBe(true);
    expect(doc.events('ban').map((r) => [r.event.jail, r.event.ip, r.level])).toEqual([
      ['thp-ssh', '192.168.88.242', 'WARNING'],
      ['ssh', '203.0.113.7', 'WARNING'],
    ]);
    expect(doc.records().find((r) => r.level === 'ERROR')?.message).toBe('iptables -D fail2ban-thp-ssh -s 192.168.88.242 -j DROP returned 100');
  });
});

describe('lines without a header', () => {
  it('before the first record: unknown; after a one-line INFO record: kept with it, and reported', () => {
    const text = 'garbage\n2016-02-29 13:54:06,915 fail2ban.jail           [6102]: INFO    Creating new jail \'x\'\nstray\n';
    const doc = parse(text, { file: 'f' });
    expect(doc.entries().map((e) => e.kind)).toEqual(['unknown', 'record']);
    expect(doc.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['fail2ban-log/unknown-line', 1],
      ['fail2ban-log/stray-line', 3],
    ]);
  });
});

/** Fixture lines, stray text and traceback-ish lines, joined with \n or \r\n. */
const lineArb = fc.oneof(
  fc.constantFrom(...textLines(real).slice(0, 200), ...textLines(old)),
  fc.constantFrom('Traceback (most recent call last):', '  File "x.py", line 1, in f', 'garbage', ''),
  fc.string({ maxLength: 20 }),
);

describe('the stream', () => {
  it('gives the entries and diagnostics of parse(), whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), async (ls, eol, final, cuts) => {
        const text = ls.join(eol) + (final && ls.length ? eol : '');
        const bytes = Buffer.from(text);
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length]!;
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        const doc = parse(text, { file: 'f' });
        const ds: unknown[] = [];
        const got = await collect(entries(Readable.from(chunks), { file: 'f', onDiagnostic: (d) => ds.push(d) }));
        expect(got).toEqual(doc.entries());
        expect(ds).toEqual(doc.diagnostics);
        const s = await summarizeLog(Readable.from(chunks), { file: 'f' });
        expect(s.toJSON()).toEqual(doc.summary());
        expect(s.lines).toBe(text === '' ? 0 : text.split(/\n/).length - (text.endsWith('\n') ? 1 : 0));
      }),
      { numRuns: 150 },
    );
  });

  it('bounds a record with too many continuation lines, counting every line', async () => {
    const text = textLines(real)[0]! + '\n' + '  x\n'.repeat(50);
    const got = await collect(entries(Readable.from([text]), { maxContinuation: 10 }));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: 'record', line: 1, endLine: 51, truncated: true });
    expect((got[0] as { continuation: string[] }).continuation).toHaveLength(10);
  });
});

describe('fwconf fail2ban log', () => {
  it('--json prints the summary of the parsed log; exit 1 for its error records', async () => {
    const r = await runCli(['fail2ban', 'log', '--json', REAL]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const got = JSON.parse(r.out);
    expect(got).toEqual(parse(real).summary());
    expect(got.jails.sshd.bans + got.jails['thp-ssh'].bans + got.jails.boom.bans).toBe(textLines(real).filter((l) => /\] Ban /.test(l)).length);
    expect(got.addresses[0].ip).toBe('192.168.88.242');
  });

  it('prints a table; exit 0 for a log without errors', async () => {
    const text = old.split('\n').filter((l) => !l.includes('ERROR')).join('\n');
    const r = await runCli(['fail2ban', 'log', '-'], text);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<stdin>: 19 records, 19 lines\n/);
    expect(r.out).toMatch(/\n {4}1 {6}0  192\.168\.88\.242 \(thp-ssh\)\n/);
    expect(r.out).toMatch(/\nHOUR \(as written\) {2}FOUND {3}BANS {2}UNBANS\n2016-02-29 14:00 {7}0 {6}2 {7}0\n2016-02-29 15:00 {7}0 {6}0 {7}2\n/);
  });

  it('a missing file is an input error', async () => {
    const r = await runCli(['fail2ban', 'log', '/nonexistent/fail2ban.log']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no such file/);
  });
});

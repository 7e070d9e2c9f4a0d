import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { FIXTURES } from './sessions.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-thpot-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], stdin = '') {
  const io = captureIo(stdin);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('fwconf thpot summary', () => {
  it('--json prints exactly the documented keys, sources in rank order', async () => {
    const r = await run(['thpot', 'summary', '--json', FIXTURES + 'captures']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['records', 'invalid', 'sources', 'services', 'first', 'last']);
    expect(j.records).toBe(22);
    expect(j.invalid).toBe(0);
    expect(r.out).toContain('"sources": {\n    "203.0.113.7": 3,\n    "192.168.88.242": 2,\n    "198.51.100.23": 2,\n');
    // An integer-like key (the IPv6 split's "2001") stays in rank order in the text.
    expect(r.out.indexOf('"2001"')).toBeGreaterThan(r.out.indexOf('"203.0.113.7"'));
    expect(j.first).toBe('Feb 29 13:02:10');
    expect(j.last).toBe('Jan 01 00:59:59');
  });

  it('counts blank and invalid lines as invalid, reports them with line:col, exits 1', async () => {
    const text = readFileSync(FIXTURES + 'captures', 'utf8') + '\ngarbage\n';
    const r = await run(['thpot', 'summary', '--json', '-'], text);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ records: 22, invalid: 2 });
    expect(r.err).toContain('<stdin>:23:1: warning: blank line');
    expect(r.err).toContain('<stdin>:24:1: error: not a capture line');
  });

  it('a Japanese-locale log: every date is an error naming LC_TIME=POSIX', async () => {
    const r = await run(['thpot', 'summary', FIXTURES + 'captures-ja_JP']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.includes('[thpot/locale-month]') && l.includes('LC_TIME=POSIX'))).toHaveLength(22);
    expect(r.out).toContain('22 records, 0 invalid lines');
  });

  it('prints a table of the top sources', async () => {
    const r = await run(['thpot', 'summary', '--top', '2', FIXTURES + 'captures']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${FIXTURES}captures: 22 records, 0 invalid lines, 22 sessions from 18 sources`);
    expect(r.out).toMatch(/HITS {2}SOURCE\n {3}3 {2}203\.0\.113\.7\n {3}2 {2}192\.168\.88\.242\n +… 16 more/);
    expect(r.out).toContain('services: nullresp 14, shell 2, (none) 1');
  });

  it('stops printing diagnostics after 100 and says how many more', async () => {
    const path = join(dir, 'noise');
    writeFileSync(path, 'x\n'.repeat(150));
    const r = await run(['thpot', 'summary', '--json', path]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.includes('[thpot/invalid-line]'))).toHaveLength(100);
    expect(r.err).toContain('… and 50 more diagnostics');
    expect(JSON.parse(r.out)).toEqual({ records: 0, invalid: 150, sources: {}, services: {}, first: null, last: null });
  });

  it('--help, usage errors (exit 2), unreadable files (exit 1)', async () => {
    for (const argv of [['thpot', '--help'], ['thpot', 'summary', '--help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Usage: fwconf thpot summary');
    }
    for (const argv of [['thpot'], ['thpot', 'nope'], ['thpot', 'summary'], ['thpot', 'summary', 'a', 'b'], ['thpot', 'summary', '--top', 'x', 'a'], ['thpot', 'summary', '--bogus', 'a']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
    }
    const missing = await run(['thpot', 'summary', join(dir, 'missing')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read: no such file');
  });

  it('fwconf parse/roundtrip/check work on capture logs through the registry', async () => {
    const p = await run(['parse', FIXTURES + 'captures-multi']);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out).layout).toBe('multi');
    const rt = await run(['roundtrip', FIXTURES + 'captures-ja_JP']);
    expect(rt.code).toBe(0);
    // Perl wrote de_DE's "Mär" in Latin-1: not UTF-8, refused at the byte rather than compared as U+FFFD.
    const latin1 = await run(['roundtrip', FIXTURES + 'captures-de_DE']);
    expect(latin1.code).toBe(1);
    expect(latin1.err).toMatch(/captures-de_DE:11:2: error: not UTF-8: byte 0xE4 .* \[fwconf\/invalid-utf8\]\n$/);
    const c = await run(['check', '--format', 'thpot', FIXTURES + 'captures']);
    expect(c.err).toContain('[thpot/empty-source]');
  });
});

// The corpus's bookkeeping: every file has its source and licence in SOURCES.json (and is the file
// SOURCES.json hashed), files of public repositories only under a permissive licence, and the corpus is
// test data the npm package does not ship.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/core/format.js';
import { CORPUS, corpusEntries, corpusFiles } from './sources.js';

const entries = corpusEntries();

describe('fixtures/corpus/SOURCES.json', () => {
  it('names every file of the corpus once, and only those', () => {
    const named = entries.map((e) => e.file);
    expect(new Set(named).size).toBe(named.length);
    expect([...named].sort()).toEqual(corpusFiles());
    expect(named.length).toBeGreaterThan(200);
  });

  it('gives each file its source, licence and hash', () => {
    for (const e of entries) {
      const bytes = readFileSync(join(CORPUS, e.file));
      expect(createHash('sha256').update(bytes).digest('hex'), e.file).toBe(e.sha256);
      expect(e.licence.length, e.file).toBeGreaterThan(3);
      expect(e.format === null || (FORMAT_NAMES as readonly string[]).includes(e.format), e.file).toBe(true);
      const s = e.source;
      if ('debian' in s) {
        expect(s.version, e.file).toMatch(/^[0-9:][\w.+~:-]*$/);
        expect(e.file, 'debian/PACKAGE/PATH').toBe(`debian/${s.debian}${s.path.replace(/\.gz$/, '')}`);
      } else {
        expect(s.commit, e.file).toMatch(/^[0-9a-f]{40}$/);
        expect(s.repository, e.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(e.file.startsWith(`github/${s.repository}/`), e.file).toBe(true);
        // Only permissive licences for files of public repositories.
        expect(e.licence, e.file).toMatch(/^(MIT|BSD-[23]-Clause|Apache-2\.0|CC0-1\.0|ISC)\b/);
      }
    }
  });

  it('is test data: the npm package does not ship fixtures/', () => {
    const pkg = JSON.parse(readFileSync(join(CORPUS, '../../package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files.filter((f) => !f.startsWith('!')).every((f) => !f.startsWith('fixtures') && f !== '.' && f !== '*')).toBe(true);
    expect(readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8')).toMatch(/keeps its own licence/);
  });
});

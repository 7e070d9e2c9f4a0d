// The corpus of real-world files (fixtures/corpus): SOURCES.json read, for the tests that run over it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FormatName } from '../../src/core/format.js';

export const CORPUS = join(import.meta.dirname, '../../fixtures/corpus');

export interface CorpusEntry {
  /** Path below fixtures/corpus. */
  file: string;
  format: FormatName | null;
  source: { debian: string; version: string; path: string; note?: string } | { repository: string; path: string; commit: string; note?: string };
  licence: string;
  sha256: string;
  /** For a repository's file: the path it is installed at on a system (the repository's own setup puts it there). */
  place?: string;
}

/** The files SOURCES.json describes, in its order. */
export function corpusEntries(): CorpusEntry[] {
  return (JSON.parse(readFileSync(join(CORPUS, 'SOURCES.json'), 'utf8')) as { files: CorpusEntry[] }).files;
}

/** The files of the corpus folder besides its own notes and script, sorted. */
export function corpusFiles(dir = CORPUS, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (!prefix && ['SOURCES.md', 'SOURCES.json', 'collect.mjs'].includes(name)) continue;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...corpusFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** The path a file has on a system: its package's path, or where its repository installs it. */
export const systemPath = (e: CorpusEntry): string => e.place ?? e.source.path;

export const readCorpus = (e: CorpusEntry): string => readFileSync(join(CORPUS, e.file), 'utf8');

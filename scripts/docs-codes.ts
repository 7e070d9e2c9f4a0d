// Writes the code lists of DIAGNOSTICS.md from the sources' lists (src/codes.ts gathers src/*/codes.ts):
// each run of `- \`<namespace>/<name>\` — <sentence>` lines is replaced by that namespace's list, in the
// list's order. The prose around the runs (the introduction, the section headings, the audit family) is
// written by hand; a namespace that has no run yet needs its section and one bullet added by hand first.
//
//   npm run docs:codes            rewrites DIAGNOSTICS.md
//   npm run docs:codes -- --check exits 1 when DIAGNOSTICS.md is not what it would write
//
// test/package/diagnostic-codes.test.ts checks the file against renderCodeLists().
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGNOSTIC_CODES } from '../src/codes.js';

export const DIAGNOSTICS_MD = join(fileURLToPath(new URL('..', import.meta.url)), 'DIAGNOSTICS.md');

const BULLET = /^- `([a-z0-9-]+)\/[a-z0-9-]+` — /;

/** `doc` with every namespace's run of bullets replaced by its list. */
export function renderCodeLists(doc: string, lists: Readonly<Record<string, Readonly<Record<string, string>>>> = DIAGNOSTIC_CODES): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; ) {
    const ns = BULLET.exec(lines[i]!)?.[1];
    if (ns === undefined) {
      out.push(lines[i++]!);
      continue;
    }
    while (i < lines.length && BULLET.exec(lines[i]!)?.[1] === ns) i++;
    const list = lists[ns];
    if (!list) throw new Error(`DIAGNOSTICS.md lists codes of '${ns}', which has no list in src/codes.ts`);
    if (seen.has(ns)) throw new Error(`DIAGNOSTICS.md lists the codes of '${ns}' in two places`);
    seen.add(ns);
    for (const [code, sentence] of Object.entries(list)) out.push(`- \`${code}\` — ${sentence}`);
  }
  const missing = Object.keys(lists).filter((ns) => !seen.has(ns));
  if (missing.length) throw new Error(`DIAGNOSTICS.md has no section for ${missing.join(', ')}: add its heading and one bullet by hand`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(DIAGNOSTICS_MD, 'utf8');
  const next = renderCodeLists(doc);
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('DIAGNOSTICS.md is not written from the code lists: run npm run docs:codes');
      process.exit(1);
    }
  } else if (next !== doc) writeFileSync(DIAGNOSTICS_MD, next);
}

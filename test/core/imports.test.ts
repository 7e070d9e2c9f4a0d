/** No import cycles in src/: walks the graph of relative `import … from './x.js'` (and `export … from`) lines. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The relative modules a file imports or re-exports, as absolute .ts paths; `import type` included (a type cycle is a design cycle too). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  // `import x from './a.js'`, `import { a,\n b } from '../b.js'`, `export * from './c.js'`, `import './d.js'`
  const re = /^\s*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1]!;
    if (!spec.endsWith('.js')) continue; // .peggy grammars and the like are not modules of src/
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

/**
 * The folders of src/ as a graph: a folder depends on another when one of its files imports one of the
 * other's. A namespace re-export (`export * as files from '../ufw-files/index.js'`) composes an entry
 * point's public API and is not counted.
 */
export function folderGraph(files: readonly string[]): Map<string, string[]> {
  const folder = (f: string) => relative(SRC, f).split('/').slice(0, -1).join('/').split('/')[0] || '.';
  const graph = new Map<string, Set<string>>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/^\s*export \* as \w+ from ['"][^'"]+['"];?$/gm, '');
    const from = folder(f);
    const deps = graph.get(from) ?? new Set<string>();
    graph.set(from, deps);
    for (const d of importsOf(f, text)) if (folder(d) !== from) deps.add(folder(d));
  }
  return new Map([...graph].map(([k, v]) => [k, [...v].sort()]));
}

/** Every cycle's members, one entry per strongly connected component of more than one file (or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import graph of src/', () => {
  it('the parser reads the import forms src/ uses', () => {
    const f = join(SRC, 'x', 'a.ts');
    const text = "import { a,\n  b } from './b.js';\nimport type { C } from '../core/c.js';\nexport * from './d.js';\nexport { e } from \"./e.js\";\nimport './f.js';\nimport g from 'node:fs';\nconst s = \"import x from './no.js'\";\n";
    expect(importsOf(f, text).map((p) => relative(SRC, p))).toEqual(['x/b.ts', 'core/c.ts', 'x/d.ts', 'x/e.ts', 'x/f.ts']);
  });

  it('the cycle finder finds two-file and longer cycles, and nothing in a tree', () => {
    const g = new Map([['a', ['b']], ['b', ['a', 'c']], ['c', ['d']], ['d', ['e']], ['e', ['c']], ['f', ['a']]]);
    expect(cycles(g)).toEqual([['c', 'd', 'e'], ['a', 'b']]);
    expect(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('has no cycles', () => {
    const files = walk(SRC);
    const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(f, 'utf8'))]));
    for (const [f, deps] of graph) for (const d of deps) expect(graph.has(d), `${relative(SRC, f)} imports a missing ${relative(SRC, d)}`).toBe(true);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' <-> '))).toEqual([]);
  });

  it('has no cycles between its folders either: each format, core and the layers above form a hierarchy', () => {
    const graph = folderGraph(walk(SRC));
    expect(graph.size).toBeGreaterThan(10);
    expect(graph.get('core')).toEqual([]);
    expect(cycles(graph).map((c) => c.join(' <-> '))).toEqual([]);
  });
});

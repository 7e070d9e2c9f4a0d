// Compiles grammars/*.peggy on import, for both the build (esbuild, through tsup) and the tests (vite,
// through vitest). The generated parsers exist only in memory and in dist/: grammars/ is the source.
import { readFile } from 'node:fs/promises';
import peggy from 'peggy';

/** Turns one grammar into an ES module exporting `parse` and `SyntaxError`. */
export function compileGrammar(source: string, grammarSource: string): string {
  return peggy.generate(source, {
    output: 'source',
    format: 'es',
    allowedStartRules: ['*'],
    grammarSource,
  }) as unknown as string;
}

/** esbuild plugin (tsup's `esbuildPlugins`). */
export const peggyEsbuild = {
  name: 'peggy',
  setup(build: { onLoad: (o: { filter: RegExp }, cb: (a: { path: string }) => Promise<{ contents: string; loader: 'js' }>) => void }) {
    build.onLoad({ filter: /\.peggy$/ }, async (args) => ({
      contents: compileGrammar(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
  },
};

/** vite plugin (vitest's `plugins`). */
export const peggyVite = {
  name: 'peggy',
  transform(code: string, id: string) {
    if (!id.endsWith('.peggy')) return null;
    return { code: compileGrammar(code, id), map: null };
  },
};

import { defineConfig, type Options } from 'tsup';
import { readFileSync } from 'node:fs';
import { peggyEsbuild } from './scripts/peggy-plugin.js';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const define = { __FWCONF_VERSION__: JSON.stringify(version) };

/** One entry per public subpath; `fwconf/<format>` for each format. */
export const formats = ['sshd', 'fail2ban', 'iptables', 'xinetd', 'ufw', 'thpot'] as const;

const library = {
  index: 'src/index.ts',
  'core/index': 'src/core/index.ts',
  ...Object.fromEntries([...formats, 'builder', 'apply'].map((f) => [`${f}/index`, `src/${f}/index.ts`])),
};

const common: Options = {
  target: 'node20',
  sourcemap: false,
  splitting: true,
  define,
  esbuildPlugins: [peggyEsbuild as never],
  // Declarations come from tsc (scripts/build.mjs, scripts/tsconfig.dts.json), not from tsup's rollup.
  dts: false,
};

export default defineConfig([
  {
    // The ES modules of the library and the CLI in one build, so that they share their chunks: the code
    // ships once. Commands load lazily: `fwconf parse` does not pay for the builder's zod and yaml.
    // scripts/build.mjs puts the `#!/usr/bin/env node` line on dist/cli/main.js (a banner here would
    // go on every chunk).
    ...common,
    entry: { ...library, 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
  },
  {
    ...common,
    entry: library,
    format: ['cjs'],
    // import.meta.url works in the CommonJS build too, should a library module use it.
    shims: true,
  },
]);

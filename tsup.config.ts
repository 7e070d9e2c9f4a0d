import { defineConfig } from 'tsup';
import { readFileSync } from 'node:fs';
import { peggyEsbuild } from './scripts/peggy-plugin.js';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const define = { __FWCONF_VERSION__: JSON.stringify(version) };

/** One entry per public subpath; `fwconf/<format>` for each format. */
export const formats = ['sshd', 'fail2ban', 'iptables', 'xinetd', 'ufw', 'thpot'] as const;

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'core/index': 'src/core/index.ts',
      ...Object.fromEntries([...formats, 'builder', 'apply'].map((f) => [`${f}/index`, `src/${f}/index.ts`])),
    },
    format: ['esm', 'cjs'],
    // Declarations come from tsc (scripts/build.mjs, scripts/tsconfig.dts.json), not from tsup's rollup.
    dts: false,
    // import.meta.url in the CommonJS build (the lazy require of picomatch).
    shims: true,
    target: 'node20',
    sourcemap: false,
    splitting: true,
    define,
    esbuildPlugins: [peggyEsbuild as never],
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    // Commands load lazily: `fwconf parse` must not pay for the builder's zod and yaml.
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
    define,
    esbuildPlugins: [peggyEsbuild as never],
  },
]);

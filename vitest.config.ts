import { defineConfig } from 'vitest/config';
import { peggyVite } from './scripts/peggy-plugin.js';

export default defineConfig({
  plugins: [peggyVite],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // System tests create network namespaces and start daemons: keep the machine's two cores usable.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/fast-check-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});

import { defineConfig } from 'vitest/config';
import { peggyVite } from './scripts/peggy-plugin.js';

// Two projects: `unit` (parsers, models, properties, the CLI in process: no root, no daemons) and
// `system` (test/**/*.system.test.ts: the real sshd, fail2ban, iptables, ufw, nft and xinetd in network
// namespaces; root and the Debian packages, checked at once by test/global-setup.ts).
// `npx vitest run --project unit` runs the first alone.
export default defineConfig({
  plugins: [peggyVite],
  test: {
    // Bounds for a loaded machine (two cores, two busy processes beside the suite): a test that needs
    // more says so itself, with the reason.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // System tests create network namespaces and start daemons: keep the machine's two cores usable.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/fast-check-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.system.test.ts'] } },
      { extends: true, test: { name: 'system', include: ['test/**/*.system.test.ts'] } },
    ],
  },
});

// Makes sure dist/ is the build of the current sources before any test runs: the CLI, package and system
// tests run the built `fwconf` bin. It builds only when dist/ is stale — missing, or its build stamp does not
// match the content of the sources, the build configuration, package.json, the lock file and the installed
// build tools, or dist/ was changed after its build (the rule is spelled out in scripts/build.mjs). So
// `npm ci` (which builds through `prepare`) and then `npm test` build once, and a stale dist/ is never tested.
// FWCONF_SKIP_BUILD=1 uses dist/ as it is, for runs that do not touch the built CLI.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { systemProblems } from './system-requirements.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The fast-check seed of this run (test/fast-check-setup.ts). */
    fcSeed: number;
  }
}

/** FC_SEED replays a seed; CI runs a fixed one so a submission's result does not depend on the draw. */
function fcSeed(): number {
  if (process.env.FC_SEED !== undefined) return Number(process.env.FC_SEED);
  if (process.env.CI) return 20261125;
  return Math.floor(Math.random() * 2 ** 31);
}

export default async function setup(project: TestProject): Promise<void> {
  // The system tests need root and the daemons: say so before building, not after minutes of failures.
  if (process.env.FWCONF_SYSTEM_CHECKED !== '1' && project.vitest.projects.some((p) => p.name === 'system')) {
    const problems = systemProblems();
    if (problems.length)
      throw new Error(
        `the system tests (test/**/*.system.test.ts) cannot run here: ${problems.join('; ')}.\n` +
          `Run them as root on Debian/Ubuntu with those packages (.ci/run installs them), or run only the others: npx vitest run --project unit`,
      );
    process.env.FWCONF_SYSTEM_CHECKED = '1';
  }
  // Each vitest project runs this setup; the first one draws the seed and builds, the others reuse them.
  const seed = fcSeed();
  process.env.FC_SEED = String(seed);
  project.provide('fcSeed', seed);
  if (process.env.FWCONF_SEED_PRINTED !== '1') process.stdout.write(`fast-check seed ${seed} (FC_SEED=${seed} replays this run's random cases)\n`);
  process.env.FWCONF_SEED_PRINTED = '1';
  if (process.env.FWCONF_BUILT_THIS_RUN === '1') return;
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) throw new Error(`building dist/ failed (exit status ${status}); the build's log is above`);
  process.env.FWCONF_BUILT_THIS_RUN = '1';
}

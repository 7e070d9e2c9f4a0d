// Makes sure dist/ is the build of the current sources before any test runs: the CLI, package and system
// tests run the built `fwconf` bin. It builds only when dist/ is stale — missing, or its build stamp does not
// match the content of the sources, the build configuration, package.json, the lock file and the installed
// build tools, or dist/ was changed after its build (the rule is spelled out in scripts/build.mjs). So
// `npm ci` (which builds through `prepare`) and then `npm test` build once, and a stale dist/ is never tested.
// FWCONF_SKIP_BUILD=1 uses dist/ as it is, for runs that do not touch the built CLI.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default async function setup(): Promise<void> {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) throw new Error(`building dist/ failed (exit status ${status}); the build's log is above`);
}

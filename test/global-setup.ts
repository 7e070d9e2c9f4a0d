// Builds dist/ once per test run: the CLI, package and system tests run the built `fwconf` bin.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.FWCONF_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// Ends the run with one plain line, `tests: N passed, N failed, N skipped`, which CI reads.
import type { Reporter, RunnerTestFile } from 'vitest/node';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

function count(tasks: readonly Task[], c = { passed: 0, failed: 0, skipped: 0 }) {
  for (const t of tasks) {
    if (t.tasks) count(t.tasks, c);
    if (t.type !== 'test') continue;
    if (t.mode === 'skip' || t.mode === 'todo') c.skipped++;
    else if (t.result?.state === 'pass') c.passed++;
    else c.failed++;
  }
  return c;
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const c = count(files as unknown as Task[]);
    // A file that failed to load has no tests but must not pass unnoticed.
    const brokenFiles = files.filter((f) => (f as unknown as Task).result?.state === 'fail' && !(f as unknown as Task).tasks?.length).length;
    process.stdout.write(`\ntests: ${c.passed} passed, ${c.failed + brokenFiles + errors.length} failed, ${c.skipped} skipped\n`);
  }
}

// One fast-check seed for the whole run, chosen (and printed) by test/global-setup.ts: FC_SEED replays
// a given seed, CI runs a fixed one, a local run draws a new one. Every fc.assert and every fc.sample
// that does not name its own seed uses it, and a property test's failure report names it; a failing
// seed becomes a fixed regression case next to the property.
import fc from 'fast-check';
import { inject } from 'vitest';

fc.configureGlobal({ seed: inject('fcSeed') });

/** The run's seed (for fc.sample calls, whose failures fast-check does not report with a seed). */
export const fcSeed = (): number => fc.readConfigureGlobal().seed!;

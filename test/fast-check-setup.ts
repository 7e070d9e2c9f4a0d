// Property tests explore new random cases on every local run (fast-check prints the seed of a
// failure); CI runs a fixed seed so a submission's result does not depend on the draw. FC_SEED
// replays a given seed anywhere.
import fc from 'fast-check';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261125 : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });

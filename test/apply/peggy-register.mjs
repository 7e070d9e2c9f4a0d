// Lets a plain `node --import tsx` child load grammars/*.peggy the way the build and vitest do
// (compiled in memory by the project's peggy plugin settings). Used by kill.system.test.ts.
import { register } from 'node:module';

register(new URL('./peggy-hooks.mjs', import.meta.url));

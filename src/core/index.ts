/** Format-agnostic machinery shared by every format: `import { SourceText } from 'fwconf/core'`. */
export * from './text.js';
export * from './diagnostics.js';
export * from './lines.js';
export * from './files.js';
export * from './shell.js';
export * from './ip.js';
export * from './format.js';
export * from './glob.js';

/** Format-agnostic machinery shared by every format: `import { SourceText } from 'fwconf/core'`. */
export type * from './text.js';
export { SourceText, decodeBytes, encodeText } from './text.js';
export type * from './diagnostics.js';
export { diagnostic, diagnosticAt, formatDiagnostic, hasErrors, sortDiagnostics, Reporter } from './diagnostics.js';
export type * from './lines.js';
export type * from './decor.js';
export { applyEdits, NodeStore } from './lines.js';
export { LineDocument, splitRaw, type NewlinePolicy, type LineDocumentInit } from './document.js';
export type * from './files.js';
export type { FileUrl, LogSource } from './log-source.js';
export { glob, PathEscapeError, resolveBelowRoot, NodeFileSource, MemoryFileSource, OverlayFileSource } from './files.js';
export type * from './format.js';
export { FORMAT_NAMES } from './format.js';
export type * from './glob.js';
export type { FwconfCode } from './codes.js';
/** Line endings, UTF-8 checks, escaped bytes, columns, shell quoting, IPv6 text and globs. */
export * as syntax from './syntax.js';

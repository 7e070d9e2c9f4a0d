/**
 * core's text and line helpers, below the Documents: line endings, UTF-8 checks, escaped bytes, column
 * layout, shell quoting, IPv6 text forms and glob matching. `import { syntax } from 'fwconf/core'`.
 */
export { BOM, splitLines, rawLines, eolStyle, dominantEol, eolOf, stripEol, utf8Lead, findInvalidUtf8, decodeUtf8, hasEscapedBytes, firstEscapedByte, showEscapedBytes } from './text.js';
export { decorate } from './decor.js';
export { countNewlines, mostCommon, alignedColumn, padTo, firstDifferingLine } from './lines.js';
export { compareCodePoints, hasMagic } from './files.js';
export { shellQuote, shellJoin } from './shell.js';
export { ipv6Words, inetNtop6 } from './ip.js';
export { compileGlob, hasWildcard } from './glob.js';

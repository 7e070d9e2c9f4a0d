/**
 * xinetd.conf and xinetd.d files: a lossless Document read the way xinetd 2.3.15 reads it, the typed
 * model, checks with xinetd's own rules, effective services (defaults, `+=`/`-=`, include and
 * includedir), and rendering of service entries.
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import { XinetdDocument } from './document.js';
import { parse } from './parse.js';
import { render, type ConfigSpec, type RenderOptions, type ServiceSpec } from './render.js';
import { effective, type EffectiveConfig, type EffectiveOptions } from './effective.js';
import { NodeFileSource } from '../core/files.js';

export { parse } from './parse.js';
export { check, type XinetdCheckOptions } from './check.js';
export { XinetdDocument, Block, ServiceBlock } from './document.js';
export { render, renderService, type ServiceSpec, type RenderOptions } from './render.js';
export { effective, effectiveFromFile, systemLookup, type EffectiveConfig, type EffectiveService, type EffectiveDefaults, type EffectiveOptions } from './effective.js';
export { XinetdInputError } from './input.js';
export type { AttributeStyle } from './style.js';
export type { AttributeSpec, SystemLookup, ValueKind } from './attributes.js';
export type * from './model.js';
export type { XinetdCode } from './codes.js';
/** The attribute table and value rules, the line reader and the attribute layout the Document is built from. */
export * as syntax from './syntax.js';

/** How sure we are that a file is xinetd's: its name (xinetd.conf, under xinetd.d) and `service X` + `{` lines. */
export const detect: (file: string | undefined, text: string) => number = detector({
  name: (path) => /(^|\/)xinetd\.conf$/.test(path) || /(^|\/)xinetd\.d\//.test(path),
  content: (head) => /^[ \t]*(service[ \t]+\S+|defaults)[ \t]*\r?\n([ \t]*(#[^\n]*)?\r?\n)*[ \t]*\{[ \t]*\r?$/im.test(head),
});

/** The xinetd configuration format: parse, check, render, semantics and detection (by path, and by service and defaults blocks). */
export const format: Format<XinetdDocument, ServiceSpec | ConfigSpec, EffectiveConfig, RenderOptions, Partial<EffectiveOptions>> = {
  name: 'xinetd',
  parse,
  check: (doc, options) => check(doc, options),
  detect,
  render: (spec, options) => render(spec, options),
  semanticsVerb: 'effective',
  /** The services xinetd runs; includes and system databases are read through `options.files` (default: the file system). */
  semantics: (doc, options = {}) => effective(doc, { ...options, files: options.files ?? new NodeFileSource() }),
};
export type { AttributeSyntax, Entry, LineClass, Role, Word, XinetdLine } from './reader.js';
export type { ConfigSpec } from './render.js';

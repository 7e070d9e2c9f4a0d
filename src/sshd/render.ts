/**
 * Typed model → a fresh SshdDocument in canonical style: `Keyword value` lines, the global section
 * first, then each Match block with its body indented. The typed builder calls this.
 */
import { parse } from './parse.js';
import type { SshdDocument } from './document.js';
import { matchLineText, quoteArgument } from './document.js';
import { canonicalKeyword, lookupKeyword } from './keywords.js';
import type { SshdMatchSpec, SshdValue } from './model.js';

/** Directives as ordered pairs (repeat a keyword for several lines) or as a record. */
export type SshdDirectiveList = ReadonlyArray<readonly [keyword: string, value: SshdValue]> | Readonly<Record<string, SshdValue>>;

/** An sshd_config to render: header comment lines, global directives and Match blocks. */
export interface SshdRenderSpec {
  /** Comment lines at the top (without `#`). */
  header?: readonly string[];
  /** Global directives (before any Match block). */
  global?: SshdDirectiveList;
  /** Match blocks, in order. */
  matches?: ReadonlyArray<{ match: SshdMatchSpec | string; directives: SshdDirectiveList; comment?: string }>;
}

/** Options of `render`: indentation of Match bodies and the line ending. */
export interface SshdRenderOptions {
  /** Indentation of Match bodies (default four spaces). */
  indent?: string;
  /** Line ending (default LF). */
  eol?: '\n' | '\r\n';
  file?: string;
}

function pairs(list: SshdDirectiveList | undefined): [string, SshdValue][] {
  if (!list) return [];
  return Array.isArray(list) ? (list as [string, SshdValue][]).map(([k, v]) => [k, v]) : Object.entries(list as Record<string, SshdValue>);
}

/** One directive's text, keyword in canonical spelling (unknown keywords are a TypeError). */
export function renderDirective(keyword: string, value: SshdValue): string {
  const name = canonicalKeyword(keyword);
  if (!name) throw new TypeError(`unknown sshd keyword '${keyword}'`);
  const kind = lookupKeyword(keyword)!.info.kind;
  if (kind === 'match') throw new TypeError('Match blocks go in `matches`');
  let text: string;
  if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else if (typeof value === 'number') text = String(value);
  else if (Array.isArray(value)) text = value.map((v) => quoteArgument(String(v))).join(' ');
  else if (typeof value === 'string') text = kind === 'rest-of-line' || kind === 'command' ? value : quoteArgument(value);
  else throw new TypeError(`${keyword}: unsupported value`);
  if (/[\r\n\0]/.test(text)) throw new TypeError(`${keyword}: a value cannot contain a line break or NUL`);
  return `${name} ${text}`;
}

/** Renders a spec as an sshd_config document. */
export function render(spec: SshdRenderSpec, options: SshdRenderOptions = {}): SshdDocument {
  if (!spec || typeof spec !== 'object') throw new TypeError('render: expected a spec object');
  const eol = options.eol ?? '\n';
  const indent = options.indent ?? '    ';
  const lines: string[] = [];
  for (const h of spec.header ?? []) lines.push(h === '' ? '#' : `# ${h}`);
  if (spec.header?.length) lines.push('');
  for (const [k, v] of pairs(spec.global)) lines.push(renderDirective(k, v));
  for (const m of spec.matches ?? []) {
    if (lines.length && lines[lines.length - 1] !== '') lines.push('');
    if (m.comment) lines.push(`# ${m.comment}`);
    lines.push(`Match ${matchLineText(m.match)}`);
    for (const [k, v] of pairs(m.directives)) lines.push(indent + renderDirective(k, v));
  }
  const text = lines.length ? lines.join(eol) + eol : '';
  return parse(text, options.file !== undefined ? { file: options.file } : {});
}

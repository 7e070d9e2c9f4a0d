/**
 * Typed model → fresh Document in the canonical style (8-space indent, every operator in one
 * column), for the builder. Input that would change the file's structure (line breaks, names with
 * spaces, `{`/`}` or `#` names, NUL) is refused with an XinetdInputError naming the field.
 *
 * ```ts
 * renderService({ name: 'thp-pasv', attributes: { type: 'UNLISTED', socket_type: 'stream', protocol: 'tcp', port: 22,
 *   wait: 'no', user: 'thpot', server: '/usr/sbin/thpot', server_args: 'nullresp', nice: 10, disable: 'no',
 *   instances: 1, per_source: 1 } })
 * ```
 */
import { checkComment, checkServiceName, normalizeAttribute, XinetdInputError } from './input.js';
import type { AttributeInput, AttributeValue } from './model.js';
import type { XinetdDocument } from './document.js';
import { parse } from './parse.js';
import { CANONICAL_STYLE, renderAttribute, type AttributeStyle } from './style.js';

/** A service entry to render. Attributes in order: a list of `[name, values, op?]`, or an object (its key order). */
export interface ServiceSpec {
  name: string;
  attributes: readonly AttributeInput[] | Readonly<Record<string, AttributeValue>>;
  /** Comment lines written above `service NAME` (without the `# `). */
  comments?: readonly string[];
}

/** A whole file: an optional defaults entry, services, then include/includedir lines. */
export interface ConfigSpec {
  defaults?: readonly AttributeInput[] | Readonly<Record<string, AttributeValue>>;
  services?: readonly ServiceSpec[];
  includes?: readonly { kind: 'include' | 'includedir'; path: string }[];
  /** Comment lines at the top of the file. */
  comments?: readonly string[];
}

/** Options of `render`: the attribute layout and the line ending. */
export interface RenderOptions {
  /** Attribute layout; the canonical one by default. */
  style?: AttributeStyle;
  eol?: '\n' | '\r\n';
}

function attributeList(attrs: ServiceSpec['attributes'], field: string) {
  if (attrs === null || typeof attrs !== 'object') throw new XinetdInputError(field, 'expected a list or an object of attributes');
  const list: readonly AttributeInput[] = Array.isArray(attrs) ? attrs : Object.entries(attrs as Record<string, AttributeValue>).map(([n, v]) => [n, v] as const);
  return list.map((a, i) => normalizeAttribute(a, Array.isArray(attrs) ? `${field}[${i}]` : field));
}

function block(header: string, attrs: ReturnType<typeof attributeList>, comments: readonly string[], style: AttributeStyle, eol: string): string {
  let s = '';
  for (const c of comments) s += (c === '' ? '#' : `# ${c}`) + eol;
  s += header + eol + '{' + eol;
  for (const a of attrs) s += renderAttribute(style, a.name, a.op, a.values) + eol;
  return s + '}' + eol;
}

/** The text of one `service NAME { ... }` entry (comments first), each line ending with `eol`. */
export function renderService(spec: ServiceSpec, options: RenderOptions = {}): string {
  if (!spec || typeof spec !== 'object') throw new XinetdInputError('service', 'expected { name, attributes }');
  const name = checkServiceName(spec.name);
  const field = `service ${name}`;
  const attrs = attributeList(spec.attributes, `${field}: attributes`);
  const comments = (spec.comments ?? []).map((c, i) => checkComment(c, `${field}: comments[${i}]`));
  return block(`service ${name}`, attrs, comments, options.style ?? CANONICAL_STYLE, options.eol ?? '\n');
}

/** A fresh Document: one service, or a whole file. */
export function render(spec: ServiceSpec | ConfigSpec, options: RenderOptions = {}): XinetdDocument {
  const eol = options.eol ?? '\n';
  const style = options.style ?? CANONICAL_STYLE;
  if ('name' in spec) return parse(renderService(spec as ServiceSpec, options));
  const c = spec as ConfigSpec;
  const parts: string[] = [];
  if (c.comments?.length) parts.push(c.comments.map((t, i) => (checkComment(t, `comments[${i}]`) === '' ? '#' : `# ${t}`) + eol).join(''));
  if (c.defaults) parts.push(block('defaults', attributeList(c.defaults, 'defaults'), [], style, eol));
  for (const s of c.services ?? []) parts.push(renderService(s, { style, eol }));
  if (c.includes?.length) {
    parts.push(
      c.includes
        .map((inc, i) => {
          if (inc.kind !== 'include' && inc.kind !== 'includedir') throw new XinetdInputError(`includes[${i}].kind`, 'must be include or includedir');
          checkServiceName(inc.path, `includes[${i}].path`);
          return `${inc.kind} ${inc.path}${eol}`;
        })
        .join(''),
    );
  }
  return parse(parts.join(eol));
}

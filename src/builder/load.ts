/**
 * Reading a spec file (YAML or JSON — JSON is read by the same YAML 1.2 parser) into a validated
 * HostSpec, with every problem reported as a diagnostic at the spec path's line and column:
 * `spec.yaml:12:5: error: fail2ban.jails.sshd.port: does not include the SSH port 2201 [builder/jail-port]`.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { formatPath } from './errors.js';
import { validateSpec } from './render.js';
import type { SpecIssue } from './validate.js';
import type { HostSpec } from './spec.js';

export { formatPath };

/** What `loadSpec` gives: the validated spec when there is no error, and every diagnostic found. */
export interface LoadResult {
  /** The validated spec, when there is no error. */
  readonly spec?: HostSpec;
  readonly diagnostics: readonly Diagnostic[];
}

/** The node a path points at; `key: true` gives the key of the last pair instead (for unknown keys). */
function locate(root: unknown, path: readonly (string | number)[], key: boolean): YamlNode | undefined {
  let node = root as YamlNode | undefined;
  let last = node;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return last;
      if (key && i === path.length - 1) return (pair.key as YamlNode) ?? last;
      node = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) return last;
      node = item;
    } else return last;
    if (node && node.range) last = node;
  }
  return node;
}

/** How many alias copies a spec may expand to (the yaml package's maxAliasCount). */
const MAX_ALIAS_COUNT = 100;

/**
 * Where to point at when the aliases expand too much: the first alias whose anchor holds aliases
 * itself (nesting is what multiplies), else the first alias.
 */
function aliasAt(doc: Document): YamlNode | undefined {
  let first: YamlNode | undefined;
  let nested: YamlNode | undefined;
  visit(doc, {
    Alias(_key, node) {
      first ??= node;
      const target = node.resolve(doc);
      let holds = false;
      if (target) visit(target, { Alias: () => ((holds = true), visit.BREAK) });
      if (holds) {
        nested = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return nested ?? first;
}

/**
 * Reads and validates a spec; never throws on bad input.
 *
 * @example
 * ```ts
 * import { loadSpec } from 'fwconf/builder';
 * const { diagnostics } = loadSpec('ssh:\n  settings:\n    PasswordAuthentification: no\n', { file: 'spec.yaml' });
 * diagnostics[0]?.message; // "ssh.settings.PasswordAuthentification: unknown sshd keyword 'PasswordAuthentification' (did you mean 'PasswordAuthentication'?)"
 * ```
 */
export function loadSpec(text: string, options: { file?: string } = {}): LoadResult {
  const file = options.file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, end: number) => {
    const a = lineCounter.linePos(offset);
    const b = lineCounter.linePos(Math.max(offset, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const syntax = [...doc.errors, ...doc.warnings].map((e) =>
    diagnostic('builder/yaml-syntax', e.name === 'YAMLWarning' ? 'warning' : 'error', e.message.split('\n')[0]!, at(e.pos[0], e.pos[1]), file),
  );
  if (doc.errors.length > 0) return { diagnostics: syntax };
  let value: unknown;
  try {
    // A bounded expansion: a few aliases of aliases ("billion laughs") would otherwise fill the memory.
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (e) {
    const node = aliasAt(doc);
    const range = node?.range ? at(node.range[0], node.range[1]) : { line: 1, column: 1 };
    const why = /excessive alias count/i.test((e as Error).message)
      ? `the aliases expand to too much (more than ${MAX_ALIAS_COUNT} copies, a guard against a resource exhaustion attack): write the values out, or nest fewer aliases`
      : (e as Error).message;
    return { diagnostics: [...syntax, diagnostic('builder/yaml-aliases', 'error', why, range, file)] };
  }
  const { spec, issues } = validateSpec(value ?? {});
  const toDiagnostic = (i: SpecIssue): Diagnostic => {
    const node = locate(doc.contents, i.path, i.atKey ?? false);
    const range = node?.range ? at(node.range[0], node.range[1]) : { line: 1, column: 1 };
    return diagnostic(i.code, i.severity ?? 'error', `${formatPath(i.path)}: ${i.message}`, range, file);
  };
  const diagnostics = sortDiagnostics([...syntax, ...issues.map(toDiagnostic)]);
  return diagnostics.some((d) => d.severity === 'error') || !spec ? { diagnostics } : { spec, diagnostics };
}

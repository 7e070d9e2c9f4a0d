// A TypeScript project that uses the installed package as a strict user's would: every subpath of package.json's
// `exports`, imported from ESM (.mts, and .ts in a `"type": "module"` project) and from CommonJS (.cts), in
// node16 and in bundler resolution, with `strict` and `skipLibCheck: false` (TypeScript's default), so the
// package's own .d.ts/.d.cts files are checked too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One type-only export of each namespace. The consumer uses it as `fw.<ns>.<Type>` and from the subpath,
 * checks the two are the same type, and expects `fw.<ns>.<Type>` as a value to be an error: a namespace that
 * declares a type as a value (`declare const index_X: typeof X`) fails on both.
 */
export const NAMESPACE_TYPES: Readonly<Record<string, string>> = {
  core: 'Diagnostic',
  sshd: 'SshdLine',
  xinetd: 'ServiceSpec',
  fail2ban: 'Fail2banFileJSON',
  iptables: 'RuleInput',
  ufw: 'UfwLine',
  thpot: 'SummaryJSON',
  builder: 'RenderResult',
  apply: 'Plan',
};

export const CONSUMER_FILES = ['consumer-esm.mts', 'consumer-esm.ts', 'consumer-cjs.cts'] as const;

/** The subpaths of an `exports` map that are modules (`./sshd` -> `sshd`), without `.` and `./package.json`. */
export function moduleSubpaths(exports: Record<string, unknown>): string[] {
  return Object.keys(exports)
    .filter((k) => k !== '.' && !k.endsWith('.json'))
    .map((k) => k.replace(/^\.\//, ''));
}

/** The body shared by the three files, after the imports: `fw` is the root, `sub_<ns>` each subpath. */
function body(subpaths: readonly string[]): string {
  const lines: string[] = [];
  for (const ns of subpaths) {
    const id = ns.replace(/\W/g, '_');
    // The root's namespace and the subpath are one module: the same values, classes with private members included.
    lines.push(`export const same_${id}: typeof sub_${id} = fw.${id};`, `export const back_${id}: typeof fw.${id} = sub_${id};`);
    const type = NAMESPACE_TYPES[ns];
    if (type === undefined) continue;
    lines.push(
      `export declare const viaRoot_${id}: fw.${id}.${type};`,
      `export const viaSubpath_${id}: sub_${id}.${type} = viaRoot_${id};`,
      `export const roundTrip_${id}: fw.${id}.${type} = viaSubpath_${id};`,
      `// @ts-expect-error ${type} is a type, not a value`,
      `export const notAValue_${id} = fw.${id}.${type};`,
    );
  }
  // A value from the root and one from a namespace, with their real types.
  lines.push(
    "export const detected: fw.Detection = fw.detectFormat('sshd_config', 'Port 22\\n');",
    "export const sshdDoc: fw.sshd.SshdDocument = fw.sshd.parse('Port 22\\n');",
    'export const diagnostics: readonly fw.Diagnostic[] = fw.sshd.check(sshdDoc);',
    '// @ts-expect-error parse takes the text, not a number',
    'fw.sshd.parse(22);',
  );
  return `${lines.join('\n')}\n`;
}

function esm(subpaths: readonly string[]): string {
  const imports = ["import * as fw from 'fwconf';", ...subpaths.map((ns) => `import * as sub_${ns.replace(/\W/g, '_')} from 'fwconf/${ns}';`)];
  return `${imports.join('\n')}\n\n${body(subpaths)}`;
}

function cjs(subpaths: readonly string[]): string {
  const imports = ["import fw = require('fwconf');", ...subpaths.map((ns) => `import sub_${ns.replace(/\W/g, '_')} = require('fwconf/${ns}');`)];
  return `${imports.join('\n')}\n\n${body(subpaths)}`;
}

/** The tsconfig names, each one resolution mode over all of CONSUMER_FILES. */
export const CONSUMER_CONFIGS = ['tsconfig.node16.json', 'tsconfig.bundler.json'] as const;

/** Writes the consumer's sources and tsconfigs into `dir` (a project with the package installed). */
export function writeConsumer(dir: string, exports: Record<string, unknown>): void {
  const subpaths = moduleSubpaths(exports);
  writeFileSync(join(dir, 'consumer-esm.mts'), esm(subpaths));
  writeFileSync(join(dir, 'consumer-esm.ts'), esm(subpaths));
  writeFileSync(join(dir, 'consumer-cjs.cts'), cjs(subpaths));
  const common = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2023'], types: ['node'], noUnusedLocals: true };
  const modes = { 'tsconfig.node16.json': { module: 'node16', moduleResolution: 'node16' }, 'tsconfig.bundler.json': { module: 'preserve', moduleResolution: 'bundler' } };
  for (const [name, mode] of Object.entries(modes)) {
    writeFileSync(join(dir, name), `${JSON.stringify({ compilerOptions: { ...common, ...mode }, files: [...CONSUMER_FILES] }, null, 2)}\n`);
  }
}

/**
 * The subpaths whose declarations need neither Node's types nor the DOM's: a consumer without
 * `@types/node` (`types: []`, lib ES2023 only) compiles them. sshd, builder and apply (and so the root)
 * reach zod's declarations, which name the DOM's/Node's `URL`.
 */
export const NODE_FREE_SUBPATHS = ['core', 'sshd', 'fail2ban', 'iptables', 'xinetd', 'ufw', 'thpot'] as const;

/** Writes `nonode.mts`, `nonode.cts` and their tsconfigs (`tsconfig.nonode.<mode>.json`): NODE_FREE_SUBPATHS without @types/node. */
export function writeNodeFreeConsumer(dir: string): string[] {
  const id = (ns: string) => ns.replace(/\W/g, '_');
  const uses = NODE_FREE_SUBPATHS.map((ns) => `export const all_${id(ns)} = sub_${id(ns)};`);
  writeFileSync(join(dir, 'nonode.mts'), `${NODE_FREE_SUBPATHS.map((ns) => `import * as sub_${id(ns)} from 'fwconf/${ns}';`).join('\n')}\n${uses.join('\n')}\nexport const doc: sub_fail2ban.Fail2banDocument = sub_fail2ban.parse('[sshd]\\nenabled = true\\n');\n`);
  writeFileSync(join(dir, 'nonode.cts'), `${NODE_FREE_SUBPATHS.map((ns) => `import sub_${id(ns)} = require('fwconf/${ns}');`).join('\n')}\n${uses.join('\n')}\n`);
  const common = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2023'], types: [], noUnusedLocals: true };
  const modes = { 'tsconfig.nonode.node16.json': { module: 'node16', moduleResolution: 'node16' }, 'tsconfig.nonode.bundler.json': { module: 'preserve', moduleResolution: 'bundler' } };
  for (const [name, mode] of Object.entries(modes)) writeFileSync(join(dir, name), `${JSON.stringify({ compilerOptions: { ...common, ...mode }, files: ['nonode.mts', 'nonode.cts'] }, null, 2)}\n`);
  return Object.keys(modes);
}

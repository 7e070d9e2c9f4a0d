// The public API, as a list: every runtime name each entry point of package.json's `exports` gives,
// sorted, with the members of its namespaces (`syntax.parseLine`), checked against
// test/package/exports.snapshot.txt. A change to the API shows up in review as a change to that file.
//
// After a deliberate change:   npx vitest run test/package/exports.test.ts -u
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
/** `'.'` → src/index.ts, `'./sshd'` → src/sshd/index.ts, ... (the sources tsup bundles for each). */
const entries = Object.keys(manifest.exports)
  .filter((k) => k !== './package.json')
  .map((k) => ({ name: k === '.' ? 'fwconf' : `fwconf/${k.slice(2)}`, source: k === '.' ? 'src/index.ts' : `src/${k.slice(2)}/index.ts` }));

const isNamespace = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Module]';

async function load(): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const e of entries) out.set(e.name, (await import(join(repo, e.source))) as Record<string, unknown>);
  return out;
}

/** One entry point's names: its own, sorted, then `ns.member` for each namespace that is not itself an entry point. */
function names(module: Record<string, unknown>, entryModules: ReadonlySet<unknown>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(module).sort()) {
    out.push(key);
    const v = module[key];
    if (isNamespace(v) && !entryModules.has(v)) for (const member of Object.keys(v).sort()) out.push(`${key}.${member}`);
  }
  return out;
}

describe('the public API', () => {
  it('is the checked-in list of runtime names per entry point (exports.snapshot.txt)', async () => {
    const modules = await load();
    const entryModules = new Set<unknown>(modules.values());
    const text = [...modules].map(([name, m]) => `# ${name}\n${names(m, entryModules).join('\n')}\n`).join('\n');
    await expect(text).toMatchFileSnapshot('./exports.snapshot.txt');
  });

  it('stays small at the top of each entry point: helpers go under `syntax`', async () => {
    const modules = await load();
    const entryModules = new Set<unknown>(modules.values());
    // The root's format namespaces are entry points of their own; every format and core has its syntax namespace.
    expect(entryModules.has(modules.get('fwconf')!.sshd)).toBe(true);
    for (const [name, m] of modules) {
      expect(Object.keys(m).length, name).toBeLessThanOrEqual(25);
      if (name !== 'fwconf') expect(isNamespace(m.syntax), `${name} has a syntax namespace`).toBe(true);
    }
  });
});

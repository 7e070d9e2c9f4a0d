// The API documentation: typedoc's validation (notDocumented, notExported, invalid links) over the
// curated entry points, and an @example on each format's entry points (its parse function and its
// Document class).
//
// Every public export has a doc comment (what `npm run docs:check`, typedoc with warnings as errors,
// also enforces): 0 undocumented, and no other typedoc warning.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, inspect } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** `[warning] NAME (KIND), defined in FILE, does not have any documentation` as `FILE NAME`. */
const NOT_DOCUMENTED = /^\[warning\] (\S+) \(([^)]+)\), defined in (\S+?), does not have any documentation$/;

describe('typedoc validation', () => {
  // typedoc reads the whole program (about 40 s on two busy cores): a bound well above that.
  it('every public export is documented (0 undocumented), and typedoc warns of nothing else', async () => {
    // Into a file, not a pipe: typedoc exits while a pipe may still hold its last warnings, and Node
    // writes to a file synchronously, so nothing is lost.
    const logDir = mkdtempSync(join(tmpdir(), 'fwconf-typedoc-'));
    const log = join(logDir, 'typedoc.log');
    const fd = openSync(log, 'w');
    let output: string;
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [join(repo, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none', '--treatWarningsAsErrors', 'false', '--logLevel', 'Warn'], {
          cwd: repo,
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
          stdio: ['ignore', fd, fd],
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
        child.on('error', reject);
        child.on('close', (_code, signal) => {
          clearTimeout(timer);
          if (signal) reject(new Error(`typedoc ended by ${signal}`));
          else resolve();
        });
      });
      output = readFileSync(log, 'utf8');
    } finally {
      closeSync(fd);
      rmSync(logDir, { recursive: true, force: true });
    }
    const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() !== '' && !/^\[warning\] Found \d+ errors? and \d+ warnings?$/.test(l));
    const missing = [...new Set(lines.flatMap((l) => {
      const m = NOT_DOCUMENTED.exec(l);
      return m ? [`${m[3]!.replace(/^fwconf\//, '')} ${m[1]}`] : [];
    }))].sort();
    const other = lines.filter((l) => !NOT_DOCUMENTED.test(l));
    expect(other).toEqual([]);
    expect(missing, 'exports without a doc comment (write one)').toEqual([]);
  }, 300_000);
});

/** Each format's entry points: the subpath (or source module) and the names that need an @example. */
const ENTRY_POINTS: readonly [string, readonly string[]][] = [
  ['src/sshd/index.ts', ['parse', 'SshdDocument']],
  ['src/fail2ban/index.ts', ['parse', 'Fail2banDocument']],
  ['src/iptables/index.ts', ['parse', 'IptablesDocument']],
  ['src/xinetd/index.ts', ['parse', 'XinetdDocument']],
  ['src/ufw/index.ts', ['parse', 'UfwStatusDocument']],
  ['src/thpot/index.ts', ['parse', 'CaptureLog']],
  ['src/fail2ban-log/index.ts', ['parse', 'Fail2banLog']],
  ['src/builder/index.ts', ['render', 'loadSpec']],
];

const program = ts.createProgram(
  ENTRY_POINTS.map(([f]) => join(repo, f)),
  { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true },
);
const checker = program.getTypeChecker();

/** The export `name` of the module `file`, followed through re-exports. */
function exported(file: string, name: string): ts.Symbol | undefined {
  const source = program.getSourceFile(join(repo, file))!;
  const sym = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((e) => e.name === name);
  return sym && sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
}

/** The source file (relative to the repository) that declares the export. */
function declarationFile(file: string, name: string): string {
  const decl = exported(file, name)?.declarations?.[0];
  return decl ? decl.getSourceFile().fileName.slice(repo.length + 1) : file;
}

describe('@example on each format entry point', () => {
  for (const [file, names] of ENTRY_POINTS) {
    it(`${file}: ${names.join(', ')}`, () => {
      const missing = names.filter((name) => {
        const target = exported(file, name);
        return !target?.getJsDocTags(checker).some((t) => t.name === 'example' && ts.displayPartsToString(t.text).includes('```'));
      });
      expect(missing, 'exports without an @example (a fenced code block)').toEqual([]);
    });
  }
});

/** The fenced code of each @example in a JSDoc comment of `text`. */
function examplesOf(text: string): string[] {
  return [...text.matchAll(/@example\n((?: \*.*\n)*?) \* ```ts\n((?: \*.*\n)*?) \* ```/g)].map((m) => m[2]!.split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n'));
}

/** `expr; // literal` (a string, number, array, object, boolean): the literal is what expr gives. */
const CLAIM = /^(.*?);\s*\/\/ ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\[.*\]|\{.*\}|-?\d+|true|false|undefined)(?:\s*\(.*\))?$/;

describe('the @examples of the format entry points run, and give what their comments say', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwconf-examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = globalThis as { __exampleClaim?: (got: unknown, want: unknown, what: string) => void };
  g.__exampleClaim = (got, want, what) => {
    if (!isDeepStrictEqual(got, want)) throw new Error(`${what}: gives ${inspect(got)}, the comment says ${inspect(want)}`);
  };
  const files = [...new Set(ENTRY_POINTS.flatMap(([f, names]) => names.map((n) => declarationFile(f, n))))].sort();
  let n = 0;
  for (const file of files) {
    examplesOf(readFileSync(join(repo, file), 'utf8')).forEach((code, i) => {
      it(`${file} example ${i + 1}`, async () => {
        let claims = 0;
        const source = code
          .replace(/from 'fwconf\/([\w-]+)'/g, (_, s: string) => `from '${pathToFileURL(join(repo, 'src', s, 'index.ts')).href}'`)
          .replace(/from 'fwconf'/g, `from '${pathToFileURL(join(repo, 'src/index.ts')).href}'`)
          .split('\n')
          .map((l) => {
            const m = CLAIM.exec(l);
            if (!m) return l;
            claims++;
            return `globalThis.__exampleClaim(${m[1]}, ${m[2]}, ${JSON.stringify(m[1])});`;
          })
          .join('\n');
        expect(source, 'an example imports from the package').toMatch(/^import /m);
        expect(claims, 'an example says what it gives').toBeGreaterThan(0);
        const path = join(dir, `example-${n++}.ts`);
        writeFileSync(path, source);
        await import(pathToFileURL(path).href);
      });
    });
  }
});

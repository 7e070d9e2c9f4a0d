// resolveBelowRoot and NodeFileSource({ root }) resolve symbolic links as the kernel does for a process
// chrooted in the root: random trees of links (absolute, relative, `..` above the root, trailing
// slashes, host paths, loops) are read through NodeFileSource and, for comparison, by python3 after
// os.chroot(root) — the kernel's own resolution. Nothing outside the root is ever read.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../src/apply/executor.js';
import { NodeFileSource, PathEscapeError, resolveBelowRoot } from '../../src/core/files.js';

const scratch = mkdtempSync(join(tmpdir(), 'fwconf-chroot-links-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHROOTED_READ = `
import errno, json, os, stat, sys
root, paths = sys.argv[1], json.load(open(sys.argv[2]))
os.chroot(root)
os.chdir('/')
out = {}
for p in paths:
    try:
        if stat.S_ISDIR(os.stat(p).st_mode):
            out[p] = ['dir', sorted(os.listdir(p))]
        else:
            with open(p, 'rb') as f:
                out[p] = ['file', f.read().decode('latin-1')]
    except OSError as e:
        out[p] = ['error', errno.errorcode.get(e.errno, str(e.errno))]
print(json.dumps(out))
`;

type Seen = ['dir', string[]] | ['file', string] | ['error', string];

/** What the kernel gives for each path, chrooted in `root`. */
async function chrootedRead(root: string, paths: string[]): Promise<Record<string, Seen>> {
  const list = join(scratch, `paths-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(list, JSON.stringify(paths));
  const r = await runProgram(['python3', '-I', '-S', '-c', CHROOTED_READ, root, list], process.env);
  rmSync(list, { force: true });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, Seen>;
}

/** The same through NodeFileSource: a loop shows as ELOOP (and a fwconf/symlink-loop problem). */
function ourRead(files: NodeFileSource, path: string): Seen {
  const kind = files.stat(path);
  if (kind === 'dir') return ['dir', [...(files.list(path) ?? [])].sort()];
  if (kind === 'file') return ['file', Buffer.from(files.read(path) ?? '', 'utf8').toString('latin1')];
  return ['error', files.problems.some((d) => d.file === path && d.code === 'fwconf/symlink-loop') ? 'ELOOP' : 'missing'];
}

const DIRS = ['', '/a', '/a/b', '/c'];
const FILES: Record<string, string> = { '/a/f': 'F', '/a/b/g': 'G', '/c/h': 'H', '/top': 'T' };
const NAMES = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'];

function makeTree(root: string, links: { at: string; target: string }[], canary: string): void {
  for (const d of DIRS) mkdirSync(root + d, { recursive: true });
  for (const [p, t] of Object.entries(FILES)) writeFileSync(root + p, t);
  writeFileSync(canary, 'CANARY');
  for (const l of links) symlinkSync(l.target, root + l.at);
}

const component = fc.constantFrom('a', 'b', 'c', 'f', 'g', 'h', 'top', 'nope', '..', '.', ...NAMES);

describe('symbolic links below a root resolve as in a chroot', () => {
  it('random trees of links: NodeFileSource({ root }) reads what python3 reads after os.chroot(root)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            dir: fc.constantFrom(...DIRS),
            name: fc.constantFrom(...NAMES),
            parts: fc.array(component, { minLength: 1, maxLength: 4 }),
            // relative, absolute, the root's own host path, a host path outside the root; trailing slash
            prefix: fc.constantFrom('', '', '/', 'ROOT', 'OUTSIDE'),
            slash: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6, selector: (l) => l.dir + '/' + l.name },
        ),
        async (spec) => {
          const dir = join(scratch, `t${n++}`);
          const root = join(dir, 'root');
          const outside = join(dir, 'outside');
          mkdirSync(outside, { recursive: true });
          const canary = join(outside, 'top');
          const prefixes: Record<string, string> = { '': '', '/': '/', ROOT: root + '/', OUTSIDE: outside + '/' };
          const links = spec.map((l) => ({ at: `${l.dir}/${l.name}`, target: prefixes[l.prefix]! + l.parts.join('/') + (l.slash ? '/' : '') }));
          try {
            makeTree(root, links, canary);
            const paths: string[] = [];
            for (const d of DIRS) for (const name of [...NAMES, 'f', 'g', 'h', 'b', 'top']) for (const rest of ['', '/f', '/g', '/b/g', '/h', '/top', '/..', '/../f', '/.', '/l0']) paths.push(`${d}/${name}${rest}`);
            const kernel = await chrootedRead(realpathSync(root), paths);
            const files = new NodeFileSource({ root });
            for (const p of paths) {
              const theirs = kernel[p]!;
              const ours = ourRead(files, p);
              const expected: Seen = theirs[0] === 'error' ? ['error', theirs[1] === 'ELOOP' ? 'ELOOP' : 'missing'] : theirs;
              expect(ours, `${p} with ${JSON.stringify(links)}`).toEqual(expected);
              if (ours[0] === 'file') expect(ours[1]).not.toBe('CANARY');
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('resolveBelowRoot: absolute targets start again at the root, `..` stops at it, missing rest appended as written', () => {
    const root = realpathSync(mkdtempSync(join(scratch, 'unit-')));
    makeTree(root, [
      { at: '/a/abs', target: '/c/h' },
      { at: '/a/up', target: '../../../../../../top' },
      { at: '/a/dangling', target: '/nope/x' },
      { at: '/a/dir', target: 'b' },
      { at: '/c/loop', target: 'loop' },
      { at: '/a/b/rel', target: '../../nope' },
      { at: '/a/b/climb', target: '../../../nope' },
    ], join(scratch, 'unit-canary'));
    expect(resolveBelowRoot(root, '/a/abs')).toEqual({ real: `${root}/c/h`, daemon: '/c/h', exists: true });
    expect(resolveBelowRoot(root, '/a/up')).toEqual({ real: `${root}/top`, daemon: '/top', exists: true });
    expect(resolveBelowRoot(root, '/a/dir/g')).toEqual({ real: `${root}/a/b/g`, daemon: '/a/b/g', exists: true });
    expect(resolveBelowRoot(root, '/a/dir/../f')).toEqual({ real: `${root}/a/f`, daemon: '/a/f', exists: true });
    expect(resolveBelowRoot(root, '/../../a/f').real).toBe(`${root}/a/f`);
    expect(resolveBelowRoot(root, '/')).toEqual({ real: root, daemon: '/', exists: true });
    expect(resolveBelowRoot(root, '/a/dangling')).toEqual({ real: `${root}/nope/x`, daemon: '/nope/x', exists: false, dangling: { link: '/a/dangling', target: '/nope/x', rerooted: true } });
    // A relative link that stays in the tree is just dangling; one with more `..`s than it is deep left the root on the host.
    expect(resolveBelowRoot(root, '/a/b/rel').dangling).toEqual({ link: '/a/b/rel', target: '../../nope', rerooted: false });
    expect(resolveBelowRoot(root, '/a/b/climb').dangling).toEqual({ link: '/a/b/climb', target: '../../../nope', rerooted: true });
    const files = new NodeFileSource({ root });
    expect([files.read('/a/b/rel'), files.read('/a/b/climb'), files.read('/a/dangling')]).toEqual([undefined, undefined, undefined]);
    expect(files.problems.map((d) => `${d.file}: ${d.severity} [${d.code}]`)).toEqual([
      '/a/b/climb: warning [fwconf/symlink-outside-root]',
      '/a/dangling: warning [fwconf/symlink-outside-root]',
    ]);
    expect(resolveBelowRoot(root, '/a/missing/../f')).toEqual({ real: `${root}/a/missing/../f`, daemon: '/a/missing/../f', exists: false });
    expect(resolveBelowRoot(root, '/a/f/x')).toEqual({ real: `${root}/a/f/x`, daemon: '/a/f/x', exists: false });
    expect(() => resolveBelowRoot(root, '/c/loop')).toThrow(PathEscapeError);
    expect(() => resolveBelowRoot(root, '/c/loop')).toThrow('/c/loop: refusing to touch it: too many levels of symbolic links (a loop: /c/loop -> loop)');
    // Root `/`: the host's own resolution.
    expect(resolveBelowRoot('/', `${root}/a/abs`)).toEqual({ real: '/c/h', daemon: '/c/h', exists: false, dangling: { link: `${root}/a/abs`, target: '/c/h', rerooted: false } });
  });

  it('NodeFileSource without a root reports a loop too (ELOOP from the kernel), and reads as missing', () => {
    const dir = realpathSync(mkdtempSync(join(scratch, 'noroot-')));
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const files = new NodeFileSource();
    expect(files.read(join(dir, 'a'))).toBeUndefined();
    expect(files.stat(join(dir, 'a'))).toBeUndefined();
    expect(files.problems.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`)).toEqual([
      `${dir}/a:1:1: error: cannot read: too many levels of symbolic links (a loop: ${dir}/a -> b, ${dir}/b -> a) [fwconf/symlink-loop]`,
    ]);
  });
});

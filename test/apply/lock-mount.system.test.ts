// The apply lock when its directory is another file system than the root: a tmpfs mounted on the
// root's var/lib/fwconf (or var/lib), as /run is on a live system. Real processes: one holds the lock,
// a second must find it busy; after the release nothing of the lock is left and the mount is intact.
//
// The lock's link(2) fallback (src/apply/lock.ts: link fails with EXDEV, the record is written again
// in the lock's own directory) is reached only when the lock's directory was not there when the way
// was looked at and is a mount point by the time of the link (a mount appearing meanwhile): the
// temporary file then lies in the directory above, on the root's file system. The test makes that
// moment happen without a race: the holder runs under strace, which answers ENOENT to access(2) on
// the lock's directory (the look at the way; nothing else is faked), while a tmpfs really is mounted
// there, so the kernel's own link(2) fails with EXDEV — the trace shows it, then the fallback's link.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run, runOk, SPAWN_TIMEOUT_MS } from '../spawn.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(here, '../..');
const CHILD = path.join(here, 'lock-hold-child.ts');
const node = (...args: string[]) => [process.execPath, '--import', 'tsx', CHILD, ...args];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A scratch root with a tmpfs mounted on `mounted` (relative to it), unmounted and removed after the test. */
async function rootWithMount(mounted: string): Promise<{ base: string; mount: string }> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-lock-mount-'));
  const mount = path.join(base, mounted);
  fs.mkdirSync(mount, { recursive: true });
  cleanups.push(async () => fs.rmSync(base, { recursive: true, force: true }));
  await runOk(['mount', '-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'fwconf-lock-test', mount]);
  cleanups.push(async () => {
    const r = await run(['umount', mount]);
    if (r.status !== 0) await runOk(['umount', '-l', mount]);
  });
  expect(fs.statSync(mount).dev).not.toBe(fs.statSync(base).dev);
  return { base, mount };
}

/** Starts a process that holds the lock until `release()`; resolves once it holds it, with its pid (strace's child's, under strace). */
function holder(argv: string[]): Promise<{ pid: number; release(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
    const closed = new Promise<number | null>((r) => child.on('close', (code) => (clearTimeout(timer), r(code))));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (l) => {
      out += l + '\n';
      const held = /^held (\d+)$/.exec(l);
      if (held)
        resolve({
          pid: Number(held[1]),
          release: async () => {
            child.stdin.end('release\n');
            const code = await closed;
            if (code !== 0) throw new Error(`the holder exited ${code}: ${stderr}`);
            return out;
          },
        });
    });
    void closed.then((code) => reject(new Error(`the holder exited ${code} before holding the lock: ${out}${stderr}`)));
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await closed;
    });
  });
}

/** A second process trying the lock once, without waiting: `got` or `busy PID`. */
async function contender(file: string, base: string): Promise<string> {
  return (await runOk(node('try', file, base), { cwd: REPO })).trim();
}

/** Every path below `dir`, sorted. */
const tree = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).sort();

describe('the apply lock on another file system than the root', () => {
  it('a tmpfs on var/lib/fwconf: the lock lives there, a second process finds it busy, nothing is left', async () => {
    const { base, mount } = await rootWithMount('var/lib/fwconf');
    const file = path.join(mount, 'apply.lock');
    const a = await holder(node('hold', file, base));
    expect(fs.statSync(file).dev).toBe(fs.statSync(mount).dev);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(a.pid);
    expect(await contender(file, base)).toBe(`busy ${a.pid}`);
    expect(await a.release()).toBe(`held ${a.pid}\nreleased\n`);
    expect(tree(base)).toEqual(['var', 'var/lib', 'var/lib/fwconf']);
    expect(fs.statSync(mount).dev).not.toBe(fs.statSync(base).dev);
    expect(await contender(file, base)).toBe('got');
    expect(tree(base)).toEqual(['var', 'var/lib', 'var/lib/fwconf']);
  });

  it('a tmpfs on var/lib: the lock makes var/lib/fwconf on it and removes it at release', async () => {
    const { base, mount } = await rootWithMount('var/lib');
    const file = path.join(mount, 'fwconf/apply.lock');
    const a = await holder(node('hold', file, base));
    expect(fs.statSync(path.dirname(file)).dev).toBe(fs.statSync(mount).dev);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).dirs).toEqual([path.dirname(file)]);
    expect(await contender(file, base)).toBe(`busy ${a.pid}`);
    await a.release();
    expect(tree(base)).toEqual(['var', 'var/lib']);
    expect(fs.statSync(mount).dev).not.toBe(fs.statSync(base).dev);
  });

  it('link(2) across file systems (EXDEV): the record is linked from the lock’s own directory; still exclusive, nothing left', async () => {
    const { base, mount } = await rootWithMount('var/lib/fwconf');
    const file = path.join(mount, 'apply.lock');
    const trace = path.join(base, '..', `${path.basename(base)}.strace`);
    cleanups.push(async () => fs.rmSync(trace, { force: true }));
    const a = await holder([
      'strace', '-f', '-qq', '--seccomp-bpf', '-o', trace,
      '-P', mount, '-P', file,
      '-e', 'trace=access,faccessat,faccessat2,link,linkat',
      '-e', 'inject=access,faccessat,faccessat2:error=ENOENT',
      ...node('hold', file, base),
    ]);
    const links = fs
      .readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => /\blink(at)?\(/.test(l));
    // First from var/lib (the root's file system): EXDEV from the kernel; then from the lock's directory: done.
    expect(links, links.join('\n')).toHaveLength(2);
    expect(links[0]).toMatch(new RegExp(`"${path.join(base, 'var/lib')}/\\.fwconf-lock\\.[^"/]+\\.tmp", .*"${file}"\\) = -1 EXDEV`));
    expect(links[1]).toMatch(new RegExp(`"${mount}/\\.fwconf-lock\\.[^"/]+\\.tmp", .*"${file}"\\) = 0$`));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ dirs: [mount] });
    // No temporary file stays, on either file system, while the lock is held.
    expect(tree(base)).toEqual(['var', 'var/lib', 'var/lib/fwconf', 'var/lib/fwconf/apply.lock']);
    expect(await contender(file, base)).toBe(`busy ${a.pid}`);
    await a.release();
    expect(tree(base)).toEqual(['var', 'var/lib', 'var/lib/fwconf']);
    // The mount point the record names as made by the lock is not removed from under its mount.
    expect(fs.statSync(mount).dev).not.toBe(fs.statSync(base).dev);
    expect(await contender(file, base)).toBe('got');
  });
});

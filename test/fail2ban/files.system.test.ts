// fail2ban globs log paths with Python's glob.glob (fnmatch rules), then drops dangling links: our
// pyGlob against the real one,
// on a real directory, through core's NodeFileSource, plain and memoised.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import { pyGlob } from '../../src/fail2ban/files.js';
import { fnmatchSource } from './fnmatch-regex.js';
import { MemoFileSource } from '../../src/fail2ban/overlay.js';
import { fail2banPython } from './oracle.js';
import { runOk } from '../spawn.js';

const NAMES = ['a.log', 'b.log', '.hidden.log', 'error.log', 'access-error.log', 'x[1].log', 'x1.log', 'x-.log', 'c!d.log', 'é.log', 'a\\b.log', 'sub', 'sub2'];

describe('pyGlob', () => {
  it('matches what Python glob.glob matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), `fwconf-fail2ban-glob-${process.pid}-`));
    try {
      for (const n of NAMES) if (!n.startsWith('sub')) writeFileSync(join(dir, n), '');
      for (const s of ['sub', 'sub2']) {
        mkdirSync(join(dir, s));
        writeFileSync(join(dir, s, 'in.log'), '');
      }
      symlinkSync(join(dir, 'missing'), join(dir, 'dangling.log'));
      const patterns = [
        '*.log', '*error.log', '?.log', '.*', '*', 'x[1].log', 'x[[]1].log', 'x[!a].log', 'x[!]].log', 'x[0-9].log', 'x[9-0].log',
        'x[-].log', 'x[a-].log', '[!.]*', '[]]', '[', 'x[1.log', '[ab].log', '[^a].log', 'c!d.log', 'a\\b.log', 'a[\\]b.log',
        '*/in.log', 'sub*/*.log', 'sub?/in.log', '*/', 'sub/', 'nomatch*', 'missing/*.log', '[é].log', '*.LOG', 'dangling.log', 'dang*',
      ].map((p) => join(dir, p));
      const py = JSON.parse(
        await runOk([fail2banPython(), '-c', 'import glob, json, os, sys; print(json.dumps([sorted(p for p in glob.glob(x) if os.path.exists(p)) for x in json.load(sys.stdin)]))'], {
          input: JSON.stringify(patterns),
        }),
      ) as string[][];
      const sources = [new NodeFileSource(), new MemoFileSource(new NodeFileSource())];
      patterns.forEach((p, i) => {
        // As fail2ban's JailReader._glob: glob.glob, then dangling links dropped.
        for (const files of sources) expect(pyGlob(files, p).filter((x) => files.stat(x) !== undefined), p).toEqual(py[i]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('translates like fnmatch.translate', async () => {
    const pats = ['[a-c-e]', '[z-a]', '[a-]', '[!a-c]x', '*?*', '[\\d]', '[&~|]', '[--0]', '[^]', '[!]', 'a*b*c'];
    const names = ['a', 'b', 'd', 'e', '-', 'z', 'x', 'ax', 'dx', '\\', 'd', '&', '~', '|', '^', '!', '/', '.', '0', 'abc', 'aXbYc', ']'];
    const got = JSON.parse(
      await runOk([fail2banPython(), '-c', 'import fnmatch, json, sys; d = json.load(sys.stdin); print(json.dumps([[n for n in d[1] if fnmatch.fnmatchcase(n, p)] for p in d[0]]))'], {
        input: JSON.stringify([pats, names]),
      }),
    ) as string[][];
    pats.forEach((p, i) => {
      const re = new RegExp(fnmatchSource(p), 'u');
      expect(names.filter((n) => re.test(n)), p).toEqual(got[i]);
    });
  });
});

// The character tables of src/fail2ban/pyre/unicode-data.ts are those of the Python that runs
// fail2ban: regenerated here by that Python and compared with the committed file.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fail2banInterpreter } from './pyre-python.js';

const here = dirname(fileURLToPath(import.meta.url));

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

describe('pyre unicode tables', () => {
  it("equal the tables of fail2ban's Python", async () => {
    const generated = await run(await fail2banInterpreter(), [join(here, 'pyre-unicode.py')]);
    const committed = await readFile(join(here, '../../src/fail2ban/pyre/unicode-data.ts'), 'utf8');
    expect(committed).toBe(generated);
  }, 120_000);
});

describe('pyre classes in the JavaScript engine', () => {
  it("match exactly Python's \\w \\W \\d \\D \\s \\S, whatever Unicode version the engine has", async () => {
    const { pyTables, classSource, CodeSet } = await import('../../src/fail2ban/pyre/charset.js');
    const t = pyTables();
    const sets: [string, InstanceType<typeof CodeSet>][] = [
      ['word', t.word],
      ['digit', t.digit],
      ['space', t.space],
    ];
    for (const [name, s] of [...sets, ...sets.map(([n, s]) => [`not ${n}`, s.complement()] as [string, InstanceType<typeof CodeSet>])]) {
      const re = new RegExp(`^(?:${classSource(s)})$`, 'u');
      const wrong: number[] = [];
      for (let c = 0; c <= 0x10ffff && wrong.length < 5; c++) if (re.test(String.fromCodePoint(c)) !== s.has(c)) wrong.push(c);
      expect(wrong.map((c) => `${name} U+${c.toString(16)}`)).toEqual([]);
    }
  }, 120_000);
});

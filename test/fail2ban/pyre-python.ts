// One long-lived Python (the one that runs fail2ban) answering pyre-oracle.py's JSON lines.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** `fresh`: the long-lived interpreter gave an impossible span (sre state left by earlier matches), so this answer is a new interpreter's. */
export type PyAnswer = ({ id: number; error: string; at: number | null } | { id: number; spans: ([number, number] | null)[] | null } | { id: number; runtime: string }) & { fresh?: true };
export interface PyRequest {
  pattern: string;
  flags: number;
  subject: string;
  pos: number;
  op: 'search' | 'match' | 'fullmatch';
}
export interface FilterRegex {
  filter: string;
  kind: 'fail' | 'ignore' | 'pref';
  regex: string;
  multiline: boolean;
}

/** The interpreter named by fail2ban-client's shebang. */
export async function fail2banInterpreter(): Promise<string> {
  for (const p of ['/usr/bin/fail2ban-client', '/usr/local/bin/fail2ban-client']) {
    try {
      const m = /^#!\s*(\S+)/.exec((await readFile(p, 'utf8')).split('\n')[0]!);
      if (m) return m[1]!;
    } catch {
      // next
    }
  }
  return '/usr/bin/python3';
}

export class PythonRe {
  private proc: ChildProcessWithoutNullStreams;
  private waiting = new Map<number, (a: unknown) => void>();
  private next = 1;
  private stderr = '';
  private exited: Promise<number | null>;
  constructor(python: string) {
    this.proc = spawn(python, [join(here, 'pyre-oracle.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const [, w] of this.waiting) w({ crashed: this.stderr });
      this.waiting.clear();
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const a = JSON.parse(line) as { id: number };
      const w = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      w?.(a);
    });
  }
  private ask<T>(req: object): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (a) => ((a as { crashed?: string }).crashed !== undefined ? reject(new Error(`python exited: ${(a as { crashed: string }).crashed}`)) : resolve(a as T)));
      this.proc.stdin.write(JSON.stringify({ id, ...req }) + '\n');
    });
  }
  run(req: PyRequest): Promise<PyAnswer> {
    return this.ask<PyAnswer>(req);
  }
  async runAll(reqs: PyRequest[]): Promise<PyAnswer[]> {
    return Promise.all(reqs.map((r) => this.run(r)));
  }
  async filterRegexes(basedir: string): Promise<FilterRegex[]> {
    return (await this.ask<{ regexes: FilterRegex[] }>({ filters: basedir })).regexes;
  }
  async close(): Promise<void> {
    this.proc.stdin.end();
    await this.exited;
  }
}

// One long-lived fail2ban Python process per test file, spoken to in JSON lines (filter-oracle.py).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface OracleSpec {
  failregex: string[];
  ignoreregex?: string[];
  prefregex?: string;
  maxlines?: number;
  datepattern?: string;
  logtimezone?: string;
  usedns?: string;
}
export interface OracleRequest {
  spec: OracleSpec;
  flags?: { checkAllRegex?: boolean; returnRawHost?: boolean; checkFindTime?: boolean; ignorePending?: boolean };
  now: number;
  lines: (string | [[string, string, string], number])[];
}
export interface OracleLine {
  failures: [number, string | null, number | null, Record<string, unknown>][];
  date: [string, string] | null;
  exception: string | null;
}
export type OracleAnswer = { results: OracleLine[] } | { error: string };

export class FilterOracle {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: ((a: OracleAnswer) => void)[] = [];
  private closed: Promise<void>;

  constructor(env: Record<string, string> = {}) {
    this.proc = spawn('/usr/bin/python3', [join(here, 'filter-oracle.py')], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const rl = createInterface({ input: this.proc.stdout });
    rl.on('line', (l) => this.waiting.shift()?.(JSON.parse(l) as OracleAnswer));
    let err = '';
    this.proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    this.closed = new Promise((res) =>
      this.proc.on('close', () => {
        for (const w of this.waiting.splice(0)) w({ error: `oracle exited: ${err}` });
        res();
      }),
    );
  }

  ask(req: OracleRequest): Promise<OracleAnswer> {
    return new Promise((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  async close(): Promise<void> {
    this.proc.stdin.end();
    await this.closed;
  }
}

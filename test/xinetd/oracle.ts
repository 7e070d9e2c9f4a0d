// The real xinetd as the oracle: `xinetd -d -dontfork -f CONF` under a pty (debug mode logs to
// /dev/tty), inside a network namespace of our own so that bound ports stay private. Its output is
// the parse messages plus the effective dump (cnf_dump), which this module parses.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface OracleMessage {
  level: string;
  func: string;
  text: string;
  file?: string;
  line?: number;
  /** 'parse': while reading the configuration (before the dump); 'run': starting services and later. */
  phase: 'parse' | 'run';
}

export interface OracleService {
  name: string;
  /** `key = value` lines of the dump (tab-indented), first occurrence of each key. */
  fields: Record<string, string>;
  /** Other lines of the block (`Only from: ...`, `Log_on_success flags = ...`). */
  lines: string[];
}

export interface OracleResult {
  raw: string;
  messages: OracleMessage[];
  services: OracleService[];
  defaults: string[];
}

export class XinetdOracle {
  readonly ns = `fwconf-xinetd-${process.pid}-${randomBytes(3).toString('hex')}`;

  /** Creates the namespace (fails the test when `ip` or xinetd is missing). */
  start(): void {
    execFileSync('test', ['-x', '/usr/sbin/xinetd']);
    execFileSync('ip', ['netns', 'add', this.ns]);
    execFileSync('ip', ['netns', 'exec', this.ns, 'ip', 'link', 'set', 'lo', 'up']);
  }

  stop(): void {
    try {
      execFileSync('ip', ['netns', 'del', this.ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }

  /** Runs xinetd in debug mode on an absolute config path; resolves with its parsed output. */
  run(conf: string): Promise<OracleResult> {
    const inner = `stty -onlcr; exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin timeout -s TERM 1 /usr/sbin/xinetd -d -dontfork -f '${conf.replace(/'/g, `'\\''`)}'`;
    return new Promise((resolve, reject) => {
      execFile(
        'timeout',
        ['-s', 'KILL', '20', 'ip', 'netns', 'exec', this.ns, 'script', '-qec', inner, '/dev/null'],
        { encoding: 'utf8', maxBuffer: 16 << 20 },
        (err, stdout) => {
          if (err && !stdout) return reject(err);
          resolve(parseOracle(stdout));
        },
      );
    });
  }
}

export function parseOracle(out: string): OracleResult {
  const lines = out
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/^[0-9/]+@[0-9:]+: /, '').replace(/^([A-Z]+): [0-9]+ /, '$1: '));
  const messages: OracleMessage[] = [];
  const services: OracleService[] = [];
  const defaults: string[] = [];
  let current: OracleService | undefined;
  let inDefaults = false;
  let phase: 'parse' | 'run' = 'parse';
  for (const l of lines) {
    const m = /^([A-Z]+): \{(\w+)\} (.*?)(?: \[file=(.*?)\] \[line=(\d+)\])?$/.exec(l);
    if (m) {
      current = undefined;
      inDefaults = false;
      messages.push({ level: m[1]!, func: m[2]!, text: m[3]!, phase, ...(m[4] ? { file: m[4], line: Number(m[5]) } : {}) });
      continue;
    }
    const s = /^Service configuration: (.*)$/.exec(l);
    if (s) {
      current = { name: s[1]!, fields: {}, lines: [] };
      services.push(current);
      inDefaults = false;
      continue;
    }
    if (l === 'Service defaults') {
      inDefaults = true;
      phase = 'run';
      current = undefined;
      continue;
    }
    if (l.startsWith('\t')) {
      if (inDefaults) defaults.push(l.trim());
      else if (current) {
        const kv = /^\t([^=\t][^=]*?) = (.*)$/.exec(l);
        if (kv && !(kv[1]! in current.fields)) current.fields[kv[1]!] = kv[2]!;
        else current.lines.push(l.trim());
      }
    }
  }
  return { raw: out, messages, services, defaults };
}

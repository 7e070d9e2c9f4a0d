// The real xinetd as the oracle: `xinetd -d -dontfork -f CONF` under a pty (debug mode logs to
// /dev/tty), inside a network namespace of our own so that bound ports stay private. Its output is
// the parse messages plus the effective dump (cnf_dump), which this module parses. xinetd runs until
// stopped: it is stopped as soon as it prints "Started working" (its services are read and started),
// or after XINETD_MAX_S at the latest.
import { randomBytes } from 'node:crypto';
import { run, runOk } from '../spawn.js';

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
  async start(): Promise<void> {
    await runOk(['test', '-x', '/usr/sbin/xinetd']);
    await runOk(['ip', 'netns', 'add', this.ns]);
    await runOk(['ip', 'netns', 'exec', this.ns, 'ip', 'link', 'set', 'lo', 'up']);
  }

  async stop(): Promise<void> {
    await run(['ip', 'netns', 'del', this.ns]); // a failure: already gone
  }

  /** Runs xinetd in debug mode on an absolute config path; resolves with its parsed output. */
  async run(conf: string): Promise<OracleResult> {
    const inner = `stty -onlcr; exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin timeout -s TERM ${XINETD_MAX_S} /usr/sbin/xinetd -d -dontfork -f '${conf.replace(/'/g, `'\\''`)}'`;
    const r = await run(['ip', 'netns', 'exec', this.ns, 'script', '-qec', inner, '/dev/null'], { until: xinetdStarted });
    if (!r.stdout) throw new Error(`xinetd -d printed nothing (exit ${r.status ?? r.signal}): ${r.stderr}`);
    return parseOracle(r.stdout);
  }
}

/**
 * The longest an `xinetd -d` runs (it is stopped as soon as it has started its services, in well under
 * a second alone): a bound for a wedged one, far above its start time on a loaded machine.
 */
export const XINETD_MAX_S = 60;

/** xinetd -d has read its configuration and started its services (what follows is its main loop). */
export const xinetdStarted = (stdout: string): boolean => /\{main\} Started working: \d+ available service/.test(stdout);

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

// In-process CLI runs for tests: an Io that records what a command prints.
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CaptureOptions {
  /** What the command reads from standard input. */
  stdin?: string;
  /** The command's working directory (default: the test process's). */
  cwd?: string;
}

export function captureIo(options: string | CaptureOptions = ''): Io & { out: string; err: string } {
  const { stdin = '', cwd = process.cwd() } = typeof options === 'string' ? { stdin: options } : options;
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    stdin: async () => stdin,
    interactive: false,
    env: {},
    cwd,
  };
  return io;
}

/** Runs `fwconf ARGV...` in process: its exit code and what it printed. */
export async function runCli(argv: string[], options: string | CaptureOptions = ''): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(options);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

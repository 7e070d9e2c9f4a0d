// An Io that records what a command prints, for in-process CLI tests.
import type { Io } from '../../src/cli/io.js';

export function captureIo(stdin = ''): Io & { out: string; err: string } {
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
    cwd: process.cwd(),
  };
  return io;
}

/** `fwconf sshd effective`: the effective sshd configuration for a connection, as `sshd -T -C` prints it. */
import { isAbsolute, resolve } from 'node:path';
import { diagnosticRecord, json, printDiagnostics, readInput, rootFiles, EXIT_FINDINGS, EXIT_OK, parseCommandArgs, subcommand, UsageError, type Command, type Io } from './io.js';
import { parse } from '../sshd/parse.js';
import { effective } from '../sshd/effective.js';
import type { SshdConnection } from '../sshd/model.js';

const usage = `Usage: fwconf sshd effective FILE|- [--connection SPEC] [--root DIR] [--cwd DIR]
                             [--json]

Prints the effective configuration as 'keyword value' lines, exactly as
'sshd -T -f FILE -C SPEC' prints them (lowercase keywords, normalised values,
one line per element of multi-valued keywords, ListenAddress expanded), for
every keyword the file and its Includes set, in sshd -T's order. Match blocks
are evaluated for the connection; Includes are followed (relative to /etc/ssh).
Nothing is run: the file and its Includes are only read.

Options:
  --connection SPEC  user=U,host=H,addr=A,laddr=L,lport=P,rdomain=R
                     (as sshd -C); may repeat
  --root DIR         read Included files below DIR instead of / (symbolic links
                     resolve inside DIR, as in a chroot)
  --cwd DIR          sshd's working directory, for relative paths (default: the
                     current directory)
  --json             print {"entries": [{"keyword", "value"}],
                     "diagnostics": [...]} (the lines as objects, and the
                     warnings)
  -h, --help         this text

Exit 0 when the configuration is valid, 1 when sshd would reject it (errors on
stderr).`;

const KEYS = new Set(['user', 'host', 'addr', 'laddr', 'lport', 'rdomain']);

/** Parses `user=U,host=H,...` like sshd's parse_server_match_testspec(). */
export function parseConnectionSpec(specs: readonly string[]): SshdConnection {
  const c: Record<string, string> = {};
  for (const spec of specs) {
    for (const part of spec.split(',')) {
      const eq = part.indexOf('=');
      const k = eq > 0 ? part.slice(0, eq) : '';
      if (!KEYS.has(k)) throw new UsageError(`invalid connection specification '${part}' (use user=, host=, addr=, laddr=, lport=, rdomain=)`);
      const v = part.slice(eq + 1);
      if (k === 'lport' && !/^\d+$/.test(v)) throw new UsageError(`invalid port '${v}' in --connection`);
      c[k] = v;
    }
  }
  const conn: SshdConnection = { ...c };
  if (c.lport !== undefined) conn.lport = Number(c.lport);
  return conn;
}

async function runEffective(argv: string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { connection: { type: 'string', multiple: true }, root: { type: 'string' }, cwd: { type: 'string' }, json: { type: 'boolean' } },
    usage,
    io,
  );
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('effective takes exactly one FILE');
  const connection = parseConnectionSpec(args.values.connection ?? []);
  const input = await readInput(args.positionals[0]!, io);
  if ('error' in input) {
    io.stderr(input.error + '\n');
    return EXIT_FINDINGS;
  }
  const doc = parse(input.text, { file: input.file });
  const files = rootFiles(args.values.root, io);
  const cwd = args.values.cwd !== undefined ? (isAbsolute(args.values.cwd) ? args.values.cwd : resolve(io.cwd, args.values.cwd)) : io.cwd;
  const result = effective(doc, connection, { files, cwd });
  // What the root's symbolic links met: a loop is an error, a link out of the root a warning.
  const errors = [...doc.diagnostics.filter((d) => d.severity === 'error'), ...result.diagnostics, ...files.problems.filter((d) => d.severity === 'error')];
  if (errors.length) {
    printDiagnostics(io, errors, input.file);
    return EXIT_FINDINGS;
  }
  if (args.values.json) {
    io.stdout(json({ entries: result.entries, diagnostics: files.problems.map((d) => diagnosticRecord(d, input.file)) }));
    return EXIT_OK;
  }
  printDiagnostics(io, files.problems, input.file);
  io.stdout(result.toString());
  return EXIT_OK;
}

const topUsage = `Usage: fwconf sshd <subcommand> [options]

Subcommands:
  effective   the effective configuration for a connection, as sshd -T -C
              prints it

Run 'fwconf sshd effective --help' for its options.`;

export const command: Command = {
  name: 'sshd',
  summary: 'sshd: effective configuration for a connection',
  // What main prints after a usage error: with the options of effective, the only subcommand.
  usage: `${topUsage}\n\n${usage}`,
  async run(argv, io) {
    const picked = subcommand(argv, ['effective'], topUsage, io);
    return picked ? runEffective(picked[1], io) : EXIT_OK;
  },
};

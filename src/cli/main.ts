/** The `fwconf` command: dispatches to one module per command. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT_FINDINGS, EXIT_USAGE, InputError, processIo, UsageError, type Command, type Io } from './io.js';
import { jsonErrors, wantsJson } from './json-errors.js';

/** Commands load lazily, so `fwconf parse` does not pay for `fwconf apply`. */
const commands: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  parse: { summary: "print a file's typed model as JSON", load: () => import('./parse.js') },
  roundtrip: { summary: 'check that files re-print byte for byte', load: () => import('./roundtrip.js') },
  check: { summary: 'report syntax and value errors', load: () => import('./check.js') },
  sshd: { summary: 'sshd: effective configuration for a connection, hardening audit', load: () => import('./sshd.js') },
  fail2ban: { summary: 'fail2ban: resolved jails with provenance', load: () => import('./fail2ban.js') },
  iptables: { summary: 'iptables-save dumps: rebuild script, bans, diff', load: () => import('./iptables.js') },
  xinetd: { summary: 'xinetd: effective services', load: () => import('./xinetd.js') },
  thpot: { summary: 'tinyhoneypot capture logs: summary', load: () => import('./thpot.js') },
  ufw: { summary: 'ufw: script and plan from status output', load: () => import('./ufw.js') },
  render: { summary: 'render the hardening setup from a spec', load: () => import('./render.js') },
  apply: { summary: 'apply rendered files safely', load: () => import('./apply.js') },
  export: { summary: 'export the setup as an Ansible playbook and role', load: () => import('./export.js') },
};

const usage = () =>
  `Usage: fwconf <command> [options]

Commands:
${Object.entries(commands)
  .map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'fwconf <command> --help' for a command's options.
Exit codes: 0 ok, 1 findings or invalid input, 2 usage error.
`;

/** Runs the CLI with the given arguments (without `node fwconf`); returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`fwconf ${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`fwconf: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const { command } = await entry.load();
  // With --json, standard output is one JSON document even on error (see json-errors.ts).
  const json = wantsJson(rest) ? jsonErrors(io) : undefined;
  const cio = json?.io ?? io;
  try {
    const code = await command.run(rest, cio);
    json?.finish(code);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      cio.stderr(`fwconf ${name}: ${e.message}\n\n${command.usage}\n`);
      json?.finish(EXIT_USAGE, true);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      cio.stderr(`fwconf ${name}: ${e.message}\n`);
      json?.finish(EXIT_FINDINGS);
      return EXIT_FINDINGS;
    }
    throw e;
  }
}

declare const __FWCONF_VERSION__: string | undefined;
const VERSION = typeof __FWCONF_VERSION__ === 'string' ? __FWCONF_VERSION__ : '0.0.0-dev';

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * A reader that went away (`fwconf … | head -1`) ends the process quietly, as a Unix tool that SIGPIPE
 * kills: no message, the status a shell reports for that signal (128 + 13). Node ignores SIGPIPE, so
 * without this the failed write is an unhandled 'error' event and a stack trace.
 */
function exitOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(128 + 13);
    throw e;
  });
}

if (isEntryPoint()) {
  exitOnClosedPipe(process.stdout);
  exitOnClosedPipe(process.stderr);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`fwconf: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 70;
    },
  );
}

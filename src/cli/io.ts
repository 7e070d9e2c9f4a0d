/** What every command shares: its I/O, argument parsing with `--help`, and usage errors (exit 2). */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { diagnostic, formatDiagnostic, type Diagnostic, type DiagnosticCode } from '../core/diagnostics.js';
import { NodeFileSource } from '../core/files.js';
import { decodeUtf8 } from '../core/text.js';

/** Exit codes: 0 ok, 1 findings or invalid input, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input. */
  stdin(): Promise<string>;
  /** Reads all of standard input as bytes (commands that check its UTF-8 use this when present). */
  stdinBytes?(): Promise<Uint8Array>;
  /** Standard input as a stream of chunks, for commands that must not hold it all (logs). */
  stdinStream?(): AsyncIterable<Uint8Array | string>;
  /** Standard input and output are a terminal. */
  readonly interactive: boolean;
  /** Environment, for NO_COLOR and friends. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export class UsageError extends Error {}

/** Input the command cannot work with at all (a --root that does not exist): exit 1, the message on stderr. */
export class InputError extends Error {}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * util.parseArgs with the project's conventions: `--help`/-h on every command (returns undefined
 * after printing the usage), unknown options and missing values become a UsageError.
 */
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
  usage: string,
  io: Io,
): { values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string }; positionals: string[] } | undefined {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) {
    io.stdout(usage.endsWith('\n') ? usage : usage + '\n');
    return undefined;
  }
  // Standard input is read once: a second - would read nothing (an empty file).
  if (parsed.positionals.filter((p) => p === '-').length > 1) throw new UsageError('- (standard input) can be given only once');
  return parsed as never;
}

/**
 * Reads a file argument; `-` is standard input. An unreadable file gives `error`, a diagnostic line
 * (`PATH:1:1: error: cannot read: no such file [fwconf/cannot-read]`) for the caller to print; so
 * does a file that is not UTF-8, at its first bad byte (`PATH:1:6: error: not UTF-8: byte 0xE9 ...
 * [fwconf/invalid-utf8]`): fwconf works on text, and a silent U+FFFD would change the file.
 * `bytes` are the input as read (`text` is exactly their UTF-8 decoding).
 */
export async function readInput(path: string, io: Io): Promise<{ text: string; file: string; bytes: Uint8Array } | { error: string }> {
  let bytes: Uint8Array;
  const file = path === '-' ? '<stdin>' : path;
  if (path === '-') {
    if (!io.stdinBytes) {
      const text = await io.stdin();
      return { text, file, bytes: Buffer.from(text, 'utf8') };
    }
    bytes = await io.stdinBytes();
  } else {
    try {
      bytes = readFileSync(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
      return { error: inputError(path, 'fwconf/cannot-read', `cannot read: ${why}`) };
    }
  }
  const decoded = decodeUtf8(bytes);
  if ('error' in decoded) {
    const { line, column, message } = decoded.error;
    return { error: formatDiagnostic(diagnostic('fwconf/invalid-utf8', 'error', `not UTF-8: ${message}; fwconf reads files as UTF-8 text`, { line, column }, file)) };
  }
  return { text: decoded.text, file, bytes };
}

/**
 * The files a command reads: below `--root DIR` (relative to the command's directory) when given,
 * else the system's. Below a root every symbolic link resolves inside it, as for a daemon chrooted
 * there; what that meets (loops, links out of the root) is in `problems`, for the command to print
 * with its own diagnostics.
 */
export function rootFiles(root: string | undefined, io: Io): NodeFileSource {
  if (root !== undefined) checkRoot(root, io);
  return new NodeFileSource(root !== undefined ? { root: resolve(io.cwd, root) } : {});
}

/** A `--root DIR` must be a directory that exists (else every file below it would just be missing). */
export function checkRoot(root: string, io: Io): void {
  if (root === '') throw new UsageError('--root needs a directory');
  let isDir: boolean;
  try {
    isDir = statSync(resolve(io.cwd, root)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--root ${root}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : (e as Error).message}`);
  }
  if (!isDir) throw new InputError(`--root ${root}: not a directory`);
}

/**
 * One rule for options a mode does not read: each of `names` that was given is a usage error saying
 * where it belongs (`where`: "is an option of plan and commands, not of script").
 */
export function refuseOptions(values: Readonly<Record<string, unknown>>, names: readonly string[], where: string): void {
  const stray = names.find((n) => values[n] !== undefined);
  if (stray) throw new UsageError(`--${stray} ${where}`);
}

/** A problem with a whole input (not a place in it), as a diagnostic line at 1:1. */
export function inputError(file: string, code: DiagnosticCode, message: string): string {
  return formatDiagnostic(diagnostic(code, 'error', message, { line: 1, column: 1 }, file));
}

/**
 * A streaming summary of one log (`thpot summary`, `fail2ban log`): its first 100 diagnostics on stderr
 * and a count of the rest, and an unreadable input said as one diagnostic. Returns the summary, how many
 * diagnostics there were and how many were errors, or undefined when the input could not be read.
 */
export async function summarizeStream<S>(
  io: Io,
  file: string,
  format: string,
  run: (onDiagnostic: (d: Diagnostic) => void) => Promise<S>,
): Promise<{ summary: S; errors: number; diagnostics: number } | undefined> {
  const MAX_DIAGNOSTICS = 100;
  let shown = 0;
  let hidden = 0;
  let errors = 0;
  const onDiagnostic = (d: Diagnostic) => {
    if (d.severity === 'error') errors++;
    if (shown < MAX_DIAGNOSTICS) {
      shown++;
      io.stderr(formatDiagnostic(d, file) + '\n');
    } else hidden++;
  };
  let summary: S;
  try {
    summary = await run(onDiagnostic);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    io.stderr(inputError(file, 'fwconf/cannot-read', `cannot read: ${why}`) + '\n');
    return undefined;
  }
  if (hidden > 0) io.stderr(`${file}: … and ${hidden} more diagnostics (fwconf check --format ${format} ${file} prints them all)\n`);
  return { summary, errors, diagnostics: shown + hidden };
}

export function printDiagnostics(io: Io, ds: readonly Diagnostic[], fallbackFile?: string): void {
  for (const d of ds) io.stderr(formatDiagnostic(d, fallbackFile) + '\n');
}

/** A checking command's report: its diagnostics on stderr and then their count, or with --json one object on stdout. */
export function reportDiagnostics(io: Io, ds: readonly Diagnostic[], asJson: boolean | undefined, fallbackFile?: string): void {
  if (asJson) {
    io.stdout(diagnosticsJson(ds, fallbackFile));
    return;
  }
  printDiagnostics(io, ds, fallbackFile);
  const total = diagnosticsSummary(ds, fallbackFile);
  if (total !== undefined) io.stderr(`${total}\n`);
}

/** A diagnostic in the JSON shape every command's --json uses, with its keys in this order. */
export function diagnosticRecord(d: Diagnostic, fallbackFile?: string): Record<string, unknown> {
  const { line, column, endLine, endColumn, severity, code, message } = d;
  return { file: d.file ?? fallbackFile ?? null, line, column, endLine, endColumn, severity, code, message };
}

/** `{"diagnostics": [{"file", "line", "column", "endLine", "endColumn", "severity", "code", "message"}]}`. */
export function diagnosticsJson(ds: readonly Diagnostic[], fallbackFile?: string): string {
  return json({ diagnostics: ds.map((d) => diagnosticRecord(d, fallbackFile)) });
}

/**
 * The closing count after text diagnostics, as eslint and tsc print one: `2 errors, 1 warning in 3 files`
 * (the files that have any; infos are counted only when there are some). Undefined when there is nothing.
 */
export function diagnosticsSummary(ds: readonly Diagnostic[], fallbackFile = '<input>'): string | undefined {
  if (ds.length === 0) return undefined;
  const count = (severity: string) => ds.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const infos = count('info');
  if (infos) parts.push(`${infos} info`);
  const files = new Set(ds.map((d) => d.file ?? fallbackFile)).size;
  return `${parts.join(', ')} in ${plural(files, 'file')}`;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * For commands made of subcommands (`fwconf sshd effective ...`): splits the subcommand off argv.
 * `--help` in its place prints the usage and gives undefined; a missing or unknown one is a UsageError.
 */
export function subcommand(argv: string[], names: readonly string[], usage: string, io: Io): [string, string[]] | undefined {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(usage.endsWith('\n') ? usage : usage + '\n');
    return undefined;
  }
  const list = names.join(', ');
  if (sub === undefined) throw new UsageError(`missing subcommand (${list})`);
  if (!names.includes(sub)) throw new UsageError(`unknown subcommand '${sub}' (${list})`);
  return [sub, rest];
}

/**
 * For commands whose subcommand is one of their arguments (options may come before it): `--help` with a
 * subcommand (`fwconf ufw plan --help`) gives that subcommand's usage, to print instead of the group's.
 * The subcommand is the first argument that is neither an option nor the value of one of `valued` (the
 * options that take a value, written `--name VALUE`); nothing after `--` counts.
 */
export function subcommandUsage(argv: readonly string[], usages: Readonly<Record<string, string>>, valued: readonly string[] = []): string | undefined {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  if (!args.some((a) => a === '--help' || a === '-h')) return undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return Object.hasOwn(usages, a) ? usages[a] : undefined;
    if (valued.includes(a.replace(/^--/, ''))) i++;
  }
  return undefined;
}

/**
 * Reads FILE (or - for stdin), parses it and prints its diagnostics to stderr. Gives undefined,
 * having said why, when the file cannot be read or has errors.
 */
export async function loadDocument<D extends { readonly diagnostics: readonly Diagnostic[] }>(
  path: string,
  io: Io,
  parse: (text: string, options: { file: string }) => D,
): Promise<D | undefined> {
  const input = await readInput(path, io);
  if ('error' in input) {
    io.stderr(input.error + '\n');
    return undefined;
  }
  const doc = parse(input.text, { file: input.file });
  printDiagnostics(io, doc.diagnostics, input.file);
  return doc.diagnostics.some((d) => d.severity === 'error') ? undefined : doc;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The process's own I/O. */
export function processIo(): Io {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdin: async () => Buffer.from(await readStdin()).toString('utf8'),
    stdinBytes: readStdin,
    stdinStream: () => process.stdin,
    // A getter: touching process.stdin sets up its stream, which a run that never reads it need not pay for.
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY);
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

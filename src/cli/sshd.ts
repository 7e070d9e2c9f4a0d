/** `fwconf sshd effective`: the effective sshd configuration for a connection, as `sshd -T -C` prints it. */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { formatDiagnostic } from '../core/diagnostics.js';
import type { SshdPolicy } from '../sshd/policy.js';
import { diagnosticRecord, json, printDiagnostics, readInput, rootFiles, EXIT_FINDINGS, EXIT_OK, parseCommandArgs, subcommand, UsageError, type Command, type Io } from './io.js';
import { parse } from '../sshd/parse.js';
import { effective, type Explanation } from '../sshd/effective.js';
import { DEFAULT_OPENSSH, SSHD_RELEASES } from '../sshd/defaults.js';
import { KEYWORDS } from '../sshd/keywords.js';
import type { SshdConnection } from '../sshd/model.js';

const usage = `Usage: fwconf sshd effective FILE|- [--connection SPEC] [--all [--openssh REL]]
                              [--explain KEYWORD] [--json] [--root DIR]
                              [--cwd DIR]

Prints the effective configuration as 'keyword value' lines, exactly as
'sshd -T -f FILE -C SPEC' prints them (lowercase keywords, normalised values,
one line per element of multi-valued keywords, ListenAddress expanded), for
every keyword the file and its Includes set, in sshd -T's order. With --all,
every line sshd -T prints, the compiled-in defaults included. Match blocks are
evaluated for the connection; Includes are followed (relative to /etc/ssh).
Nothing is run: the file and its Includes are only read.

Options:
  --connection SPEC  user=U,host=H,addr=A,laddr=L,lport=P,rdomain=R
                     (as sshd -C); may repeat
  --all              every sshd -T line, defaults included
  --openssh REL      whose defaults --all and --explain use, and whose
                     algorithm lists +, - and ^ expand against (default
                     ${DEFAULT_OPENSSH}, Debian 12's; known: ${[...SSHD_RELEASES.keys()].join(', ')},
                     10.0p1 as Debian 13 builds it); the file's keywords are
                     read as that release reads them (10.0p1's
                     RefuseConnection, PerSourcePenalties, ...)
  --explain KEYWORD  the line that decides KEYWORD for the connection (or its
                     default) and the lines it shadows, with the reason
  --json             {"entries": [{"keyword", "value"}] (the lines),
                     "explain": [{keyword, value, winner, contributors,
                     shadowed}] (per keyword), "diagnostics": [...]};
                     with --explain, that keyword's object
  --root DIR         read Included files below DIR instead of / (symbolic links
                     resolve inside DIR, as in a chroot)
  --cwd DIR          sshd's working directory, for relative paths (default: the
                     current directory)
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
    {
      connection: { type: 'string', multiple: true },
      root: { type: 'string' },
      cwd: { type: 'string' },
      all: { type: 'boolean' },
      openssh: { type: 'string' },
      explain: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
    io,
  );
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('effective takes exactly one FILE');
  const connection = parseConnectionSpec(args.values.connection ?? []);
  const openssh = args.values.openssh ?? DEFAULT_OPENSSH;
  if (!SSHD_RELEASES.has(openssh)) throw new UsageError(`no defaults for OpenSSH '${openssh}' (known: ${[...SSHD_RELEASES.keys()].join(', ')})`);
  const explain = args.values.explain;
  if (explain !== undefined && !isKeyword(explain, openssh)) throw new UsageError(`--explain: '${explain}' is not an sshd keyword`);
  const input = await readInput(args.positionals[0]!, io);
  if ('error' in input) {
    io.stderr(input.error + '\n');
    return EXIT_FINDINGS;
  }
  const doc = parse(input.text, { file: input.file });
  const files = rootFiles(args.values.root, io);
  const cwd = args.values.cwd !== undefined ? (isAbsolute(args.values.cwd) ? args.values.cwd : resolve(io.cwd, args.values.cwd)) : io.cwd;
  const all = args.values.all ?? false;
  const result = effective(doc, { connection, files, cwd, all, openssh });
  // What the root's symbolic links met: a loop is an error, a link out of the root a warning.
  const errors = [...doc.diagnostics.filter((d) => d.severity === 'error'), ...result.diagnostics, ...files.problems.filter((d) => d.severity === 'error')];
  if (errors.length) {
    if (args.values.json) io.stdout(json({ diagnostics: errors.map((d) => diagnosticRecord(d, input.file)) }));
    printDiagnostics(io, errors, input.file);
    return EXIT_FINDINGS;
  }
  if (!args.values.json) printDiagnostics(io, files.problems, input.file);
  if (explain !== undefined) {
    const x = result.explain(explain);
    io.stdout(args.values.json ? json(x) : explanationText(x));
  } else if (args.values.json) {
    const keys = [...new Set(result.entries.map((e) => e.keyword))];
    io.stdout(json({ entries: result.entries, explain: keys.map((k) => result.explain(k)), diagnostics: files.problems.map((d) => diagnosticRecord(d, input.file)) }));
  } else io.stdout(result.toString());
  return EXIT_OK;
}

function isKeyword(word: string, openssh: string): boolean {
  const k = word.toLowerCase();
  return [...(SSHD_RELEASES.get(openssh)?.keywords.keywords ?? KEYWORDS).values()].some((x) => x.name.toLowerCase() === k || x.dump === k);
}

const where = (r: { file: string | undefined; line: number }): string => `${r.file ?? '(input)'}:${r.line}`;

/** `--explain` as text: the value, what decided it, what it shadows. */
function explanationText(x: Explanation): string {
  const lines = x.value.length ? x.value.map((v) => `${x.keyword} ${v}`) : [`${x.keyword} (sshd prints no line)`];
  if (x.winner) {
    lines.push(`  decided by ${where(x.winner)}`);
    for (const c of x.contributors.slice(1)) lines.push(`  added to by ${where(c)}`);
  } else lines.push(`  ${x.default}`);
  for (const s of x.shadowed) lines.push(`  shadowed: ${where(s)}: ${s.reason}`);
  return lines.join('\n') + '\n';
}

/** `audit`'s help; the policy names come from policy.ts, which `effective` does not load (yaml and zod cost more than the rest of the run). */
const auditUsage = (policies: readonly string[]) => `Usage: fwconf sshd audit FILE [--policy NAME|FILE] [--json|--sarif] [--fix]
                          [--root DIR] [--cwd DIR]

Audits the effective configuration of each connection class - the global
section and the criteria of each Match block - against a policy. Each finding
names the line that decides the value (or, for a compiled-in default, that a
line must be added) and the edit that fixes it.

Options:
  --policy NAME|FILE  a built-in policy (${policies.join(', ')}, the default) or a
                      YAML policy file
  --json              findings as data: {"classes", "findings", "diagnostics"}
  --sarif             findings as a SARIF 2.1.0 log
  --fix               write the edits: the deciding lines are rewritten in
                      place (only they change), missing ones are added to
                      FILE's global section
  --root DIR          read (and --fix write) files below DIR instead of /
  --cwd DIR           sshd's working directory, for relative paths
  -h, --help          this text

Exit 0 when no finding is an error, 1 otherwise (after --fix: on what is left).`;

async function runAudit(argv: string[], io: Io): Promise<number> {
  // Loaded here, not at the top: `fwconf sshd effective` needs none of it.
  const [{ applyFixes, audit, findingDiagnostic }, { BUILTIN_POLICIES, parsePolicy }, { sarifReport }] = await Promise.all([
    import('../sshd/audit.js'),
    import('../sshd/policy.js'),
    import('./check-output.js'),
  ]);
  const args = parseCommandArgs(
    argv,
    { policy: { type: 'string' }, json: { type: 'boolean' }, sarif: { type: 'boolean' }, fix: { type: 'boolean' }, root: { type: 'string' }, cwd: { type: 'string' } },
    auditUsage([...BUILTIN_POLICIES.keys()]),
    io,
  );
  if (!args) return EXIT_OK;
  if (args.positionals.length !== 1) throw new UsageError('audit takes exactly one FILE');
  if (args.values.json && args.values.sarif) throw new UsageError('--json and --sarif exclude each other');
  if (args.values.fix && args.positionals[0] === '-') throw new UsageError('--fix needs a FILE, not standard input');
  const policyArg = args.values.policy ?? 'baseline';
  let policy: SshdPolicy;
  const builtin = BUILTIN_POLICIES.get(policyArg);
  if (builtin) policy = builtin();
  else {
    const p = await readInput(policyArg, io);
    if ('error' in p) {
      io.stderr(p.error + '\n');
      return EXIT_FINDINGS;
    }
    const parsed = parsePolicy(p.text, p.file);
    if ('error' in parsed) {
      io.stderr(parsed.error + '\n');
      return EXIT_FINDINGS;
    }
    policy = parsed;
  }
  const input = await readInput(args.positionals[0]!, io);
  if ('error' in input) {
    io.stderr(input.error + '\n');
    return EXIT_FINDINGS;
  }
  const files = rootFiles(args.values.root, io);
  const cwd = args.values.cwd !== undefined ? (isAbsolute(args.values.cwd) ? args.values.cwd : resolve(io.cwd, args.values.cwd)) : io.cwd;
  const doc = parse(input.text, { file: input.file });
  let result = audit(doc, policy, { files, cwd });
  if (args.values.fix) {
    const root = args.values.root !== undefined ? resolve(io.cwd, args.values.root) : '/';
    // The main file is FILE as given; other files are read and written below the root.
    const hostPath = (f: string) => (f === input.file ? resolve(io.cwd, f) : join(root, f));
    const edited = applyFixes(result.findings, (f) => (f === input.file ? input.text : files.read(f)));
    for (const [f, text] of edited) {
      writeFileSync(hostPath(f), text);
      io.stderr(`fixed ${f}\n`);
    }
    const again = await readInput(args.positionals[0]!, io);
    if (!('error' in again)) result = audit(parse(again.text, { file: again.file }), policy, { files: rootFiles(args.values.root, io), cwd });
  }
  const ds = [...result.diagnostics, ...result.findings.map((f) => findingDiagnostic(f, input.file))];
  if (args.values.sarif) io.stdout(sarifReport(ds.map((d) => (d.file === undefined ? { ...d, file: input.file } : d))));
  else if (args.values.json) io.stdout(json({ policy: policy.name, classes: result.classes, findings: result.findings, diagnostics: result.diagnostics }));
  else for (const d of ds) io.stdout(formatDiagnostic(d, input.file) + '\n');
  return ds.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

const topUsage = `Usage: fwconf sshd <subcommand> [options]

Subcommands:
  effective   the effective configuration for a connection, as sshd -T -C
              prints it
  audit       each connection class against a hardening policy, with the
              lines to change

Run 'fwconf sshd effective --help' or 'fwconf sshd audit --help' for their
options.`;

export const command: Command = {
  name: 'sshd',
  summary: 'sshd: effective configuration for a connection, hardening audit',
  // What main prints after a usage error: with the options of effective, the only subcommand.
  usage: `${topUsage}\n\n${usage}`,
  async run(argv, io) {
    const picked = subcommand(argv, ['effective', 'audit'], topUsage, io);
    if (!picked) return EXIT_OK;
    return picked[0] === 'audit' ? runAudit(picked[1], io) : runEffective(picked[1], io);
  },
};

/** `fwconf ufw script|plan|commands`: ufw commands from `ufw status` output. */
import { createCommand, deleteCommand, planRules, type NumberedSpec } from '../ufw/commands.js';
import { parse } from '../ufw/parse.js';
import { renderScript } from '../ufw/render.js';
import type { UfwStatusDocument } from '../ufw/document.js';
import { ruleToSpec } from '../ufw/tuple.js';
import { FILE_SUBCOMMANDS, runFileCommand } from './ufw-files.js';
import { EXIT_FINDINGS, EXIT_OK, json, loadDocument, parseCommandArgs, refuseOptions, subcommandUsage, UsageError, type Command, type Io } from './io.js';

const EXIT_TEXT = 'Exit 0 ok, 1 when an input has errors or a rule cannot be created by ufw,\n2 usage error.';

const scriptUsage = `Usage: fwconf ufw script STATUS_VERBOSE_FILE|-

Prints a POSIX shell script (ufw --force reset, default policies, logging, app
policy, the rules in order, ufw --force enable when active) that recreates the
state of a \`ufw status verbose\` output: run it and \`ufw status verbose\` prints
the same bytes. App profiles named in the rules must exist on the machine that
runs it.

${EXIT_TEXT}

Options:
  -h, --help   this text`;

const planUsage = `Usage: fwconf ufw plan [--json] CURRENT DESIRED

Prints the ufw commands that turn CURRENT into DESIRED (both \`ufw status\`
outputs; one of them may be - for standard input): deletes first (by number,
highest first, when CURRENT is \`ufw status numbered\`; by rule otherwise), then
adds, keeping the order of the IPv4 and the IPv6 rules.

${EXIT_TEXT}

Options:
  --json       print {"commands": [...], "kept", "deleted", "added",
               "problems": [...]}
  -h, --help   this text`;

const commandsUsage = `Usage: fwconf ufw commands [--json] STATUS_FILE|-

Prints, for each rule of a \`ufw status\` output, the ufw command that creates it
and the one that deletes it.

${EXIT_TEXT}

Options:
  --json       print [{"line", "create", "delete"}]
  -h, --help   this text`;

const usage = `Usage: fwconf ufw script STATUS_VERBOSE_FILE|-
       fwconf ufw plan [--json] CURRENT DESIRED
       fwconf ufw commands [--json] STATUS_FILE|-
       fwconf ufw status [verbose|numbered] [--root DIR]
       fwconf ufw show-added [--root DIR]
       fwconf ufw check-files [--root DIR] [--json]
       fwconf ufw backups [--root DIR] [--json]
       fwconf ufw restore STAMP [--root DIR] [--yes]

script       a POSIX shell script that recreates the state of a
             \`ufw status verbose\` output
plan         the ufw commands that turn CURRENT into DESIRED (both
             \`ufw status\` outputs)
commands     for each rule of a status output, the ufw command that creates
             it and the one that deletes it
status       what \`ufw status\` prints for ufw's files (also while ufw is off)
show-added   what \`ufw show added\` prints for ufw's files
check-files  findings over ufw's files (untupled lines, shadowed rules, ...)
backups      the backup sets \`ufw reset\` left, with their rules and a diff
restore      puts a backup set back, through fwconf's apply

${EXIT_TEXT}
Run 'fwconf ufw <subcommand> --help' for the details and options of each.`;

async function load(path: string, io: Io): Promise<UfwStatusDocument | undefined> {
  const doc = await loadDocument(path, io, parse);
  if (doc && doc.status === null) {
    io.stderr(`${path === '-' ? '<stdin>' : path}: not \`ufw status\` output (no Status: line)\n`);
    return undefined;
  }
  return doc;
}

export const command: Command = {
  name: 'ufw',
  summary: "ufw: script and plan from status output; status from ufw's files",
  usage,
  async run(argv, io) {
    const first = argv.find((a) => !a.startsWith('-'));
    if (first !== undefined && (FILE_SUBCOMMANDS as readonly string[]).includes(first)) return runFileCommand(argv, io);
    const own = subcommandUsage(argv, { script: scriptUsage, plan: planUsage, commands: commandsUsage });
    if (own) {
      io.stdout(`${own}\n`);
      return EXIT_OK;
    }
    const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    const [sub, ...files] = args.positionals;
    if (sub === 'script') {
      refuseOptions(args.values, ['json'], 'is an option of plan and commands, not of script');
      if (files.length !== 1) throw new UsageError('script takes one STATUS_VERBOSE_FILE (or - for stdin)');
      const doc = await load(files[0]!, io);
      if (!doc) return EXIT_FINDINGS;
      const state = doc.state();
      if (!state) {
        io.stderr(`${files[0]}: the script needs \`ufw status verbose\` output (defaults, logging and app ports are only shown there)\n`);
        return EXIT_FINDINGS;
      }
      try {
        io.stdout(renderScript(state, { header: [`recreates the ufw state of ${files[0] === '-' ? 'standard input' : files[0]}`] }));
      } catch (e) {
        if (e instanceof RangeError) {
          io.stderr(`${files[0]}: ${e.message}\n`);
          return EXIT_FINDINGS;
        }
        throw e;
      }
      return EXIT_OK;
    }
    if (sub === 'plan') {
      if (files.length !== 2) throw new UsageError('plan takes CURRENT and DESIRED');
      if (files[0] === '-' && files[1] === '-') throw new UsageError('only one of CURRENT and DESIRED can be standard input');
      const cur = await load(files[0]!, io);
      const want = await load(files[1]!, io);
      if (!cur || !want) return EXIT_FINDINGS;
      const current: NumberedSpec[] = cur.rules.map((r) => ({ ...ruleToSpec(r), number: r.number }));
      const p = planRules(current, want.specs());
      if (args.values.json) io.stdout(json({ ...p, commands: p.commands.map((c) => c.text) }));
      else for (const c of p.commands) io.stdout(c.text + '\n');
      for (const problem of p.problems) io.stderr(`error: ${problem}\n`);
      return p.problems.length ? EXIT_FINDINGS : EXIT_OK;
    }
    if (sub === 'commands') {
      if (files.length !== 1) throw new UsageError('commands takes one STATUS_FILE (or - for stdin)');
      const doc = await load(files[0]!, io);
      if (!doc) return EXIT_FINDINGS;
      const rows = doc.rules.map((r) => {
        const s = ruleToSpec(r);
        return { line: r.line, create: createCommand(s).text, delete: r.number !== null ? `ufw --force delete ${r.number}` : deleteCommand(s).text };
      });
      if (args.values.json) io.stdout(json(rows));
      else for (const r of rows) io.stdout(`${r.create}\n  undo: ${r.delete}\n`);
      return EXIT_OK;
    }
    throw new UsageError(sub === undefined ? 'missing subcommand (script, plan or commands)' : `unknown subcommand '${sub}' (script, plan or commands)`);
  },
};

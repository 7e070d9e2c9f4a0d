import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { checkHost, checkUfwScript, looksLikeUfwScript, readHost, type HostDiagnostic } from '../host/index.js';
import { formatHostDiagnostics, jsonReport, sarifReport } from './check-output.js';
import { diagnosticsSummary, EXIT_FINDINGS, EXIT_OK, parseCommandArgs, readInput, rootFiles, UsageError, type Command } from './io.js';
import { formatFor, namedFormat } from './select.js';

const usage = `Usage: fwconf check [--format F] [--root DIR] [--json | --sarif] FILE...
       fwconf check --host [--root DIR] [--ufw-status FILE]
                           [--iptables-save FILE] [--nft-ruleset FILE]
                           [--json | --sarif]

Prints every diagnostic (syntax, values, references) on stderr as
file:line:col: severity: message [code], then their count
(2 errors, 1 warning in 3 files). Exit 1 when any file has an error, 0 otherwise
(warnings alone do not fail).

FILE... checks the files and what they include (below --root), never the
machine: no users, executables or logs are looked up, so a rendered file checks
the same on any machine. A ufw script (#!/bin/sh with ufw commands, as fwconf
renders etc/fwconf/ufw.sh) is checked as one.

--host checks the whole setup below DIR (default /): sshd_config with its
Includes, xinetd.conf with includedir, the fail2ban tree, ufw's state (etc/ufw,
or --ufw-status), fwconf's ufw script, the locale, /etc/passwd and
/etc/services, the units enabled in etc/systemd/system/*.wants/. It adds the
host facts and the findings across files (host/honeypot-port-conflict,
host/ssh-port-not-allowed, host/jail-port-mismatch, host/jail-log-missing, ...),
each with the place of both sides and the fix.

Options:
  --format F            sshd, xinetd, fail2ban, iptables-save (or iptables),
                        ufw-status (or ufw), thpot, ufw-rules (user.rules,
                        before.rules, ...), ufw-conf (ufw.conf,
                        /etc/default/ufw), ufw-app (applications.d profiles),
                        fail2ban-log (default: detected per file)
  --root DIR            read files below DIR instead of / (symbolic links
                        resolve inside DIR, as in a chroot); with --host,
                        places are printed as paths below DIR
  --host                check the whole host (no FILE arguments)
  --ufw-status FILE     with --host: the output of \`ufw status verbose\`,
                        instead of ufw's files
  --iptables-save FILE  with --host: an iptables-save dump, for the ban-chain
                        findings
  --nft-ruleset FILE    with --host: the output of \`nft list ruleset\`, for
                        the nftables tables beside ufw's
  --json                print {"diagnostics": [{"file", "line", "column",
                        "endLine", "endColumn", "severity", "code", "message",
                        "related"}]} on stdout instead
  --sarif               print a SARIF 2.1.0 log on stdout (for code scanning)
  -h, --help            this text`;

const isDirectory = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

export const command: Command = {
  name: 'check',
  summary: 'report syntax and value errors',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      argv,
      {
        format: { type: 'string' },
        root: { type: 'string' },
        host: { type: 'boolean' },
        'ufw-status': { type: 'string' },
        'iptables-save': { type: 'string' },
        'nft-ruleset': { type: 'string' },
        json: { type: 'boolean' },
        sarif: { type: 'boolean' },
      },
      usage,
      io,
    );
    if (!args) return EXIT_OK;
    if (args.values.json && args.values.sarif) throw new UsageError('--json and --sarif cannot be combined');
    const output = args.values.json ? 'json' : args.values.sarif ? 'sarif' : 'text';
    /** Prints in order: a string is a whole-input problem line (a file that cannot be read), already formatted. */
    const report = (items: ReadonlyArray<string | HostDiagnostic>) => {
      if (output === 'json') io.stdout(jsonReport(items));
      else if (output === 'sarif') io.stdout(sarifReport(items));
      else {
        io.stderr(items.flatMap((x) => (typeof x === 'string' ? [x] : formatHostDiagnostics([x]))).map((l) => l + '\n').join(''));
        const summary = diagnosticsSummary(items.filter((x): x is HostDiagnostic => typeof x !== 'string'));
        if (summary) io.stderr(`${summary}\n`);
      }
    };
    if (args.values.host) {
      if (args.positionals.length > 0) throw new UsageError('--host checks the whole host: give no FILE arguments');
      if (args.values.format !== undefined) throw new UsageError('--format is for FILE arguments, not --host');
      if (args.values.root !== undefined && !isDirectory(resolve(io.cwd, args.values.root))) throw new UsageError(`--root ${args.values.root}: not a directory`);
      const files = rootFiles(args.values.root, io);
      const inputs: Parameters<typeof readHost>[1] = {};
      const problems: string[] = [];
      for (const [opt, key] of [['ufw-status', 'ufwStatus'], ['iptables-save', 'iptablesSave'], ['nft-ruleset', 'nftRuleset']] as const) {
        const path = args.values[opt];
        if (path === undefined) continue;
        const input = await readInput(path, io);
        if ('error' in input) problems.push(input.error);
        else inputs[key] = { text: input.text, file: input.file };
      }
      const host = readHost(files, inputs);
      const given = new Set([inputs.ufwStatus?.file, inputs.iptablesSave?.file, inputs.nftRuleset?.file]);
      const root = args.values.root;
      // Below a root, a daemon path is shown as the file on disk, so the place can be opened.
      const place = (f: string | undefined) => (f === undefined || root === undefined || given.has(f) || !f.startsWith('/') ? f : join(root, f));
      const ds = [...checkHost(host), ...files.problems].map((d): HostDiagnostic => {
        const h = d as HostDiagnostic;
        return { ...h, ...(h.file !== undefined ? { file: place(h.file) } : {}), ...(h.related ? { related: h.related.map((r) => ({ ...r, file: place(r.file)! })) } : {}) };
      });
      report([...problems, ...ds]);
      return problems.length > 0 || hasErrors(ds) ? EXIT_FINDINGS : EXIT_OK;
    }
    if (args.values['ufw-status'] !== undefined || args.values['iptables-save'] !== undefined || args.values['nft-ruleset'] !== undefined) throw new UsageError('--ufw-status, --iptables-save and --nft-ruleset go with --host');
    if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE (or --host)');
    const named = namedFormat(args.values.format);
    const files = rootFiles(args.values.root, io);
    let failed = false;
    const all: Array<string | Diagnostic> = [];
    for (const path of args.positionals) {
      const input = await readInput(path, io);
      if ('error' in input) {
        all.push(input.error);
        failed = true;
        continue;
      }
      if (!named && looksLikeUfwScript(input.file, input.text)) {
        const ds = checkUfwScript(input.text, input.file);
        all.push(...ds);
        if (hasErrors(ds)) failed = true;
        continue;
      }
      const format = formatFor(named, input.file, input.text);
      if (typeof format === 'string') {
        all.push(format);
        failed = true;
        continue;
      }
      const seen = files.problems.length;
      const checked = format.check(format.parse(input.text, { file: input.file }), { files, baseDir: dirname(input.file) });
      // What this file's references met in the root's symbolic links (each reported once).
      const ds = sortDiagnostics([...checked, ...files.problems.slice(seen)]).map((d) => (d.file === undefined ? { ...d, file: input.file } : d));
      all.push(...ds);
      if (hasErrors(ds)) failed = true;
    }
    report(all);
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

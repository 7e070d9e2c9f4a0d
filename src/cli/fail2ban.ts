/** `fwconf fail2ban`: resolved jails (as fail2ban's client passes them to the server) with provenance, and checks of a configuration directory. */
import { resolve as resolvePath } from 'node:path';
import { hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { toResolvedJSON } from '../fail2ban/json.js';
import { pyRepr } from '../fail2ban/options.js';
import { pyStr, type PyValue } from '../fail2ban/pytext.js';
import { resolve, type Command as F2bCommand, type Provenance, type ResolvedJail } from '../fail2ban/resolve.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, printDiagnostics, refuseOptions, reportDiagnostics, rootFiles, subcommandUsage, UsageError, type Command } from './io.js';

const resolveUsage = `Usage: fwconf fail2ban resolve [--conf-dir DIR] [--jail NAME]
                              [--json | --commands] [--root DIR]

Prints every enabled jail as fail2ban 1.0.2's client resolves it: options after
%()s interpolation, the filter's regexes, the actions and every parameter, each
value exactly as the client passes it to the server. Without --json, a readable
listing with the file and line of every option and the values it overrode.

Options:
  --conf-dir DIR  the configuration directory (default /etc/fail2ban), as
                  fail2ban-client -c
  --jail NAME     only this jail
  --json          {"general": {SETTING: {"value", "file", "line"}}, "jails":
                  {NAME: {"options", "filter", "actions"}}}: fail2ban.conf's
                  settings with where each is written, then the jails
  --commands      the command stream, one Python list per line, as
                  fail2ban-client -d prints it (nothing, exit 1, where
                  fail2ban-client stops reading the configuration)
  --root DIR      read every path (configuration and log files) below DIR
                  (symbolic links resolve inside DIR, as in a chroot)
  -h, --help      this text

Exit codes: 0 ok, 1 errors in the configuration, 2 usage error.`;

const checkUsage = `Usage: fwconf fail2ban check [--conf-dir DIR] [--json] [--root DIR]

Reports unknown jail options, missing filter/action files, bad time values, %()s
errors (with the chain of names that led there) and log paths that match no
file, as file:line:col: severity: message [code] on stderr.

Options:
  --conf-dir DIR  the configuration directory (default /etc/fail2ban), as
                  fail2ban-client -c
  --json          print {"diagnostics": [{"file", "line", "column", "endLine",
                  "endColumn", "severity", "code", "message"}]} on stdout
  --root DIR      read every path (configuration and log files) below DIR
                  (symbolic links resolve inside DIR, as in a chroot)
  -h, --help      this text

Exit codes: 0 ok, 1 errors in the configuration, 2 usage error.`;

const usage = `Usage: fwconf fail2ban resolve|check|test|bans|unban|log|status [options]

Subcommands:
  resolve   every enabled jail as fail2ban's client resolves it, with the file
            and line each value comes from
  check     unknown options, missing filter/action files, bad values, %()s
            errors, log paths that match no file
  test      read a log as fail2ban does with a jail's or a filter's regexes,
            and play out the bans
  bans      the ban database: current and ended bans per jail; with
            --reconcile, what differs from an iptables-save dump
  unban     unban an address in every jail and chain that holds it
  log       a fail2ban.log summarised: bans per jail, per address, per hour
  status    fail2ban-client status [JAIL] output as data

Run 'fwconf fail2ban SUBCOMMAND --help' for the options of each.`;

export const command: Command = {
  name: 'fail2ban',
  summary: 'fail2ban: resolved jails with provenance',
  usage,
  async run(argv, io) {
    if (argv[0] === 'test') return runTestCommand(argv.slice(1), io);
    if (argv[0] === 'bans' || argv[0] === 'unban') return runBanCommand(argv[0], argv.slice(1), io);
    if (argv[0] === 'log') return (await import('./fail2ban-log.js')).runLog(argv.slice(1), io);
    if (argv[0] === 'status') return (await import('./fail2ban-log.js')).runStatus(argv.slice(1), io);
    const own = subcommandUsage(argv, { resolve: resolveUsage, check: checkUsage }, ['conf-dir', 'jail', 'root']);
    if (own) {
      io.stdout(`${own}\n`);
      return EXIT_OK;
    }
    const args = parseCommandArgs(
      argv,
      { 'conf-dir': { type: 'string' }, jail: { type: 'string' }, json: { type: 'boolean' }, commands: { type: 'boolean' }, root: { type: 'string' } },
      usage,
      io,
    );
    if (!args) return EXIT_OK;
    const [sub, ...extra] = args.positionals;
    if (sub !== 'resolve' && sub !== 'check') throw new UsageError(sub === undefined ? 'name a subcommand: resolve, check, test, log or status' : `unknown subcommand '${sub}'`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (sub === 'check') refuseOptions(args.values, ['jail', 'commands'], 'is an option of resolve, not of check');
    if (args.values.json && args.values.commands) throw new UsageError('--json and --commands exclude each other');
    const root = args.values.root;
    const files = rootFiles(root, io);
    const dir = args.values['conf-dir'] ?? '/etc/fail2ban';
    const confDir = root !== undefined ? dir : resolvePath(io.cwd, dir);
    if (sub === 'check') {
      // Loaded only here: `resolve` must not pay for the checks' start-up.
      const { checkConfig } = await import('../fail2ban/check.js');
      const ds = sortDiagnostics([...checkConfig(confDir, { files }), ...files.problems]);
      reportDiagnostics(io, ds, args.values.json);
      return hasErrors(ds) ? EXIT_FINDINGS : EXIT_OK;
    }
    const r = resolve(confDir, { files, ...(args.values.jail !== undefined ? { jail: args.values.jail } : {}) });
    if (args.values.jail !== undefined && !r.jails.some((j) => j.name === args.values.jail)) {
      const known = r.sections.includes(args.values.jail);
      io.stderr(`fwconf fail2ban: jail '${args.values.jail}' ${known ? 'is not enabled' : 'does not exist'} in ${confDir}\n`);
      printDiagnostics(io, [...r.diagnostics, ...files.problems]);
      return EXIT_FINDINGS;
    }
    // Where fail2ban-client stops while reading (r.fatal), `-d` prints no stream: nor does --commands.
    if (args.values.commands) io.stdout(r.fatal ? '' : [...r.general, ...r.commands].map((c) => pyList(c) + '\n').join(''));
    else if (args.values.json) io.stdout(json(toResolvedJSON(r)));
    else io.stdout(r.jails.map(listing).join('\n'));
    const ds = [...r.diagnostics, ...files.problems];
    printDiagnostics(io, ds);
    return r.fatal || hasErrors(ds) ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** `fwconf fail2ban test`: its own options; loaded only when used. */
async function runTestCommand(argv: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const { testUsage, parseTestArgs, runTest } = await import('./fail2ban-test.js');
  const args = parseCommandArgs(
    argv,
    {
      'conf-dir': { type: 'string' },
      root: { type: 'string' },
      jail: { type: 'string' },
      db: { type: 'string' },
      now: { type: 'string' },
      'no-date': { type: 'boolean' },
      'show-missed': { type: 'boolean' },
      json: { type: 'boolean' },
      'json-lines': { type: 'boolean' },
    },
    testUsage,
    io,
  );
  if (!args) return EXIT_OK;
  const a = parseTestArgs(args.positionals, args.values, io);
  const files = rootFiles(a.root, io);
  return runTest(a, io, files);
}

/** `fwconf fail2ban bans|unban`: their own options; loaded only when used. */
async function runBanCommand(sub: 'bans' | 'unban', argv: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const m = await import('./fail2ban-bans.js');
  if (sub === 'bans') {
    const args = parseCommandArgs(argv, m.bansOptions, m.bansUsage, io);
    return args ? m.runBans(args.positionals, args.values, io) : EXIT_OK;
  }
  const args = parseCommandArgs(argv, m.unbanOptions, m.unbanUsage, io);
  return args ? m.runUnban(args.positionals, args.values, io) : EXIT_OK;
}

/** Python's print(list). */
function pyList(c: F2bCommand): string {
  const one = (v: unknown): string =>
    Array.isArray(v)
      ? '[' + v.map(one).join(', ') + ']'
      : typeof v === 'string'
        ? pyRepr(v)
        : v !== null && typeof v === 'object'
          ? '{' + Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${one(x)}`).join(', ') + '}'
          : pyStr(v as PyValue);
  return one(c);
}

function where(p: Provenance | undefined): string {
  if (!p) return '';
  const at = p.file ? `${p.file}:${p.line}` : (p.note ?? 'default');
  const over = p.overrides.map((o) => (o.file ? `${o.file}:${o.line}` : 'default')).join(', ');
  return ` (${at}${over ? `; overrides ${over}` : ''})`;
}

function listing(j: ResolvedJail): string {
  const out: string[] = [`[${j.name}]`];
  if (j.error) return out.concat(`  skipped by fail2ban: ${j.error}`, '').join('\n') + '\n';
  out.push(`  backend = ${j.backend}${where(j.provenance.backend)}`);
  for (const [k, v] of Object.entries(j.options)) out.push(`  ${k} = ${Array.isArray(v) ? v.join(' ') : pyStr(v as PyValue)}${where(j.provenance[k])}`);
  if (j.logpathPatterns.length) out.push(`  logpath = ${j.logpathPatterns.join(', ')}${where(j.provenance.logpath)} → ${j.logpath.length ? j.logpath.map((l) => l.path).join(', ') : 'no file'}`);
  if (j.filter) {
    const f = j.filter;
    const args = Object.entries(f.args).map(([k, v]) => `${k}=${v}`).join(', ');
    out.push(`  filter ${f.name}${args ? `[${args}]` : ''}${where(j.provenance.filter)} from ${f.files.join(', ')}`);
    for (const r of f.failregex) out.push(`    failregex ${r}`);
    for (const r of f.ignoreregex) out.push(`    ignoreregex ${r}`);
    if (f.prefregex !== undefined) out.push(`    prefregex ${f.prefregex}`);
    if (f.datepattern !== undefined) out.push(`    datepattern ${f.datepattern}`);
    if (f.maxlines !== undefined) out.push(`    maxlines ${pyStr(f.maxlines)}`);
    for (const m of f.journalmatch) out.push(`    journalmatch ${m.join(' ')}`);
  }
  out.push(`  actions${where(j.provenance.action)}`);
  for (const a of j.actions) {
    out.push(`    ${a.name} (${a.file}${a.files.length ? ' from ' + a.files.join(', ') : ''})`);
    for (const [k, v] of Object.entries(a.params)) out.push(`      ${k} = ${pyStr(v).replace(/\n/g, '\n        ')}`);
    if (a.python) out.push(`      ${a.python.path} ${a.python.json}`);
  }
  return out.join('\n') + '\n';
}

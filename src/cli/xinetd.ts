/** `fwconf xinetd effective`: the services xinetd would run from a configuration. */
import { isAbsolute, resolve } from 'node:path';
import { hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { effective, effectiveFromFile, type EffectiveConfig } from '../xinetd/effective.js';
import { parse } from '../xinetd/parse.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, printDiagnostics, rootFiles, subcommand, UsageError, type Command, type Io } from './io.js';

const usage = `Usage: fwconf xinetd effective [--conf FILE] [--root DIR] [--json]

Reads an xinetd configuration the way xinetd 2.3.15 does (defaults merged,
+=/-= applied, include and includedir followed in xinetd's order) and prints the
services it would run, then the ones it would drop and why. xinetd's complaints
go to stderr as diagnostics. Exit 0 when nothing is an error, 1 when something
is (a dropped entry, a bad value, a missing file).

Options:
  --conf FILE  the main configuration (default /etc/xinetd.conf; - for standard
               input); with --root, a path below DIR
  --root DIR   read every file (includes, /etc/passwd, /etc/services, ...) below
               DIR instead of / (symbolic links resolve inside DIR, as in a
               chroot)
  --json       print { defaults, services, removed, files } as JSON
  -h, --help   this text`;

export const command: Command = {
  name: 'xinetd',
  summary: 'xinetd: effective services',
  usage,
  async run(argv, io) {
    const picked = subcommand(argv, ['effective'], usage, io);
    if (!picked) return EXIT_OK;
    const [, rest] = picked;
    const args = parseCommandArgs(rest, { conf: { type: 'string' }, root: { type: 'string' }, json: { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (use --conf FILE)`);
    const root = args.values.root;
    const files = rootFiles(root, io);
    let conf = args.values.conf ?? '/etc/xinetd.conf';
    if (root === undefined && !isAbsolute(conf) && conf !== '-') conf = resolve(io.cwd, conf);
    const cwd = root === undefined ? io.cwd : '/';
    // --conf - reads the main file from standard input, as every other command reads FILE -.
    const result =
      conf === '-' ? effective(parse(await io.stdin(), { file: '<stdin>' }), { files, cwd }) : effectiveFromFile(conf, { files, cwd });
    const ds = sortDiagnostics([...result.diagnostics, ...files.problems]);
    if (args.values.json) {
      io.stdout(json({ defaults: result.defaults, services: result.services, removed: result.removed, files: result.files }));
    } else io.stdout(text(result));
    printDiagnostics(io, ds);
    return hasErrors(ds) ? EXIT_FINDINGS : EXIT_OK;
  },
};

function text(r: EffectiveConfig): string {
  let s = '';
  const def = Object.entries(r.defaults.attributes);
  if (def.length) s += 'defaults\n' + def.map(([k, v]) => `  ${k} = ${v.join(' ')}\n`).join('');
  s += `services (${r.services.length})\n`;
  for (const x of r.services) {
    s += `  ${x.name}${x.id !== x.name ? ` (id ${x.id})` : ''}  ${x.file}:${x.line}\n`;
    const fields: [string, unknown][] = [
      ['type', x.type.join(' ')],
      ['socket_type', x.socketType],
      ['protocol', x.protocol],
      ['port', x.port],
      ['wait', x.wait === undefined ? undefined : x.wait ? 'yes' : 'no'],
      ['user', x.user],
      ['group', x.group],
      ['server', x.server],
      ['argv', x.serverArgv?.join(' ')],
      ['flags', x.flags.join(' ')],
      ['instances', x.instances],
      ['per_source', x.perSource],
      ['nice', x.nice],
      ['only_from', x.onlyFrom?.join(' ')],
      ['no_access', x.noAccess?.join(' ')],
    ];
    s += fields
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `    ${k.padEnd(12)} ${String(v)}\n`)
      .join('');
  }
  if (r.removed.length) {
    s += `removed (${r.removed.length})\n`;
    for (const x of r.removed) s += `  ${x.name}${x.id !== x.name ? ` (id ${x.id})` : ''}  ${x.file}:${x.line}  ${x.reason}\n`;
  }
  return s;
}

export type { Io };

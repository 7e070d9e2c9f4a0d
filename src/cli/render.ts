/** `fwconf render`: the hardening setup from a spec (or the built-in one), printed or written to a tree. */
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { DEFAULT_SPEC, EXAMPLE_SPEC_YAML } from '../builder/default-spec.js';
import { loadSpec } from '../builder/load.js';
import type { RenderResult } from '../builder/model.js';
import { isRenderedByFwconf, render } from '../builder/render.js';
import { writeOutDir } from './out-dir.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, readInput, refuseOptions, UsageError, type Command } from './io.js';

const usage = `Usage: fwconf render [SPEC] [--out DIR] [--json] [--force] [--ufw-files]
       fwconf render --example-spec

Renders the hardening setup described by SPEC (YAML or JSON; - reads standard
input). Without SPEC it renders the built-in spec: sshd on port 2201 with
PermitRootLogin no and the usual hardening, the thp-pasv honeypot on port 22
under xinetd, fail2ban jails sshd, thp-ssh and nginx-http-auth, and ufw (deny
incoming, allow outgoing, allow 2201/tcp, 80/tcp, 443/tcp, and 22/tcp for the
honeypot).

Files: etc/ssh/sshd_config.d/00-fwconf.conf, etc/xinetd.d/NAME,
etc/fail2ban/jail.local, etc/fail2ban/filter.d/NAME.local,
etc/fail2ban/action.d/NAME.local, etc/fwconf/ufw.sh.

The ufw part is by default etc/fwconf/ufw.sh, a script of ufw commands: ufw
itself then checks and stores each rule (whatever its version writes), and
apply saves and can restore the firewall around it. With --ufw-files it is
ufw's own files instead, as ufw would hold them after that script:
etc/ufw/user.rules, user6.rules, ufw.conf and etc/default/ufw (for a tree ufw
cannot run on, or to review the result; fwconf apply --ufw-files installs
them and has ufw load them).

Without --out each file is printed under a '==> PATH <==' header. Notes about
choices made for you go to standard error. A spec that fails validation exits 1
with its errors on standard error.

Options:
  --out DIR        write the files under DIR (DIR/etc/...); a file that exists
                   and was not written by fwconf render (its marker comment is
                   missing) is not overwritten
  --force          overwrite such files anyway
  --json           print the result as JSON:
                   { files: [{ path, content, format, service, mode }], notes }
  --ufw-files      render ufw's own files instead of the ufw script
  --example-spec   print the built-in spec as commented YAML, the starting point
                   for your own
  -h, --help       this text`;

export const command: Command = {
  name: 'render',
  summary: 'render the hardening setup from a spec',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      argv,
      { out: { type: 'string' }, json: { type: 'boolean' }, force: { type: 'boolean' }, 'example-spec': { type: 'boolean' }, 'ufw-files': { type: 'boolean' } },
      usage,
      io,
    );
    if (!args) return EXIT_OK;
    if (args.values['example-spec']) {
      if (args.positionals.length > 0) throw new UsageError('--example-spec takes no SPEC');
      refuseOptions(args.values, ['out', 'json', 'force', 'ufw-files'], 'has no meaning with --example-spec');
      io.stdout(EXAMPLE_SPEC_YAML);
      return EXIT_OK;
    }
    if (args.positionals.length > 1) throw new UsageError('render takes at most one SPEC');
    if (args.values.out === '') throw new UsageError('--out needs a directory');
    if (args.values.out === undefined) refuseOptions(args.values, ['force'], 'is an option of --out (it overwrites files there), not of printing');

    const renderOptions = { ufw: args.values['ufw-files'] ? ('files' as const) : ('script' as const) };
    let result: RenderResult;
    const specPath = args.positionals[0];
    if (specPath === undefined) {
      result = render(DEFAULT_SPEC, renderOptions);
    } else {
      const input = await readInput(specPath, io);
      if ('error' in input) {
        io.stderr(input.error + '\n');
        return EXIT_FINDINGS;
      }
      const loaded = loadSpec(input.text, { file: input.file });
      for (const d of loaded.diagnostics) io.stderr(formatDiagnostic(d, input.file) + '\n');
      if (!loaded.spec || hasErrors(loaded.diagnostics)) return EXIT_FINDINGS;
      result = render(loaded.spec, renderOptions);
      result = { files: result.files, notes: result.notes.filter((n) => !n.startsWith('warning: ')) };
      if (result.files.length === 0) {
        io.stderr(`${input.file}: warning: the spec has none of ssh, honeypots, fail2ban, ufw: nothing to render (fwconf render --example-spec prints a starting point)\n`);
      }
    }

    if (args.values.out !== undefined) {
      const failed = await writeOutDir(io, args.values.out, result.files, { force: !!args.values.force, quiet: !!args.values.json, ours: isRenderedByFwconf, writer: 'fwconf render' });
      if (failed !== undefined) return failed;
    }
    if (args.values.json) io.stdout(json(result));
    else if (args.values.out === undefined) io.stdout(result.files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n'));
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    return EXIT_OK;
  },
};

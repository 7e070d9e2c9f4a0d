/** `fwconf export ansible [SPEC] --out DIR`: the setup as an Ansible playbook and role. */
import { DEFAULT_SPEC } from '../builder/default-spec.js';
import { loadSpec } from '../builder/load.js';
import { fieldPath, isRenderedByFwconf, SpecError } from '../builder/render.js';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { exportAnsible, ExportError, type AnsibleExport } from '../export/ansible.js';
import { writeOutDir } from './out-dir.js';
import { EXIT_FINDINGS, EXIT_OK, json, parseCommandArgs, readInput, subcommand, UsageError, type Command } from './io.js';

const usage = `Usage: fwconf export ansible [SPEC] --out DIR [--force] [--json]

Writes an Ansible playbook that applies what 'fwconf render SPEC' gives (the
built-in spec without SPEC; - reads standard input) with the safety of
'fwconf apply': DIR/site.yml, DIR/group_vars/all.yml and the role
DIR/roles/fwconf (tasks, handlers, defaults, the files and templates, a check
helper), and DIR/README.md, which lists the variables.

The role asserts the host check and the lockout guard before it writes
anything; runs sshd -t, fail2ban-client -t and sh -n on a staged copy of the
tree, then installs each file with a backup and the same check as its
validate; comments out sshd_config's own Port lines and adds its Include line
as apply does; reloads ssh, xinetd and fail2ban and runs the ufw script only
when fwconf_root is /.

Per-host variables: fwconf_ssh_port (ssh.port, with the ufw rules and jail
ports that name it) and fwconf_fail2ban_jails (the enabled flag of each jail
the spec switches); fwconf_root (default /) prefixes every destination.

Options:
  --out DIR   write the files under DIR; a file there that fwconf did not
              write is not overwritten
  --force     overwrite such files anyway
  --json      print { files: [{ path, mode }], variables, notes } instead of
              the list of files written
  -h, --help  this text`;

/** True for a file a fwconf export (or render, for the role's files) wrote. */
function writtenByFwconf(text: string): boolean {
  return text.includes('fwconf export ansible') || isRenderedByFwconf(text);
}

/** Where a spec field (`ssh.port`) is written in the spec's text (1:1 when it is not there). */
function fieldPosition(text: string, spec: unknown, field: string): { line: number; col: number } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const node = doc.getIn(fieldPath(spec, field), true);
  return isNode(node) && node.range ? counter.linePos(node.range[0]) : { line: 1, col: 1 };
}

export const command: Command = {
  name: 'export',
  summary: 'export the setup as an Ansible playbook and role',
  usage,
  async run(argv, io) {
    const picked = subcommand(argv, ['ansible'], usage, io);
    if (!picked) return EXIT_OK;
    const args = parseCommandArgs(picked[1], { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, usage, io);
    if (!args) return EXIT_OK;
    if (args.positionals.length > 1) throw new UsageError('export ansible takes at most one SPEC');
    if (args.values.out === undefined || args.values.out === '') throw new UsageError('--out DIR is needed: the directory to write the playbook in');

    let spec: unknown = DEFAULT_SPEC;
    let file = '<built-in spec>';
    let text: string | undefined;
    const specPath = args.positionals[0];
    if (specPath !== undefined) {
      const input = await readInput(specPath, io);
      if ('error' in input) {
        io.stderr(input.error + '\n');
        return EXIT_FINDINGS;
      }
      file = input.file;
      text = input.text;
      const loaded = loadSpec(input.text, { file });
      for (const d of loaded.diagnostics) io.stderr(formatDiagnostic(d, file) + '\n');
      if (!loaded.spec || hasErrors(loaded.diagnostics)) return EXIT_FINDINGS;
      spec = loaded.spec;
    }
    let result: AnsibleExport;
    try {
      result = exportAnsible(spec as never);
    } catch (e) {
      if (e instanceof ExportError) {
        const at = text === undefined ? { line: 1, col: 1 } : fieldPosition(text, spec, e.field);
        io.stderr(`${file}:${at.line}:${at.col}: error: ${e.field}: ${e.reason} [${e.code}]\n`);
        return EXIT_FINDINGS;
      }
      if (e instanceof SpecError) {
        io.stderr(`fwconf export: ${e.message}\n`);
        return EXIT_FINDINGS;
      }
      throw e;
    }

    const failed = await writeOutDir(io, args.values.out, result.files, { force: !!args.values.force, quiet: !!args.values.json, ours: writtenByFwconf, writer: 'fwconf' });
    if (failed !== undefined) return failed;
    if (args.values.json) io.stdout(json({ files: result.files.map((f) => ({ path: f.path, mode: f.mode })), variables: result.variables, notes: result.notes }));
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    return EXIT_OK;
  },
};

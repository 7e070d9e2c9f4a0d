/** `fwconf iptables script|bans|diff`: rebuild scripts, the fail2ban view and semantic diffs of iptables-save dumps. */
import { diff, fail2ban, formatDiff, parse, rebuildScript, type Family, type IptablesDocument } from '../iptables/index.js';
import { familyDiagnostic } from '../iptables/check.js';
import { EXIT_FINDINGS, EXIT_OK, json, loadDocument, parseCommandArgs, printDiagnostics, refuseOptions, subcommandUsage, UsageError, type Command, type Io } from './io.js';

const FAMILY_TEXT = `A file is for ip6tables when its header says ip6tables-save, else when its name
is rules.v6, *.v6 or ip6tables*, else when a rule has an IPv6 address or ICMPv6;
otherwise for iptables. Where nothing says so for certain, an info diagnostic
names the family assumed.`;

const FAMILY_OPTION = `  --family ipv4|ipv6     read the FILEs as iptables or ip6tables files, whatever
                         they say`;

const scriptUsage = `Usage: fwconf iptables script [--counters] [--family ipv4|ipv6] FILE|-

Prints a shell script of iptables (ip6tables for IPv6 dumps) commands that
rebuilds the dump's chains, policies and rules on a host with empty tables.
Diagnostics go to stderr; a dump with errors gives exit 1.

${FAMILY_TEXT}

Options:
  --counters             carry rule counters over with -c PACKETS BYTES
${FAMILY_OPTION}
  -h, --help             this text`;

const bansUsage = `Usage: fwconf iptables bans [--json] [--family ipv4|ipv6] FILE|-

Prints fail2ban's view of the dump: its f2b-* chains (fail2ban-* from fail2ban
0.8), the banned addresses, the block types and the jails. A dump with no
fail2ban chain at all says so in a note on stderr (and "note" in the JSON).
Diagnostics go to stderr; a dump with errors gives exit 1.

${FAMILY_TEXT}

Options:
  --json                 print {"jails": [{"jail", "table", "chain", "bans",
                         "entries", "ipsets", ...}], "note"?}
${FAMILY_OPTION}
  -h, --help             this text`;

const diffUsage = `Usage: fwconf iptables diff [--json] [--family ipv4|ipv6] A B

Prints the chains and rules added or removed and the policy changes from dump A
to dump B (counters, comments and timestamps do not count). Exit 0 when they are
the same, 1 when they differ or a dump has errors. A or B may be - for standard
input.

${FAMILY_TEXT}
A dump that says nothing about its family is read as the other one is.

Options:
  --json                 print {"changes": [...]}
${FAMILY_OPTION}
  -h, --help             this text`;

const usage = `Usage: fwconf iptables <subcommand> [options] FILE...

Subcommands:
  script [--counters] FILE   a shell script of iptables (ip6tables for IPv6
                             dumps) commands that rebuilds the dump's chains,
                             policies and rules on a host with empty tables
  bans [--json] FILE         fail2ban's view: f2b-* (and 0.8's fail2ban-*)
                             chains, banned addresses, block types, jails
  diff [--json] A B          chains and rules added or removed, policy changes
                             (counters, comments and timestamps do not count);
                             exit 1 when the dumps differ

FILE may be - for standard input. Diagnostics go to stderr; a dump with errors
gives exit 1. Every subcommand takes --family ipv4|ipv6.
Run 'fwconf iptables <subcommand> --help' for the options of each.`;

async function load(path: string, io: Io, family: Family | undefined, note = true): Promise<IptablesDocument | undefined> {
  const doc = await loadDocument(path, io, (text, options) => parse(text, { ...options, family }));
  if (doc && note) noteFamily(doc, io);
  return doc;
}

/** Says which family a file was read for, when nothing in it said so for certain. */
function noteFamily(doc: IptablesDocument, io: Io): void {
  const d = familyDiagnostic(doc);
  if (d) printDiagnostics(io, [d], doc.file);
}

export const command: Command = {
  name: 'iptables',
  summary: 'iptables-save dumps: rebuild script, bans, diff',
  usage,
  async run(argv, io) {
    const own = subcommandUsage(argv, { script: scriptUsage, bans: bansUsage, diff: diffUsage }, ['family']);
    if (own) {
      io.stdout(`${own}\n`);
      return EXIT_OK;
    }
    const args = parseCommandArgs(argv, { counters: { type: 'boolean' }, json: { type: 'boolean' }, family: { type: 'string' } }, usage, io);
    if (!args) return EXIT_OK;
    const [sub, ...files] = args.positionals;
    const family = args.values.family;
    if (family !== undefined && family !== 'ipv4' && family !== 'ipv6') throw new UsageError(`--family is ipv4 or ipv6, not '${family}'`);
    // An option the subcommand does not read is refused, not silently ignored.
    if (sub === 'bans' || sub === 'diff') refuseOptions(args.values, ['counters'], `is an option of script, not of ${sub}`);
    if (sub === 'script') refuseOptions(args.values, ['json'], 'is an option of bans and diff, not of script');
    switch (sub) {
      case 'script': {
        if (files.length !== 1) throw new UsageError('script takes exactly one FILE');
        const doc = await load(files[0]!, io, family);
        if (!doc) return EXIT_FINDINGS;
        io.stdout(rebuildScript(doc, { counters: Boolean(args.values.counters) }));
        return EXIT_OK;
      }
      case 'bans': {
        if (files.length !== 1) throw new UsageError('bans takes exactly one FILE');
        const doc = await load(files[0]!, io, family);
        if (!doc) return EXIT_FINDINGS;
        const view = fail2ban(doc);
        // A dump without any fail2ban chain says so, rather than print nothing.
        const none = view.jails.length ? undefined : `${doc.file ?? files[0]} holds no fail2ban chain (f2b-NAME, or fail2ban-NAME from fail2ban 0.8) and no f2b- ipset: nothing in it is a fail2ban ban`;
        if (none) io.stderr(`note: ${none}\n`);
        if (args.values.json) {
          io.stdout(json({ jails: view.jails.map((j) => ({ ...j, entries: j.entries.map(({ rule: _r, ...e }) => e), ipsets: j.ipsets.map(({ rule: _r, ...s }) => s) })), ...(none ? { note: none } : {}) }));
          return EXIT_OK;
        }
        let out = '';
        for (const j of view.jails) {
          const entries = j.entries.map((e) => `${e.chain}${e.protocol ? ' ' + e.protocol : ''}${e.ports ? ' ' + e.ports : ''}`).join(', ');
          out += `jail ${j.jail} (${j.table}${j.chain ? ' ' + j.chain : ''}): ${j.bans.length} banned${entries ? `; from ${entries}` : ''}${j.ipsets.length ? `; ipset ${j.ipsets.map((s) => `${s.set} -> ${s.blocktype}`).join(', ')}` : ''}\n`;
          for (const b of j.bans) out += `  ${b.address}\t${b.blocktype}\n`;
        }
        io.stdout(out);
        return EXIT_OK;
      }
      case 'diff': {
        if (files.length !== 2) throw new UsageError('diff takes two FILEs');
        let a = await load(files[0]!, io, family, false);
        let b = await load(files[1]!, io, family, false);
        if (!a || !b) return EXIT_FINDINGS;
        // A file that says nothing about its family is read as the other one is (and needs no note).
        const reread = (d: IptablesDocument, f: Family) => (d.family === f ? d : parse(d.toString(), { file: d.file, family: f }));
        const silent = (d: IptablesDocument) => d.familySource === 'default';
        if (silent(a) && !silent(b)) {
          a = reread(a, b.family);
          noteFamily(b, io);
        } else if (silent(b) && !silent(a)) {
          b = reread(b, a.family);
          noteFamily(a, io);
        } else {
          if (a.family !== b.family) {
            io.stderr(`fwconf iptables: ${files[0]} is read as an ${a.family === 'ipv6' ? 'ip6tables' : 'iptables'} file, ${files[1]} as an ${b.family === 'ipv6' ? 'ip6tables' : 'iptables'} one; --family says which both are\n`);
            return EXIT_FINDINGS;
          }
          noteFamily(a, io);
          noteFamily(b, io);
        }
        const changes = diff(a, b);
        io.stdout(args.values.json ? json({ changes }) : formatDiff(changes));
        return changes.length ? EXIT_FINDINGS : EXIT_OK;
      }
      case undefined:
        throw new UsageError('a subcommand is required (script, bans, diff)');
      default:
        throw new UsageError(`unknown subcommand '${sub}' (script, bans, diff)`);
    }
  },
};

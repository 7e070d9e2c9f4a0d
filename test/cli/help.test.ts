// Every command's and every subcommand's --help: its own text (not its group's), on stdout, exit 0, and
// no line wider than 80 columns.
import { describe, expect, it } from 'vitest';
import { runCli } from './capture-io.js';

/** The subcommands of each command that has them (a command without an entry has none). */
const SUBCOMMANDS: Record<string, string[]> = {
  sshd: ['effective'],
  fail2ban: ['resolve', 'check', 'bans', 'unban', 'log', 'status'],
  iptables: ['script', 'bans', 'diff'],
  xinetd: ['effective'],
  thpot: ['summary'],
  ufw: ['script', 'plan', 'commands', 'status', 'show-added', 'check-files', 'backups', 'restore'],
  export: ['ansible'],
};

function wideLines(text: string): string[] {
  return text.split('\n').filter((l) => [...l].length > 80);
}

describe('fwconf --help', async () => {
  const top = await runCli(['--help']);
  // The commands as the top-level help lists them: a new command is covered without editing this test.
  const commands = [...top.out.matchAll(/^ {2}([a-z0-9]+) {2,}\S/gm)].map((m) => m[1]!);

  it('lists the commands, within 80 columns', () => {
    expect(top.code).toBe(0);
    expect(commands).toEqual(expect.arrayContaining(['parse', 'check', 'roundtrip', 'fail2ban', 'iptables', 'ufw', 'render', 'apply']));
    expect(wideLines(top.out)).toEqual([]);
  });

  it('knows the subcommands of every command that lists some', async () => {
    for (const name of commands) {
      const { out } = await runCli([name, '--help']);
      const listed = SUBCOMMANDS[name] ?? [];
      for (const sub of listed) expect(out).toMatch(new RegExp(`\\b${sub}\\b`));
    }
  });

  it.each(['parse', 'roundtrip', 'check', 'sshd', 'fail2ban', 'iptables', 'xinetd', 'thpot', 'ufw', 'render', 'apply', 'export'])(
    '%s --help: its usage on stdout, exit 0, lines of at most 80 columns',
    async (name) => {
      const r = await runCli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(new RegExp(`^Usage: fwconf ${name}\\b`));
      expect(wideLines(r.out)).toEqual([]);
    },
  );

  const subs = Object.entries(SUBCOMMANDS).flatMap(([name, list]) => list.map((sub) => [name, sub] as const));
  it.each(subs)('%s %s --help: the subcommand\'s own usage, within 80 columns', async (name, sub) => {
    const r = await runCli([name, sub, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    // Its own text: the usage line names this subcommand, and no other subcommand of the group has one.
    expect(r.out).toMatch(new RegExp(`^Usage: fwconf ${name} ${sub}\\b`));
    for (const other of SUBCOMMANDS[name]!.filter((s) => s !== sub)) expect(r.out).not.toMatch(new RegExp(`^\\s*(Usage: )?fwconf ${name} ${other}\\b`, 'm'));
    expect(wideLines(r.out)).toEqual([]);
  });

  it('takes the subcommand after its options (and their values), and -h for --help', async () => {
    for (const argv of [
      ['fail2ban', '--conf-dir=/nonexistent', 'check', '-h'],
      ['fail2ban', '--conf-dir', 'resolve', 'check', '--help'],
      ['iptables', '--family', 'ipv6', 'bans', '--help'],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out, argv.join(' ')).toMatch(new RegExp(`^Usage: fwconf ${argv[0]} ${argv.at(-2)}\\b`));
    }
  });

  it('calls the spec used without SPEC the built-in spec, in render and apply alike', async () => {
    for (const name of ['render', 'apply']) {
      const { out } = await runCli([name, '--help']);
      expect(out.replace(/\s+/g, ' ')).toMatch(/without SPEC,? (it renders |)the built-in spec/i);
      expect(out).not.toMatch(/seed setup|built-in setup/);
    }
  });
});

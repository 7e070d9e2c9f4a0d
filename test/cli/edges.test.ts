// The CLI's edges, one rule each for every command: standard input read once, --json meaning one
// JSON document on standard output even on error, options a mode does not read refused, a --root
// that does not exist refused, unreadable files reported as positioned diagnostics with a code, and
// a YAML alias bomb in a spec reported as a spec diagnostic.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './capture-io.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwconf-edges-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const missing = () => path.join(dir, 'no-such-dir');
/** The JSON document a --json run printed (it must be exactly one). */
const doc = (out: string) => JSON.parse(out) as { diagnostics?: { code: string; severity: string; message: string; file?: string; line?: number; column?: number }[] };

describe('- (standard input) given twice', () => {
  for (const argv of [
    ['iptables', 'diff', '-', '-'],
    ['roundtrip', '-', '-'],
    ['check', '-', '-'],
    ['ufw', 'plan', '-', '-'],
  ])
    it(`${argv.join(' ')}: a usage error, nothing read`, async () => {
      const r = await runCli(argv, '*filter\nCOMMIT\n');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/(- \(standard input\) can be given only once|only one of CURRENT and DESIRED can be standard input)/);
      expect(r.out).toBe('');
    });

  it('once is still fine', async () => {
    expect((await runCli(['roundtrip', '--format', 'sshd', '-'], 'Port 22\n')).code).toBe(0);
  });
});

describe('--json on error: {"diagnostics": [...]} on standard output, whatever the command', () => {
  const cases: { argv: () => string[]; code: number; diag: RegExp; position?: boolean }[] = [
    { argv: () => ['iptables', 'bans', '--json', missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['iptables', 'diff', '--json', missing(), missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['thpot', 'summary', '--json', missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['ufw', 'plan', '--json', missing(), missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['ufw', 'commands', '--json', missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['render', '--json', missing()], code: 1, diag: /^fwconf\/cannot-read$/, position: true },
    { argv: () => ['xinetd', 'effective', '--json', '--root', missing()], code: 1, diag: /^fwconf\/error$/ },
    { argv: () => ['fail2ban', 'resolve', '--json', '--root', missing()], code: 1, diag: /^fwconf\/error$/ },
    { argv: () => ['ufw', 'script', '--json', '-'], code: 2, diag: /^fwconf\/usage$/ },
    { argv: () => ['check', '--json', '--sarif', '-'], code: 2, diag: /^fwconf\/usage$/ },
  ];
  for (const c of cases)
    it(c.argv().join(' ').replaceAll(dir, 'DIR'), async () => {
      const r = await runCli(c.argv());
      expect(r.code, r.err).toBe(c.code);
      const d = doc(r.out).diagnostics!;
      expect(d.length, r.out).toBeGreaterThan(0);
      expect(d[0]!.code).toMatch(c.diag);
      expect(d[0]!.severity).toBe('error');
      if (c.position) expect(d[0]).toMatchObject({ file: expect.stringContaining('no-such-dir'), line: 1, column: 1 });
      // and standard error still says it
      expect(r.err).toContain(d[0]!.message);
    });

  it('a run that succeeds prints its own document only', async () => {
    const r = await runCli(['ufw', 'commands', '--json', '-'], 'Status: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       Anywhere\n\n');
    expect(r.code, r.err).toBe(0);
    expect(Array.isArray(JSON.parse(r.out))).toBe(true);
  });
});

describe('an option the mode does not read is a usage error, for every command', () => {
  for (const argv of [
    ['ufw', 'script', '--json', '-'],
    ['render', '--force'],
    ['render', '--example-spec', '--json'],
    ['iptables', 'script', '--json', '-'],
    ['iptables', 'bans', '--counters', '-'],
    ['fail2ban', 'check', '--jail', 'sshd'],
    ['thpot', 'summary', '--json', '--top', '3', '-'],
    ['apply', '--dry-run', '--wait', '5'],
  ])
    it(argv.join(' '), async () => {
      const r = await runCli(argv, '');
      expect(r.code).toBe(2);
      const first = r.err.split('\n')[0]!;
      expect(first).toMatch(/^fwconf \w+: --[a-z-]+ (is an option of|has no meaning with)/);
      // with --json, the same usage error as the one JSON document
      if (argv.includes('--json')) expect(doc(r.out)).toEqual({ diagnostics: [{ code: 'fwconf/usage', severity: 'error', message: first }] });
      else expect(r.out).toBe('');
    });
});

describe('a --root that does not exist', () => {
  const sshd = () => {
    const f = path.join(dir, 'sshd_config');
    fs.writeFileSync(f, 'Include d/*.conf\nPort 22\n');
    return f;
  };
  for (const argv of [
    () => ['sshd', 'effective', sshd(), '--root', missing()],
    () => ['check', '--root', missing(), sshd()],
    () => ['fail2ban', 'check', '--root', missing()],
    () => ['fail2ban', 'resolve', '--root', missing()],
    () => ['xinetd', 'effective', '--root', missing()],
    () => ['apply', '--root', missing(), '--yes'],
  ])
    it(`${argv().slice(0, 2).join(' ')}: exit 1, naming it`, async () => {
      const r = await runCli(argv());
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`--root ${missing()}: no such directory`);
      expect(r.out).toBe('');
    });

  it('a --root that is a file: not a directory', async () => {
    const r = await runCli(['check', '--root', sshd(), sshd()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(': not a directory');
  });
});

describe("thpot's unreadable file", () => {
  it('is a positioned diagnostic with a code, as for the other commands', async () => {
    const r = await runCli(['thpot', 'summary', missing()]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${missing()}:1:1: error: cannot read: no such file [fwconf/cannot-read]\n`);
    const d = await runCli(['thpot', 'summary', dir]);
    expect(d.err).toBe(`${dir}:1:1: error: cannot read: is a directory [fwconf/cannot-read]\n`);
  });
});

describe('a YAML alias bomb in a spec', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefgh'[i]).join(',')}]`)].join('\n') + '\n';
  for (const cmd of ['render', 'apply'])
    it(`${cmd}: a spec diagnostic with its position, exit 1, not an internal error`, async () => {
      const f = path.join(dir, 'bomb.yaml');
      fs.writeFileSync(f, bomb);
      const r = await runCli(cmd === 'apply' ? ['apply', f, '--dry-run', '--root', dir] : ['render', f]);
      expect(r.code).toBe(1);
      // the first alias of an anchor that holds aliases itself: line 3 (c: [*b, ...]), column 8
      expect(r.err).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:8: error: the aliases expand to too much .* \\[builder/yaml-aliases\\]$`, 'm'));
      expect(r.out).toBe('');
    });

  it('aliases within the limit (100 copies) are fine', async () => {
    const f = path.join(dir, 'many.yaml');
    const ports = Array(60).fill('*p').join(', ');
    fs.writeFileSync(f, `x-port: &p 2201\nssh:\n  port: *p\nufw:\n  rules:\n    - { action: allow, port: *p, proto: tcp }\nx-list: [${ports}]\n`);
    const r = await runCli(['render', f]);
    expect(r.err).not.toContain('aliases expand');
  });
});

// `fail2ban-client status [JAIL]` output, as fail2ban-server 1.0.2 printed it (fixtures/fail2ban-status):
// parsed to data, printed back byte for byte.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../src/fail2ban/status.js';
import { runCli } from '../cli/capture-io.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'fail2ban-status');
const read = (n: string) => readFileSync(join(DIR, n), 'utf8');

describe('fail2ban-client status output', () => {
  it('prints every fixture back byte for byte, without diagnostics', () => {
    const names = readdirSync(DIR).sort();
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const n of names) {
      const doc = parseStatus(read(n), { file: n });
      expect(doc.toString(), n).toBe(read(n));
      expect(doc.diagnostics, n).toEqual([]);
    }
  });

  it('status: the number of jails and their names', () => {
    expect(parseStatus(read('status.txt')).toJSON()).toMatchObject({ kind: 'server', jails: 3, jailList: ['journal', 'sshd', 'thp-ssh'] });
  });

  it('status JAIL: counts, files or journal matches, banned addresses', () => {
    expect(parseStatus(read('status-sshd.txt')).toJSON()).toMatchObject({
      kind: 'jail',
      jail: 'sshd',
      filter: { currentlyFailed: 0, totalFailed: 0, fileList: ['/tmp/f2blog/run2/auth.log'], journalMatches: null },
      actions: { currentlyBanned: 2, totalBanned: 2, bannedIPList: ['192.168.88.242', '203.0.113.7'] },
    });
    expect(parseStatus(read('status-thp-ssh-empty.txt')).toJSON()).toMatchObject({ actions: { currentlyBanned: 0, bannedIPList: [] } });
    expect(parseStatus(read('status-journal.txt')).toJSON()).toMatchObject({ filter: { fileList: null, journalMatches: '_SYSTEMD_UNIT=sshd.service + _COMM=sshd' } });
  });

  it('keeps a line outside the tree, with a diagnostic on it', () => {
    const text = read('status-sshd.txt').replace('`- Actions\n', 'garbage\n`- Actions\n');
    const doc = parseStatus(text, { file: 's' });
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics.map((d) => [d.code, d.line])).toEqual([['fail2ban/status-unknown-line', 6]]);
    expect(doc.toJSON()).toMatchObject({ actions: { currentlyBanned: 2 } });
  });

  it('prints any text back byte for byte', () => {
    const sample = ['Status', 'Status for the jail: x', '|- Filter', '|  |- Total failed:\t3', '`- Actions', '   `- Banned IP list:\t1.2.3.4', 'junk', ''];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...sample), fc.string({ maxLength: 12 })), { maxLength: 15 }), fc.constantFrom('\n', '\r\n'), (ls, eol) => {
        const text = ls.join(eol);
        expect(parseStatus(text).toString()).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fwconf fail2ban status', () => {
  it('--json prints the parsed data; without, one line per banned address', async () => {
    const file = join(DIR, 'status-sshd.txt');
    const j = await runCli(['fail2ban', 'status', '--json', file]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toEqual(parseStatus(read('status-sshd.txt')).toJSON());
    const t = await runCli(['fail2ban', 'status', '-'], read('status-sshd.txt'));
    expect(t.out).toBe('sshd 192.168.88.242\nsshd 203.0.113.7\n');
    const s = await runCli(['fail2ban', 'status', '-'], read('status.txt'));
    expect(s.out).toBe('journal\nsshd\nthp-ssh\n');
  });

  it('reports lines outside the tree, exit 1', async () => {
    const r = await runCli(['fail2ban', 'status', '-'], 'Status\nnope\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^<stdin>:2:1: warning: .*\[fail2ban\/status-unknown-line\]/m);
  });
});

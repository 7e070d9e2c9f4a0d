// host/jail-filter-never-matches against the real fail2ban: on a copy of the applied default setup,
// the jail's log is seeded and fail2ban-regex runs the same filter file over the same lines. The
// finding is there exactly when fail2ban-regex matches none of them (and counts the same lines).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fcSeed } from '../fast-check-setup.js';
import { run } from '../spawn.js';
import { appliedRoot, copyRoot, hostCodes, removeRoot, write, type JsonDiagnostic } from './fixtures.js';

const roots: string[] = [];
const track = (r: string) => (roots.push(r), r);
afterAll(() => roots.forEach(removeRoot));

let base: string;
beforeAll(async () => {
  base = track(await appliedRoot());
});

interface RegexCount {
  lines: number;
  ignored: number;
  matched: number;
}

/** fail2ban-regex (no DNS) over a log with a filter file of the root. */
async function fail2banRegex(log: string, filterFile: string): Promise<RegexCount> {
  const r = await run(['fail2ban-regex', '--raw', log, filterFile]);
  expect(r.status, r.stderr).toBe(0);
  const m = /^Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/m.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  return { lines: Number(m![1]), ignored: Number(m![2]), matched: Number(m![3]) };
}

async function neverMatches(root: string, jail: string): Promise<JsonDiagnostic | undefined> {
  const h = await hostCodes(root);
  return h.diagnostics.find((d) => d.code === 'host/jail-filter-never-matches' && d.message.startsWith(`jail [${jail}]:`));
}

/** The log of a jail in a copy, as the real fail2ban reads it (ROOT/var/..., see hostRoot). */
const AUTH = 'var/log/auth.log';
const CAPTURES = 'var/log/thpot/captures';
const ANCHORED_THPOT = '[Definition]\nfailregex = ^\\s*SID=\\S+ PID=\\d+ SRC=<HOST>\n';

describe('jail-filter-never-matches', () => {
  it('a honeypot log with Japanese months and a failregex anchored after the date: an error naming the month and LC_TIME=POSIX', async () => {
    const root = track(copyRoot(base));
    write(root, 'etc/fail2ban/filter.d/thpot.local', ANCHORED_THPOT);
    write(root, CAPTURES, fs.readFileSync(new URL('../../fixtures/thpot/captures-ja_JP', import.meta.url), 'utf8'));
    const d = (await neverMatches(root, 'thp-ssh'))!;
    expect(d).toBeDefined();
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/none of the last 22 lines .* 22 have no date fail2ban can read \('2月' is a month name of ja_JP/);
    expect(d.fix).toContain('LC_TIME=POSIX');
    expect(d.file).toBe(path.join(root, root, CAPTURES));
    expect(d.line).toBe(1);
    expect(d.related.map((r) => r.message)).toEqual(['filter of [thp-ssh]', 'logpath of [thp-ssh]']);
    expect(d.command).toBe(`fwconf fail2ban test --root ${root} --jail thp-ssh --show-missed ${root}/${CAPTURES}`);
    const f = await fail2banRegex(path.join(root, CAPTURES), path.join(root, 'etc/fail2ban/filter.d/thpot.local'));
    expect(f).toMatchObject({ lines: 22, matched: 0 });

    // Written with LC_TIME=POSIX: the same captures in English months match, and the finding is gone.
    write(root, CAPTURES, fs.readFileSync(new URL('../../fixtures/thpot/captures', import.meta.url), 'utf8'));
    expect(await neverMatches(root, 'thp-ssh')).toBeUndefined();
    expect((await fail2banRegex(path.join(root, CAPTURES), path.join(root, 'etc/fail2ban/filter.d/thpot.local'))).matched).toBeGreaterThan(0);
  });

  it('every line ignored by the ignoreregex: a warning that says so (fail2ban-regex ignores them all too)', async () => {
    const root = track(copyRoot(base));
    write(root, 'etc/fail2ban/filter.d/thpot.local', '[Definition]\nfailregex = SRC=<HOST>\nignoreregex = PID=\\d+\n');
    write(root, CAPTURES, fs.readFileSync(new URL('../../fixtures/thpot/captures', import.meta.url), 'utf8'));
    const d = (await neverMatches(root, 'thp-ssh'))!;
    expect(d.severity).toBe('warning');
    const f = await fail2banRegex(path.join(root, CAPTURES), path.join(root, 'etc/fail2ban/filter.d/thpot.local'));
    expect(f.matched).toBe(0);
    expect(d.message).toContain(`none of the last ${f.lines} lines`);
    expect(d.message).toContain(`${f.ignored} are ignored by its ignoreregex`);
    expect(d.fix).toMatch(/ignoreregex/);
  });

  it("a jail's log holds another program's lines: the filter's prefregex fails on each (warning)", async () => {
    const root = track(copyRoot(base));
    write(root, 'etc/fail2ban/filter.d/thpot.local', '[Definition]\nprefregex = ^\\s*SID=\\S+ <F-CONTENT>.+</F-CONTENT>$\nfailregex = SRC=<HOST>\n');
    const nginx = Array.from({ length: 5 }, (_, i) => `2026/12/06 10:00:0${i} [error] 812#812: *${i} user "admin" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.${i + 1}, server: _, request: "GET / HTTP/1.1", host: "example.org"\n`).join('');
    write(root, CAPTURES, nginx);
    const d = (await neverMatches(root, 'thp-ssh'))!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('5 fail its prefregex');
    expect(d.fix).toContain('logpath');
    expect(await fail2banRegex(path.join(root, CAPTURES), path.join(root, 'etc/fail2ban/filter.d/thpot.local'))).toMatchObject({ lines: 5, matched: 0 });
    // The honeypot's own lines pass the prefregex and match.
    write(root, CAPTURES, fs.readFileSync(new URL('../../fixtures/thpot/captures', import.meta.url), 'utf8'));
    expect(await neverMatches(root, 'thp-ssh')).toBeUndefined();
    expect((await fail2banRegex(path.join(root, CAPTURES), path.join(root, 'etc/fail2ban/filter.d/thpot.local'))).matched).toBeGreaterThan(0);
  });

  it('a quiet auth.log (logins only) is an info, not an error; the bound: only the last 1000 lines count', async () => {
    const root = track(copyRoot(base));
    const ok = (i: number) => `Dec  6 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} host sshd[${1000 + i}]: Accepted publickey for alice from 192.0.2.9 port ${5000 + i} ssh2: ED25519 SHA256:abc\n`;
    const fail = 'Dec  6 09:59:59 host sshd[999]: Invalid user admin from 203.0.113.5 port 4242\n';
    const quiet = Array.from({ length: 1500 }, (_, i) => ok(i));
    write(root, AUTH, quiet.join(''));
    let d = (await neverMatches(root, 'sshd'))!;
    expect(d.severity).toBe('info');
    expect(d.message).toContain('none of the last 1000 lines');
    expect(d.line).toBe(501);
    // A failure in the first lines is beyond the bound; in the last ones it counts.
    write(root, AUTH, fail + quiet.join(''));
    d = (await neverMatches(root, 'sshd'))!;
    expect(d.line).toBe(502);
    const full = await fail2banRegex(path.join(root, AUTH), path.join(root, 'etc/fail2ban/filter.d/sshd.conf'));
    expect(full).toMatchObject({ lines: 1501, matched: 1 });
    const tail = path.join(root, 'tail.log');
    fs.writeFileSync(tail, fs.readFileSync(path.join(root, AUTH), 'utf8').split('\n').slice(-1001).join('\n'));
    expect(await fail2banRegex(tail, path.join(root, 'etc/fail2ban/filter.d/sshd.conf'))).toMatchObject({ lines: 1000, matched: 0 });
    write(root, AUTH, quiet.join('') + fail);
    expect(await neverMatches(root, 'sshd')).toBeUndefined();
  });

  it('property: over generated auth.logs, the finding is there exactly when fail2ban-regex matches no line', async () => {
    const root = track(copyRoot(base));
    const date = fc.constantFrom('Dec  6 10:00:01 ', '12月  6 10:00:01 ', 'Mai  6 10:00:01 ', '2026-12-06T10:00:01.123456+00:00 ', '');
    const body = fc.constantFrom(
      'host sshd[123]: Invalid user admin from 203.0.113.5 port 4242',
      'host sshd[124]: Failed password for root from 198.51.100.7 port 22 ssh2',
      'host sshd[125]: Accepted publickey for alice from 192.0.2.9 port 5000 ssh2: ED25519 SHA256:abc',
      'host sshd[126]: Connection closed by authenticating user root 198.51.100.8 port 40000 [preauth]',
      'host CRON[200]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      'host sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/true',
    );
    const line = fc.oneof({ weight: 8, arbitrary: fc.tuple(date, body).map(([d, b]) => d + b) }, { weight: 1, arbitrary: fc.constantFrom('', '# a comment') });
    const seed = fcSeed();
    const filterFile = path.join(root, 'etc/fail2ban/filter.d/sshd.conf');
    let findings = 0;
    for (const lines of fc.sample(fc.array(line, { minLength: 0, maxLength: 12 }), { numRuns: 14, seed })) {
      const text = lines.map((l) => l + '\n').join('');
      write(root, AUTH, text);
      const d = await neverMatches(root, 'sshd');
      const f = await fail2banRegex(path.join(root, AUTH), filterFile);
      expect({ seed, text, finding: d !== undefined }).toEqual({ seed, text, finding: f.lines > 0 && f.matched === 0 });
      if (d) {
        findings++;
        expect(d.message).toContain(`none of the last ${f.lines} lines`);
        expect(d.severity === 'error').toBe(lines.filter((l) => l && !l.startsWith('#')).every((l) => /^(12月|Mai|host)/.test(l)));
      }
    }
    console.log(`jail-filter-never-matches in ${findings} of 14 generated logs`);
  });
});

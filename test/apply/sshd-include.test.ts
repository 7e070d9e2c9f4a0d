import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includesFile, insertInclude, rerootIncludes } from '../../src/apply/sshd-edits.js';
import { MemoryFileSource } from '../../src/core/files.js';
import { readSshd, sshdLogin } from '../../src/host/sshd.js';

const DROP_IN = '/etc/ssh/sshd_config.d/00-fwconf.conf';
const LINE = fc.constantFrom(
  '# comment',
  '',
  '   ',
  'Port 22',
  'Port=2222',
  '\tUsePAM yes',
  'PasswordAuthentication  no # trailing',
  'AcceptEnv LANG LC_*',
  'Subsystem\tsftp\t/usr/lib/openssh/sftp-server',
  'Match User backup',
  '  ForceCommand internal-sftp',
  'Banner "/etc/issue net"',
  'garbage "unbalanced',
);

describe('adding the Include line', () => {
  it('keeps every other byte, goes before the first directive, and makes the drop-in included', () => {
    fc.assert(
      fc.property(fc.array(LINE, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, finalEol) => {
        const text = lines.join(eol) + (finalEol && lines.length ? eol : '');
        const out = insertInclude(text, '/etc/ssh/sshd_config.d/*.conf');
        const outLines = out.split('\n');
        const k = outLines.findIndex((l) => /^\s*Include[ \t=]+\/etc\/ssh\/sshd_config\.d\/\*\.conf\r?$/.test(l));
        expect(k).toBeGreaterThanOrEqual(0);
        const rest = [...outLines.slice(0, k), ...outLines.slice(k + 1)].join('\n');
        // the inserted line is the only difference (appended to a file without a final newline, it brings one)
        expect(rest === text || (k === outLines.length - 1 && rest === text + eol.slice(0, -1))).toBe(true);
        const firstDirective = lines.findIndex((l) => /^\s*[A-Za-z]/.test(l));
        if (firstDirective >= 0) expect(k).toBe(firstDirective);
        if (!text.includes('garbage')) expect(includesFile(out, DROP_IN)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('first value wins across the include; Port accumulates', () => {
    const files: Record<string, string> = {
      '/etc/ssh/sshd_config': insertInclude('Port 22\nPasswordAuthentication yes\nMatch User x\n  PasswordAuthentication no\n', '/etc/ssh/sshd_config.d/*.conf'),
      '/etc/ssh/sshd_config.d/00-fwconf.conf': 'Port 2201\nPasswordAuthentication no\nPermitRootLogin no\n',
      '/etc/ssh/sshd_config.d/00-first.conf': 'PermitRootLogin yes\n',
    };
    const host = readSshd(new MemoryFileSource(files))!;
    expect(host.ports.map((p) => p.port)).toEqual([2201, 22]);
    const e = sshdLogin(host.forConnection({ user: 'alice', addr: '192.0.2.1', host: 'client.invalid', lport: 2201 }));
    expect(e.passwordAuthentication).toBe(false);
    expect(e.permitRootLogin).toBe('yes');
    // A Match block on the port the login comes in on decides for that connection only.
    const m = readSshd(new MemoryFileSource({ ...files, '/etc/ssh/sshd_config.d/99-match.conf': 'Match LocalPort 22\n  PasswordAuthentication yes\n' }))!;
    expect(sshdLogin(m.forConnection({ user: 'alice', addr: '192.0.2.1', lport: 22 })).passwordAuthentication).toBe(true);
    expect(sshdLogin(m.forConnection({ user: 'alice', addr: '192.0.2.1', lport: 2201 })).passwordAuthentication).toBe(false);
    expect(m.matches.map((x) => [x.file, x.line, x.written, x.directives.map((d) => d.keyword)])).toEqual([
      ['/etc/ssh/sshd_config.d/99-match.conf', 1, 'LocalPort 22', ['passwordauthentication']],
      ['/etc/ssh/sshd_config', 4, 'User x', ['passwordauthentication']],
    ]);
  });

  it('re-roots Include paths for validation, relative ones through /etc/ssh', () => {
    expect(rerootIncludes('# x\nInclude /etc/ssh/sshd_config.d/*.conf extra.conf\r\nPort 22\n', (p) => `/root${p}`)).toBe(
      '# x\nInclude /root/etc/ssh/sshd_config.d/*.conf /root/etc/ssh/extra.conf\r\nPort 22\n',
    );
  });

  it('re-roots an Include line in its own style: indentation, keyword spelling, `=` or tabs, trailing comment and ending kept', () => {
    const r = (t: string) => rerootIncludes(t, (p) => `/R${p}`);
    expect(r('  include=sshd_config.d/*.conf\n')).toBe('  include=/R/etc/ssh/sshd_config.d/*.conf\n');
    expect(r('Include\t\t/etc/ssh/a.conf\t# local drop-ins\n')).toBe('Include\t\t/R/etc/ssh/a.conf\t# local drop-ins\n');
    expect(r('Port 22\nMatch User x\n\tInclude = b c   # two\r\n')).toBe('Port 22\nMatch User x\n\tInclude = /R/etc/ssh/b /R/etc/ssh/c   # two\r\n');
    expect(r('Include = "x#y" "a b"#c #d\n')).toBe('Include = "/R/etc/ssh/x#y" "/R/etc/ssh/a b#c" #d\n');
    expect(r('Include a\r')).toBe('Include /R/etc/ssh/a\r');
    // Only the Include lines' values change: the rest of the file is the input's, byte for byte.
    const t = '# top\r\n Include\ta.conf # c\r\nPort 22 # p\r\n';
    expect(r(t)).toBe('# top\r\n Include\t/R/etc/ssh/a.conf # c\r\nPort 22 # p\r\n');
  });
});

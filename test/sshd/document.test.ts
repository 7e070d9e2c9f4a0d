// Queries and edits: in the global section and in Match blocks, keeping the file's style.
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { check, effective, parse, render } from '../../src/sshd/index.js';

describe('queries', () => {
  it('finds keywords case-insensitively and through aliases', () => {
    const doc = parse('port 22\nChallengeResponseAuthentication no\nPort=2201\n');
    expect(doc.get('PORT')).toBe('22');
    expect(doc.getAll('Port')).toEqual(['22', '2201']);
    expect(doc.get('KbdInteractiveAuthentication')).toBe('no');
    expect(doc.toJSON().global[1]).toMatchObject({ keyword: 'ChallengeResponseAuthentication', canonical: 'KbdInteractiveAuthentication' });
  });
});

describe('edits', () => {
  const base = '# header\nPort 22\nPasswordAuthentication yes\n\n# users\nMatch User alice\n    X11Forwarding yes\n';

  it('a new global directive goes before the first Match block', () => {
    const doc = parse(base);
    doc.add('PermitRootLogin', 'no');
    expect(doc.toString()).toBe('# header\nPort 22\nPasswordAuthentication yes\nPermitRootLogin no\n\n# users\nMatch User alice\n    X11Forwarding yes\n');
  });

  it('set rewrites the first occurrence in place and drops the later ones', () => {
    const doc = parse('Port 22   # ssh\nX11Forwarding=yes\nPort 23\n');
    doc.set('port', 2201).set('X11Forwarding', false);
    expect(doc.toString()).toBe('Port 2201   # ssh\nX11Forwarding=no\n');
  });

  it('edits a Match block, keeping its indentation', () => {
    const doc = parse(base);
    doc.match({ user: 'alice' }).set('PasswordAuthentication', 'no');
    expect(doc.toString()).toBe(base + '    PasswordAuthentication no\n');
    expect(doc.match('User alice').get('passwordauthentication')).toBe('no');
    expect(doc.get('PasswordAuthentication')).toBe('yes');
  });

  it('creates a Match block at the end on first edit, and removes blocks', () => {
    const doc = parse(base);
    doc.match({ address: '10.0.0.0/8', user: 'bob' }).add('AllowTcpForwarding', 'no');
    expect(doc.toString()).toBe(base + '\nMatch Address 10.0.0.0/8 User bob\n    AllowTcpForwarding no\n');
    expect(doc.removeMatch({ user: 'alice' })).toBe(true);
    expect(doc.toString()).toBe('# header\nPort 22\nPasswordAuthentication yes\n\n# users\n\nMatch Address 10.0.0.0/8 User bob\n    AllowTcpForwarding no\n');
  });

  it('keeps CRLF, tabs, = separators and a missing final newline', () => {
    const doc = parse('Port\t22\r\nUseDNS\tno');
    doc.add('Banner', '/etc/issue net');
    expect(doc.toString()).toBe('Port\t22\r\nUseDNS\tno\r\nBanner\t"/etc/issue net"');
    const eq = parse('Port=22\nUseDNS=no\n');
    eq.add('MaxAuthTries', 3);
    expect(eq.toString()).toBe('Port=22\nUseDNS=no\nMaxAuthTries=3\n');
  });

  it('follows aligned value columns', () => {
    const doc = parse('Port            22\nUseDNS          no\n');
    doc.add('MaxAuthTries', 3);
    expect(doc.toString()).toBe('Port            22\nUseDNS          no\nMaxAuthTries    3\n');
  });

  it('quotes values that need it and writes lists', () => {
    const doc = parse('');
    doc.set('AllowUsers', ['alice', 'bob smith']).set('ForceCommand', 'internal-sftp -d "/home dir"');
    expect(doc.toString()).toBe('AllowUsers alice "bob smith"\nForceCommand internal-sftp -d "/home dir"\n');
    expect(parse(doc.toString()).getArgs('AllowUsers')).toEqual(['alice', 'bob smith']);
  });

  it('rejects misuse with TypeError', () => {
    const doc = parse('');
    expect(() => doc.set('Port 22', '1')).toThrow(TypeError);
    expect(() => doc.set('Banner', 'a\nb')).toThrow(TypeError);
    expect(() => doc.add('Match', 'User x')).toThrow(TypeError);
    expect(() => parse(5 as never)).toThrow(TypeError);
  });

  it('render builds a canonical document', () => {
    const doc = render({
      header: ['managed by fwconf'],
      global: [['port', 2201], ['PermitRootLogin', 'no'], ['AllowUsers', ['alice', 'bob']]],
      matches: [{ match: { user: 'sftp' }, directives: { ForceCommand: 'internal-sftp', ChrootDirectory: '/srv/%u' } }],
    });
    expect(doc.toString()).toBe(
      '# managed by fwconf\n\nPort 2201\nPermitRootLogin no\nAllowUsers alice bob\n\nMatch User sftp\n    ForceCommand internal-sftp\n    ChrootDirectory /srv/%u\n',
    );
  });
});

describe('effective: Include and Match semantics', () => {
  const files = new MemoryFileSource({
    '/etc/ssh/sshd_config.d/10-a.conf': 'PasswordAuthentication no\nMatch User alice\n  Banner /a\n',
    '/etc/ssh/sshd_config.d/20-b.conf': 'PasswordAuthentication yes\nX11Forwarding yes\n',
    '/etc/ssh/match.conf': 'MaxAuthTries 2\nMatch User bob\n  MaxSessions 1\n',
    '/etc/ssh/deep.conf': 'Include nested.conf\n',
    '/etc/ssh/nested.conf': 'LoginGraceTime 1m\n',
  });
  const main = 'Include sshd_config.d/*.conf\nInclude deep.conf\nPermitRootLogin yes\nMatch User alice\n  PermitRootLogin no\n  Include match.conf\nMatch All\n  MaxSessions 7\n';
  const doc = parse(main, { file: '/etc/ssh/sshd_config' });

  it('follows globs relative to /etc/ssh, nested, first value wins across files', () => {
    const e = effective(doc, { files });
    expect(e.get('PasswordAuthentication')).toEqual(['no']);
    expect(e.get('X11Forwarding')).toEqual(['yes']);
    expect(e.get('LoginGraceTime')).toEqual(['60']);
    expect(e.get('banner')).toBeUndefined();
    expect(e.get('MaxSessions')).toEqual(['7']);
    expect(e.get('MaxAuthTries')).toBeUndefined();
  });

  it('a Match value overrides the global one; Match state does not leak out of an include', () => {
    const e = effective(doc, { connection: { user: 'alice' }, files });
    expect(e.get('PermitRootLogin')).toEqual(['no']);
    expect(e.get('Banner')).toEqual(['/a']);
    expect(e.get('MaxAuthTries')).toEqual(['2']);
    expect(e.get('MaxSessions')).toEqual(['7']);
  });

  it('an Include inside a Match that does not apply never matches', () => {
    const e = effective(doc, { connection: { user: 'bob' }, files });
    expect(e.get('PermitRootLogin')).toEqual(['yes']);
    expect(e.get('MaxSessions')).toEqual(['7']);
  });

  it('Match Group uses the caller resolver; negation and CIDR follow sshd', () => {
    const d = parse('Match Group admins\n  MaxAuthTries 9\nMatch Address 10.0.0.0/8,!10.0.0.5\n  MaxSessions 3\n');
    expect(effective(d, { connection: { user: 'u' }, files, groups: () => ['admins'] }).get('MaxAuthTries')).toEqual(['9']);
    expect(effective(d, { connection: { user: 'u' }, files }).get('MaxAuthTries')).toBeUndefined();
    expect(effective(d, { connection: { addr: '10.1.1.1' }, files }).get('MaxSessions')).toEqual(['3']);
    expect(effective(d, { connection: { addr: '10.0.0.5' }, files }).get('MaxSessions')).toBeUndefined();
  });

  it('still reads the deprecated forms (the connection second) as before, and refuses a mix of the two', () => {
    const d = parse('Match User alice\n  MaxAuthTries 2\n', { file: '/etc/ssh/sshd_config' });
    const now = effective(d, { connection: { user: 'alice' }, files }).toString();
    expect(now).toBe('maxauthtries 2\n');
    expect(effective(d, { user: 'alice' }, { files }).toString()).toBe(now);
    // README's first example: the connection alone, the file system the real one (nothing is included here).
    expect(effective(d, { user: 'alice' }).toString()).toBe(now);
    expect(effective(d, {}, { files }).toString()).toBe(effective(d, { files }).toString());
    expect(() => effective(d, { user: 'alice', files } as never)).toThrow(/options\.connection/);
  });

  it('reports runaway include recursion', () => {
    const loop = new MemoryFileSource({ '/etc/ssh/loop.conf': 'Include loop.conf\n' });
    const e = effective(parse('Include loop.conf\n'), { files: loop });
    expect(e.diagnostics.map((d) => d.code)).toContain('sshd/include-depth');
  });
});

describe('check: values sshd ignores', () => {
  it('warns about a later first-wins value in the same scope, not about a Match value over a global one', () => {
    // sshd applies a Match block's value per connection over the global value (`sshd -T` prints
    // x11forwarding yes for this file); only the second value inside the Match block is ignored.
    const ds = check(parse('X11Forwarding no\nMatch all\n  X11Forwarding yes\n  X11Forwarding no\n'));
    expect(ds.filter((d) => d.code === 'sshd/ignored-value').map((d) => d.line)).toEqual([4]);
    const global = check(parse('X11Forwarding no\nX11Forwarding yes\n'));
    expect(global.filter((d) => d.code === 'sshd/ignored-value').map((d) => d.line)).toEqual([2]);
  });
});

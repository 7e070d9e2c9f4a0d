import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { glob, MemoryFileSource, NodeFileSource } from '../../src/core/files.js';
import { diagnostic, formatDiagnostic, diagnosticAt, sortDiagnostics } from '../../src/core/diagnostics.js';
import { SourceText } from '../../src/core/text.js';

const tree = {
  '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n',
  '/etc/ssh/sshd_config.d/b.conf': 'Port 2201\n',
  '/etc/ssh/sshd_config.d/A.conf': 'X 1\n',
  '/etc/ssh/sshd_config.d/.hidden.conf': 'X 2\n',
  '/etc/ssh/sshd_config.d/c.conf.bak': 'X 3\n',
  '/etc/ssh/sshd_config.d/sub/d.conf': 'X 4\n',
};

const real = mkdtempSync(join(tmpdir(), 'fwconf-files-'));
for (const [p, t] of Object.entries(tree)) {
  mkdirSync(join(real, p, '..'), { recursive: true });
  writeFileSync(join(real, p), t);
}
afterAll(() => rmSync(real, { recursive: true, force: true }));

describe.each([
  ['memory', new MemoryFileSource(tree)],
  ['node, re-rooted', new NodeFileSource({ root: real })],
])('FileSource (%s)', (_name, files) => {
  it('globs like glob(3): sorted in code-point order, no dot-files, one segment per *', () => {
    expect(glob(files, '/etc/ssh/sshd_config.d/*.conf')).toEqual(['/etc/ssh/sshd_config.d/A.conf', '/etc/ssh/sshd_config.d/b.conf']);
    expect(glob(files, '/etc/ssh/sshd_config.d/.*.conf')).toEqual(['/etc/ssh/sshd_config.d/.hidden.conf']);
    expect(glob(files, '/etc/ssh/*/*/?.conf')).toEqual(['/etc/ssh/sshd_config.d/sub/d.conf']);
    expect(glob(files, 'sshd_config', '/etc/ssh')).toEqual(['/etc/ssh/sshd_config']);
    expect(glob(files, '/etc/ssh/missing/*')).toEqual([]);
    expect(glob(files, '/etc/ssh/nothing')).toEqual([]);
  });

  it('reads, lists and stats', () => {
    expect(files.read('/etc/ssh/sshd_config.d/b.conf')).toBe('Port 2201\n');
    expect(files.read('/etc/ssh/none')).toBeUndefined();
    expect(files.stat('/etc/ssh')).toBe('dir');
    expect(files.stat('/etc/ssh/sshd_config')).toBe('file');
    expect(files.stat('/nope')).toBeUndefined();
    expect(files.list('/etc/ssh')?.sort()).toEqual(['sshd_config', 'sshd_config.d']);
    expect(files.list('/etc/ssh/sshd_config')).toBeUndefined();
  });
});

describe('diagnostics', () => {
  it('prints file:line:col: severity: message [code]', () => {
    const d = diagnostic('sshd/bad-value', 'error', 'Badly formatted port number', { line: 3, column: 6 }, 'sshd_config');
    expect(formatDiagnostic(d)).toBe('sshd_config:3:6: error: Badly formatted port number [sshd/bad-value]');
    expect(formatDiagnostic({ ...d, file: undefined } as never, '<stdin>')).toBe('<stdin>:3:6: error: Badly formatted port number [sshd/bad-value]');
  });

  it('sorts by file, line and column', () => {
    const a = diagnostic('sshd/bad-value', 'error', 'a', { line: 2, column: 1 }, 'f');
    const b = diagnostic('sshd/bad-match', 'warning', 'b', { line: 1, column: 5 }, 'f');
    expect(sortDiagnostics([a, b]).map((d) => d.code)).toEqual(['sshd/bad-match', 'sshd/bad-value']);
  });

  it('takes only a code of the lists (src/*/codes.ts): any other is a compile error', () => {
    // @ts-expect-error 'sshd/no-such-code' is in no list
    const d = diagnostic('sshd/no-such-code', 'error', 'm', { line: 1, column: 1 });
    // @ts-expect-error nor is a code of no namespace
    diagnostic('x/a', 'error', 'm', { line: 1, column: 1 });
    // @ts-expect-error a prefix alone does not make a code
    diagnosticAt(new SourceText('x'), 0, 1, 'fail2ban/', 'error', 'm');
    expect(d.code).toBe('sshd/no-such-code');
  });
});

describe('diagnostic lines', () => {
  it('stay one line: control characters, BOM and line breaks from the input are escaped', () => {
    const d = diagnostic('xinetd/bad-value', 'error', 'Bad value for disable: yes\r\u0000\uFEFF\n\tx', { line: 2, column: 3 }, 'f');
    expect(formatDiagnostic(d)).toBe('f:2:3: error: Bad value for disable: yes\\r\\u0000\\ufeff\\n\\tx [xinetd/bad-value]');
  });
});

// `fwconf roundtrip` compares bytes, and every command that reads a file refuses one that is not
// UTF-8 with a diagnostic at its first bad byte (never a silent U+FFFD).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo, runCli } from './capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('fwconf roundtrip', () => {
  it('passes a UTF-8 file with a byte-order mark, CRLF and non-ASCII text, byte for byte', async () => {
    const p = file('ok.conf', Buffer.from('\uFEFF# café ☕\r\nPort 22\n', 'utf8'));
    expect(await runCli(['roundtrip', '--format', 'sshd', p])).toEqual({ code: 0, out: '', err: '' });
  });

  it('refuses a Latin-1 file at its first bad byte instead of comparing U+FFFD text', async () => {
    const p = file('latin1.conf', Buffer.from('# caf\xe9\nPort 22\n', 'latin1'));
    const r = await runCli(['roundtrip', '--format', 'sshd', p]);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: `${p}:1:6: error: not UTF-8: byte 0xE9 starts a 3-byte UTF-8 character, but 0x0A follows; fwconf reads files as UTF-8 text [fwconf/invalid-utf8]\n`,
    });
  });

  it('goes on to the next file after one that is not UTF-8', async () => {
    const bad = file('bad.ini', Buffer.from('[sshd]\nenabled = true\n# \xff\n', 'latin1'));
    const good = file('good.ini', Buffer.from('[sshd]\nenabled = true\n', 'utf8'));
    const r = await runCli(['roundtrip', '--format', 'fail2ban', bad, good]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${bad}:3:3: error: not UTF-8: byte 0xFF does not start a UTF-8 character; fwconf reads files as UTF-8 text [fwconf/invalid-utf8]\n`);
  });

  it('reads standard input as bytes too', async () => {
    const io = Object.assign(captureIo(), { stdinBytes: async () => Buffer.from('Port 22\n#\xc3(\n', 'latin1') });
    expect(await main(['roundtrip', '--format', 'sshd', '-'], io)).toBe(1);
    expect(io.err).toBe('<stdin>:2:2: error: not UTF-8: byte 0xC3 starts a 2-byte UTF-8 character, but 0x28 follows; fwconf reads files as UTF-8 text [fwconf/invalid-utf8]\n');
  });
});

describe('parse and check on a file that is not UTF-8', () => {
  it.each(['parse', 'check'])('%s reports the same positioned error and exits 1', async (cmd) => {
    const p = file(`latin1-${cmd}.conf`, Buffer.from('Port 22\nBanner /etc/issue\n# \xe9t\xe9\n', 'latin1'));
    const r = await runCli([cmd, '--format', 'sshd', p]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`${p}:3:3: error: not UTF-8: byte 0xE9 starts a 3-byte UTF-8 character, but 0x74 follows; fwconf reads files as UTF-8 text [fwconf/invalid-utf8]\n`);
  });
});

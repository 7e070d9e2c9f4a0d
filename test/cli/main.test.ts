// The CLI's shared behaviour: dispatch, usage errors, --help everywhere, exit codes.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from './capture-io.js';

describe('fwconf', () => {
  it('prints usage and exits 2 without a command', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err).toMatch(/^Usage: fwconf <command>/);
  });

  it('exits 2 on an unknown command', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err).toMatch(/unknown command 'frobnicate'/);
  });

  it.each(['parse', 'roundtrip', 'check'])('%s --help prints its usage and exits 0', async (cmd) => {
    const io = captureIo();
    expect(await main([cmd, '--help'], io)).toBe(0);
    expect(io.out).toMatch(new RegExp(`^Usage: fwconf ${cmd}`));
  });

  it('rejects an unknown --format with exit 2', async () => {
    const io = captureIo();
    expect(await main(['parse', '--format', 'nginx', 'x'], io)).toBe(2);
    expect(io.err).toMatch(/unknown format 'nginx'/);
  });

  it('rejects unknown options with exit 2', async () => {
    const io = captureIo();
    expect(await main(['roundtrip', '--bogus', 'x'], io)).toBe(2);
    expect(io.err).toMatch(/bogus/);
  });

  it('reports an unreadable file with exit 1', async () => {
    const io = captureIo();
    expect(await main(['roundtrip', '--format', 'sshd', '/nonexistent/sshd_config'], io)).toBe(1);
    expect(io.out).toBe('');
    expect(io.err).toBe('/nonexistent/sshd_config:1:1: error: cannot read: no such file [fwconf/cannot-read]\n');
  });

  it('says when it cannot tell a format', async () => {
    const io = captureIo('just some words\n');
    expect(await main(['parse', '-'], io)).toBe(1);
    expect(io.err).toMatch(/^<stdin>:1:1: error: cannot tell the format of the input; name it with --format \(.*\) \[fwconf\/unknown-format\]\n$/);
    for (const cmd of ['check', 'roundtrip']) {
      const again = captureIo('just some words\n');
      expect(await main([cmd, '-'], again)).toBe(1);
      expect(again.err).toMatch(/\[fwconf\/unknown-format\]\n$/);
    }
  });
});

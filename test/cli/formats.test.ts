// What every format promises through the registry, on any input: parse never throws, prints back
// byte for byte, gives a plain-data model and located diagnostics; check never throws either.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { FORMAT_NAMES } from '../../src/core/format.js';
import { formats } from '../../src/formats.js';

// Text made of the characters these formats care about, so the parsers' paths are exercised.
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '0', '9', ' ', '\t', '\n', '\r\n', '=', '#', ';', ':', '"', "'", '\\', '{', '}', '[', ']', '%', '(', ')', '-', '/', '.', ',', '!', '*', '<', '>') },
  { weight: 2, arbitrary: fc.constantFrom('Port 22', 'Match User x', '[sshd]', 'enabled = true', '*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -j DROP', 'COMMIT', 'service x', 'Status: active', 'To                         Action      From', 'SID=1.nullresp PID=1 SRC=1.2.3.4 SPT=1', 'Feb 29 13:02:10 ') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);
const text = fc.string({ unit, maxLength: 200 });

describe.each(FORMAT_NAMES)('%s', (name) => {
  const format = formats[name];

  it('parses any text without throwing, prints it back byte for byte, and checks it without throwing', () => {
    fc.assert(
      fc.property(text, (t) => {
        const doc = format.parse(t, { file: 'input' });
        expect(doc.toString()).toBe(t);
        expect(() => JSON.stringify(doc.toJSON())).not.toThrow();
        for (const d of [...doc.diagnostics, ...format.check(doc, { files: new MemoryFileSource() })]) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.code.startsWith(`${name === 'iptables-save' ? 'iptables' : name === 'ufw-status' ? 'ufw' : name}/`), d.code).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a non-string with a TypeError', () => {
    expect(() => format.parse(42 as unknown as string)).toThrow(TypeError);
  });
});

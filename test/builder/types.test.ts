// The typed builders turn misspelt keywords, unknown enum values and ports that are not numbers into
// compile errors: each `@ts-expect-error` below fails the typecheck (npx tsc --noEmit) if the type
// stops refusing it. At run time the same values are refused with an error naming the field.
import { describe, expect, it } from 'vitest';
import { BuilderError, buildSshd, buildUfwScript, buildXinetd, type SshdConfig, type UfwRuleset, type XinetdFile } from '../../src/builder/index.js';

describe('builder types', () => {
  it('refuse at compile time what they can, at run time the rest', () => {
    const sshd = (): SshdConfig => ({
      settings: {
        PermitRootLogin: 'no',
        // @ts-expect-error misspelt keyword
        PermitRootLogon: 'no',
      },
    });
    const sshdEnum = (): SshdConfig => ({
      // @ts-expect-error not one of PermitRootLogin's values
      settings: { PermitRootLogin: 'maybe' },
    });
    const ufwPort = (): UfwRuleset => ({
      // @ts-expect-error a port is a number (or a range object), not free text
      rules: [{ action: 'allow', port: '22; rm -rf /', proto: 'tcp' }],
    });
    const ufwAction = (): UfwRuleset => ({
      // @ts-expect-error not a ufw action
      rules: [{ action: 'permit', port: 22, proto: 'tcp' }],
    });
    const xinetdSocket = (): XinetdFile => ({
      // @ts-expect-error not an xinetd socket_type
      services: [{ name: 'x', socket_type: 'tcp', wait: false }],
    });
    // The values the types refuse are refused at run time too (a spec from YAML is not typed).
    expect(() => buildSshd(sshdEnum())).toThrow(BuilderError);
    expect(() => buildSshd(sshd())).toThrow(/PermitRootLogon/);
    expect(() => buildUfwScript(ufwPort())).toThrow(BuilderError);
    expect(() => buildUfwScript(ufwAction())).toThrow(BuilderError);
    expect(() => buildXinetd(xinetdSocket())).toThrow(BuilderError);
    // Port range is checked at run time.
    expect(() => buildUfwScript({ rules: [{ action: 'allow', port: 70000, proto: 'tcp' }] })).toThrow(/65535/);
  });
});

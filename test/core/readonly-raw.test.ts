/**
 * A node's raw text is read-only outside core: every change goes through the document's recorded edit
 * path (LineDocument.splice/setRaw). The `@ts-expect-error` lines are checked by `npx tsc --noEmit`
 * (which covers the tests): each would compile again, and so fail the check, if a format's node type made
 * `raw` writable. At run time, the nodes whose raw text is a getter (sshd, xinetd, ufw-app) refuse the write.
 */
import { describe, expect, it } from 'vitest';
import { formats } from '../../src/formats.js';
import type { SshdDocument } from '../../src/sshd/index.js';
import type { XinetdDocument } from '../../src/xinetd/index.js';
import type { Fail2banDocument } from '../../src/fail2ban/index.js';
import type { StatusDocument } from '../../src/fail2ban/status.js';
import type { IptablesDocument } from '../../src/iptables/index.js';
import type { UfwStatusDocument } from '../../src/ufw/index.js';
import type { CaptureLog } from '../../src/thpot/index.js';
import type { UfwAppDocument, UfwConfDocument, UfwRulesDocument } from '../../src/ufw-files/index.js';
import type { Fail2banLog } from '../../src/fail2ban-log/index.js';
import type { RawNode } from '../../src/core/lines.js';

type NodeOf<D extends { nodes: readonly RawNode[] }> = D['nodes'][number];

/** Assigns `raw` on each format's node type; never called, only type-checked. */
function writesThatMustNotCompile(
  n: {
    sshd: NodeOf<SshdDocument>;
    xinetd: NodeOf<XinetdDocument>;
    fail2ban: NodeOf<Fail2banDocument>;
    status: NodeOf<StatusDocument>;
    iptables: NodeOf<IptablesDocument>;
    ufw: NodeOf<UfwStatusDocument>;
    thpot: NodeOf<CaptureLog>;
    app: NodeOf<UfwAppDocument>;
    conf: NodeOf<UfwConfDocument>;
    rules: NodeOf<UfwRulesDocument>;
    log: NodeOf<Fail2banLog>;
    core: RawNode;
  },
): void {
  // @ts-expect-error raw is read-only outside core
  n.sshd.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.xinetd.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.fail2ban.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.status.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.iptables.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.ufw.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.thpot.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.app.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.conf.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.rules.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.log.raw = '';
  // @ts-expect-error raw is read-only outside core
  n.core.raw = '';
}
void writesThatMustNotCompile;

describe('raw is read-only outside core', () => {
  it('sshd, xinetd and ufw-app lines refuse a write of raw at run time, and keep their text', () => {
    const cases = [
      { doc: formats.sshd.parse('Port 22\n'), line: 'Port 22\n' },
      { doc: formats.xinetd.parse('service x\n{\n}\n'), line: 'service x\n' },
      { doc: formats['ufw-app'].parse('[WWW]\ntitle=Web\n'), line: '[WWW]\n' },
    ];
    for (const { doc, line } of cases) {
      const node = (doc as unknown as { nodes: readonly RawNode[] }).nodes[0]!;
      expect(() => {
        (node as { raw: string }).raw = 'changed\n';
      }).toThrow(TypeError);
      expect(node.raw).toBe(line);
      expect(doc.toString().startsWith(line)).toBe(true);
    }
  });
});

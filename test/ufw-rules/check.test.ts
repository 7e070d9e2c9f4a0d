// The findings' building blocks on literal cases: which earlier rule covers a later one, the v4/v6 twin
// check, untupled lines (ufw's own stock lines are not flagged).
import { describe, expect, it } from 'vitest';
import { ruleSpec } from '../../src/ufw/model.js';
import { checkFamilies, checkRules, covers } from '../../src/ufw-rules/check.js';
import { parseRules } from '../../src/ufw-rules/parse.js';
import { STOCK_USER_RULES, STOCK_USER6_RULES } from '../../src/ufw-rules/stock.js';
import { chainLines, tupleText } from '../../src/ufw-rules/tuple.js';

const r = (p: Parameters<typeof ruleSpec>[0]) => ruleSpec(p);

describe('covers', () => {
  it.each([
    [r({ action: 'allow', proto: 'udp' }), r({ action: 'deny', proto: 'udp', dport: '53' }), true],
    [r({ action: 'allow', proto: 'udp' }), r({ action: 'deny', dport: '53' }), false], // 53 is tcp and udp
    [r({ action: 'allow', dport: '53' }), r({ action: 'deny', proto: 'tcp', dport: '53' }), true],
    [r({ action: 'deny', src: '10.0.0.0/8' }), r({ action: 'allow', src: '10.1.2.0/24', dport: '22', proto: 'tcp' }), true],
    [r({ action: 'deny', src: '10.0.0.0/255.0.0.0' }), r({ action: 'allow', src: '10.1.2.3' }), true],
    [r({ action: 'deny', src: '10.1.2.0/24' }), r({ action: 'allow', src: '10.0.0.0/8' }), false],
    [r({ action: 'allow', proto: 'tcp', dport: '8000:9000' }), r({ action: 'deny', proto: 'tcp', dport: '8080,8443' }), true],
    [r({ action: 'allow', proto: 'tcp', dport: '8000:9000' }), r({ action: 'deny', proto: 'tcp', dport: '80,8443' }), false],
    [r({ action: 'allow', dport: '22', proto: 'tcp' }), r({ action: 'deny', dport: '22', proto: 'tcp', interfaceIn: 'eth0' }), true],
    [r({ action: 'allow', dport: '22', proto: 'tcp', interfaceIn: 'eth0' }), r({ action: 'deny', dport: '22', proto: 'tcp' }), false],
    [r({ action: 'allow', dport: '22', proto: 'tcp' }), r({ action: 'deny', dport: '22', proto: 'tcp', direction: 'out' }), false],
    [r({ action: 'deny', src: '2001:db8::/32', v6: true }), r({ action: 'allow', src: '2001:db8:1::1', v6: true }), true],
    [r({ action: 'deny', src: '2001:db8::/32', v6: true }), r({ action: 'allow', src: '2001:db9::1', v6: true }), false],
  ])('%j covers %j: %s', (a, b, want) => {
    expect(covers(a, b)).toBe(want);
  });
});

describe('rule file findings', () => {
  it('flags neither the stock rate-limit lines nor a rule added as ufw adds it', () => {
    const doc = parseRules(STOCK_USER_RULES, { file: 'user.rules' });
    expect(checkRules(doc)).toEqual([]);
    doc.addRule(r({ action: 'allow', log: 'log', proto: 'tcp', dport: '22' }));
    const fresh = parseRules(doc.toString(), { file: 'user.rules' });
    expect(checkRules(fresh)).toEqual([]);
    expect(fresh.rules().map((x) => x.chainLines)).toEqual([chainLines(r({ action: 'allow', log: 'log', proto: 'tcp', dport: '22' }))]);
    // the logging chain it jumps to is declared
    expect(fresh.toJSON().chains).toContain('ufw-user-logging-input');
  });

  it('flags a line without a tuple and a tuple whose lines differ, at their lines', () => {
    const text = STOCK_USER_RULES.replace('### RULES ###\n', `### RULES ###\n\n${tupleText(r({ action: 'allow', proto: 'tcp', dport: '80' }))}\n-A ufw-user-input -p tcp --dport 81 -j ACCEPT\n\n-A ufw-user-input -p tcp --dport 82 -j ACCEPT\n`);
    const ds = checkRules(parseRules(text, { file: 'user.rules' }));
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ['ufw-rules/untupled-rule', 12],
      ['ufw-rules/tuple-mismatch', 9],
    ]);
  });

  it('wants an IPv6 twin for a rule without an address, not for one with an IPv4 address or an IPv4-only protocol', () => {
    const v4 = parseRules(STOCK_USER_RULES, { file: 'user.rules' });
    const v6 = parseRules(STOCK_USER6_RULES, { file: 'user6.rules' });
    v4.addRule(r({ action: 'allow', proto: 'tcp', dport: '22' }));
    v4.addRule(r({ action: 'allow', src: '10.0.0.0/8' }));
    v4.addRule(r({ action: 'allow', proto: 'igmp' }));
    const ds = checkFamilies(v4, v6);
    expect(ds.map((d) => [d.code, v4.nodes[d.line - 1]!.raw.trim()])).toEqual([['ufw-rules/no-v6-twin', '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in']]);
    v6.addRule(r({ action: 'allow', proto: 'tcp', dport: '22', v6: true }));
    expect(checkFamilies(v4, v6)).toEqual([]);
  });
});

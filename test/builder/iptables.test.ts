// The iptables builder: its output is the iptables format's printer's, in iptables-save's canonical
// form, and values iptables would read differently are refused naming their field.
import { describe, expect, it } from 'vitest';
import { BuilderError } from '../../src/builder/errors.js';
import { buildIptables, buildIptablesDocument, iptablesRuleLine, type IptablesRuleset } from '../../src/builder/iptables.js';
import { render, renderText } from '../../src/iptables/index.js';

const refused = (set: IptablesRuleset): string => {
  try {
    buildIptables(set);
  } catch (e) {
    expect(e).toBeInstanceOf(BuilderError);
    return (e as BuilderError).message;
  }
  throw new Error('not refused');
};

describe('buildIptables', () => {
  it('prints through the iptables format in iptables-save form', () => {
    const set: IptablesRuleset = {
      policies: { INPUT: 'DROP' },
      chains: ['zz', 'aa'],
      rules: [
        { chain: 'zz', target: 'RETURN' },
        { chain: 'INPUT', source: '192.0.2.7', protocol: 'tcp', sport: '5:5', dport: 22, state: ['ESTABLISHED', 'NEW'], comment: `it's "x"`, target: 'zz' },
        { chain: 'INPUT', protocol: 'all', target: 'REJECT' },
        { chain: 'aa', logPrefix: 'drop: ', target: 'LOG' },
      ],
    };
    const text = buildIptables(set);
    expect(text).toBe(
      [
        '*filter',
        ':INPUT DROP [0:0]',
        ':FORWARD ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ':aa - [0:0]',
        ':zz - [0:0]',
        `-A INPUT -s 192.0.2.7/32 -p tcp -m tcp --sport 5 --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment "it\\'s \\"x\\"" -j zz`,
        '-A INPUT -j REJECT --reject-with icmp-port-unreachable',
        '-A aa -j LOG --log-prefix "drop: "',
        '-A zz -j RETURN',
        'COMMIT',
        '',
      ].join('\n'),
    );
    const doc = buildIptablesDocument(set);
    expect(doc.toString()).toBe(text);
    // The same text as the format's own printer gives for the model read back.
    expect(render(doc.toJSON() as never).toString()).toBe(text);
    expect(renderText(doc.toJSON() as never)).toBe(text);
    expect(iptablesRuleLine({ chain: 'INPUT', protocol: 'udp', dport: [53, '60000:61000'], target: 'ACCEPT' }, [], 'filter')).toBe(
      '-A INPUT -p udp -m multiport --dports 53,60000:61000 -j ACCEPT',
    );
  });

  it('refuses what iptables would read differently or reject, naming the field', () => {
    expect(refused({ rules: [{ chain: 'INPUT', source: '10.1.2.3/8', target: 'ACCEPT' }] })).toBe(
      'iptables.rules[0].source: 10.1.2.3/8 has host bits set; iptables would read it as 10.0.0.0/8',
    );
    expect(refused({ rules: [{ chain: 'INPUT', source: '0.0.0.0/0', target: 'ACCEPT' }] })).toMatch(/^iptables\.rules\[0\]\.source: a \/0 network/);
    expect(refused({ rules: [{ chain: 'OUTPUT', inInterface: 'eth0', target: 'ACCEPT' }] })).toBe('iptables.rules[0].inInterface: iptables refuses -i in chain OUTPUT');
    expect(refused({ rules: [{ chain: 'INPUT', outInterface: 'eth0', target: 'ACCEPT' }] })).toBe('iptables.rules[0].outInterface: iptables refuses -o in chain INPUT');
    expect(refused({ table: 'nat', rules: [{ chain: 'INPUT', target: 'REJECT' }] })).toBe('iptables.rules[0].target: REJECT is only valid in the filter table');
    expect(refused({ rules: [{ chain: 'INPUT', protocol: 'tcp', dport: '0:65535', target: 'ACCEPT' }] })).toMatch(/dport: 0:65535 matches every port/);
    expect(refused({ rules: [{ chain: 'INPUT', comment: 'a\nCOMMIT', target: 'ACCEPT' }] })).toBe('iptables.rules[0].comment: must not contain a newline');
    expect(refused({ rules: [{ chain: 'INPUT', target: 'nochain' }] })).toMatch(/target: "nochain" is neither/);
    expect(refused({ rules: [{ chain: 'INPUT', target: 'ACCEPT', extra: 1 } as never] })).toBe("iptables.rules[0].extra: unknown rule field 'extra'");
  });
});

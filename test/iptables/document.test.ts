import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalAddress, check, diff, fail2ban, format, parse, rebuildCommands, render, ruleArgs, toCommand, type Rule } from '../../src/iptables/index.js';

const dir = new URL('../../fixtures/iptables/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => /\.ip6?tables-save$/.test(f)).sort();
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

describe('real dumps', () => {
  it.each(fixtures)('%s round-trips, has no errors, and each rule re-renders as iptables-save printed it', (f) => {
    const text = read(f);
    const doc = parse(text, { file: f });
    expect(doc.toString()).toBe(text);
    expect(check(doc).filter((d) => d.severity === 'error')).toEqual([]);
    for (const b of doc.blocks)
      for (const n of b.rules) {
        if (n.repaired !== undefined) continue;
        const line = n.raw.replace(/\n$/, '').replace(/^\[\d+:\d+\] /, '');
        const rule = { ...doc.rules().find((r) => r.node === n)!.rule };
        delete rule.counters;
        expect(ruleArgs(rule)).toBe(line);
      }
  });

  it('reads ufw dumps: chains, policies, comments with single quotes', () => {
    const doc = parse(read('ufw.iptables-save'));
    const filter = doc.table('filter')!;
    expect(filter.chain('INPUT')!.policy).toBe('DROP');
    const user = filter.chain('ufw-user-input')!.rules().map((r) => r.rule);
    const ssh = user.find((r) => r.matches.some((m) => m.name === 'comment'))!;
    expect(ssh.matches.find((m) => m.name === 'comment')!.options[0]).toEqual({ name: 'comment', args: ["'dapp_OpenSSH'"], negated: false });
    const limit = user.find((r) => r.matches.some((m) => m.name === 'recent' && m.options.some((o) => o.name === 'update')))!;
    expect(limit.matches.map((m) => m.name)).toEqual(['tcp', 'conntrack', 'recent']);
    expect(limit.matches[2]!.options.map((o) => o.name)).toEqual(['update', 'seconds', 'hitcount', 'name', 'mask', 'rsource']);
    expect(doc.rules({ address: '203.0.113.0/24' }).map((r) => r.rule.target?.name)).toEqual(['DROP']);
    expect(parse(read('ufw.ip6tables-save')).family).toBe('ipv6');
  });

  it('reads kube-proxy statistic matches and DNAT targets', () => {
    const doc = parse(read('kube-proxy.iptables-save'));
    const svc = doc.table('nat')!.chain('KUBE-SVC-TCOU7JCQXEZGVUNU')!.rules()[1]!.rule;
    expect(svc.matches[1]).toEqual({ name: 'statistic', known: true, options: [{ name: 'mode', args: ['random'], negated: false }, { name: 'probability', args: ['0.50000000000'], negated: false }] });
    const dnat = doc.rules({ table: 'nat', target: 'DNAT' });
    expect(dnat).toHaveLength(5);
    expect(dnat[0]!.rule.target).toEqual({ name: 'DNAT', kind: 'extension', goto: false, options: [{ name: 'to-destination', args: ['10.244.0.2:53'], negated: false }] });
    const fw = doc.table('filter')!.chain('KUBE-FIREWALL')!.rules()[0]!.rule;
    expect(fw.source).toEqual({ address: '127.0.0.0/8', negated: true });
    expect(fw.matches[1]!.options[0]).toEqual({ name: 'ctstate', args: ['RELATED,ESTABLISHED,DNAT'], negated: true });
    expect(toCommand(fw, 'delete')).toBe("iptables -D KUBE-FIREWALL '!' -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment 'block incoming localnet connections' -m conntrack '!' --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
    expect(dnat[0]!.toCommand('delete')).toMatch(/^iptables -t nat -D KUBE-SEP-IT2ZTR26TO4XFPTO /);
  });

  it('gives the fail2ban view: jails, bans with block type, entries, unban commands', () => {
    const view = fail2ban(parse(read('fail2ban.iptables-save')));
    expect(view.jails.map((j) => [j.jail, j.bans.length, j.entries[0]?.ports])).toEqual([
      ['recidive', 1, '0:65535'],
      ['sshd', 3, '22,2222'],
      ['thp-ssh', 1, undefined],
    ]);
    const thp = view.jails.find((j) => j.jail === 'thp-ssh')!.bans[0]!;
    expect(thp).toMatchObject({ address: '192.168.10.10/32', blocktype: 'DROP', unban: 'iptables -D f2b-thp-ssh -s 192.168.10.10/32 -j DROP' });
    expect(view.jails[0]!.bans[0]!.blocktype).toBe('REJECT --reject-with icmp-host-prohibited');
    const v6 = fail2ban(parse(read('fail2ban.ip6tables-save')));
    expect(v6.bans[0]!.unban).toBe('ip6tables -D f2b-recidive -s 2001:db8::66/128 -j REJECT --reject-with icmp6-port-unreachable');
  });

  it('keeps and reports interleaved warnings, never fatal', () => {
    const doc = parse(read('kube-proxy-warning.iptables-save'));
    expect(doc.warnings).toHaveLength(1);
    expect(doc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const split = doc.table('nat')!.chain('KUBE-SEP-ZP3FB6NMPNCO4VBJ')!.rules()[1]!.rule;
    expect(split.target).toMatchObject({ name: 'DNAT', options: [{ name: 'to-destination', args: ['10.244.0.3:53'] }] });
    expect(diff(doc, parse(read('kube-proxy.iptables-save')))).toEqual([]);
    const d2 = parse(read('docker-warning.iptables-save'));
    expect(d2.warnings).toEqual(['# Warning: iptables-legacy tables present, use iptables-legacy-save to see them']);
  });

  it('diffs semantically: blind to counters, timestamps and spelling', () => {
    const a = parse(read('docker.iptables-save'));
    expect(diff(a, parse(read('docker-counters.iptables-save')))).toEqual([]);
    expect(diff(a, parse(read('docker-legacy.iptables-save')))).toEqual([]);
    const b = parse(read('docker.iptables-save'));
    b.setPolicy('filter', 'FORWARD', 'ACCEPT');
    b.deleteRule('filter', 'DOCKER-USER', '-j RETURN');
    b.appendRule('filter', 'DOCKER-USER', '--source 10.0.0.1 --jump DROP');
    b.addChain('filter', 'NEW');
    b.removeChain('filter', 'DOCKER-ISOLATION-STAGE-2');
    const kinds = diff(a, b).map((c) => `${c.kind} ${'chain' in c ? c.chain : ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['policy-changed FORWARD', 'rule-removed DOCKER-USER', 'rule-added DOCKER-USER', 'chain-added NEW', 'chain-removed DOCKER-ISOLATION-STAGE-2', 'rule-removed DOCKER-ISOLATION-STAGE-2']),
    );
  });
});

describe('restore files written by hand', () => {
  const text = [
    '# hand-written',
    '*filter',
    ':INPUT DROP [0:0]',
    ':f2b-sshd - [0:0]',
    '-N extra',
    '-I INPUT 1 -i lo -j ACCEPT',
    '--append INPUT --source 10.0.0.1 --protocol udp --jump DROP',
    '-A INPUT -j ACCEPT -p tcp --dport 22 -m comment --comment "it\\\'s #-A * \\"x\\""',
    '-A INPUT -c 5 6 -s 1.2.3.4 --jump f2b-sshd',
    '[7:8] -A INPUT ! -i eth+ ! -p icmp -f -j DROP',
    '-D INPUT 2',
    '-P FORWARD DROP',
    '-F extra',
    '-Z INPUT',
    '-X extra',
    '-E f2b-sshd f2b-ssh2',
    '-A INPUT -6 -s 2001:db8::1 -j DROP',
    'COMMIT',
    '',
  ].join('\n');

  it('reads every command with its arguments', () => {
    const doc = parse(text);
    expect(doc.toString()).toBe(text);
    expect(doc.diagnostics).toEqual([]);
    const rules = doc.rules().map((r) => r.rule);
    expect(rules.map((r) => [r.command, r.chain, r.position ?? null])).toEqual([
      ['new-chain', 'extra', null],
      ['insert', 'INPUT', 1],
      ['append', 'INPUT', null],
      ['append', 'INPUT', null],
      ['append', 'INPUT', null],
      ['append', 'INPUT', null],
      ['delete', 'INPUT', 2],
      ['policy', 'FORWARD', null],
      ['flush', 'extra', null],
      ['zero', 'INPUT', null],
      ['delete-chain', 'extra', null],
      ['rename-chain', 'f2b-sshd', null],
      ['append', 'INPUT', null],
    ]);
    expect(rules[2]).toMatchObject({ source: { address: '10.0.0.1' }, protocol: { name: 'udp' }, target: { name: 'DROP' } });
    expect(rules[3]!.matches).toEqual([
      { name: 'tcp', implicit: true, known: true, options: [{ name: 'dport', args: ['22'], negated: false }] },
      { name: 'comment', known: true, options: [{ name: 'comment', args: ['it\'s #-A * "x"'], negated: false }] },
    ]);
    expect(ruleArgs(rules[3]!)).toBe('-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "it\\\'s #-A * \\"x\\"" -j ACCEPT');
    expect(rules[4]!.counters).toEqual({ packets: 5, bytes: 6 });
    expect(rules[5]).toMatchObject({ counters: { packets: 7, bytes: 8 }, inInterface: { name: 'eth+', negated: true }, protocol: { name: 'icmp', negated: true }, fragment: { negated: false } });
    expect(rules[7]!.policy).toBe('DROP');
    expect(rules[11]!.newName).toBe('f2b-ssh2');
    expect(rules[12]!.onlyFamily).toBe('ipv6');
    expect(check(doc).filter((d) => d.code === 'iptables/other-family')).toHaveLength(1);
  });

  it('reports what iptables-restore would refuse, without throwing', () => {
    const bad = parse('*filter\n:INPUT\n-A INPUT --bogus 1 -j ACCEPT\n-A INPUT -p tcp --dport\n   \nCOMMIT \n*nat\n-A X -j NOPE\n');
    const codes = bad.diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(codes).toEqual(
      expect.arrayContaining(['2:iptables/missing-policy', '3:iptables/unknown-option', '4:iptables/missing-argument', '5:iptables/no-command', '6:iptables/unexpected-argument', '8:iptables/missing-commit']),
    );
    expect(check(bad).map((d) => d.code)).toEqual(expect.arrayContaining(['iptables/unknown-chain', 'iptables/unknown-target']));
    const crlf = parse('*filter\r\nCOMMIT\r\n');
    expect(crlf.toString()).toBe('*filter\r\nCOMMIT\r\n');
    expect(crlf.diagnostics.map((d) => d.code)).toContain('iptables/carriage-return');
  });

  it('keeps an unknown module and its options generically', () => {
    const doc = parse('*filter\n-A INPUT -m frobnicate --level 3 --flag "x y" ! --other -j FROB --speed 9\nCOMMIT\n');
    const r = doc.rules()[0]!.rule;
    expect(r.matches).toEqual([
      {
        name: 'frobnicate',
        known: false,
        options: [
          { name: 'level', args: ['3'], negated: false },
          { name: 'flag', args: ['x y'], negated: false },
          { name: 'other', args: [], negated: true },
        ],
      },
    ]);
    expect(r.target).toEqual({ name: 'FROB', kind: 'extension', goto: false, options: [{ name: 'speed', args: ['9'], negated: false }] });
    expect(check(doc).map((d) => d.code)).toContain('iptables/unknown-module');
  });
});

describe('edits', () => {
  it('print new rules in canonical form and touch nothing else', () => {
    const text = read('fail2ban.iptables-save');
    const doc = parse(text);
    doc.appendRule('filter', 'f2b-sshd', '-s 192.0.2.9 -j REJECT --reject-with icmp-port-unreachable');
    doc.insertRule('filter', 'f2b-sshd', 1, { source: { address: '192.0.2.1', negated: false }, target: { name: 'DROP', kind: 'verdict', goto: false, options: [] } });
    const out = doc.toString();
    const added = out.split('\n').filter((l) => !text.split('\n').includes(l));
    expect(added).toEqual(['-A f2b-sshd -s 192.0.2.1/32 -j DROP', '-A f2b-sshd -s 192.0.2.9/32 -j REJECT --reject-with icmp-port-unreachable']);
    const lines = out.split('\n');
    expect(lines.indexOf('-A f2b-sshd -s 192.0.2.1/32 -j DROP')).toBe(lines.indexOf('-A f2b-sshd -s 198.51.100.23/32 -j REJECT --reject-with icmp-port-unreachable') - 1);
    expect(lines.indexOf('-A f2b-sshd -s 192.0.2.9/32 -j REJECT --reject-with icmp-port-unreachable')).toBe(lines.indexOf('-A f2b-sshd -j RETURN') + 1);
    expect(doc.deleteRule('filter', 'f2b-sshd', '-s 192.0.2.9/32 -j REJECT --reject-with icmp-port-unreachable')).toBe(true);
    expect(doc.deleteRule(doc.rules({ address: '192.0.2.1' })[0]!)).toBe(true);
    expect(doc.toString()).toBe(text);
    expect(doc.flushChain('filter', 'f2b-sshd')).toBe(4);
    expect(doc.removeChain('filter', 'f2b-sshd')).toBe(true);
    doc.setPolicy('filter', 'INPUT', 'DROP');
    expect(doc.toString()).toContain(':INPUT DROP [0:0]\n');
    expect(doc.toString()).not.toContain('f2b-sshd -');
  });

  it('follows the counters style of a -c dump, adds tables in nf_tables order', () => {
    const doc = parse(read('docker-counters.iptables-save'));
    doc.appendRule('filter', 'DOCKER-USER', '-s 10.0.0.0/8 -j DROP');
    expect(doc.toString()).toContain('[0:0] -A DOCKER-USER -s 10.0.0.0/8 -j DROP\n');
    doc.appendRule('raw', 'PREROUTING', '-p udp --dport 53 -j CT --notrack');
    const t = doc.toString();
    expect(t.indexOf('*raw')).toBeLessThan(t.indexOf('*filter'));
    expect(t).toContain('*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack\nCOMMIT\n');
    expect(parse(t).diagnostics).toEqual([]);
  });

  it('keeps a file without final newline that way', () => {
    const doc = parse('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT');
    doc.appendRule('filter', 'INPUT', '-j DROP');
    expect(doc.toString()).toBe('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT');
  });

  it('render gives the canonical dump and the rebuild commands come from the typed model', () => {
    const doc = render({ tables: [{ name: 'filter', chains: [{ name: 'INPUT', policy: 'DROP' }, { name: 'zeta', policy: '-' }, { name: 'Alpha', policy: '-' }], rules: [{ chain: 'zeta', target: { name: 'RETURN', kind: 'verdict', goto: false, options: [] } }, { chain: 'INPUT', protocol: { name: '6', negated: false }, matches: [{ name: 'tcp', known: true, options: [{ name: 'dport', args: ['22'], negated: false }] }], target: { name: 'ACCEPT', kind: 'verdict', goto: false, options: [] } }] }] });
    expect(doc.toString()).toBe('*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:Alpha - [0:0]\n:zeta - [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A zeta -j RETURN\nCOMMIT\n');
    expect(rebuildCommands(doc)).toEqual(['iptables -P INPUT DROP', 'iptables -P FORWARD ACCEPT', 'iptables -P OUTPUT ACCEPT', 'iptables -N Alpha', 'iptables -N zeta', 'iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', 'iptables -A zeta -j RETURN']);
  });
});

describe('properties', () => {
  it('arbitrary text never throws and always round-trips', () => {
    const chunk = fc.constantFrom('*filter', '*nat', ':INPUT ACCEPT [0:0]', ':X - [1:2]', '-A INPUT -j DROP', 'COMMIT', '# c', '', '\r', '"', '[0:0] ', '-m comment --comment "a', '\uFEFF', '\0', ' ', '\t', '!');
    const text = fc.array(fc.oneof(chunk, fc.string({ maxLength: 8 })), { maxLength: 30 }).chain((parts) => fc.array(fc.constantFrom('\n', '\r\n', ' ', ''), { minLength: parts.length, maxLength: parts.length }).map((eols) => parts.map((p, i) => p + eols[i]).join('')));
    fc.assert(
      fc.property(text, (t) => {
        const doc = parse(t);
        expect(doc.toString()).toBe(t);
        void doc.diagnostics;
        void check(doc);
        void doc.toJSON();
      }),
      { numRuns: 500 },
    );
  });

  const word = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,10}$/).filter((s) => !s.startsWith('-'));
  const text = fc.string({ minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\n') && !s.includes('\r'));
  const opt = (name: string, arg: fc.Arbitrary<string>) => fc.record({ name: fc.constant(name), args: arg.map((a) => [a]), negated: fc.boolean() });
  const matchArb = fc.oneof(
    fc.record({ name: fc.constant('comment'), known: fc.constant(true), options: fc.tuple(text).map(([t]) => [{ name: 'comment', args: [t], negated: false }]) }),
    fc.record({ name: fc.constant('conntrack'), known: fc.constant(true), options: fc.array(opt('ctstate', fc.constantFrom('NEW', 'RELATED,ESTABLISHED', 'INVALID')), { minLength: 1, maxLength: 1 }) }),
    fc.record({ name: fc.constant('statistic'), known: fc.constant(true), options: fc.constant([{ name: 'mode', args: ['nth'], negated: false }, { name: 'every', args: ['3'], negated: false }]) }),
    fc.record({ name: fc.constant('set'), known: fc.constant(true), options: fc.tuple(word, fc.boolean()).map(([s, n]) => [{ name: 'match-set', args: [s, 'src,dst'], negated: n }]) }),
    fc.record({ name: fc.constant('recent'), known: fc.constant(true), options: fc.tuple(word).map(([w]) => [{ name: 'set', args: [], negated: false }, { name: 'name', args: [w], negated: false }, { name: 'rsource', args: [], negated: false }]) }),
    fc.record({ name: fc.constant('string'), known: fc.constant(true), options: fc.tuple(text).map(([t]) => [{ name: 'string', args: [t], negated: false }, { name: 'algo', args: ['bm'], negated: false }]) }),
  );
  const ruleArb: fc.Arbitrary<Rule> = fc.record(
    {
      table: fc.constant('filter'),
      chain: word,
      command: fc.constant('append' as const),
      source: fc.record({ address: fc.constantFrom('10.0.0.0/8', '192.0.2.1/32', '2001:db8::/32'), negated: fc.boolean() }),
      inInterface: fc.record({ name: fc.constantFrom('eth0', 'eth+', 'br-1'), negated: fc.boolean() }),
      protocol: fc.record({ name: fc.constantFrom('tcp', 'udp', 'all'), negated: fc.boolean() }),
      matches: fc.array(matchArb, { maxLength: 3 }),
      target: fc.oneof(
        fc.record({ name: fc.constant('LOG'), kind: fc.constant('extension' as const), goto: fc.constant(false), options: fc.tuple(text).map(([t]) => [{ name: 'log-prefix', args: [t], negated: false }]) }),
        fc.record({ name: word.map((w) => 'c' + w), kind: fc.constant('chain' as const), goto: fc.boolean(), options: fc.constant([]) }),
        fc.record({ name: fc.constantFrom('ACCEPT', 'DROP'), kind: fc.constant('verdict' as const), goto: fc.constant(false), options: fc.constant([]) }),
      ),
    },
    { requiredKeys: ['table', 'chain', 'command', 'matches'] },
  ) as fc.Arbitrary<Rule>;

  it('typed rules print → parse → equal', () => {
    fc.assert(
      fc.property(ruleArb, (rule) => {
        const doc = parse(`*filter\n${ruleArgs(rule)}\nCOMMIT\n`);
        expect(doc.diagnostics).toEqual([]);
        expect(doc.rules()[0]!.rule).toEqual(rule);
      }),
      { numRuns: 1000 },
    );
  });

  it('random edits change only their lines', () => {
    const base = read('ufw.iptables-save');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('ufw-user-input', 'ufw-user-output', 'INPUT'), fc.ipV4()), { minLength: 1, maxLength: 5 }), (adds) => {
        const doc = parse(base);
        for (const [chain, ip] of adds) doc.appendRule('filter', chain, `-s ${ip} -j DROP`);
        const out = doc.toString().split('\n');
        const orig = base.split('\n');
        const kept = out.filter((l) => !/^-A \S+ -s [\d.]+\/32 -j DROP$/.test(l) || orig.includes(l));
        expect(kept).toEqual(orig);
      }),
      { numRuns: 100 },
    );
  });
});

describe('format registration', () => {
  it('detects dumps by content and name', () => {
    expect(format.detect(undefined, read('ufw.iptables-save'))).toBe(1);
    expect(format.detect('/tmp/dump.txt', '*filter\nCOMMIT\n')).toBe(1);
    expect(format.detect('/etc/iptables/rules.v4', '*filter\nCOMMIT\n')).toBe(3);
    expect(format.detect('/etc/ufw/user.rules', 'x')).toBe(2);
    expect(format.detect('sshd_config', 'Port 22\n')).toBe(0);
  });
});

describe('canonical form of new rules', () => {
  it('a rule added by hand prints as iptables-save would print it', () => {
    const doc = parse('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
    doc.appendRule('filter', 'INPUT', '-p tcp --dport 22:22 --syn -j MARK --set-mark 1');
    doc.insertRule('filter', 'INPUT', 1, { source: { address: '10.1.2.3/8', negated: false }, matches: [], target: { name: 'REJECT', kind: 'extension', goto: false, options: [] } });
    expect(doc.toString()).toBe(
      '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j REJECT --reject-with icmp-port-unreachable\n-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n',
    );
    // Deleting finds the rule as the kernel holds it (iptables -D).
    expect(doc.deleteRule('filter', 'INPUT', '-s 10.2.3.4/255.0.0.0 -j REJECT')).toBe(true);
  });

  it('long options by unique prefix; an ambiguous prefix is an error', () => {
    const ok = parse('*filter\n-A INPUT --sour 10.0.0.1 -p tcp --dp 22 -j ACCEPT\nCOMMIT\n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.rules()[0]!.rule).toMatchObject({ source: { address: '10.0.0.1' }, matches: [{ name: 'tcp', options: [{ name: 'dport', args: ['22'] }] }] });
    const bad = parse('*filter\n-A INPUT -m conntrack --ctst NEW -j ACCEPT\nCOMMIT\n');
    expect(bad.diagnostics.map((d) => d.code)).toContain('iptables/ambiguous-option');
  });

  it('addresses as iptables-save prints them', () => {
    expect(canonicalAddress('10.1.2.3/255.255.0.0', false, 'ipv4')).toBe('10.1.0.0/16');
    expect(canonicalAddress('10.0.0.0/255.0.255.0', false, 'ipv4')).toBe('10.0.0.0/255.0.255.0');
    expect(canonicalAddress('0.0.0.0/0', false, 'ipv4')).toBeUndefined();
    expect(canonicalAddress('2001:DB8:0:0:1::1/64', false, 'ipv6')).toBe('2001:db8::/64');
    expect(canonicalAddress('2001:db8:0:1:0:0:0:5/ffff:ffff:0:ffff::', false, 'ipv6')).toBe('2001:db8:0:1::/ffff:ffff:0:ffff::');
    expect(canonicalAddress('::ffff:1.2.3.4', false, 'ipv6')).toBe('::ffff:1.2.3.4/128');
    expect(canonicalAddress('localhost', false, 'ipv4')).toBe('localhost');
  });
});

describe('diagnostics after edits (core LineDocument)', () => {
  it('a problem found while parsing stays on its line when rules are added above it, and the edits replay', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nthis is not a dump line\n*nat\n:PREROUTING ACCEPT [0:0]\n';
    const doc = parse(text, { file: 'rules.v4' });
    const before = doc.diagnostics.map((d) => [d.code, d.line]);
    expect(before.length).toBeGreaterThan(0);
    doc.appendRule('filter', 'INPUT', '-s 192.0.2.1/32 -j DROP');
    doc.appendRule('filter', 'INPUT', '-s 192.0.2.2/32 -j DROP');
    const fresh = parse(doc.toString(), { file: 'rules.v4' });
    expect(doc.diagnostics).toEqual(fresh.diagnostics);
    expect(doc.diagnostics.map((d) => d.line)).toEqual(before.map(([, l]) => (l as number) > 3 ? (l as number) + 2 : l));
    expect(doc.edits()).toHaveLength(1);
  });
});

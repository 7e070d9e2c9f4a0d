// Differential test of `diff`: a restore file loaded by the real iptables-restore (ip6tables-restore)
// in a fresh network namespace, then dumped by the real iptables-save, must not differ from itself —
// whatever commands it uses (-P, -I, -D, -N, -X, -F, lines for the other family) and however its rules
// are spelled. And a real change made after loading must still be reported, exactly.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff, formatDiff, parse, type Family } from '../../src/iptables/index.js';
import { runCli } from '../cli/capture-io.js';
import { withNetns } from '../netns.js';
import { loadAndSave, selfDiff } from './self-diff.js';

/** Restore files people write, each showing one way a file differs in spelling from its dump. */
const FILES: Record<string, { family?: Family; text: string }> = {
  'policies and inserts': {
    text: ['*filter', ':INPUT ACCEPT', '-P INPUT DROP', '-A INPUT -i lo -j ACCEPT', '-I INPUT -p icmp -j ACCEPT', 'COMMIT', ''].join('\n'),
  },
  'value spellings and defaults iptables-save adds': {
    text: [
      '*filter',
      ':INPUT DROP [0:0]',
      ':FORWARD DROP [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      '-A INPUT -p icmp --icmp-type echo-request -m limit --limit 2/s -j ACCEPT',
      '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -p udp --dport domain -j ACCEPT',
      '-A INPUT -p tcp --dport ssh -m state --state NEW -m recent --set --name SSH',
      '-A INPUT -p tcp --dport 22 -m state --state NEW -m recent --update --seconds 60 --hitcount 4 --name SSH -j DROP',
      '-A INPUT -p tcp --syn --dport 80:80 -j ACCEPT',
      '-A INPUT -s 192.168.1.7/24 -j LOG --log-prefix "dropped: " --log-level info',
      '-A INPUT -p tcp -j REJECT --reject-with tcp-rst',
      '-A INPUT -j REJECT',
      '-A FORWARD -j REJECT --reject-with icmp-host-prohibited',
      'COMMIT',
      '',
    ].join('\n'),
  },
  'built-in chains the file leaves out': {
    text: ['*nat', ':PREROUTING ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', '-A POSTROUTING -o eth0 -j MASQUERADE', '-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 3128', 'COMMIT', '*raw', 'COMMIT', ''].join('\n'),
  },
  'commands beyond -A, address lists, the other family': {
    text: [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':keep - [0:0]',
      ':gone - [0:0]',
      '-N later',
      '-A INPUT -j keep',
      '-A INPUT -s 10.0.0.1 -j ACCEPT',
      '-I INPUT -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -j DROP',
      '-A INPUT -s 5.5.5.5,6.6.6.6 -j DROP',
      '-A gone -j RETURN',
      '-F gone',
      '-X gone',
      '-D INPUT -s 10.0.0.1/32 -j ACCEPT',
      '-D INPUT 1',
      '-A later -6 -j DROP',
      '-A later -4 -j RETURN',
      '-Z INPUT',
      'COMMIT',
      '*mangle',
      ':only - [0:0]',
      'COMMIT',
      '',
    ].join('\n'),
  },
  'name prefixes, numbers in hex, old option names, defaults of both ends': {
    text: [
      '*filter',
      '-A INPUT -p icmp --icmp-type Echo-Request -j ACCEPT',
      '-A INPUT -p icmp --icmp-type echo-req -j ACCEPT',
      '-A INPUT -p icmp --icmp-type dest -j ACCEPT',
      '-A INPUT -p icmp --icmp-type AN -j ACCEPT',
      '-A INPUT -m u32 --u32 "0>>22&0x3C@12>>26&0x3F=0x10" -j DROP',
      '-A INPUT -m u32 ! --u32 " 6 & 0xFF = 1 && 4 & 0x3FFF = 0 , 5:9" -j DROP',
      '-A INPUT -m devgroup --src-group 1 -j ACCEPT',
      '-A INPUT -m string --hex-string "|00|abc" --algo bm -j DROP',
      '-A INPUT -m string --hex-string "|c3|é" --algo bm -j DROP',
      '-A INPUT -m conntrack --ctexpire 10:20 --ctdir original -j ACCEPT',
      '-A INPUT -m connbytes --connbytes 10: --connbytes-dir both --connbytes-mode bytes -j ACCEPT',
      '-A INPUT -m time --timestart 8:00:30 --utc -j ACCEPT',
      '-A INPUT -m time --timestop 6:00 -j ACCEPT',
      '-A INPUT -m time --datestop 2030-12-31T23:59 --localtz -j ACCEPT',
      '-A INPUT -j NFLOG --nflog-range 100',
      'COMMIT',
      '*mangle',
      '-A POSTROUTING -j CLASSIFY --set-class 1:10',
      '-A POSTROUTING -j CLASSIFY --set-class ABCD:1',
      'COMMIT',
      '',
    ].join('\n'),
  },
  'ip6tables without an address': {
    family: 'ipv6',
    text: ['*filter', ':INPUT DROP [0:0]', '-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT', '-A INPUT -p ipv6-icmp --icmpv6-type NEIGHBOUR-S -j ACCEPT', '-A INPUT -m iprange --src-range 2001:db8::1-2001:DB8:0::9 -j ACCEPT', '-A INPUT -p tcp -j REJECT', '-A INPUT -j REJECT', 'COMMIT', ''].join('\n'),
  },
};

describe('diff of a restore file against its own iptables-save (real iptables-restore in a namespace)', () => {
  for (const [name, { family, text }] of Object.entries(FILES)) {
    it(name, async () => {
      const { text: d } = await selfDiff(text, family);
      expect(d).toBe('');
    });
  }

  it('still reports real changes made after loading, and only those', async () => {
    const file = FILES['value spellings and defaults iptables-save adds']!.text;
    await withNetns('ipt-diff', async (ns) => {
      await ns.run(['iptables-restore'], file);
      await ns.run(['iptables', '-P', 'FORWARD', 'ACCEPT']);
      await ns.run(['iptables', '-I', 'INPUT', '2', '-s', '9.9.9.9', '-j', 'DROP']);
      await ns.run(['iptables', '-D', 'INPUT', '-p', 'udp', '--dport', '53', '-j', 'ACCEPT']);
      await ns.run(['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-j', 'MASQUERADE']);
      await ns.run(['iptables', '-N', 'extra']);
      const dump = await ns.run(['iptables-save']);
      expect(formatDiff(diff(parse(file), parse(dump)))).toBe(
        [
          '- rule filter INPUT#4: -A INPUT -p udp -m udp --dport domain -j ACCEPT',
          '+ rule filter INPUT#2: -A INPUT -s 9.9.9.9/32 -j DROP',
          '~ policy filter FORWARD DROP -> ACCEPT',
          '+ chain filter extra',
          '+ table nat',
          '+ rule nat POSTROUTING#1: -A POSTROUTING -j MASQUERADE',
          '',
        ].join('\n'),
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Generated restore files: rules over the modules fwconf knows, in the spellings people write.

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const opt = (a: fc.Arbitrary<string>) => fc.option(a, { nil: '' });

const address = fc.oneof(
  pick('10.1.2.3', '10.1.2.3/32', '192.168.7.9/24', '172.16.0.0/255.240.0.0', '10.0.0.0/255.0.255.0', '0.0.0.0/0', '1.1.1.1,2.2.2.2'),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, p]) => `${a}.${b}.3.4/${p}`),
);
const addresses = fc.tuple(opt(address.map((a) => `-s ${a}`)), opt(address.filter((a) => !a.includes(',')).map((a) => `-d ${a}`)), fc.boolean()).map(([s, d, neg]) =>
  [neg && s && !s.includes(',') && !s.endsWith('/0') ? `! ${s}` : s, d].filter(Boolean).join(' '),
);
/** Interfaces the chain allows (-i not in OUTPUT, -o not in INPUT; none in the user chain, jumped to from both). */
const iface = (chain: string) =>
  opt(
    chain === 'INPUT'
      ? pick('-i lo', '-i eth0', '-i eth+', '! -i docker0', '-i +')
      : chain === 'OUTPUT'
        ? pick('-o lo', '-o eth1', '! -o eth+')
        : chain === 'FORWARD'
          ? pick('-i eth0 -o eth1', '-o eth+', '! -i br0')
          : fc.constant(''),
  );

const port = pick('22', 'ssh', 'domain', 'http', 'https', '1024:', ':1023', '80:80', '6000:6010', '5432');
/** A protocol with the matches that go with it; `tcp` says whether `--reject-with tcp-reset` is allowed. */
const protocolPart = fc.oneof(
  fc.tuple(pick('tcp', 'TCP', '6'), opt(port.map((p) => `--dport ${p}`)), opt(port.map((p) => `--sport ${p}`)), opt(pick('--syn', '! --syn', '--tcp-flags SYN,ACK,FIN,RST SYN', '--tcp-flags ALL NONE'))).map(([p, ...o]) => ({
    text: [`-p ${p}`, ...o].filter(Boolean).join(' '),
    tcp: true,
  })),
  fc.tuple(pick('udp', '17'), opt(port.map((p) => `--dport ${p}`))).map(([p, d]) => ({ text: [`-p ${p}`, d].filter(Boolean).join(' '), tcp: false })),
  fc
    .tuple(pick('tcp', 'udp'), pick('--dports', '--sports', '--ports', '--destination-ports'), fc.uniqueArray(pick('22', '80', 'https', '8000:8080', 'domain'), { minLength: 1, maxLength: 3 }))
    .map(([p, o, ps]) => ({ text: `-p ${p} -m multiport ${o} ${ps.join(',')}`, tcp: p === 'tcp' })),
  pick('echo-request', 'ping', '8', 'echo-reply', 'destination-unreachable', 'port-unreachable', '3/3', 'time-exceeded', 'any').map((t) => ({ text: `-p icmp --icmp-type ${t}`, tcp: false })),
  pick('icmp', 'all', 'gre', '47').map((p) => ({ text: `-p ${p}`, tcp: false })),
  fc.constant({ text: '', tcp: false }),
);
const states = fc.shuffledSubarray(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID'], { minLength: 1 }).map((s) => s.join(','));
const matchPart = fc.array(
  fc.oneof(
    states.map((s) => `-m state --state ${s}`),
    fc.tuple(fc.boolean(), states).map(([neg, s]) => `-m conntrack ${neg ? '! ' : ''}--ctstate ${s}`),
    fc.tuple(fc.integer({ min: 1, max: 50 }), pick('s', 'sec', 'second', '/minute', 'min', 'm', 'hour', 'h', 'day', 'd'), opt(pick('5', '10', '20'))).map(
      ([n, u, b]) => `-m limit --limit ${n}${u.startsWith('/') ? u : '/' + u}${b ? ` --limit-burst ${b}` : ''}`,
    ),
    fc.tuple(opt(pick('--name SSH', '--name web')), opt(pick('--rsource', '--rdest'))).map(([n, r]) => [`-m recent --set`, n, r].filter(Boolean).join(' ')),
    fc.tuple(pick('--update', '--rcheck'), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20 }), opt(pick('--name SSH'))).map(
      ([c, s, h, n]) => [`-m recent ${c} --seconds ${s} --hitcount ${h}`, n].filter(Boolean).join(' '),
    ),
    pick(
      '-m iprange --src-range 10.0.0.1-10.0.0.9',
      '-m iprange ! --dst-range 10.1.0.1-10.1.0.1',
      '-m connlimit --connlimit-above 3',
      '-m connlimit --connlimit-upto 5 --connlimit-mask 24 --connlimit-daddr',
      '-m hashlimit --hashlimit-upto 5/sec --hashlimit-name hl1 --hashlimit-mode srcip',
      '-m hashlimit --hashlimit 20/minute --hashlimit-burst 5 --hashlimit-mode dstport,srcip --hashlimit-name hl2',
      '-m hashlimit --hashlimit-above 10/s --hashlimit-name hl3 --hashlimit-htable-expire 30000',
      '-m length --length 0:64',
      '-m length ! --length 1000:',
      '-m ttl --ttl-lt 3',
      '-m string --string "GET /admin" --algo bm',
      '-m string --algo kmp --string x --to 100',
      '-m time --timestart 8:00 --timestop 17:30 --weekdays Tue,Mon',
      '-m statistic --mode random --probability 0.5',
      '-m statistic --mode nth --every 3 --packet 0',
      '-m connmark --mark 2',
      '-m conntrack --ctstatus ASSURED,CONFIRMED --ctdir REPLY',
    ),
    pick('-m comment --comment "allow this"', '-m comment --comment plain', '-m addrtype --dst-type LOCAL', '-m pkttype --pkt-type Broadcast', '-m mark --mark 1', '-m mark --mark 0x10/0xff'),
  ),
  { maxLength: 2 },
);
const target = (tcp: boolean) =>
  fc.oneof(
    pick('-j ACCEPT', '-j DROP', '-j RETURN', '-j user', '-g user', '-j REJECT', '-j REJECT --reject-with icmp-host-prohibited', '-j REJECT --reject-with host-prohib', '-j REJECT --reject-with icmp-admin-prohibited'),
    pick('-j MARK --set-mark 1', '-j MARK --or-mark 0x4', '-j CONNMARK --save-mark', '-j CONNMARK --set-mark 3/0xff', '-j NFLOG --nflog-group 0', '-j NFLOG --nflog-prefix x --nflog-group 2', '-j LOG --log-tcp-options --log-ip-options'),
    pick('-j LOG', '-j LOG --log-prefix "in: "', '-j LOG --log-level info', '-j LOG --log-level 4 --log-prefix x', '-j LOG --log-level debug --log-uid'),
    tcp ? pick('-j REJECT --reject-with tcp-reset', '-j REJECT --reject-with tcp-rst') : pick('-j DROP'),
    fc.constant(''),
  );
// ip6tables: its addresses, ICMPv6, its REJECT types; the matches above that are not IPv4-only.
const address6 = pick('2001:db8::1', '2001:DB8:0:0::1/64', '2001:db8:1:2:3:4:5:6/48', 'fe80::/10', '::/0', '::1', '2001:db8::/ffff:ffff:0:ffff::', '2001:db8::1,2001:db8::2');
const addresses6 = fc.tuple(opt(address6.map((a) => `-s ${a}`)), opt(address6.filter((a) => !a.includes(',')).map((a) => `-d ${a}`))).map((x) => x.filter(Boolean).join(' '));
const protocolPart6 = fc.oneof(
  protocolPart.filter((p) => !/icmp|gre|47/.test(p.text)),
  pick('echo-request', '128', 'ping', 'neighbour-solicitation', 'neighbor-advertisement', 'destination-unreachable', 'port-unreachable', '1/4', 'packet-too-big').map((t) => ({
    text: `-p ${t === 'ping' ? 'icmpv6' : 'ipv6-icmp'} --icmpv6-type ${t}`,
    tcp: false,
  })),
);
const matchPart6 = matchPart.filter((ms) => !ms.some((m) => /iprange|ttl|connlimit-mask 24/.test(m)));
const target6 = (tcp: boolean) =>
  fc.oneof(
    // ip6tables has no tcp-rst alias (libip6t_REJECT.c), only tcp-reset.
    target(tcp).filter((t) => !/REJECT --reject-with (icmp-|host-|tcp-rst)/.test(t)),
    pick('-j REJECT --reject-with icmp6-adm-prohibited', '-j REJECT --reject-with adm-prohibited', '-j REJECT --reject-with no-route', '-j REJECT --reject-with icmp6-addr-unreachable'),
  );

const ruleArgs = (chain: string, family: Family) =>
  fc
    .tuple(family === 'ipv6' ? addresses6 : addresses, iface(chain), family === 'ipv6' ? protocolPart6 : protocolPart, family === 'ipv6' ? matchPart6 : matchPart)
    .chain(([a, i, p, m]) => (family === 'ipv6' ? target6 : target)(p.tcp).map((t) => [a, i, p.text, ...m, t].filter(Boolean).join(' ')));

const chainName = pick('INPUT', 'FORWARD', 'OUTPUT', 'user');
/** `CHAIN RULE`, a rule of the chain `user` not jumping to itself (iptables refuses loops). */
const inChain = (family: Family) => chainName.chain((c) => ruleArgs(c, family).map((r) => `${c} ${c === 'user' ? r.replace(/-[jg] user$/, '-j RETURN') : r}`));
/** One command line: mostly -A, some -I (at the head: nf_tables refuses other positions in one batch), -P. */
const command = (family: Family) =>
  fc.oneof(
    { weight: 6, arbitrary: inChain(family).map((cr) => `-A ${cr}`) },
    { weight: 2, arbitrary: fc.tuple(inChain(family), opt(pick('1'))).map(([cr, n]) => `-I ${cr.replace(' ', n ? ' 1 ' : ' ')}`) },
    { weight: 1, arbitrary: fc.tuple(pick('INPUT', 'FORWARD', 'OUTPUT'), pick('ACCEPT', 'DROP')).map(([c, p]) => `-P ${c} ${p}`) },
  );
const filterFile = (family: Family) =>
  fc
  .tuple(fc.subarray(['INPUT', 'FORWARD', 'OUTPUT']), fc.array(pick('ACCEPT', 'DROP'), { minLength: 3, maxLength: 3 }), fc.array(command(family), { maxLength: 12 }), fc.boolean())
  .map(([declared, policies, lines, counters]) =>
    [
      '*filter',
      ...declared.map((c, i) => `:${c} ${policies[i]}${counters ? ' [0:0]' : ''}`),
      ':user - [0:0]',
      ...lines,
      'COMMIT',
      '',
    ].join('\n'),
  );
const natFile = fc
  .array(
    pick(
      '-A POSTROUTING -o eth0 -j MASQUERADE',
      '-A POSTROUTING -s 10.8.0.0/24 -o eth0 -j SNAT --to-source 192.0.2.1',
      '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080',
      '-A PREROUTING -p tcp --dport http -j REDIRECT --to-ports 3128',
      '-I OUTPUT -d 10.9.0.0/16 -j RETURN',
    ),
    { maxLength: 4 },
  )
  .map((lines) => (lines.length ? ['*nat', ':PREROUTING ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...lines, 'COMMIT', ''].join('\n') : ''));

describe('diff of generated restore files against their own iptables-save', () => {
  it('reports nothing for files of random rules in common spellings', async () => {
    await fc.assert(
      fc.asyncProperty(filterFile('ipv4'), natFile, async (filter, nat) => {
        const file = filter + nat;
        const { text, dump } = await selfDiff(file);
        expect(text, `${file}\n--- iptables-save:\n${dump}`).toBe('');
      }),
      { numRuns: 40 },
    );
  });

  it('ip6tables: reports nothing either', async () => {
    await fc.assert(
      fc.asyncProperty(filterFile('ipv6'), async (file) => {
        const { text, dump } = await selfDiff(file, 'ipv6');
        expect(text, `${file}\n--- ip6tables-save:\n${dump}`).toBe('');
      }),
      { numRuns: 30 },
    );
  });
});

describe('diff of the fixture restore files against their own iptables-save', () => {
  const dir = join(__dirname, '../../fixtures/iptables/input');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.rules')).sort()) {
    it(f, async () => {
      const file = readFileSync(join(dir, f), 'utf8');
      const { text } = await selfDiff(file);
      expect(text).toBe('');
    });
  }
});

describe('fwconf iptables diff FILE <(iptables-save)', () => {
  it('rules.v6 against ip6tables-save: nothing to report, exit 0; a change: exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwconf-diff-'));
    try {
      const file = join(dir, 'rules.v6');
      const text = FILES['ip6tables without an address']!.text;
      writeFileSync(file, text);
      // A file whose name and content say nothing (no address, no ICMPv6) is read for the family of the dump it is compared with.
      const plain = text.replace(/^.*icmpv6.*\n/gm, '');
      writeFileSync(join(dir, 'plain'), plain);
      await withNetns('ipt-diff', async (ns) => {
        writeFileSync(join(dir, 'saved-plain'), await loadAndSave(ns, plain, 'ipv6'));
        writeFileSync(join(dir, 'saved'), await loadAndSave(ns, text, 'ipv6'));
        await ns.run(['ip6tables', '-A', 'INPUT', '-s', '2001:db8::/32', '-j', 'DROP']);
        writeFileSync(join(dir, 'changed'), await ns.run(['ip6tables-save']));
      });
      const same = await runCli(['iptables', 'diff', file, join(dir, 'saved')]);
      expect(same).toMatchObject({ code: 0, out: '' });
      expect(same.err).toContain('[iptables/family-assumed]');
      expect(plain).not.toContain('icmp');
      expect(await runCli(['iptables', 'diff', join(dir, 'plain'), join(dir, 'saved-plain')])).toEqual({ code: 0, out: '', err: '' });
      expect((await runCli(['iptables', 'diff', '--family', 'ipv4', join(dir, 'plain'), join(dir, 'saved-plain')])).out).toContain('--reject-with icmp6-port-unreachable');
      const changed = await runCli(['iptables', 'diff', file, join(dir, 'changed')]);
      expect(changed).toMatchObject({ code: 1, out: '+ rule filter INPUT#6: -A INPUT -s 2001:db8::/32 -j DROP\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

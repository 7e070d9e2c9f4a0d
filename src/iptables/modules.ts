/**
 * The extensions iptables knows, as data: each match module and target with its options, the number
 * of arguments each option takes, and how iptables-save quotes string arguments. Option names are the
 * long names iptables-save prints (without `--`); aliases are the other names iptables accepts.
 *
 * Spec strings: `name|alias:ARGS[QUOTE]`, ARGS the number of arguments (0, 1 or 2); QUOTE `s` when
 * iptables-save writes the argument with `xtables_save_string` (bare or `"…"` with `"`, `\`, `'`
 * escaped), `q` when it always writes it in double quotes (`"` and `\` escaped).
 */

export interface OptionSpec {
  /** The name iptables-save prints, without `--`. */
  readonly name: string;
  readonly aliases: readonly string[];
  /** How many arguments follow the option. */
  readonly args: 0 | 1 | 2;
  /** How iptables-save quotes the argument: `save` (xtables_save_string), `always`, or as-is. */
  readonly quote?: 'save' | 'always';
}

/** A match or target extension iptables knows: its options and their arguments, and the family it belongs to. */
export interface ExtensionSpec {
  readonly name: string;
  readonly kind: 'match' | 'target';
  /** Only in iptables (ipv4) or ip6tables (ipv6); both when absent. */
  readonly family?: 'ipv4' | 'ipv6';
  readonly options: readonly OptionSpec[];
  /** Option lookup by every accepted name (without `--`). */
  readonly byName: ReadonlyMap<string, OptionSpec>;
  /** The same, with `--`. */
  readonly byLong: ReadonlyMap<string, OptionSpec>;
}

const MATCHES: Record<string, string> = {
  addrtype: 'src-type:1 dst-type:1 limit-iface-in:0 limit-iface-out:0',
  ah: 'ahspi:1 ahlen:1 ahres:0',
  bpf: 'bytecode:1q object-pinned:1',
  cgroup: 'path:1s cgroup:1',
  cluster: 'cluster-total-nodes:1 cluster-local-node:1 cluster-local-nodemask:1 cluster-hash-seed:1',
  comment: 'comment:1s',
  connbytes: 'connbytes:1 connbytes-dir:1 connbytes-mode:1',
  connlabel: 'label:1q set:0',
  connlimit: 'connlimit-upto:1 connlimit-above:1 connlimit-mask:1 connlimit-saddr:0 connlimit-daddr:0',
  connmark: 'mark:1',
  conntrack:
    'ctstate:1 ctproto:1 ctorigsrc:1 ctorigdst:1 ctreplsrc:1 ctrepldst:1 ctorigsrcport:1 ctorigdstport:1 ctreplsrcport:1 ctrepldstport:1 ctstatus:1 ctexpire:1 ctdir:1',
  cpu: 'cpu:1',
  dccp: 'sport|source-port:1 dport|destination-port:1 dccp-types:1 dccp-option:1',
  devgroup: 'src-group:1 dst-group:1',
  dscp: 'dscp:1 dscp-class:1',
  dst: 'dst-len:1 dst-opts:1',
  ecn: 'ecn-tcp-cwr:0 ecn-tcp-ece:0 ecn-ip-ect:1',
  esp: 'espspi:1',
  eui64: '',
  frag: 'fragid:1 fraglen:1 fragres:0 fragfirst:0 fragmore:0 fraglast:0',
  hashlimit:
    'hashlimit-upto|hashlimit:1 hashlimit-above:1 hashlimit-burst:1 hashlimit-mode:1 hashlimit-name:1 hashlimit-srcmask:1 hashlimit-dstmask:1 hashlimit-htable-size:1 hashlimit-htable-max:1 hashlimit-htable-expire:1 hashlimit-htable-gcinterval:1 hashlimit-rate-match:0 hashlimit-rate-interval:1',
  hbh: 'hbh-len:1 hbh-opts:1',
  helper: 'helper:1s',
  hl: 'hl-eq:1 hl-lt:1 hl-gt:1',
  icmp: 'icmp-type:1',
  icmp6: 'icmpv6-type:1',
  iprange: 'src-range:1 dst-range:1',
  ipv6header: 'header:1 soft:0',
  ipvs: 'ipvs:0 vproto:1 vaddr:1 vport:1 vdir:1 vmethod:1 vportctl:1',
  length: 'length:1',
  limit: 'limit:1 limit-burst:1',
  mac: 'mac-source:1',
  mark: 'mark:1',
  mh: 'mh-type:1',
  multiport: 'sports|source-ports:1 dports|destination-ports:1 ports:1',
  nfacct: 'nfacct-name:1',
  osf: 'genre:1 ttl:1 log:1',
  owner: 'uid-owner:1 gid-owner:1 socket-exists:0 suppl-groups:0',
  physdev: 'physdev-in:1 physdev-out:1 physdev-is-in:0 physdev-is-out:0 physdev-is-bridged:0',
  pkttype: 'pkt-type:1',
  policy: 'dir:1 pol:1 strict:0 reqid:1 spi:1 proto:1 mode:1 tunnel-src:1 tunnel-dst:1 next:0',
  quota: 'quota:1',
  rateest:
    'rateest-delta:0 rateest-lt:0 rateest-gt:0 rateest-eq:0 rateest:1 rateest1:1 rateest2:1 rateest-bps:1 rateest-pps:1 rateest-bps1:1 rateest-bps2:1 rateest-pps1:1 rateest-pps2:1',
  realm: 'realm:1',
  recent: 'set:0 rcheck:0 update:0 remove:0 seconds:1 reap:0 hitcount:1 rttl:0 name:1 mask:1 rsource:0 rdest:0',
  rpfilter: 'loose:0 validmark:0 accept-local:0 invert:0',
  rt: 'rt-type:1 rt-segsleft:1 rt-len:1 rt-0-res:0 rt-0-addrs:1 rt-0-not-strict:0',
  sctp: 'sport|source-port:1 dport|destination-port:1 chunk-types:2',
  set: 'match-set|set:2 return-nomatch:0 update-counters:0 update-subcounters:0 packets-eq:1 packets-lt:1 packets-gt:1 bytes-eq:1 bytes-lt:1 bytes-gt:1',
  socket: 'transparent:0 nowildcard:0 restore-skmark:0',
  state: 'state:1',
  statistic: 'mode:1 probability:1 every:1 packet:1',
  string: 'algo:1 from:1 to:1 string:1q hex-string:1 icase:0',
  tcp: 'sport|source-port:1 dport|destination-port:1 tcp-flags:2 syn:0 tcp-option:1',
  tcpmss: 'mss:1',
  time: 'datestart:1 datestop:1 timestart:1 timestop:1 monthdays:1 weekdays:1 contiguous:0 kerneltz:0 utc:0 localtz:0',
  tos: 'tos:1',
  ttl: 'ttl-eq:1 ttl-lt:1 ttl-gt:1',
  u32: 'u32:1',
  udp: 'sport|source-port:1 dport|destination-port:1',
  udplite: 'sport|source-port:1 dport|destination-port:1',
};

const TARGETS: Record<string, string> = {
  ACCEPT: '',
  DROP: '',
  RETURN: '',
  QUEUE: '',
  AUDIT: 'type:1',
  CHECKSUM: 'checksum-fill:0',
  CLASSIFY: 'set-class:1',
  CLUSTERIP: 'new:0 hashmode:1 clustermac:1 total-nodes:1 local-node:1 hash-init:1',
  CONNMARK:
    'set-xmark:1 set-mark:1 save-mark:0 restore-mark:0 and-mark:1 or-mark:1 xor-mark:1 mask:1 nfmask:1 ctmask:1',
  CONNSECMARK: 'save:0 restore:0',
  CT: 'notrack:0 helper:1 ctevents:1 expevents:1 zone:1 zone-orig:1 zone-reply:1 timeout:1',
  DNAT: 'to-destination:1 random:0 persistent:0 random-fully:0',
  DNPT: 'src-pfx:1 dst-pfx:1',
  DSCP: 'set-dscp:1 set-dscp-class:1',
  ECN: 'ecn-tcp-remove:0 ecn-tcp-cwr:1 ecn-tcp-ece:1 ecn-ip-ect:1',
  HL: 'hl-set:1 hl-dec:1 hl-inc:1',
  HMARK:
    'hmark-tuple:1 hmark-mod:1 hmark-offset:1 hmark-src-prefix:1 hmark-dst-prefix:1 hmark-sport-mask:1 hmark-dport-mask:1 hmark-spi-mask:1 hmark-proto-mask:1 hmark-rnd:1',
  IDLETIMER: 'timeout:1 label:1 alarm:0',
  LED: 'led-trigger-id:1 led-delay:1 led-always-blink:0',
  LOG: 'log-level:1 log-prefix:1s log-tcp-sequence:0 log-tcp-options:0 log-ip-options:0 log-uid:0 log-macdecode:0',
  MARK: 'set-xmark:1 set-mark:1 and-mark:1 or-mark:1 xor-mark:1',
  MASQUERADE: 'to-ports:1 random:0 random-fully:0',
  NETMAP: 'to:1',
  NFLOG: 'nflog-group:1 nflog-prefix:1s nflog-range:1 nflog-size:1 nflog-threshold:1',
  NFQUEUE: 'queue-num:1 queue-balance:1 queue-bypass:0 queue-cpu-fanout:0 fail-open:0',
  NOTRACK: '',
  RATEEST: 'rateest-name:1 rateest-interval:1 rateest-ewmalog:1',
  REDIRECT: 'to-ports:1 random:0',
  REJECT: 'reject-with:1',
  SECMARK: 'selctx:1',
  SET: 'add-set:2 del-set:2 map-set:2 timeout:1 exist:0 map-mark:0 map-prio:0 map-queue:0',
  SNAT: 'to-source:1 random:0 persistent:0 random-fully:0',
  SNPT: 'src-pfx:1 dst-pfx:1',
  SYNPROXY: 'mss:1 wscale:1 sack-perm:0 timestamp:0 ecn:0',
  TCPMSS: 'set-mss:1 clamp-mss-to-pmtu:0',
  TCPOPTSTRIP: 'strip-options:1',
  TEE: 'gateway:1 oif:1',
  TOS: 'set-tos:1 and-tos:1 or-tos:1 xor-tos:1',
  TPROXY: 'on-port:1 on-ip:1 tproxy-mark:1',
  TRACE: '',
  TTL: 'ttl-set:1 ttl-dec:1 ttl-inc:1',
  ULOG: 'ulog-nlgroup:1 ulog-prefix:1 ulog-cprange:1 ulog-qthreshold:1',
};

const FAMILY: Record<string, 'ipv4' | 'ipv6'> = {
  icmp: 'ipv4',
  ttl: 'ipv4',
  realm: 'ipv4',
  CLUSTERIP: 'ipv4',
  ULOG: 'ipv4',
  TTL: 'ipv4',
  icmp6: 'ipv6',
  hl: 'ipv6',
  HL: 'ipv6',
  dst: 'ipv6',
  eui64: 'ipv6',
  frag: 'ipv6',
  hbh: 'ipv6',
  ipv6header: 'ipv6',
  mh: 'ipv6',
  rt: 'ipv6',
  DNPT: 'ipv6',
  SNPT: 'ipv6',
};

function build(name: string, kind: 'match' | 'target', spec: string): ExtensionSpec {
  const options: OptionSpec[] = [];
  const byName = new Map<string, OptionSpec>();
  for (const item of spec.split(' ').filter(Boolean)) {
    const m = /^([^:]+):([012])([sq]?)$/.exec(item);
    if (!m) throw new Error(`bad option spec ${item} in ${name}`);
    const [first, ...aliases] = m[1]!.split('|');
    const o: OptionSpec = {
      name: first!,
      aliases,
      args: Number(m[2]) as 0 | 1 | 2,
      ...(m[3] === 's' ? { quote: 'save' as const } : m[3] === 'q' ? { quote: 'always' as const } : {}),
    };
    options.push(o);
    byName.set(o.name, o);
    for (const a of aliases) byName.set(a, o);
  }
  const family = FAMILY[name];
  const byLong = new Map([...byName].map(([k, v]) => ['--' + k, v]));
  return { name, kind, ...(family ? { family } : {}), options, byName, byLong };
}

/** Match modules (`-m NAME`), by name. */
export const matchModules: ReadonlyMap<string, ExtensionSpec> = new Map(
  Object.entries(MATCHES).map(([n, s]) => [n, build(n, 'match', s)]),
);

/** Target extensions (`-j NAME`), by name. Standard verdicts have no options. */
export const targetExtensions: ReadonlyMap<string, ExtensionSpec> = new Map(
  Object.entries(TARGETS).map(([n, s]) => [n, build(n, 'target', s)]),
);

/** Verdicts built into every chain: not user chains, no options. */
export const STANDARD_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/** Built-in tables and their built-in chains, in hook order. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Table order of iptables-save with the nf_tables backend. */
export const NFT_TABLE_ORDER: readonly string[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** Chain names: at most 28 characters (XT_EXTENSION_MAXNAMELEN - 1). */
export const MAX_CHAIN_NAME = 28;

/**
 * The match iptables loads by itself for `-p PROTO` when an option it does not know follows
 * (`-p tcp --dport 22` gives `-m tcp --dport 22`). Keys are protocol names and numbers.
 */
export const PROTOCOL_MATCH: Readonly<Record<string, string>> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  'ipv6-icmp': 'icmp6',
  icmpv6: 'icmp6',
  '58': 'icmp6',
  sctp: 'sctp',
  '132': 'sctp',
  dccp: 'dccp',
  '33': 'dccp',
  udplite: 'udplite',
  '136': 'udplite',
  esp: 'esp',
  '50': 'esp',
  ah: 'ah',
  '51': 'ah',
  mh: 'mh',
  'ipv6-mh': 'mh',
  '135': 'mh',
};

/**
 * Protocol names as iptables-save prints them (from /etc/protocols), for the numbers it rewrites:
 * `-p 47` is saved as `-p gre`.
 */
export const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  '1': 'icmp',
  '2': 'igmp',
  '4': 'ipencap',
  '6': 'tcp',
  '17': 'udp',
  '33': 'dccp',
  '41': 'ipv6',
  '47': 'gre',
  '50': 'esp',
  '51': 'ah',
  '58': 'ipv6-icmp',
  '89': 'ospf',
  '103': 'pim',
  '112': 'vrrp',
  '132': 'sctp',
  '136': 'udplite',
  icmpv6: 'ipv6-icmp',
};

/** The basic options of every rule, by every name iptables accepts (short and long). */
export const BASIC_OPTIONS: Readonly<Record<string, string>> = {
  '-s': 'source',
  '--source': 'source',
  '--src': 'source',
  '-d': 'destination',
  '--destination': 'destination',
  '--dst': 'destination',
  '-i': 'in-interface',
  '--in-interface': 'in-interface',
  '-o': 'out-interface',
  '--out-interface': 'out-interface',
  '-p': 'protocol',
  '--protocol': 'protocol',
  '-f': 'fragment',
  '--fragment': 'fragment',
  '-m': 'match',
  '--match': 'match',
  '-j': 'jump',
  '--jump': 'jump',
  '-g': 'goto',
  '--goto': 'goto',
  '-c': 'set-counters',
  '--set-counters': 'set-counters',
  '-4': 'ipv4',
  '--ipv4': 'ipv4',
  '-6': 'ipv6',
  '--ipv6': 'ipv6',
  '-v': 'verbose',
  '--verbose': 'verbose',
  '-n': 'numeric',
  '--numeric': 'numeric',
  '-x': 'exact',
  '--exact': 'exact',
  '--line-numbers': 'line-numbers',
  '--modprobe': 'modprobe',
};

/** Commands, by every name iptables accepts. */
export const COMMANDS: Readonly<Record<string, RuleCommand>> = {
  '-A': 'append',
  '--append': 'append',
  '-I': 'insert',
  '--insert': 'insert',
  '-D': 'delete',
  '--delete': 'delete',
  '-R': 'replace',
  '--replace': 'replace',
  '-N': 'new-chain',
  '--new-chain': 'new-chain',
  '-X': 'delete-chain',
  '--delete-chain': 'delete-chain',
  '-F': 'flush',
  '--flush': 'flush',
  '-Z': 'zero',
  '--zero': 'zero',
  '-P': 'policy',
  '--policy': 'policy',
  '-E': 'rename-chain',
  '--rename-chain': 'rename-chain',
  '-L': 'list',
  '--list': 'list',
  '-S': 'list-rules',
  '--list-rules': 'list-rules',
  '-C': 'check',
  '--check': 'check',
};

/** An iptables command (`-A` append, `-I` insert, `-D` delete, ...). */
export type RuleCommand =
  | 'append'
  | 'insert'
  | 'delete'
  | 'replace'
  | 'new-chain'
  | 'delete-chain'
  | 'flush'
  | 'zero'
  | 'policy'
  | 'rename-chain'
  | 'list'
  | 'list-rules'
  | 'check';

/** The short option iptables-save and command lines use for each command. */
export const COMMAND_FLAG: Readonly<Record<RuleCommand, string>> = {
  append: '-A',
  insert: '-I',
  delete: '-D',
  replace: '-R',
  'new-chain': '-N',
  'delete-chain': '-X',
  flush: '-F',
  zero: '-Z',
  policy: '-P',
  'rename-chain': '-E',
  list: '-L',
  'list-rules': '-S',
  check: '-C',
};

// Generators of sshd_config text for the property and system tests: directives with valid and
// invalid values, every spelling sshd accepts (separators, quotes, case, indentation, comments, CRLF),
// Match blocks, and connections to evaluate them for.
import fc from 'fast-check';

const flag = ['yes', 'no', 'YES', 'No'];
const badFlag = ['maybe', 'on', '1'];
const ints = ['0', '3', '10', '+5', '2147483647'];
const badInts = ['-1', 'abc', '5x', '2147483648', '0x10'];
const times = ['30', '1h30m', '2M', '0', '1w', '90s', '1d2h'];
const badTimes = ['5x', '1.5h', 'h', '-5'];

/** keyword → [valid values, invalid values]; values are argument lists as sshd should see them. */
export const VALUES: Record<string, [string[][], string[][]]> = {
  Port: [[['22'], ['2201'], ['ssh'], ['65535']], [['99999'], ['0'], ['bogus'], ['22x']]],
  ListenAddress: [[['10.0.0.1'], ['10.0.0.1:2222'], ['[::1]:2200'], ['::1'], ['0.0.0.0'], ['192.168.7.7:ssh']], [['10.0.0.1:0'], ['10.0.0.1:x'], ['10.0.0.1', 'foo']]],
  AddressFamily: [[['any'], ['inet'], ['INET6']], [['ipv4']]],
  PermitRootLogin: [[['prohibit-password'], ['without-password'], ['yes'], ['no'], ['forced-commands-only'], ['No']], [['maybe']]],
  PasswordAuthentication: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  PubkeyAuthentication: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  KbdInteractiveAuthentication: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  X11Forwarding: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  AllowAgentForwarding: [flag.map((f) => [f]), []],
  UsePAM: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  UseDNS: [flag.map((f) => [f]), []],
  PrintMotd: [flag.map((f) => [f]), []],
  TCPKeepAlive: [flag.map((f) => [f]), []],
  KeepAlive: [flag.map((f) => [f]), []],
  PermitEmptyPasswords: [flag.map((f) => [f]), []],
  AllowTcpForwarding: [[['yes'], ['all'], ['no'], ['local'], ['remote']], [['both']]],
  GatewayPorts: [[['clientspecified'], ['no'], ['yes']], [['all']]],
  Compression: [[['delayed'], ['yes'], ['no']], [['maybe']]],
  IgnoreRhosts: [[['yes'], ['shosts-only']], [['maybe']]],
  PermitTunnel: [[['yes'], ['point-to-point'], ['ethernet'], ['no']], [['YES'], ['tun']]],
  LogLevel: [[['INFO'], ['verbose'], ['DEBUG1'], ['debug3'], ['QUIET'], ['silent']], [['LOUD']]],
  SyslogFacility: [[['AUTH'], ['authpriv'], ['LOCAL7']], [['KERN']]],
  FingerprintHash: [[['sha256'], ['MD5']], [['sha3']]],
  MaxAuthTries: [ints.map((v) => [v]), badInts.map((v) => [v])],
  MaxSessions: [ints.map((v) => [v]), badInts.map((v) => [v])],
  ClientAliveCountMax: [ints.map((v) => [v]), badInts.map((v) => [v])],
  X11DisplayOffset: [ints.map((v) => [v]), []],
  LoginGraceTime: [times.map((v) => [v]), badTimes.map((v) => [v])],
  ClientAliveInterval: [times.map((v) => [v]), badTimes.map((v) => [v])],
  UnusedConnectionTimeout: [[['none'], ['0'], ['5m']], [['never']]],
  PerSourceMaxStartups: [[['none'], ['5']], [['x']]],
  MaxStartups: [[['10:30:100'], ['5'], ['1:100:1'], ['3:50:9']], [['10:30'], ['10:0:100'], ['9:30:5'], ['0']]],
  PerSourceNetBlockSize: [[['32:128'], ['24'], ['16:64']], [['33'], ['24:129']]],
  RekeyLimit: [[['1G', '1h'], ['default', 'none'], ['512M'], ['1.5K']], [['8'], ['1X'], ['1G', 'soon']]],
  StreamLocalBindMask: [[['022'], ['0'], ['0777']], [['0800'], ['x']]],
  IPQoS: [[['lowdelay', 'throughput'], ['af21'], ['5'], ['0x10', 'cs1'], ['none']], [['fast'], ['256']]],
  Banner: [[['/etc/issue.net'], ['none'], ['banner.txt']], []],
  ChrootDirectory: [[['/srv/%u'], ['none']], []],
  HostKeyAgent: [[['SSH_AUTH_SOCK'], ['/run/agent.sock']], []],
  PidFile: [[['/run/sshd.pid'], ['sshd.pid']], []],
  TrustedUserCAKeys: [[['/etc/ssh/ca.pub']], []],
  AuthorizedKeysFile: [[['.ssh/authorized_keys'], ['.ssh/authorized_keys', '/etc/ssh/keys/%u'], ['none']], []],
  AuthorizedPrincipalsFile: [[['/etc/ssh/principals/%u'], ['none']], []],
  ForceCommand: [[['/usr/bin/internal-sftp'], ['internal-sftp', '-d', '/home'], ['none']], []],
  AuthorizedKeysCommandUser: [[['nobody']], []],
  AllowUsers: [[['alice'], ['alice', 'bob@10.0.0.0/8'], ['*']], [['bob@10.0.0.1/8']]],
  DenyUsers: [[['root'], ['mallory', 'eve']], []],
  AllowGroups: [[['sshusers'], ['wheel', 'adm']], []],
  DenyGroups: [[['nossh']], []],
  AcceptEnv: [[['LANG', 'LC_*'], ['XMODIFIERS']], [['A=B']]],
  SetEnv: [[['A=1'], ['B=2', 'C=3', 'B=4']], [['NOEQUALS']]],
  Subsystem: [[['sftp', '/usr/lib/openssh/sftp-server'], ['sftp', 'internal-sftp', '-l', 'INFO'], ['backup', '/usr/bin/backup']], []],
  AuthenticationMethods: [
    [['publickey,password'], ['any'], ['publickey', 'keyboard-interactive:pam'], ['none'], ['publickey:x,password:y'], ['hostbased', 'publickey'], ['gssapi-with-mic,publickey', 'password']],
    [['magic'], ['publickey,'], [''], ['publickey', 'any'], ['any', 'any'], ['any', 'publickey'], ['hostbased'], ['gssapi-with-mic'], ['password,,publickey']],
  ],
  PermitOpen: [[['any'], ['none'], ['localhost:80', '10.0.0.1:*'], ['a:1', ''], ['[::1]:22']], [['localhost'], ['host:0'], [''], ['', 'a:1'], ['any', 'a:1'], ['a:1', 'none']]],
  PermitListen: [[['any'], ['8080'], ['localhost:8080'], ['80', ''], ['*:22']], [['x:y'], [''], ['80', '', '81'], ['0']]],
  HostbasedAuthentication: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  GSSAPIAuthentication: [flag.map((f) => [f]), []],
  KerberosAuthentication: [flag.map((f) => [f]), []],
  GSSAPICleanupCredentials: [flag.map((f) => [f]), []],
  DisableForwarding: [flag.map((f) => [f]), []],
  ExposeAuthInfo: [flag.map((f) => [f]), []],
  PermitTTY: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  PermitUserRC: [flag.map((f) => [f]), []],
  StreamLocalBindUnlink: [flag.map((f) => [f]), []],
  X11UseLocalhost: [flag.map((f) => [f]), []],
  HostbasedUsesNameFromPacketOnly: [flag.map((f) => [f]), []],
  IgnoreUserKnownHosts: [flag.map((f) => [f]), []],
  StrictModes: [flag.map((f) => [f]), badFlag.map((f) => [f])],
  PrintLastLog: [flag.map((f) => [f]), []],
  AllowStreamLocalForwarding: [[['yes'], ['all'], ['local'], ['remote'], ['no']], [['both']]],
  RequiredRSASize: [[['2048'], ['1024'], ['4096']], [['big']]],
  AuthorizedKeysCommand: [[['/usr/bin/keys', '%u'], ['none']], [['keys', '%u']]],
  AuthorizedPrincipalsCommand: [[['/usr/bin/principals', '%u %t']], []],
  AuthorizedPrincipalsCommandUser: [[['nobody']], []],
  RevokedKeys: [[['/etc/ssh/revoked'], ['none'], ['revoked.krl']], []],
  ModuliFile: [[['/etc/ssh/moduli']], []],
  XAuthLocation: [[['/usr/bin/xauth'], ['xauth']], []],
  SecurityKeyProvider: [[['internal'], ['/usr/lib/sk.so']], []],
  HostbasedAcceptedAlgorithms: [[['ssh-ed25519'], ['-ssh-rsa*'], ['+ssh-dss']], [['nope']]],
  HostbasedAcceptedKeyTypes: [[['ssh-ed25519']], []],
  DSAAuthentication: [[['yes'], ['no']], []],
  ChallengeResponseAuthentication: [flag.map((f) => [f]), []],
  SkeyAuthentication: [[['no']], []],
  RDomain: [[], [['rd1']]],
  PubkeyAuthOptions: [[['none'], ['touch-required'], ['verify-required', 'touch-required']], [['fast']]],
  LogVerbose: [[['kex.c:*:1000'], ['none']], []],
  ChannelTimeout: [[['session=5m'], ['none'], ['agent-connection=1h', 'direct-tcpip=30s']], [['session=5x']]],
  PermitUserEnvironment: [[['yes'], ['no'], ['LANG,LC_*']], []],
  Ciphers: [[['aes256-ctr,aes128-ctr'], ['+aes128-cbc'], ['-chacha20-poly1305@openssh.com'], ['^aes256-gcm@openssh.com'], ['-aes*']], [['bogus-cipher'], ['aes*']]],
  MACs: [[['hmac-sha2-512'], ['+hmac-sha1-96'], ['-hmac-sha1*']], [['hmac-bogus']]],
  KexAlgorithms: [[['curve25519-sha256'], ['-diffie-hellman-group14-sha256'], ['+diffie-hellman-group14-sha1']], [['kex-bogus']]],
  HostKeyAlgorithms: [[['ssh-ed25519'], ['+ssh-rsa'], ['ssh-ed25519*'], ['-*nistp*']], [['bogus-key']]],
  PubkeyAcceptedAlgorithms: [[['ssh-ed25519,rsa-sha2-512'], ['+ssh-dss'], ['^ssh-rsa']], [['nope']]],
  PubkeyAcceptedKeyTypes: [[['ssh-ed25519']], []],
  CASignatureAlgorithms: [[['ssh-ed25519'], ['-ssh-rsa']], []],
  VersionAddendum: [[['hello world'], ['none']], []],
  RhostsRSAAuthentication: [[['no']], []],
  Protocol: [[['2']], []],
  UsePrivilegeSeparation: [[['sandbox']], []],
  Frobnicate: [[], [['yes']]],
};

/** Keywords allowed inside Match (a subset, for generated bodies). */
export const MATCH_KEYWORDS = [
  'PasswordAuthentication', 'PubkeyAuthentication', 'KbdInteractiveAuthentication', 'X11Forwarding', 'AllowAgentForwarding',
  'AllowTcpForwarding', 'GatewayPorts', 'PermitRootLogin', 'PermitTunnel', 'LogLevel', 'MaxAuthTries', 'MaxSessions',
  'ClientAliveInterval', 'ClientAliveCountMax', 'Banner', 'ChrootDirectory', 'ForceCommand', 'AuthorizedKeysFile',
  'AllowUsers', 'DenyUsers', 'AcceptEnv', 'SetEnv', 'AuthenticationMethods', 'PermitOpen', 'PermitListen', 'IPQoS',
  'RekeyLimit', 'StreamLocalBindMask', 'PubkeyAcceptedAlgorithms', 'ChannelTimeout', 'UnusedConnectionTimeout',
  'PubkeyAuthOptions', 'IgnoreRhosts', 'PermitEmptyPasswords',
  'HostbasedAuthentication', 'GSSAPIAuthentication', 'KerberosAuthentication', 'DisableForwarding', 'ExposeAuthInfo', 'PermitTTY',
  'PermitUserRC', 'AllowStreamLocalForwarding', 'X11UseLocalhost', 'RequiredRSASize', 'RevokedKeys', 'AuthorizedKeysCommand',
  'AuthorizedKeysCommandUser', 'HostbasedAcceptedAlgorithms', 'CASignatureAlgorithms', 'AuthorizedPrincipalsFile', 'LogVerbose',
  'X11DisplayOffset', 'TrustedUserCAKeys', 'ChallengeResponseAuthentication', 'RDomain',
];

export const GLOBAL_KEYWORDS = Object.keys(VALUES);

export const MATCH_CRITERIA = [
  'User alice', 'User !bob,*', 'User root', 'User=alice', 'user bob', 'Address 10.0.0.0/8', 'Address 192.168.1.0/24,!192.168.1.9',
  'Address 2001:db8::/32', 'Host *.example.com', 'Host !evil.example.com,*', 'LocalPort 2201', 'LocalAddress 10.9.9.9',
  'Group root', 'Group !root,*', 'User alice Address 10.*', 'All', 'RDomain rd*', '"User" "alice"',
  'LocalPort ssh', 'LocalPort 22 User alice,bob', 'User nobody LocalPort 2201', 'Host=* Address=!10.0.0.0/8,*', 'ALL', 'all # c',
  'LocalAddress 10.9.9.0/24,::1', 'Address 192.168.1.0/25', 'User a*,!alice', 'User alice # only her', 'User alice\tHost *.example.com',
  'Host *.EXAMPLE.com', 'Address 2001:db8::5/128', 'RDomain !rd1,*', 'User "a b"', 'Address=10.1.2.3',
];
export const BAD_MATCH_CRITERIA = [
  'Colour blue', 'User', 'All User bob', 'LocalPort abc', 'Address 10.0.0.1/8', 'Address 10.0.0.0/33', 'LocalPort 22 User',
  'User alice All', 'LocalPort 0', 'LocalPort 22,23', 'Address 2001:db8::1/32', 'User "alice',
];

export const CONNECTIONS = [
  'user=alice,addr=10.1.2.3,host=a.example.com,laddr=10.9.9.9,lport=2201',
  'user=bob,addr=192.168.1.9,host=evil.example.com,laddr=10.0.0.1,lport=22',
  'user=root,addr=192.168.1.10,host=B.Example.COM,laddr=10.9.9.9,lport=22',
  'user=carol,addr=2001:db8::5,host=x.example.org,laddr=::1,lport=2201,rdomain=rd1',
  'lport=22',
  'user=dave,addr=10.0.0.7,host=d.example.com',
  'user=alice,addr=10.1.2.3',
];

export interface GeneratedLine {
  keyword: string;
  args: string[];
  valid: boolean;
}

const sepArb = fc.constantFrom(' ', ' ', ' ', '=', ' = ', '\t', '  ', '\t=');

/** Writes one argument in a random but equivalent spelling (quoted, single-quoted, escaped). */
export function spellArg(value: string): fc.Arbitrary<string> {
  const needs = value === '' || /[\s"'\\#]/.test(value);
  const dq = '"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  const sq = value.includes("'") || value.includes('\\') ? dq : "'" + value + "'";
  return needs ? fc.constantFrom(dq, sq) : fc.constantFrom(value, value, value, dq, sq);
}

/** A directive line (without EOL) for a keyword with valid or invalid arguments. */
export function directiveArb(keywords: readonly string[], invalidRate: number): fc.Arbitrary<{ text: string; line: GeneratedLine }> {
  return fc
    .record({
      keyword: fc.constantFrom(...keywords),
      pick: fc.nat(),
      bad: fc.noBias(fc.integer({ min: 0, max: 999 })).map((n) => n / 1000),
      caseFlip: fc.constantFrom(0, 0, 0, 1, 2),
      sep: sepArb,
      indent: fc.constantFrom('', '', '', ' ', '\t', '    '),
      trail: fc.constantFrom('', '', '', ' ', '\t', ' # trailing comment', '\t#c'),
    })
    .chain((r) => {
      const [good, bad] = VALUES[r.keyword]!;
      const useBad = (r.bad < invalidRate && bad.length > 0) || good.length === 0;
      const list = useBad ? bad : good;
      const args = list[r.pick % list.length]!;
      const kw = r.caseFlip === 1 ? r.keyword.toLowerCase() : r.caseFlip === 2 ? r.keyword.toUpperCase() : r.keyword;
      const restOfLine = ['ForceCommand', 'VersionAddendum', 'AuthorizedKeysCommand', 'AuthorizedPrincipalsCommand'].includes(r.keyword);
      const spelled = restOfLine ? fc.constant(args) : fc.tuple(...args.map(spellArg));
      return spelled.map((sp) => ({
        text: r.indent + kw + r.sep + sp.join(' ') + (restOfLine ? '' : r.trail),
        line: { keyword: r.keyword, args, valid: !useBad },
      }));
    });
}

const commentArb = fc.constantFrom('# a comment', '#PermitRootLogin yes', '   # indented', '#', '');

/** A whole file: global lines, then Match blocks. */
export function configArb(options: { invalidRate?: number; crlf?: boolean } = {}): fc.Arbitrary<string> {
  const rate = options.invalidRate ?? 0.1;
  const globalLine = fc.oneof({ weight: 5, arbitrary: directiveArb(GLOBAL_KEYWORDS, rate).map((d) => d.text) }, { weight: 1, arbitrary: commentArb });
  const bodyLine = fc.oneof(
    { weight: 8, arbitrary: directiveArb(MATCH_KEYWORDS, rate).map((d) => d.text) },
    { weight: 1, arbitrary: commentArb },
    { weight: rate > 0 ? 1 : 0, arbitrary: directiveArb(['Port', 'UseDNS', 'Ciphers'], 0).map((d) => d.text) },
  );
  const matchHead = fc.record({
    c: fc.constantFrom(...MATCH_CRITERIA),
    bad: fc.noBias(fc.integer({ min: 0, max: 999 })).map((n) => n / 1000),
    b: fc.constantFrom(...BAD_MATCH_CRITERIA),
    kw: fc.constantFrom('Match', 'match', 'MATCH'),
    sep: fc.constantFrom(' ', '\t', '='),
  }).map((m) => `${m.kw}${m.sep}${m.bad < rate / 3 ? m.b : m.c}`);
  const block = fc.tuple(matchHead, fc.array(bodyLine, { maxLength: 5 })).map(([h, b]) => [h, ...b]);
  return fc
    .record({
      global: fc.array(globalLine, { minLength: 1, maxLength: 14 }),
      blocks: fc.array(block, { maxLength: 3 }),
      eol: options.crlf ? fc.constantFrom('\n', '\r\n') : fc.constant('\n'),
      finalEol: fc.boolean(),
    })
    .map((r) => {
      const lines = [...r.global, ...r.blocks.flat()];
      return lines.join(r.eol) + (r.finalEol ? r.eol : '');
    });
}

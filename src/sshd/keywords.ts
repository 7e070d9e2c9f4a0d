/**
 * The sshd_config keyword table of OpenSSH 9.2p1 as built by Debian 12 (servconf.c plus Debian's
 * patches), as data. Every name sshd accepts is here, with its value type, which value wins, whether
 * it may appear inside a Match block, and its status (alias, deprecated, unsupported).
 */

/** How a keyword's arguments are read and checked. */
export type ValueKind =
  /** `yes` / `no`, case-insensitive. */
  | 'flag'
  /** One of `values`, case-insensitive unless `caseSensitive`. */
  | 'enum'
  /** Decimal integer 0..INT_MAX (strtonum). */
  | 'integer'
  /** `PerSourceMaxStartups`: integer or `none`. */
  | 'integer-or-none'
  /** Time: `N[smhdw]`… concatenated, seconds when no unit. */
  | 'time'
  /** `UnusedConnectionTimeout`: time or `none`. */
  | 'time-or-none'
  /** `Port`: 1..65535 or a service name. */
  | 'port'
  /** `ListenAddress host[:port] [rdomain NAME]`. */
  | 'listen-address'
  /** A single word, taken as is. */
  | 'word'
  /** A path made absolute against sshd's working directory (`~` expanded). */
  | 'path'
  /** A path kept as written (`%` tokens, `~` expanded). */
  | 'raw-path'
  /** Rest of the line, quotes and `#` included. */
  | 'rest-of-line'
  /** One or more words per line. */
  | 'words'
  /** Comma-separated algorithm list with `+`, `-`, `^` prefixes. */
  | 'algorithms'
  /** `Subsystem NAME COMMAND [ARGS...]`. */
  | 'subsystem'
  /** `MaxStartups start[:rate:full]`. */
  | 'maxstartups'
  /** `PerSourceNetBlockSize v4[:v6]`. */
  | 'netblocksize'
  /** `RekeyLimit size [time|none]`. */
  | 'rekeylimit'
  /** `StreamLocalBindMask` octal mask. */
  | 'octal-mask'
  /** `IPQoS` one or two DSCP names or numbers. */
  | 'ipqos'
  /** `ChannelTimeout type=time ...` or `none`. */
  | 'channel-timeout'
  /** `PermitUserEnvironment yes|no|pattern-list`. */
  | 'permit-user-environment'
  /** `PubkeyAuthOptions none|touch-required|verify-required...`. */
  | 'pubkey-auth-options'
  /** `SetEnv NAME=VALUE ...`. */
  | 'setenv'
  /** `AcceptEnv NAME ...` (no `=`). */
  | 'acceptenv'
  /** `PermitOpen` / `PermitListen`: `any`, `none` or `host:port` … */
  | 'permit-forward'
  /** `LogVerbose none|pattern...`. */
  | 'log-verbose'
  /** `AuthenticationMethods any|method-list...`. */
  | 'auth-methods'
  /** A command (`/…` or `none`) taken as the rest of the line. */
  | 'command'
  /** `Include` paths and globs. */
  | 'include'
  /** `Match` criteria. */
  | 'match'
  /** Deprecated, unsupported or ignored: the arguments are consumed. */
  | 'ignored'
  /** `RDomain`: fatal on Linux. */
  | 'rdomain'
  /** `PerSourcePenaltyExemptList`: one address/CIDR list, checked by addr_match_list() (10.0p1). */
  | 'address-list'
  /** `PerSourcePenalties yes|no|name:value...`, each field first-wins (10.0p1). */
  | 'penalties';

/** Which occurrence of a keyword counts. */
export type Wins =
  /** The first value obtained wins; later lines are checked, then ignored. */
  | 'first'
  /** Every line assigns; the last one wins. */
  | 'last'
  /** Every line adds its values (one `-T` line per element). */
  | 'accumulate'
  /** Several values per line, but only the first line counts. */
  | 'first-line';

/** Whether sshd reads a keyword, warns it is deprecated, does not support it in this build, or ignores it. */
export type KeywordStatus = 'ok' | 'deprecated' | 'unsupported' | 'ignored';

/** What sshd knows of a keyword: its spelling, value kind, which occurrence wins, where it is allowed and its status. */
export interface KeywordInfo {
  /** Canonical spelling, as in sshd_config(5). */
  readonly name: string;
  readonly kind: ValueKind;
  readonly wins: Wins;
  /** Allowed inside a Match block (SSHCFG_MATCH). */
  readonly match: boolean;
  readonly status: KeywordStatus;
  /** Enum values: accepted spelling → the name `sshd -T` prints for it. */
  readonly values?: Readonly<Record<string, string>>;
  /** Enum compared case-sensitively. */
  readonly caseSensitive?: boolean;
  /** Name under which `sshd -T` prints it (lowercase), or undefined when it is never printed. */
  readonly dump?: string;
  /** Debian addition, absent upstream. */
  readonly debian?: boolean;
}

/** Another spelling sshd accepts for a keyword, and the keyword it stands for. */
export interface AliasInfo {
  /** The alias as sshd_config(5) or servconf.c spells it. */
  readonly name: string;
  /** Canonical keyword it stands for. */
  readonly canonical: string;
  /** An alias can differ from its canonical keyword in where it may appear. */
  readonly match: boolean;
}

type Row = [name: string, kind: ValueKind, wins: Wins, match: boolean, extra?: Partial<KeywordInfo>];

const rows: Row[] = [
  // yes/no, allowed in Match
  ['AllowAgentForwarding', 'flag', 'first', true],
  ['DisableForwarding', 'flag', 'first', true],
  ['ExposeAuthInfo', 'flag', 'first', true],
  ['GSSAPIAuthentication', 'flag', 'first', true],
  ['HostbasedAuthentication', 'flag', 'first', true],
  ['HostbasedUsesNameFromPacketOnly', 'flag', 'first', true],
  ['KbdInteractiveAuthentication', 'flag', 'first', true],
  ['KerberosAuthentication', 'flag', 'first', true],
  ['PasswordAuthentication', 'flag', 'first', true],
  ['PermitEmptyPasswords', 'flag', 'first', true],
  ['PermitTTY', 'flag', 'first', true],
  ['PermitUserRC', 'flag', 'first', true],
  ['PubkeyAuthentication', 'flag', 'first', true],
  ['StreamLocalBindUnlink', 'flag', 'first', true],
  ['X11Forwarding', 'flag', 'first', true],
  ['X11UseLocalhost', 'flag', 'first', true],
  // yes/no, global only
  ['GSSAPICleanupCredentials', 'flag', 'first', false],
  ['GSSAPIStrictAcceptorCheck', 'flag', 'first', false],
  ['IgnoreUserKnownHosts', 'flag', 'first', false],
  ['KerberosOrLocalPasswd', 'flag', 'first', false],
  ['KerberosTicketCleanup', 'flag', 'first', false],
  ['PrintLastLog', 'flag', 'first', false],
  ['PrintMotd', 'flag', 'first', false],
  ['StrictModes', 'flag', 'first', false],
  ['TCPKeepAlive', 'flag', 'first', false],
  ['UseDNS', 'flag', 'first', false],
  ['UsePAM', 'flag', 'first', false],
  ['DebianBanner', 'flag', 'first', false, { debian: true, dump: undefined }],
  ['GSSAPIKeyExchange', 'flag', 'first', false, { debian: true }],
  ['GSSAPIStoreCredentialsOnRekey', 'flag', 'first', false, { debian: true }],
  // enums
  ['AddressFamily', 'enum', 'first', false, { values: { any: 'any', inet: 'inet', inet6: 'inet6' } }],
  ['AllowTcpForwarding', 'enum', 'first', true, { values: { yes: 'yes', all: 'yes', no: 'no', local: 'local', remote: 'remote' } }],
  ['AllowStreamLocalForwarding', 'enum', 'first', true, { values: { yes: 'yes', all: 'yes', no: 'no', local: 'local', remote: 'remote' } }],
  ['Compression', 'enum', 'first', false, { values: { yes: 'yes', delayed: 'yes', no: 'no' } }],
  ['GatewayPorts', 'enum', 'first', true, { values: { clientspecified: 'clientspecified', yes: 'yes', no: 'no' } }],
  ['IgnoreRhosts', 'enum', 'first', true, { values: { yes: 'yes', no: 'no', 'shosts-only': 'shosts-only' } }],
  [
    'PermitRootLogin',
    'enum',
    'first',
    true,
    {
      values: {
        'without-password': 'without-password',
        'prohibit-password': 'without-password',
        'forced-commands-only': 'forced-commands-only',
        yes: 'yes',
        no: 'no',
      },
    },
  ],
  [
    'PermitTunnel',
    'enum',
    'first',
    true,
    { caseSensitive: true, values: { yes: 'yes', 'point-to-point': 'point-to-point', ethernet: 'ethernet', no: 'no' } },
  ],
  [
    'LogLevel',
    'enum',
    'first',
    true,
    {
      values: {
        quiet: 'SILENT',
        silent: 'SILENT',
        fatal: 'FATAL',
        error: 'ERROR',
        info: 'INFO',
        verbose: 'VERBOSE',
        debug: 'DEBUG',
        debug1: 'DEBUG',
        debug2: 'DEBUG2',
        debug3: 'DEBUG3',
      },
    },
  ],
  [
    'SyslogFacility',
    'enum',
    'first',
    false,
    {
      values: Object.fromEntries(
        ['DAEMON', 'USER', 'AUTH', 'AUTHPRIV', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'].map(
          (v) => [v.toLowerCase(), v],
        ),
      ),
    },
  ],
  [
    'FingerprintHash',
    'enum',
    'last',
    false,
    { values: { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' } },
  ],
  ['PubkeyAuthOptions', 'pubkey-auth-options', 'first-line', true],
  ['PermitUserEnvironment', 'permit-user-environment', 'first', false],
  // integers, times
  ['ClientAliveCountMax', 'integer', 'first', true],
  ['MaxAuthTries', 'integer', 'first', true],
  ['MaxSessions', 'integer', 'first', true],
  ['RequiredRSASize', 'integer', 'first', true],
  ['X11DisplayOffset', 'integer', 'first', true],
  ['PerSourceMaxStartups', 'integer-or-none', 'last', false],
  ['LoginGraceTime', 'time', 'first', false],
  ['ClientAliveInterval', 'time', 'first', true],
  ['UnusedConnectionTimeout', 'time-or-none', 'first', true],
  // special
  ['Port', 'port', 'accumulate', false],
  ['ListenAddress', 'listen-address', 'accumulate', false],
  ['MaxStartups', 'maxstartups', 'last', false],
  ['PerSourceNetBlockSize', 'netblocksize', 'last', false],
  ['RekeyLimit', 'rekeylimit', 'first', true],
  ['StreamLocalBindMask', 'octal-mask', 'last', true],
  ['IPQoS', 'ipqos', 'last', true],
  ['ChannelTimeout', 'channel-timeout', 'first-line', true],
  ['RDomain', 'rdomain', 'first', true, { dump: undefined }],
  // paths
  ['Banner', 'path', 'first', true],
  ['TrustedUserCAKeys', 'path', 'first', true],
  ['RevokedKeys', 'path', 'first', true],
  ['HostKey', 'path', 'accumulate', false],
  ['HostCertificate', 'path', 'accumulate', false],
  ['HostKeyAgent', 'path', 'first', false],
  ['PidFile', 'path', 'first', false],
  ['ModuliFile', 'path', 'first', false],
  ['XAuthLocation', 'path', 'first', false],
  ['SecurityKeyProvider', 'path', 'first', false],
  ['ChrootDirectory', 'raw-path', 'first', true],
  ['AuthorizedPrincipalsFile', 'raw-path', 'first', true],
  ['AuthorizedKeysFile', 'words', 'first-line', true],
  // rest of line
  ['ForceCommand', 'rest-of-line', 'first', true],
  ['AuthorizedKeysCommand', 'command', 'first', true],
  ['AuthorizedPrincipalsCommand', 'command', 'first', true],
  ['VersionAddendum', 'rest-of-line', 'first', false],
  ['AuthorizedKeysCommandUser', 'word', 'first', true],
  ['AuthorizedPrincipalsCommandUser', 'word', 'first', true],
  // algorithms
  ['Ciphers', 'algorithms', 'first', false],
  ['MACs', 'algorithms', 'first', false],
  ['KexAlgorithms', 'algorithms', 'first', false],
  ['HostKeyAlgorithms', 'algorithms', 'first', false],
  ['CASignatureAlgorithms', 'algorithms', 'first', true],
  ['HostbasedAcceptedAlgorithms', 'algorithms', 'first', true],
  ['PubkeyAcceptedAlgorithms', 'algorithms', 'first', true],
  ['GSSAPIKexAlgorithms', 'algorithms', 'first', false, { debian: true }],
  // lists
  ['AllowUsers', 'words', 'accumulate', true],
  ['DenyUsers', 'words', 'accumulate', true],
  ['AllowGroups', 'words', 'accumulate', true],
  ['DenyGroups', 'words', 'accumulate', true],
  ['AcceptEnv', 'acceptenv', 'accumulate', true],
  ['SetEnv', 'setenv', 'first-line', true],
  ['AuthenticationMethods', 'auth-methods', 'first-line', true],
  ['LogVerbose', 'log-verbose', 'first-line', true],
  ['PermitOpen', 'permit-forward', 'first-line', true],
  ['PermitListen', 'permit-forward', 'first-line', true],
  ['Subsystem', 'subsystem', 'accumulate', false],
  // structure
  ['Match', 'match', 'first', true, { dump: undefined }],
  ['Include', 'include', 'accumulate', true, { dump: undefined }],
  // deprecated: logged, arguments consumed
  ['AuthorizedKeysFile2', 'ignored', 'first', true, { status: 'deprecated' }],
  ['RhostsRSAAuthentication', 'ignored', 'first', true, { status: 'deprecated' }],
  ['RSAAuthentication', 'ignored', 'first', true, { status: 'deprecated' }],
  ['CheckMail', 'ignored', 'first', false, { status: 'deprecated' }],
  ['KeyRegenerationInterval', 'ignored', 'first', false, { status: 'deprecated' }],
  ['PAMAuthenticationViaKbdInt', 'ignored', 'first', false, { status: 'deprecated' }],
  ['ReverseMappingCheck', 'ignored', 'first', false, { status: 'deprecated' }],
  ['RhostsAuthentication', 'ignored', 'first', false, { status: 'deprecated' }],
  ['ServerKeyBits', 'ignored', 'first', false, { status: 'deprecated' }],
  ['UseLogin', 'ignored', 'first', false, { status: 'deprecated' }],
  ['UsePrivilegeSeparation', 'ignored', 'first', false, { status: 'deprecated' }],
  ['VerifyReverseMapping', 'ignored', 'first', false, { status: 'deprecated' }],
  ['PermitBlacklistedKeys', 'ignored', 'first', false, { status: 'deprecated', debian: true }],
  // unsupported in this build: logged, arguments consumed
  ['AFSTokenPassing', 'ignored', 'first', false, { status: 'unsupported' }],
  ['KerberosGetAFSToken', 'ignored', 'first', false, { status: 'unsupported' }],
  ['KerberosTGTPassing', 'ignored', 'first', false, { status: 'unsupported' }],
  ['GSSAPIUseSessionCredCache', 'ignored', 'first', false, { status: 'unsupported', debian: true }],
  ['GSSUseSessionCCache', 'ignored', 'first', false, { status: 'unsupported', debian: true }],
  // silently ignored
  ['Protocol', 'ignored', 'first', false, { status: 'ignored' }],
];

/** Every canonical keyword, by lowercase name. */
export const KEYWORDS: ReadonlyMap<string, KeywordInfo> = new Map(
  rows.map(([name, kind, wins, match, extra]) => {
    const info: KeywordInfo = {
      name,
      kind,
      wins,
      match,
      status: 'ok',
      ...(kind === 'flag' ? { values: { yes: 'yes', no: 'no' } } : {}),
      dump: name.toLowerCase(),
      ...extra,
    };
    if (info.status !== 'ok') (info as { dump?: string }).dump = undefined;
    return [name.toLowerCase(), info];
  }),
);

/** Alternative spellings sshd accepts, by lowercase name. */
export const ALIASES: ReadonlyMap<string, AliasInfo> = new Map(
  (
    [
      ['ChallengeResponseAuthentication', 'KbdInteractiveAuthentication', true],
      ['SkeyAuthentication', 'KbdInteractiveAuthentication', true],
      ['DSAAuthentication', 'PubkeyAuthentication', false],
      ['KeepAlive', 'TCPKeepAlive', false],
      ['HostDSAKey', 'HostKey', false],
      ['HostbasedAcceptedKeyTypes', 'HostbasedAcceptedAlgorithms', true],
      ['PubkeyAcceptedKeyTypes', 'PubkeyAcceptedAlgorithms', true],
      ['GSSAPICleanupCreds', 'GSSAPICleanupCredentials', false],
    ] as const
  ).map(([name, canonical, match]) => [name.toLowerCase(), { name, canonical, match }]),
);

/** What a keyword as written stands for: its table entry and whether Match allows it as spelled. */
export interface KeywordLookup {
  readonly info: KeywordInfo;
  /** The alias used, when the keyword was written as one. */
  readonly alias?: AliasInfo;
  /** Allowed inside Match as spelled (an alias can differ from its canonical keyword). */
  readonly match: boolean;
}

/** The keywords and aliases one OpenSSH release accepts. */
export interface KeywordTable {
  /** Each keyword, by its lower-cased name. */
  readonly keywords: ReadonlyMap<string, KeywordInfo>;
  /** Each alias (an old spelling sshd still reads), by its lower-cased name. */
  readonly aliases: ReadonlyMap<string, AliasInfo>;
}

/** OpenSSH 9.2p1 as Debian 12 builds it: the table above. */
export const KEYWORDS_9_2: KeywordTable = { keywords: KEYWORDS, aliases: ALIASES };

/**
 * OpenSSH 10.0p1 as Debian 13 builds it (1:10.0p1-7+deb13u4): servconf.c's keywords[] with the
 * portable and Debian entries this build compiles in. Against 9.2p1: six new keywords (PAMServiceName
 * 9.8, PerSourcePenalties and PerSourcePenaltyExemptList 9.8, SshdSessionPath 9.8, SshdAuthPath 10.0,
 * RefuseConnection 9.9) and DebianBanner printed by dump_config(); no keyword or alias is gone and
 * the deprecated ones are the same. Subsystem is SSHCFG_ALL there (9.5) but is kept global-only
 * here: fwconf's Match copy does not apply it per connection yet.
 */
export const KEYWORDS_10_0: KeywordTable = {
  keywords: new Map([
    ...[...KEYWORDS].map(([k, v]): [string, KeywordInfo] => [k, k === 'debianbanner' ? { ...v, dump: 'debianbanner' } : v]),
    ...(
      [
        // servconf.c@10.0p1 sPAMServiceName: SSHCFG_ALL, first value, copied by Match (M_CP_STROPT).
        { name: 'PAMServiceName', kind: 'word', wins: 'first', match: true },
        // sPerSourcePenalties / sPerSourcePenaltyExemptList: SSHCFG_GLOBAL.
        { name: 'PerSourcePenalties', kind: 'penalties', wins: 'first', match: false },
        { name: 'PerSourcePenaltyExemptList', kind: 'address-list', wins: 'first', match: false },
        // sSshdSessionPath / sSshdAuthPath: parse_filename, SSHCFG_GLOBAL.
        { name: 'SshdSessionPath', kind: 'path', wins: 'first', match: false },
        { name: 'SshdAuthPath', kind: 'path', wins: 'first', match: false },
        // sRefuseConnection: multistate_flag, SSHCFG_ALL (M_CP_INTOPT).
        { name: 'RefuseConnection', kind: 'flag', wins: 'first', match: true, values: { yes: 'yes', no: 'no' } },
      ] as const
    ).map((x): [string, KeywordInfo] => [x.name.toLowerCase(), { ...x, status: 'ok', dump: x.name.toLowerCase() }]),
  ]),
  aliases: ALIASES,
};

/** Finds a keyword, case-insensitively, resolving aliases, in `table` (default: 9.2p1's); undefined when sshd does not know it. */
export function lookupKeyword(keyword: string, table: KeywordTable = KEYWORDS_9_2): KeywordLookup | undefined {
  const k = keyword.toLowerCase();
  const info = table.keywords.get(k);
  if (info) return { info, match: info.match };
  const alias = table.aliases.get(k);
  if (alias) {
    const target = table.keywords.get(alias.canonical.toLowerCase())!;
    return { info: target, alias, match: alias.match };
  }
  return undefined;
}

/** The name `sshd -T` prints a keyword under (any spelling of its canonical name; lowercased when unknown). */
export function dumpName(keyword: string): string {
  const k = keyword.toLowerCase();
  return KEYWORDS.get(k)?.dump ?? k;
}

/** The canonical spelling of a keyword, or undefined when unknown. */
export function canonicalKeyword(keyword: string): string | undefined {
  return lookupKeyword(keyword)?.info.name;
}

/** The order in which Debian's `sshd -T` prints keywords (dump_config). */
export const DUMP_ORDER: readonly string[] = [
  'port', 'addressfamily', 'listenaddress', 'usepam', 'logingracetime', 'x11displayoffset', 'maxauthtries', 'maxsessions',
  'clientaliveinterval', 'clientalivecountmax', 'requiredrsasize', 'streamlocalbindmask', 'unusedconnectiontimeout',
  'permitrootlogin', 'ignorerhosts', 'ignoreuserknownhosts', 'hostbasedauthentication', 'hostbasedusesnamefrompacketonly',
  'pubkeyauthentication', 'kerberosauthentication', 'kerberosorlocalpasswd', 'kerberosticketcleanup', 'gssapiauthentication',
  'gssapicleanupcredentials', 'gssapikeyexchange', 'gssapistrictacceptorcheck', 'gssapistorecredentialsonrekey',
  'gssapikexalgorithms', 'passwordauthentication', 'kbdinteractiveauthentication', 'printmotd', 'printlastlog',
  'x11forwarding', 'x11uselocalhost', 'permittty', 'permituserrc', 'strictmodes', 'tcpkeepalive', 'permitemptypasswords',
  'compression', 'gatewayports', 'usedns', 'allowtcpforwarding', 'allowagentforwarding', 'disableforwarding',
  'allowstreamlocalforwarding', 'streamlocalbindunlink', 'fingerprinthash', 'exposeauthinfo', 'pidfile', 'modulifile',
  'xauthlocation', 'ciphers', 'macs', 'banner', 'forcecommand', 'chrootdirectory', 'trustedusercakeys', 'revokedkeys',
  'securitykeyprovider', 'authorizedprincipalsfile', 'versionaddendum', 'authorizedkeyscommand', 'authorizedkeyscommanduser',
  'authorizedprincipalscommand', 'authorizedprincipalscommanduser', 'hostkeyagent', 'kexalgorithms', 'casignaturealgorithms',
  'hostbasedacceptedalgorithms', 'hostkeyalgorithms', 'pubkeyacceptedalgorithms', 'loglevel', 'syslogfacility',
  'authorizedkeysfile', 'hostkey', 'hostcertificate', 'allowusers', 'denyusers', 'allowgroups', 'denygroups', 'acceptenv',
  'setenv', 'authenticationmethods', 'logverbose', 'channeltimeout', 'subsystem', 'maxstartups', 'persourcemaxstartups',
  'persourcenetblocksize', 'permittunnel', 'ipqos', 'rekeylimit', 'permitopen', 'permitlisten', 'permituserenvironment',
  'pubkeyauthoptions',
];

/** Match criteria, lowercase, as match_cfg_line() accepts them. */
export const MATCH_CRITERIA: readonly string[] = ['all', 'user', 'group', 'host', 'localaddress', 'localport', 'address', 'rdomain'];

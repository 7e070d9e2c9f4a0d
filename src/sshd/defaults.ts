/**
 * What `sshd -T` prints for a keyword no line sets: the compiled-in defaults of each OpenSSH release
 * fwconf knows, with the Debian patches that change them, as data. `port`, `listenaddress` and
 * `hostkey` are derived (fill_default_server_options(): port 22, every port on `[::]` and `0.0.0.0`
 * as AddressFamily allows, the three host keys of /etc/ssh); the algorithm lists live in
 * algorithms.ts. Keywords with no default line (AllowUsers, AcceptEnv, Subsystem, ...) are absent.
 *
 * 9.2p1's row is read off `sshd -T -f /dev/null` (test/sshd/effective-all.system.test.ts compares the
 * installed sshd with it); the others off their sources, each differing value with where it comes from.
 * Ubuntu's builds (24.04's 9.6p1, 22.04's 8.9p1) are not here: their sources are not in a registry
 * fwconf's machines reach.
 */
import { ALGORITHMS, ALGORITHMS_10_0, type AlgorithmSet } from './algorithms.js';
import { DUMP_ORDER, KEYWORDS_10_0, KEYWORDS_9_2, type KeywordTable } from './keywords.js';
import type { ReleaseReads } from './servconf.js';

/** An OpenSSH release fwconf knows the defaults of (`--openssh`): its name, where it ships, its defaults and host keys. */
export interface SshdRelease {
  /** The release as `--openssh` names it. */
  readonly name: string;
  /** Where it ships. */
  readonly label: string;
  /** Default `sshd -T` value by keyword (one printed line each). */
  readonly defaults: Readonly<Record<string, string>>;
  /** The host keys sshd loads when no HostKey line is given, in its order. */
  readonly hostKeys: readonly string[];
  /** Its algorithm lists: the defaults, and the names `+`, `-` and `^` expand against. */
  readonly algorithms: Readonly<Record<string, AlgorithmSet>>;
  /** The keywords `sshd -T` prints, in dump_config()'s order. */
  readonly dumpOrder: readonly string[];
  /** Where its servconf.c reads values otherwise than 9.2p1's (what fwconf's readers follow). */
  readonly reads?: ReleaseReads;
  /** The keywords its servconf.c accepts: value kinds, Match, how `sshd -T` prints them. */
  readonly keywords: KeywordTable;
}

const defaultsOf = (algorithms: Readonly<Record<string, AlgorithmSet>>) => Object.fromEntries(Object.entries(algorithms).map(([k, set]) => [k, set.defaults.join(',')]));
const algorithmDefaults = defaultsOf(ALGORITHMS);

/** Debian 12 (bookworm): OpenSSH 9.2p1 with Debian's patches (GSSAPI key exchange, Debian banner). */
const DEBIAN_12: SshdRelease = {
  name: '9.2p1',
  label: "OpenSSH 9.2p1 as Debian 12 builds it (with Debian's patches)",
  hostKeys: ['/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key'],
  algorithms: ALGORITHMS,
  dumpOrder: DUMP_ORDER,
  keywords: KEYWORDS_9_2,
  defaults: {
    addressfamily: 'any',
    usepam: 'no',
    logingracetime: '120',
    x11displayoffset: '10',
    maxauthtries: '6',
    maxsessions: '10',
    clientaliveinterval: '0',
    clientalivecountmax: '3',
    requiredrsasize: '1024',
    streamlocalbindmask: '0177',
    unusedconnectiontimeout: 'none',
    permitrootlogin: 'without-password',
    ignorerhosts: 'yes',
    ignoreuserknownhosts: 'no',
    hostbasedauthentication: 'no',
    hostbasedusesnamefrompacketonly: 'no',
    pubkeyauthentication: 'yes',
    kerberosauthentication: 'no',
    kerberosorlocalpasswd: 'yes',
    kerberosticketcleanup: 'yes',
    gssapiauthentication: 'no',
    gssapicleanupcredentials: 'yes',
    gssapikeyexchange: 'no',
    gssapistrictacceptorcheck: 'yes',
    gssapistorecredentialsonrekey: 'no',
    gssapikexalgorithms: 'gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-',
    passwordauthentication: 'yes',
    kbdinteractiveauthentication: 'yes',
    printmotd: 'yes',
    printlastlog: 'yes',
    x11forwarding: 'no',
    x11uselocalhost: 'yes',
    permittty: 'yes',
    permituserrc: 'yes',
    strictmodes: 'yes',
    tcpkeepalive: 'yes',
    permitemptypasswords: 'no',
    compression: 'yes',
    gatewayports: 'no',
    usedns: 'no',
    allowtcpforwarding: 'yes',
    allowagentforwarding: 'yes',
    disableforwarding: 'no',
    allowstreamlocalforwarding: 'yes',
    streamlocalbindunlink: 'no',
    fingerprinthash: 'SHA256',
    exposeauthinfo: 'no',
    pidfile: '/run/sshd.pid',
    modulifile: '/etc/ssh/moduli',
    xauthlocation: '/usr/bin/xauth',
    banner: 'none',
    forcecommand: 'none',
    chrootdirectory: 'none',
    trustedusercakeys: 'none',
    revokedkeys: 'none',
    securitykeyprovider: 'internal',
    authorizedprincipalsfile: 'none',
    versionaddendum: 'none',
    authorizedkeyscommand: 'none',
    authorizedkeyscommanduser: 'none',
    authorizedprincipalscommand: 'none',
    authorizedprincipalscommanduser: 'none',
    hostkeyagent: 'none',
    loglevel: 'INFO',
    syslogfacility: 'AUTH',
    authorizedkeysfile: '.ssh/authorized_keys .ssh/authorized_keys2',
    authenticationmethods: 'any',
    maxstartups: '10:30:100',
    persourcemaxstartups: 'none',
    persourcenetblocksize: '32:128',
    permittunnel: 'no',
    ipqos: 'lowdelay throughput',
    rekeylimit: '0 0',
    permitopen: 'any',
    permitlisten: 'any',
    permituserenvironment: 'no',
    pubkeyauthoptions: 'none',    ...algorithmDefaults,
  },
};

/** `order` with each of `insert`'s lists placed after its key. */
function insertAfter(order: readonly string[], insert: Readonly<Record<string, readonly string[]>>): string[] {
  return order.flatMap((k) => [k, ...(insert[k] ?? [])]);
}

/**
 * Debian 13 (trixie): OpenSSH 10.0p1 as 1:10.0p1-7+deb13u4 builds it (the upstream tarball with
 * debian/patches applied, configured as debian/rules does). Read off the sources — servconf.c
 * fill_default_server_options() and dump_config(), myproposal.h, pathnames.h — and checked once
 * against `sshd -T -f /dev/null` of that tree built with debian/rules' relevant configure options
 * (the same lines, after sorting; see the notes of issue 18). Where it differs from 9.2p1:
 */
const DEBIAN_13: SshdRelease = {
  name: '10.0p1',
  label: "OpenSSH 10.0p1 as Debian 13 builds it (1:10.0p1-7+deb13u4, with Debian's patches)",
  hostKeys: DEBIAN_12.hostKeys,
  algorithms: ALGORITHMS_10_0,
  keywords: KEYWORDS_10_0,
  reads: {
    // debian/patches/ipqos-deprecate-tos-keywords.patch (1:10.0p1-7+deb13u3): in misc.c's ipqos[]
    // lowdelay, throughput and reliability are INT_MIN, which servconf.c reads as INT_MAX ("none");
    // parse_ipqos() reads numbers with strtonum(0, 255).
    ipqosDscpOnly: true,
    // servconf.c@V_10_0_P1 sPermitListen/sPermitOpen: `while ((arg = argv_next(&ac, &av)) != NULL)`
    // over every argument, permitopen_port() on each.
    permitEveryArgument: true,
    // servconf.c@V_10_0_P1 sSubsystem: `debug(... already defined.)` and argv_consume(); the command
    // and arguments through argv_assemble() (misc.c).
    subsystemAssembled: true,
  },
  // dump_config()@V_10_0_P1: 9.2p1's order with the new keywords in their places (RDomain is printed
  // only where the platform has routing domains, not on Linux).
  dumpOrder: insertAfter(DUMP_ORDER, {
    usepam: ['pamservicename'],
    exposeauthinfo: ['refuseconnection', 'debianbanner'],
    pubkeyacceptedalgorithms: ['sshdsessionpath', 'sshdauthpath', 'persourcepenaltyexemptlist'],
    pubkeyauthoptions: ['persourcepenalties'],
  }),
  defaults: {
    ...DEBIAN_12.defaults,
    ...defaultsOf(ALGORITHMS_10_0), // ciphers and kexalgorithms: myproposal.h@V_10_0_P1 (algorithms.ts)
    // servconf.c@V_10_0_P1: `PAMServiceName` (9.8), SSHD_PAM_SERVICE "sshd".
    pamservicename: 'sshd',
    // servconf.c@V_10_0_P1: `RefuseConnection` (9.9), default 0.
    refuseconnection: 'no',
    // debian/patches/debian-banner.patch: printed by sshd -T since 1:9.5p1-1, default 1.
    debianbanner: 'yes',
    // Makefile.in@V_10_0_P1 SSHD_SESSION/SSHD_AUTH = $(libexecdir)/sshd-{session,auth}; debian/rules
    // --libexecdir=${prefix}/lib/openssh (sshd-session: 9.8, sshd-auth: 10.0).
    sshdsessionpath: '/usr/lib/openssh/sshd-session',
    sshdauthpath: '/usr/lib/openssh/sshd-auth',
    // servconf.c@V_10_0_P1: `PerSourcePenaltyExemptList` (9.8), default NULL.
    persourcepenaltyexemptlist: 'none',
    // servconf.c@V_10_0_P1 fill_default_server_options(): penalties on by default (9.8): crash 90,
    // authfail 5, noauth 1, grace-exceeded 10, refuseconnection 10, max 600, min 15, 65536 sources
    // per family, overflow permissive.
    persourcepenalties: 'crash:90 authfail:5 noauth:1 grace-exceeded:10 refuseconnection:10 max:600 min:15 max-sources4:65536 max-sources6:65536 overflow:permissive overflow6:permissive',
    // servconf.c@V_10_0_P1 dump_cfg_strarray_oneline(): `none` when no ChannelTimeout is set (9.2p1
    // printed no line).
    channeltimeout: 'none',
    // debian/patches/ipqos-interactive-ef.patch (upstream's change, cherry-picked in 1:10.0p1-7+deb13u3):
    // interactive EF; bulk CS1 as servconf.c@V_10_0_P1 (Debian's revert-ipqos-defaults.patch, which
    // kept 9.2p1's `lowdelay throughput`, is no longer in debian/patches/series).
    ipqos: 'ef cs1',
  },
};

/** The releases fwconf has defaults for, by `--openssh` name. */
export const SSHD_RELEASES: ReadonlyMap<string, SshdRelease> = new Map([DEBIAN_12, DEBIAN_13].map((r) => [r.name, r]));

/** The release `effective --all` assumes: Debian 12's. */
export const DEFAULT_OPENSSH = DEBIAN_12.name;

/** The release named `name`, or undefined. */
export function sshdRelease(name: string = DEFAULT_OPENSSH): SshdRelease | undefined {
  return SSHD_RELEASES.get(name);
}

/**
 * What `sshd -T` prints for a keyword no line sets: the compiled-in defaults of each OpenSSH release
 * fwconf knows, with the Debian patches that change them, as data. `port`, `listenaddress` and
 * `hostkey` are derived (fill_default_server_options(): port 22, every port on `[::]` and `0.0.0.0`
 * as AddressFamily allows, the three host keys of /etc/ssh); the algorithm lists live in
 * algorithms.ts. Keywords with no default line (AllowUsers, AcceptEnv, Subsystem, ...) are absent.
 *
 * Read off `sshd -T -f /dev/null` of each release (test/sshd/defaults.system.test.ts compares the
 * installed sshd with its row).
 */
import { ALGORITHMS } from './algorithms.js';

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
}

const algorithmDefaults = Object.fromEntries(Object.entries(ALGORITHMS).map(([k, set]) => [k, set.defaults.join(',')]));

/** Debian 12 (bookworm): OpenSSH 9.2p1 with Debian's patches (GSSAPI key exchange, Debian banner). */
const DEBIAN_12: SshdRelease = {
  name: '9.2p1',
  label: "OpenSSH 9.2p1 as Debian 12 builds it (with Debian's patches)",
  hostKeys: ['/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key'],
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

/** The releases fwconf has defaults for, by `--openssh` name. */
export const SSHD_RELEASES: ReadonlyMap<string, SshdRelease> = new Map([[DEBIAN_12.name, DEBIAN_12]]);

/** The release `effective --all` assumes: Debian 12's. */
export const DEFAULT_OPENSSH = DEBIAN_12.name;

/** The release named `name`, or undefined. */
export function sshdRelease(name: string = DEFAULT_OPENSSH): SshdRelease | undefined {
  return SSHD_RELEASES.get(name);
}

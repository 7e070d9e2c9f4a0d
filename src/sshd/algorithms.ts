/**
 * Algorithm lists of Debian's OpenSSH 9.2p1 (sshd -T defaults and ssh -Q) and of 10.0p1 (below), for expanding the
 * `+`, `-` and `^` forms of Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
 * CASignatureAlgorithms, HostbasedAcceptedAlgorithms and PubkeyAcceptedAlgorithms exactly as
 * kex_assemble_names() does.
 */

export interface AlgorithmSet {
  /** The default list (what sshd -T prints when the keyword is unset). */
  readonly defaults: readonly string[];
  /** Every name this build supports, in its table order (what patterns are matched against). */
  readonly all: readonly string[];
  /** How names are validated when the list is read: exact names, or key types with wildcards. */
  readonly validate: 'exact' | 'keytypes';
  /** sshd's message for an invalid list. */
  readonly error: string;
}

const split = (s: string) => s.split(',');

const KEY_SIG = split('ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com');
const PLAIN_SIG = KEY_SIG.filter((n) => !n.includes('-cert-'));

/** By lowercase keyword. */
export const ALGORITHMS: Readonly<Record<string, AlgorithmSet>> = {
  ciphers: { defaults: split('chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com'), all: split('3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com'), validate: 'exact', error: 'Bad SSH2 cipher spec' },
  macs: { defaults: split('umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1'), all: split('hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96,umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com'), validate: 'exact', error: 'Bad SSH2 mac spec' },
  kexalgorithms: { defaults: split('sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256'), all: split('diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com'), validate: 'exact', error: 'Bad SSH2 KexAlgorithms' },
  hostkeyalgorithms: { defaults: split('ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256'), all: KEY_SIG, validate: 'keytypes', error: 'Bad key types' },
  casignaturealgorithms: { defaults: split('ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256'), all: PLAIN_SIG, validate: 'keytypes', error: 'Bad key types' },
  hostbasedacceptedalgorithms: { defaults: split('ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256'), all: KEY_SIG, validate: 'keytypes', error: 'Bad key types' },
  pubkeyacceptedalgorithms: { defaults: split('ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256'), all: KEY_SIG, validate: 'keytypes', error: 'Bad key types' },
};

const without = (names: readonly string[], drop: readonly string[]) => names.filter((n) => !drop.includes(n));
const DSA = ['ssh-dss', 'ssh-dss-cert-v01@openssh.com'];

/**
 * The lists of OpenSSH 10.0p1 as Debian 13 builds it (1:10.0p1-7+deb13u4), read off the sources
 * (openssh-10.0p1 with debian/patches applied); where they differ from 9.2p1's:
 * - ciphers: defaults AES-GCM before AES-CTR (myproposal.h@V_10_0_P1 KEX_SERVER_ENCRYPT); the
 *   supported set is 9.2p1's (cipher.c ciphers[]).
 * - kexalgorithms: defaults mlkem768x25519-sha256 first, the finite-field (modp) Diffie-Hellman
 *   methods gone (myproposal.h@V_10_0_P1 KEX_SERVER_KEX); supported: 9.2p1's and
 *   mlkem768x25519-sha256, last (kex-names.c@V_10_0_P1 kexalgs[]).
 * - key types: DSA gone (sshkey.c@V_10_0_P1 keyimpls[] holds sshkey_dss_impl only #ifdef WITH_DSA,
 *   which configure.ac@V_10_0_P1 no longer defines); the default lists are 9.2p1's.
 * - macs: unchanged (mac.c macs[], myproposal.h KEX_SERVER_MAC).
 */
export const ALGORITHMS_10_0: Readonly<Record<string, AlgorithmSet>> = {
  ...ALGORITHMS,
  ciphers: { ...ALGORITHMS.ciphers!, defaults: split('chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr') },
  kexalgorithms: {
    ...ALGORITHMS.kexalgorithms!,
    defaults: split('mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521'),
    all: [...ALGORITHMS.kexalgorithms!.all, 'mlkem768x25519-sha256'],
  },
  hostkeyalgorithms: { ...ALGORITHMS.hostkeyalgorithms!, all: without(KEY_SIG, DSA) },
  casignaturealgorithms: { ...ALGORITHMS.casignaturealgorithms!, all: without(PLAIN_SIG, DSA) },
  hostbasedacceptedalgorithms: { ...ALGORITHMS.hostbasedacceptedalgorithms!, all: without(KEY_SIG, DSA) },
  pubkeyacceptedalgorithms: { ...ALGORITHMS.pubkeyacceptedalgorithms!, all: without(KEY_SIG, DSA) },
};

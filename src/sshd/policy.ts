/**
 * Hardening policies for `fwconf sshd audit`, as data: each rule names a keyword (as sshd -T prints
 * it) and what its effective value must be. A policy is YAML (or JSON) of this shape; the built-in
 * `baseline` is below.
 *
 * ```yaml
 * name: my-policy
 * rules:
 *   - id: root-login            # stable name, reported with each finding
 *     keyword: PermitRootLogin
 *     allow: ["no"]             # the value must be one of these (case-insensitive) ...
 *     fix: "no"                 # ... and --fix writes this
 *     severity: error           # error (exit 1) or warning
 *     why: root logs in with a key only through sudo
 *   - { id: tries, keyword: MaxAuthTries, max: 4, fix: "3", why: ... }         # an integer at most
 *   - { id: macs, keyword: MACs, forbid: [hmac-sha1, ...], why: ... }          # a list without these
 * ```
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lowercase letters, digits and dashes'),
    keyword: z.string().regex(/^[A-Za-z0-9]+$/, 'an sshd keyword'),
    allow: z.array(z.string()).nonempty().optional(),
    max: z.number().int().nonnegative().optional(),
    forbid: z.array(z.string()).nonempty().optional(),
    fix: z.string().optional(),
    severity: z.enum(['error', 'warning']).default('error'),
    why: z.string(),
  })
  .strict()
  .refine((r) => [r.allow, r.max, r.forbid].filter((x) => x !== undefined).length === 1, 'a rule has exactly one of allow, max, forbid');

const policySchema = z.object({ name: z.string(), description: z.string().optional(), rules: z.array(ruleSchema) }).strict();

/**
 * One rule of an audit policy: the keyword it is about (as sshd -T prints it), exactly one of the
 * values it allows, its maximum or what it forbids, and why. Written out rather than inferred from the
 * schema, so the declarations do not name zod's types (which need Node's); `parsePolicy` assigns the
 * schema's output to it, so the compiler keeps the two alike.
 */
export interface PolicyRule {
  /** Stable name, reported with each finding: lowercase letters, digits and dashes. */
  id: string;
  /** The sshd keyword. */
  keyword: string;
  /** The value must be one of these (case-insensitive; at least one). */
  allow?: string[] | undefined;
  /** An integer value at most this. */
  max?: number | undefined;
  /** A list value without any of these (at least one). */
  forbid?: string[] | undefined;
  /** What `--fix` writes. */
  fix?: string | undefined;
  /** `error` (exit 1) or `warning`. */
  severity: 'error' | 'warning';
  /** Why the rule is there, shown with each finding. */
  why: string;
}

/** An audit policy: a name, a description and its rules. */
export interface SshdPolicy {
  /** The policy's name (`--policy NAME` for a built-in one). */
  name: string;
  /** What the policy is for. */
  description?: string | undefined;
  /** Its rules, in the order findings are reported. */
  rules: PolicyRule[];
}

/** A policy file's text as a policy, or the problem with it (with its line where YAML gives one). */
export function parsePolicy(text: string, file = '<policy>'): SshdPolicy | { error: string } {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    return { error: `${file}:${e.linePos?.[0]?.line ?? 1}:${e.linePos?.[0]?.col ?? 1}: error: ${e.message.split('\n')[0]} [sshd/policy-invalid]` };
  }
  const r = policySchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { error: `${file}:1:1: error: ${issue.path.join('.') || 'policy'}: ${issue.message} [sshd/policy-invalid]` };
  }
  const policy: SshdPolicy = r.data;
  return policy;
}

/**
 * Algorithms that ssh-audit 2.5 (Debian 12) rates "fail" or "warn", by list keyword. One deliberate
 * difference: sntrup761x25519-sha512@openssh.com, which ssh-audit 2.5 calls experimental, is
 * OpenSSH's default since 9.0 and the post-quantum hybrid key exchange: the baseline keeps it.
 */
const WEAK = {
  kexalgorithms: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521'],
  ciphers: ['3des-cbc', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc'],
  macs: [
    'hmac-md5', 'hmac-md5-96', 'hmac-md5-etm@openssh.com', 'hmac-md5-96-etm@openssh.com', 'hmac-sha1', 'hmac-sha1-96', 'hmac-sha1-etm@openssh.com',
    'hmac-sha1-96-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'umac-64@openssh.com', 'umac-128@openssh.com', 'umac-64-etm@openssh.com',
  ],
  hostkeyalgorithms: [
    'ssh-dss', 'ssh-dss-cert-v01@openssh.com', 'ssh-rsa', 'ssh-rsa-cert-v01@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
    'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521-cert-v01@openssh.com',
    'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  ],
} as const;

/** The weak algorithms of a list keyword (lowercase `sshd -T` name), as the baseline forbids them. */
export function weakAlgorithms(keyword: string): readonly string[] {
  return (WEAK as Record<string, readonly string[]>)[keyword] ?? [];
}

const list = (xs: readonly string[]) => `[${xs.join(', ')}]`;

/**
 * The built-in baseline: the settings the widely used sshd hardening guides agree on (keys only, no
 * root logins, no forwarding an attacker could use, few tries), and algorithm lists without what
 * ssh-audit calls weak.
 */
export const BASELINE_YAML = `name: baseline
description: keys only, no root logins, no forwarding, few tries, no weak algorithms (ssh-audit's fail and warn lists)
rules:
  - { id: root-login, keyword: PermitRootLogin, allow: ["no"], fix: "no", why: "log in as a user and use sudo; a root key is a single point of failure" }
  - { id: password-auth, keyword: PasswordAuthentication, allow: ["no"], fix: "no", why: "passwords can be guessed; fail2ban only slows guessing down" }
  - { id: kbd-interactive, keyword: KbdInteractiveAuthentication, allow: ["no"], fix: "no", why: "keyboard-interactive asks for the password through PAM" }
  - { id: empty-passwords, keyword: PermitEmptyPasswords, allow: ["no"], fix: "no", why: "an account without a password must not log in" }
  - { id: hostbased, keyword: HostbasedAuthentication, allow: ["no"], fix: "no", why: "trusting other hosts' keys widens who can log in" }
  - { id: rhosts, keyword: IgnoreRhosts, allow: ["yes"], fix: "yes", why: ".rhosts files must not grant logins" }
  - { id: user-environment, keyword: PermitUserEnvironment, allow: ["no"], fix: "no", why: "user-set environment (LD_PRELOAD) can bypass restrictions" }
  - { id: max-auth-tries, keyword: MaxAuthTries, max: 4, fix: "3", why: "each connection gets few guesses" }
  - { id: login-grace, keyword: LoginGraceTime, max: 60, fix: "30", severity: warning, why: "unauthenticated connections hold slots (MaxStartups)" }
  - { id: x11, keyword: X11Forwarding, allow: ["no"], fix: "no", severity: warning, why: "X11 forwarding exposes the client's display" }
  - { id: agent-forwarding, keyword: AllowAgentForwarding, allow: ["no"], fix: "no", severity: warning, why: "a forwarded agent can be used by root on the server" }
  - { id: tcp-forwarding, keyword: AllowTcpForwarding, allow: ["no"], fix: "no", severity: warning, why: "forwarding turns the server into a tunnel; allow it per user with Match" }
  - { id: kex, keyword: KexAlgorithms, forbid: ${list(WEAK.kexalgorithms)}, why: "SHA-1 and NIST-curve key exchanges (ssh-audit: fail)" }
  - { id: ciphers, keyword: Ciphers, forbid: ${list(WEAK.ciphers)}, why: "CBC-mode ciphers (ssh-audit: fail)" }
  - { id: macs, keyword: MACs, forbid: ${list(WEAK.macs)}, why: "encrypt-and-MAC modes, SHA-1, MD5 and 64-bit tags (ssh-audit: fail or warn)" }
  - { id: host-key-algorithms, keyword: HostKeyAlgorithms, forbid: ${list(WEAK.hostkeyalgorithms)}, why: "DSA, SHA-1 RSA and NIST-curve host keys (ssh-audit: fail)" }
`;

/** Built-in policies by name. */
export const BUILTIN_POLICIES: ReadonlyMap<string, () => SshdPolicy> = new Map([
  [
    'baseline',
    () => {
      const p = parsePolicy(BASELINE_YAML, 'baseline');
      if ('error' in p) throw new Error(`the built-in baseline is invalid: ${p.error}`);
      return p;
    },
  ],
]);

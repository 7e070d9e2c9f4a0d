/**
 * The built-in spec — the seed setup — as a typed value and as the commented YAML that
 * `fwconf render --example-spec` prints (a test keeps the two equal).
 */
import type { HostSpecInput } from './spec.js';

/** sshd on 2201 with the usual hardening, thp-pasv on 22, fail2ban jails, ufw. */
export const DEFAULT_SPEC = {
  ssh: {
    port: 2201,
    settings: {
      PermitRootLogin: 'no',
      PasswordAuthentication: 'no',
      KbdInteractiveAuthentication: 'no',
      PermitEmptyPasswords: 'no',
      PubkeyAuthentication: 'yes',
      X11Forwarding: 'no',
      MaxAuthTries: 3,
      LoginGraceTime: 30,
      ClientAliveInterval: 300,
      ClientAliveCountMax: 2,
      AllowAgentForwarding: 'no',
      AllowTcpForwarding: 'no',
      KexAlgorithms: ['sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256'],
      MACs: ['umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
      HostKeyAlgorithms: ['ssh-ed25519-cert-v01@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'ssh-ed25519', 'sk-ssh-ed25519@openssh.com', 'rsa-sha2-512', 'rsa-sha2-256'],
    },
  },
  honeypots: [
    {
      name: 'thp-pasv',
      port: 22,
      protocol: 'tcp',
      server: '/usr/sbin/thpot',
      args: ['nullresp'],
      env: ['LC_TIME=POSIX'],
      user: 'thpot',
      nice: 10,
      instances: 1,
      perSource: 1,
      disable: false,
    },
  ],
  fail2ban: {
    jails: {
      sshd: { enabled: true, port: 2201 },
      'thp-ssh': {
        enabled: true,
        filter: 'thpot',
        logpath: '/var/log/thpot/captures',
        banaction: 'iptables-allports',
        port: 'all',
        maxretry: 3,
        findtime: 1800,
        bantime: 99999,
      },
      'nginx-http-auth': { enabled: true, logpath: '%(nginx_error_log)s' },
    },
    filters: {
      thpot: { failregex: ['SRC=<HOST>'] },
    },
  },
  ufw: {
    defaults: { incoming: 'deny', outgoing: 'allow' },
    rules: [
      { action: 'allow', port: 2201, proto: 'tcp' },
      { action: 'allow', port: 80, proto: 'tcp' },
      { action: 'allow', port: 443, proto: 'tcp' },
      { action: 'allow', port: 22, proto: 'tcp', comment: 'thpot honeypot' },
    ],
  },
} as const satisfies HostSpecInput;

/** The built-in spec as commented YAML: the starting point for a spec of your own. */
export const EXAMPLE_SPEC_YAML = `# fwconf host spec: render it with 'fwconf render SPEC [--out DIR]'.
# YAML or JSON. Every section is optional; a section left out renders no file.

# SSH: written to /etc/ssh/sshd_config.d/00-fwconf.conf (a drop-in that Debian's and
# Ubuntu's sshd_config include). For each keyword sshd keeps the first value it reads.
ssh:
  port: 2201                        # the port sshd listens on
  settings:                         # sshd keywords, spelled as in sshd_config(5)
    PermitRootLogin: "no"           # hardening: no root logins
    PasswordAuthentication: "no"    # keys only: put your key in ~/.ssh/authorized_keys first
    KbdInteractiveAuthentication: "no"
    PermitEmptyPasswords: "no"
    PubkeyAuthentication: "yes"
    X11Forwarding: "no"
    MaxAuthTries: 3
    LoginGraceTime: 30              # seconds to log in
    ClientAliveInterval: 300        # drop dead clients after 300 s x 2
    ClientAliveCountMax: 2
    AllowAgentForwarding: "no"      # 'fwconf sshd audit' (the baseline) asks for these; allow
    AllowTcpForwarding: "no"        #   forwarding per user with a Match block if you need it
    # sshd's default lists without what ssh-audit calls weak (NIST curves, SHA-1, encrypt-and-MAC):
    KexAlgorithms: [sntrup761x25519-sha512, sntrup761x25519-sha512@openssh.com, curve25519-sha256, curve25519-sha256@libssh.org, diffie-hellman-group-exchange-sha256, diffie-hellman-group16-sha512, diffie-hellman-group18-sha512, diffie-hellman-group14-sha256]
    MACs: [umac-128-etm@openssh.com, hmac-sha2-256-etm@openssh.com, hmac-sha2-512-etm@openssh.com]
    HostKeyAlgorithms: [ssh-ed25519-cert-v01@openssh.com, sk-ssh-ed25519-cert-v01@openssh.com, rsa-sha2-512-cert-v01@openssh.com, rsa-sha2-256-cert-v01@openssh.com, ssh-ed25519, sk-ssh-ed25519@openssh.com, rsa-sha2-512, rsa-sha2-256]
    # AuthenticationMethods: [[publickey, password]]   # a list of method lists: a key AND a password
    #                               # (with PasswordAuthentication "yes"); [[publickey], [password]]: either
  # match:                          # Match blocks: criteria (user, group, host, address,
  #   - criteria: { user: deploy }  # localAddress, localPort, rdomain) or "all"
  #     settings: { PasswordAuthentication: "no", AllowTcpForwarding: "no" }

# Honeypot services: one xinetd file each, /etc/xinetd.d/NAME, running tinyhoneypot.
honeypots:
  - name: thp-pasv
    port: 22                        # must not be the SSH port
    protocol: tcp
    server: /usr/sbin/thpot
    args: [nullresp]                # server_args: thpot handler (nullresp, shell, ftp, http, smtp)
    env: [LC_TIME=POSIX]            # thpot writes capture dates in LC_TIME's language: in another
                                    # locale (a Japanese one, say) fail2ban cannot read them
    user: thpot
    nice: 10
    instances: 1
    perSource: 1
    disable: false

# fail2ban: /etc/fail2ban/jail.local holds only what differs from jail.conf;
# filters go to filter.d/NAME.local, actions to action.d/NAME.local.
# Values are fail2ban syntax: %(name)s interpolates, %% is a literal %.
fail2ban:
  jails:
    sshd:
      enabled: true
      port: 2201                    # must include the SSH port
    thp-ssh:                        # bans whoever touches the honeypot
      enabled: true
      filter: thpot
      logpath: /var/log/thpot/captures
      banaction: iptables-allports
      port: all
      maxretry: 3
      findtime: 1800
      bantime: 99999
    nginx-http-auth:
      enabled: true
      logpath: "%(nginx_error_log)s"
  filters:
    thpot:
      failregex: ["SRC=<HOST>"]

# ufw: written as the script /etc/fwconf/ufw.sh (defaults, logging, rules, enable).
ufw:
  defaults: { incoming: deny, outgoing: allow }
  # logging: low
  rules:                            # action allow|deny|reject|limit; direction in|out;
    - { action: allow, port: 2201, proto: tcp }   # the SSH port must be allowed
    - { action: allow, port: 80, proto: tcp }
    - { action: allow, port: 443, proto: tcp }
    - { action: allow, port: 22, proto: tcp, comment: thpot honeypot }  # let scanners reach the honeypot
    # - { action: limit, port: 2222, proto: tcp, from: 203.0.113.0/24, comment: "admins" }
`;

/** The codes of the whole-host check (`fwconf check --host`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const HOST_CODES = {
  'host/ban-before-accept': "fail2ban's ban chain (or ufw deny rule) comes after an ESTABLISHED accept rule, so a banned address keeps its open connections.",
  'host/ban-misses-ssh': "the sshd jail's action blocks ports that do not include sshd's, so a banned address still reaches sshd.",
  'host/drop-in-overrides': 'a file sshd reads before the hardening drop-in sets one of its keywords, and sshd keeps the first value.',
  'host/honeypot-port-conflict': 'an xinetd service on a port sshd listens on (or two services on one port): the second cannot bind it.',
  'host/jail-filter-missing': "a jail's filter file does not exist, so fail2ban skips the jail.",
  'host/nothing-read': 'below the root there is no sshd_config, xinetd.conf, fail2ban jail.conf or ufw configuration, so the whole-host check had nothing to check (a wrong `--root`, most often).',
  'host/jail-log-missing': "a jail's logpath matches no file, so fail2ban refuses to start.",
  'host/jail-port-mismatch': "the sshd jail's `port` does not cover every port sshd listens on, so its bans do not block SSH.",
  'host/locale-dates': 'the honeypot writes (or a watched log holds) dates whose month names fail2ban cannot read, so those lines never count.',
  'host/recidive-vs-dbpurgeage': 'the recidive jail looks back further than fail2ban keeps bans in its database.',
  'host/ssh-port-not-allowed': 'ufw is (or will be) active and does not let in a port sshd listens on: enabling it locks you out.',
  'host/ufw-with-nftables': 'nftables.service is enabled along with ufw, so at boot a second rule set filters the same packets.',
} as const;

export type HostCode = keyof typeof HOST_CODES;

/** The codes of rendered ufw scripts (`fwconf check` of one, and the whole-host check), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const UFW_SCRIPT_CODES = {
  'ufw-script/not-a-ufw-command': 'a line of a rendered ufw script that is not a `ufw` command (nor a comment, `set -e` or the shebang): fwconf does not check what it does to the firewall.',
  'ufw-script/unknown-command': 'a `ufw` line whose command ufw does not have.',
  'ufw-script/unread-port': "a rule's port that reads as no port, port list or known application, so fwconf does not know which port it opens.",
} as const;

export type UfwScriptCode = keyof typeof UFW_SCRIPT_CODES;

declare module '../core/diagnostics.js' {
  interface DiagnosticCodes {
    host: HostCode | UfwScriptCode;
  }
}

/** The codes of the whole-host check (`fwconf check --host`), each with its sentence in DIAGNOSTICS.md (`npm run docs:codes` writes it from these lists). */
export const HOST_CODES = {
  'host/ban-before-accept': "fail2ban's ban chain (or ufw deny rule) comes after an ESTABLISHED accept rule, so a banned address keeps its open connections.",
  'host/ban-misses-ssh': "the sshd jail's action blocks ports that do not include sshd's, so a banned address still reaches sshd.",
  'host/drop-in-overrides': "a file sshd reads before the hardening drop-in sets one of its keywords, and sshd keeps the first value (an error); or a Match block sets one of them to another value and, for a connection of its class (the message gives it, as `sshd -T -C` takes it), decides it (a warning).",
  'host/honeypot-port-conflict': 'an xinetd service on a port sshd listens on (or two services on one port): the second cannot bind it.',
  'host/jail-filter-missing': "a jail's filter file does not exist, so fail2ban skips the jail.",
  'host/nothing-read': 'below the root there is no sshd_config, xinetd.conf, fail2ban jail.conf or ufw configuration, so the whole-host check had nothing to check (a wrong `--root`, most often).',
  'host/jail-log-missing': "a jail's logpath matches no file, so fail2ban refuses to start.",
  'host/jail-port-mismatch': "the sshd jail's `port` does not cover every port sshd listens on, so its bans do not block SSH.",
  'host/locale-dates': 'the honeypot writes (or a watched log holds) dates whose month names fail2ban cannot read, so those lines never count.',
  'host/recidive-vs-dbpurgeage': 'the recidive jail looks back further than fail2ban keeps bans in its database.',
  'host/ssh-port-not-allowed': 'ufw is (or will be) active and does not let in a port sshd listens on: enabling it locks you out.',
  'host/jail-filter-never-matches': "none of the last 1000 lines of a jail's log matches its filter (as fail2ban-regex counts): an error when no line has a date fail2ban can read (a month name of another locale: run the writer with LC_TIME=POSIX), a warning when every line is ignored by the ignoreregex or fails the prefregex, an info when the lines are the daemon's but none is a failure (the log may hold no attack yet). The command runs `fwconf fail2ban test --show-missed` on it.",
  'host/nft-no-table': "the file given with `--nft-ruleset` declares no nftables table: it is not the output of `nft list ruleset`.",
  'host/ufw-with-nftables': "nftables.service is enabled along with ufw, so at boot a second rule set (the tables of /etc/nftables.conf, named) filters the same packets; or the ruleset given with `--nft-ruleset` (`nft list ruleset`) has a table neither ufw (iptables-nft) nor fail2ban made. A warning; an error when that table's input chain drops a port sshd listens on (policy drop without an accept for the port).",
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

/**
 * ufw 0.36.2's stock rule files (Debian 12): /usr/share/ufw/iptables/user.rules and user6.rules (what
 * `ufw reset` copies in). The rule files fwconf renders start from them, as a fresh install does.
 */

export const STOCK_USER_RULES = "*filter\n:ufw-user-input - [0:0]\n:ufw-user-output - [0:0]\n:ufw-user-forward - [0:0]\n:ufw-user-limit - [0:0]\n:ufw-user-limit-accept - [0:0]\n### RULES ###\n-A ufw-user-limit -m limit --limit 3/minute -j LOG --log-prefix \"[UFW LIMIT BLOCK] \"\n-A ufw-user-limit -j REJECT\n-A ufw-user-limit-accept -j ACCEPT\nCOMMIT\n";

export const STOCK_USER6_RULES = "*filter\n:ufw6-user-input - [0:0]\n:ufw6-user-output - [0:0]\n:ufw6-user-forward - [0:0]\n### RULES ###\nCOMMIT\n";

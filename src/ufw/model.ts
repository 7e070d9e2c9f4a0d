/**
 * The typed model of `ufw status` output, and the rule as ufw stores it (one `### tuple ###` line of
 * user.rules / user6.rules), which the formatter, the command generator and the planner work on.
 */

export type UfwAction = 'allow' | 'deny' | 'reject' | 'limit';
/** As printed in the Action column: route rules show `FWD`. */
export type UfwDirection = 'in' | 'out' | 'fwd';
/** How a rule logs: new connections (`log`) or every packet (`log-all`). */
export type UfwLogType = 'log' | 'log-all';
/** A default policy. */
export type UfwPolicy = 'allow' | 'deny' | 'reject';
/** The routed default policy (`disabled` when the kernel does not forward). */
export type UfwRoutedPolicy = UfwPolicy | 'disabled';
/** The policy for new application profiles (`skip`: none is added). */
export type UfwAppPolicy = UfwPolicy | 'skip';
/** ufw's logging level. */
export type UfwLogLevel = 'low' | 'medium' | 'high' | 'full';
/** Which command printed the text: `ufw status`, `ufw status verbose`, `ufw status numbered`. */
export type UfwStatusMode = 'plain' | 'verbose' | 'numbered';

/** ufw.util.supported_protocols. */
export const PROTOCOLS = ['tcp', 'udp', 'ipv6', 'esp', 'ah', 'igmp', 'gre', 'vrrp'] as const;
/** Protocols ufw only ever adds to the IPv4 rules (util.ipv4_only_protocols). */
export const IPV4_ONLY_PROTOCOLS: readonly string[] = ['ipv6', 'igmp'];
/** Protocols without ports (util.portless_protocols). */
export const PORTLESS_PROTOCOLS: readonly string[] = ['ipv6', 'esp', 'ah', 'igmp', 'gre', 'vrrp'];

/** One side of a rule (the To or the From column). */
export interface UfwEndpoint {
  /** The column text as printed, e.g. `192.168.1.10 443/tcp on eth1` (no padding). */
  text: string;
  /** Address or network (`203.0.113.0/24`, `2001:db8::/48`); null for any (`Anywhere`). */
  address: string | null;
  /** Port, list or range as ufw stores it (`22`, `80,443`, `6000:6007`); null for any or when an app name is shown instead. */
  port: string | null;
  /** The protocol shown on this column (`22/tcp`, `Anywhere/udp`, `1.2.3.4/esp`), else null. */
  proto: string | null;
  /** Interface printed on this column (`on eth0`), else null. */
  interface: string | null;
  /** Application profile (`OpenSSH`, `Nginx Full`), else null. */
  app: string | null;
}

/** One rule line of `ufw status`. */
export interface UfwRule {
  /** `[ N]` in `ufw status numbered` (the number `ufw delete N` takes); null in the other modes. */
  number: number | null;
  action: UfwAction;
  /** `in` also when plain `ufw status` leaves the direction out. */
  direction: UfwDirection;
  /** The Action column text, trimmed (`ALLOW IN`, `ALLOW`, `REJECT OUT`, `LIMIT FWD`). */
  actionText: string;
  to: UfwEndpoint;
  from: UfwEndpoint;
  /** The rule's protocol when the output shows it (on either column); null for any or unknown (app rules). */
  proto: string | null;
  /** Incoming interface (`in on IFACE`): on To for normal rules, on From for route rules. */
  interfaceIn: string | null;
  /** Outgoing interface (`out on IFACE`): on From for normal rules, on To for route rules. */
  interfaceOut: string | null;
  /** The rule is one of the IPv6 rules (user6.rules). */
  v6: boolean;
  /** `(log)` / `(log-all)`. */
  log: UfwLogType | null;
  /** The text after ` # `; null when there is none. */
  comment: string | null;
  /** 1-based line of the rule in the text. */
  line: number;
}

/** ufw's logging, as `ufw status verbose` prints it: on or off, and the level. */
export interface UfwLogging {
  /** `unknown`: LOGLEVEL is missing or invalid in ufw.conf. */
  state: 'on' | 'off' | 'unknown';
  level: UfwLogLevel | null;
}

/** The default policies (`ufw status verbose`'s Default line). */
export interface UfwDefaults {
  incoming: UfwPolicy;
  outgoing: UfwPolicy;
  /** `disabled` when forwarding is off in the kernel at the time of `ufw status`. */
  routed: UfwRoutedPolicy;
}

/** What `fwconf parse --format ufw-status` prints (UfwStatusDocument.toJSON()). */
export interface UfwStatusModel {
  format: 'ufw-status';
  /** null when the text has no status line. */
  status: 'active' | 'inactive' | null;
  /** null for `Status: inactive`, whose mode cannot be told. */
  mode: UfwStatusMode | null;
  /** Verbose mode only. */
  logging: UfwLogging | null;
  defaults: UfwDefaults | null;
  /** `New profiles:` (DEFAULT_APPLICATION_POLICY). */
  newProfiles: UfwAppPolicy | null;
  /** ufw message catalogue the labels were printed in: `C` for English, else a language code (`fr`). */
  language: string;
  rules: UfwRule[];
}

/**
 * A rule as ufw stores it: one `### tuple ###` line of user.rules (IPv4) or user6.rules (IPv6).
 * null stands for ufw's `any` (address `0.0.0.0/0` / `::/0`, port `any`, protocol `any`).
 */
export interface UfwRuleSpec {
  action: UfwAction;
  log: UfwLogType | null;
  proto: string | null;
  dst: string | null;
  dport: string | null;
  dapp: string | null;
  src: string | null;
  sport: string | null;
  sapp: string | null;
  /** ufw's rule direction; a route rule with only an out-interface is `out`. */
  direction: 'in' | 'out';
  /** `ufw route ...` (forwarded traffic). */
  route: boolean;
  interfaceIn: string | null;
  interfaceOut: string | null;
  v6: boolean;
  comment: string | null;
}

/** The state `ufw status verbose` shows: what render.ts prints and the script recreates. */
export interface UfwState {
  status: 'active' | 'inactive';
  logging: UfwLogging;
  defaults: UfwDefaults;
  newProfiles: UfwAppPolicy;
  /** The rules in file order; IPv4 and IPv6 rules keep their own relative order. */
  rules: UfwRuleSpec[];
}

/** A rule with defaults filled in: `spec({ action: 'allow', dport: '22', proto: 'tcp' })`. */
export function ruleSpec(partial: Partial<UfwRuleSpec> & { action: UfwAction }): UfwRuleSpec {
  return {
    log: null,
    proto: null,
    dst: null,
    dport: null,
    dapp: null,
    src: null,
    sport: null,
    sapp: null,
    direction: 'in',
    route: false,
    interfaceIn: null,
    interfaceOut: null,
    v6: false,
    comment: null,
    ...partial,
  };
}

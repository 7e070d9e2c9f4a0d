/**
 * The host spec: one schema (zod) for the whole hardening setup — SSH, honeypot services under
 * xinetd, fail2ban jails and filters, ufw. Written in YAML or JSON; `loadSpec` reads it with
 * positions, `specSchema` validates its shape, `checkSpec` the rules that span fields.
 */
import { z } from 'zod';
import { SSHD_KEYWORDS, SSHD_KEYWORD_NAMES, SSHD_MATCH_KEYWORD_NAMES, type SshdKind, type SshdMatchCriteria, type SshdMatchSettings, type SshdSettings } from './sshd.js';
import type { ActionLocal, FilterLocal, JailOptions } from './fail2ban.js';
import type { UfwRuleset } from './ufw.js';

const port = z.number().int().min(1).max(65535);
const str = z.string().min(1);
const strList = z.union([str, z.array(str).min(1)]);
/** YAML `true`/`false` for an sshd yes/no keyword. */
const yesNoBool = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : v);

function sshdValueSchema(kind: SshdKind): z.ZodType {
  switch (kind.kind) {
    case 'enum':
      return z.preprocess(yesNoBool, z.enum(kind.values as [string, ...string[]]));
    case 'int':
      return z.number().int().min(kind.min).max(kind.max);
    case 'time':
      return z.union([z.number().int().min(0), z.string().regex(/^(?:\d+[sSmMhHdDwW]?)+$/, 'expected seconds or an sshd time such as 1m30s')]);
    case 'port':
      return z.union([port, z.array(port).min(1)]);
    case 'arg':
    case 'rest':
      return str;
    case 'args':
    case 'lines':
    case 'algorithms':
      return strList;
    case 'methods':
      // A flat list of strings passes the schema; the builder refuses it with the two ways to say it.
      return z.union([str, z.array(z.union([str, z.array(str).min(1)])).min(1)]);
    case 'maxstartups':
      return z.union([z.number().int().min(1), z.string().regex(/^\d+:\d+:\d+$/, 'expected N or start:rate:full')]);
  }
}

// Built from the keyword table; typed as the builder's settings (the table and the interface agree by construction).
const sshdSettingsSchema = z.strictObject(Object.fromEntries(SSHD_KEYWORD_NAMES.map((k) => [k, sshdValueSchema(SSHD_KEYWORDS[k]).optional()]))) as unknown as z.ZodType<SshdSettings, Record<string, unknown>>;
const sshdMatchSettingsSchema = z.strictObject(Object.fromEntries(SSHD_MATCH_KEYWORD_NAMES.map((k) => [k, sshdValueSchema(SSHD_KEYWORDS[k]).optional()]))) as unknown as z.ZodType<SshdMatchSettings, Record<string, unknown>>;

const matchCriteriaSchema = z.union([
  z.literal('all'),
  z.strictObject({
    user: strList.optional(),
    group: strList.optional(),
    host: strList.optional(),
    address: strList.optional(),
    localAddress: strList.optional(),
    localPort: port.optional(),
    rdomain: strList.optional(),
  }),
]);

const sshSchema = z.strictObject({
  /** The port sshd listens on. */
  port: port.default(22),
  settings: sshdSettingsSchema.default({}),
  match: z.array(z.strictObject({ criteria: matchCriteriaSchema, settings: sshdMatchSettingsSchema })).default([]),
});

const honeypotSchema = z.strictObject({
  /** xinetd service name, also the file name under /etc/xinetd.d/. */
  name: z.string().regex(/^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*$/, 'expected a service name of letters, digits, _ . + -'),
  port,
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  server: str.default('/usr/sbin/thpot'),
  /** server_args: the thpot service handler (nullresp, shell, ftp, http, smtp, ssh). */
  args: z.array(str).min(1).default(['nullresp']),
  /**
   * xinetd env: NAME=VALUE strings added to the server's environment. The default, LC_TIME=POSIX,
   * keeps thpot's capture dates in English whatever the system locale, so fail2ban can read them.
   */
  env: z.array(str).default(['LC_TIME=POSIX']),
  user: str.default('thpot'),
  nice: z.number().int().min(-20).max(19).default(10),
  instances: z.union([z.number().int().min(0), z.literal('UNLIMITED')]).default(1),
  perSource: z.union([z.number().int().min(0), z.literal('UNLIMITED')]).default(1),
  disable: z.boolean().default(false),
});

const f2bValue = z.union([z.string(), z.strictObject({ literal: z.string() })]);
const f2bValues = z.union([f2bValue, z.array(f2bValue).min(1)]);
const f2bTime = z.union([z.number().int().min(-1), str]);
const jailSchema = z.strictObject({
  enabled: z.boolean().optional(),
  port: z.union([port, str, z.array(z.union([port, str])).min(1)]).optional(),
  protocol: z.enum(['tcp', 'udp', 'all', 'icmp', 'sctp', 'udplite']).optional(),
  filter: f2bValue.optional(),
  logpath: f2bValues.optional(),
  backend: z.enum(['auto', 'pyinotify', 'gamin', 'polling', 'systemd']).optional(),
  banaction: f2bValue.optional(),
  action: f2bValues.optional(),
  maxretry: z.number().int().min(1).optional(),
  findtime: f2bTime.optional(),
  bantime: f2bTime.optional(),
  ignoreip: strList.optional(),
  usedns: z.enum(['yes', 'no', 'warn', 'raw']).optional(),
  mode: str.optional(),
  chain: str.optional(),
  'bantime.increment': z.boolean().optional(),
  extra: z.record(z.string(), f2bValues).optional(),
});
const filterSchema = z.strictObject({
  before: z.array(str).optional(),
  failregex: z.array(f2bValue).min(1).optional(),
  ignoreregex: z.array(f2bValue).min(1).optional(),
  prefregex: f2bValue.optional(),
  datepattern: f2bValue.optional(),
  maxlines: z.number().int().min(1).optional(),
  journalmatch: z.array(f2bValue).min(1).optional(),
  init: z.record(z.string(), f2bValue).optional(),
});
const actionSchema = z.strictObject({
  before: z.array(str).optional(),
  actionstart: f2bValues.optional(),
  actionstop: f2bValues.optional(),
  actioncheck: f2bValues.optional(),
  actionban: f2bValues.optional(),
  actionunban: f2bValues.optional(),
  init: z.record(z.string(), f2bValue).optional(),
});
const fail2banSchema = z.strictObject({
  defaults: jailSchema.optional(),
  jails: z.record(z.string(), jailSchema).default({}),
  filters: z.record(z.string(), filterSchema).default({}),
  actions: z.record(z.string(), actionSchema).default({}),
});

const ufwPort = z.union([port, z.templateLiteral([z.int().min(1).max(65535), ':', z.int().min(1).max(65535)], { error: "expected a port or a range such as '6000:6007'" })]);
const policy = z.enum(['allow', 'deny', 'reject']);
const ufwSchema = z.strictObject({
  defaults: z.strictObject({ incoming: policy.optional(), outgoing: policy.optional(), routed: policy.optional() }).optional(),
  logging: z.enum(['off', 'on', 'low', 'medium', 'high', 'full']).optional(),
  rules: z
    .array(
      z.strictObject({
        action: z.enum(['allow', 'deny', 'reject', 'limit']),
        direction: z.enum(['in', 'out']).optional(),
        interface: str.optional(),
        port: z.union([ufwPort, z.array(ufwPort).min(1)]).optional(),
        proto: z.enum(['tcp', 'udp', 'any']).optional(),
        from: str.optional(),
        to: str.optional(),
        log: z.enum(['log', 'log-all']).optional(),
        comment: str.optional(),
      }),
    )
    .default([]),
});

/** The schema of a host spec. */
export const specSchema = z.strictObject({
  ssh: sshSchema.optional(),
  honeypots: z.array(honeypotSchema).default([]),
  fail2ban: fail2banSchema.optional(),
  ufw: ufwSchema.optional(),
});

/** A host spec as written (optional fields may be left out). */
export type HostSpecInput = z.input<typeof specSchema>;

/** The SSH part of a validated spec: the port, the global settings and the Match blocks, in spec order. */
export interface SshSpec {
  readonly port: number;
  readonly settings: SshdSettings;
  readonly match: readonly { readonly criteria: SshdMatchCriteria | 'all'; readonly settings: SshdMatchSettings }[];
}
/** One honeypot of a validated spec: a thpot service under xinetd, defaults filled in. */
export interface HoneypotSpec {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly server: string;
  readonly args: readonly string[];
  /** NAME=VALUE strings added to the server's environment (xinetd `env`). */
  readonly env: readonly string[];
  readonly user: string;
  readonly nice: number;
  readonly instances: number | 'UNLIMITED';
  readonly perSource: number | 'UNLIMITED';
  readonly disable: boolean;
}
/** The fail2ban part of a validated spec: jail defaults, jails, and filter and action overlays by name. */
export interface Fail2banSpec {
  readonly defaults?: JailOptions;
  readonly jails: Readonly<Record<string, JailOptions>>;
  readonly filters: Readonly<Record<string, FilterLocal>>;
  readonly actions: Readonly<Record<string, ActionLocal>>;
}
/** The ufw part of a validated spec: defaults, logging and rules. */
export type UfwSpec = Omit<UfwRuleset, 'header'>;

/** A validated host spec, defaults filled in. */
export interface HostSpec {
  readonly ssh?: SshSpec;
  readonly honeypots: readonly HoneypotSpec[];
  readonly fail2ban?: Fail2banSpec;
  readonly ufw?: UfwSpec;
}

// The schema's output must be assignable to the typed builders' inputs.
type _Check = z.output<typeof specSchema> extends HostSpec ? true : never;
export const _schemaMatchesTypes: _Check = true;

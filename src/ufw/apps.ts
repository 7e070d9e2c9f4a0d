/**
 * Application profiles (/etc/ufw/applications.d) and how ufw turns a command-level rule into the
 * rules it stores: a rule without addresses becomes an IPv4 rule and its `(v6)` twin, an app rule
 * one rule per port entry of its profile (backend.get_app_rules_from_template).
 */
import { compareCodePoints, type FileSource } from '../core/files.js';
import { withoutHostPrefix } from './address.js';
import { IPV4_ONLY_PROTOCOLS, type UfwAction, type UfwLogType, type UfwRuleSpec } from './model.js';

/** An application profile (/etc/ufw/applications.d): its name, title, description and ports. */
export interface UfwAppProfile {
  name: string;
  title?: string;
  description?: string;
  /** The `ports=` entries, split at `|`: `80,443/tcp`, `53`. */
  ports: string[];
}

/** Reads the profiles of an applications.d directory (INI sections; later files win). */
export function loadAppProfiles(files: FileSource, dir = '/etc/ufw/applications.d'): Map<string, UfwAppProfile> {
  const out = new Map<string, UfwAppProfile>();
  for (const name of [...(files.list(dir) ?? [])].sort(compareCodePoints)) {
    const text = files.read(`${dir}/${name}`);
    if (text === undefined) continue;
    for (const p of parseAppProfiles(text)) out.set(p.name, p);
  }
  return out;
}

/** Parses one profile file. */
export function parseAppProfiles(text: string): UfwAppProfile[] {
  const out: UfwAppProfile[] = [];
  let cur: UfwAppProfile | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      cur = { name: sec[1]!, ports: [] };
      out.push(cur);
      continue;
    }
    const kv = /^([^=:]+)[=:](.*)$/.exec(line);
    if (!kv || !cur) continue;
    const key = kv[1]!.trim().toLowerCase();
    const value = kv[2]!.trim();
    if (key === 'ports') cur.ports = value.split('|').filter((p) => p !== '');
    else if (key === 'title') cur.title = value;
    else if (key === 'description') cur.description = value;
  }
  return out;
}

/** ufw.util.human_sort of a port list: numeric order. */
export function sortPorts(ports: string): string {
  const key = (s: string) => s.split(/(\d+)/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  return ports
    .split(',')
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const x = ka[i]!;
        const y = kb[i]!;
        if (x === y) continue;
        if (typeof x === 'number' && typeof y === 'number') return x - y;
        return String(x) < String(y) ? -1 : 1;
      }
      return ka.length - kb.length;
    })
    .join(',');
}

function portProto(entry: string): { port: string; proto: string | null } {
  const [port, proto] = entry.split('/');
  return { port: sortPorts(port!), proto: proto === undefined || proto === 'any' ? null : proto };
}

/** A rule as written in a ufw command (before ufw stores it). */
export interface UfwRuleInput {
  action: UfwAction;
  /** Default `in`. */
  direction?: 'in' | 'out';
  /** `ufw route ...`. */
  route?: boolean;
  interfaceIn?: string;
  interfaceOut?: string;
  log?: UfwLogType;
  /** Protocol (`proto tcp`); an app rule takes its protocols from the profile. */
  proto?: string;
  /** Source address or network; default any. */
  from?: string;
  fromPort?: string;
  fromApp?: string;
  /** Destination address or network; default any. */
  to?: string;
  port?: string;
  app?: string;
  comment?: string;
  /**
   * Which lists get the rule: `both` (default for a rule without addresses: the IPv4 rule and its
   * `(v6)` twin), `v4` or `v6` (pinned, as `from 0.0.0.0/0` / `from ::/0` does).
   */
  family?: 'both' | 'v4' | 'v6';
}

/**
 * The rules ufw stores for a command-level rule, IPv4 first. App rules need the profiles
 * (loadAppProfiles); a missing profile throws a RangeError, as ufw refuses the command.
 */
export function expandRule(input: UfwRuleInput, profiles: ReadonlyMap<string, UfwAppProfile> = new Map()): UfwRuleSpec[] {
  const addrFamily = [input.from, input.to]
    .filter((a): a is string => a !== undefined && a !== 'any')
    .map((a) => (a.includes(':') ? 'v6' : 'v4'));
  let families: ('v4' | 'v6')[];
  if (addrFamily.length) families = [addrFamily[0]!];
  else if (input.family === 'v4' || input.family === 'v6') families = [input.family];
  else families = input.proto !== undefined && IPV4_ONLY_PROTOCOLS.includes(input.proto) ? ['v4'] : ['v4', 'v6'];
  const base: UfwRuleSpec = {
    action: input.action,
    log: input.log ?? null,
    proto: input.proto ?? null,
    dst: input.to === undefined || input.to === 'any' ? null : withoutHostPrefix(input.to),
    dport: input.port === undefined ? null : sortPorts(input.port),
    dapp: input.app ?? null,
    src: input.from === undefined || input.from === 'any' ? null : withoutHostPrefix(input.from),
    sport: input.fromPort === undefined ? null : sortPorts(input.fromPort),
    sapp: input.fromApp ?? null,
    direction: input.direction ?? (input.route && input.interfaceOut !== undefined && input.interfaceIn === undefined ? 'out' : 'in'),
    route: input.route ?? false,
    interfaceIn: input.interfaceIn ?? null,
    interfaceOut: input.interfaceOut ?? null,
    v6: false,
    comment: input.comment ?? null,
  };
  const templates = expandApps(base, profiles);
  const out: UfwRuleSpec[] = [];
  for (const fam of families) for (const t of templates) out.push({ ...t, v6: fam === 'v6' });
  return out;
}

function profilePorts(name: string, profiles: ReadonlyMap<string, UfwAppProfile>): string[] {
  const p = profiles.get(name);
  if (!p || p.ports.length === 0) throw new RangeError(`no ufw application profile '${name}'`);
  return p.ports;
}

function expandApps(t: UfwRuleSpec, profiles: ReadonlyMap<string, UfwAppProfile>): UfwRuleSpec[] {
  if (t.dapp !== null && t.sapp !== null) {
    const out: UfwRuleSpec[] = [];
    const sports = profilePorts(t.sapp, profiles);
    for (const i of profilePorts(t.dapp, profiles)) {
      const d = portProto(i);
      const tmp = { ...t, sport: null, proto: d.proto, dport: d.port };
      if (t.dapp === t.sapp) out.push({ ...tmp, sport: d.port });
      else
        for (const j of sports) {
          const s = portProto(j);
          out.push({ ...tmp, sport: s.port, proto: s.proto ?? tmp.proto });
        }
    }
    return out;
  }
  if (t.sapp !== null) return profilePorts(t.sapp, profiles).map((e) => ({ ...t, sport: portProto(e).port, proto: portProto(e).proto }));
  if (t.dapp !== null) return profilePorts(t.dapp, profiles).map((e) => ({ ...t, dport: portProto(e).port, proto: portProto(e).proto }));
  return [t];
}

/** A printed rule ↔ the rule as ufw stores it (UfwRuleSpec). */
import type { FieldValue } from './columns.js';
import { sideText, actionText } from './layout.js';
import type { UfwEndpoint, UfwRule, UfwRuleSpec, UfwStatusMode } from './model.js';

function isV6Address(a: string | null): boolean {
  return a !== null && a.includes(':');
}

/** The rule as ufw stores it, as far as the printed line tells (plain / numbered app rules have no ports). */
export function ruleToSpec(r: UfwRule): UfwRuleSpec {
  const route = r.direction === 'fwd';
  return {
    action: r.action,
    log: r.log,
    proto: r.proto,
    dst: r.to.address,
    dport: r.to.port,
    dapp: r.to.app,
    src: r.from.address,
    sport: r.from.port,
    sapp: r.from.app,
    direction: route ? (r.interfaceOut !== null && r.interfaceIn === null ? 'out' : 'in') : r.direction === 'out' ? 'out' : 'in',
    route,
    interfaceIn: r.interfaceIn,
    interfaceOut: r.interfaceOut,
    v6: r.v6,
    comment: r.comment,
  };
}

function endpoint(text: string, f: FieldValue): UfwEndpoint {
  return { text, address: f.address, port: f.port, proto: f.proto, interface: f.interface, app: f.app };
}

/** Builds the typed rule of a line from its column texts. */
export function ruleFromColumns(c: {
  number: number | null;
  action: UfwRule['action'];
  direction: UfwRule['direction'];
  actionText: string;
  to: { text: string; field: FieldValue };
  from: { text: string; field: FieldValue };
  log: UfwRule['log'];
  comment: string | null;
  line: number;
}): UfwRule {
  const to = endpoint(c.to.text, c.to.field);
  const from = endpoint(c.from.text, c.from.field);
  const route = c.direction === 'fwd';
  return {
    number: c.number,
    action: c.action,
    direction: c.direction,
    actionText: c.actionText,
    to,
    from,
    proto: to.proto ?? from.proto,
    interfaceIn: route ? from.interface : to.interface,
    interfaceOut: route ? to.interface : from.interface,
    v6: c.to.field.v6 || c.from.field.v6 || isV6Address(to.address) || isV6Address(from.address),
    log: c.log,
    comment: c.comment,
    line: c.line,
  };
}

/** The typed rule a stored rule prints as in a given mode (what parsing that line gives). */
export function specToRule(s: UfwRuleSpec, mode: UfwStatusMode, number: number | null = null, line = 0): UfwRule {
  const verbose = mode === 'verbose';
  const side = (loc: 'dst' | 'src'): UfwEndpoint => {
    const app = loc === 'dst' ? s.dapp : s.sapp;
    const showPort = verbose || app === null;
    const showProto = verbose || (s.dapp === null && s.sapp === null);
    const addr = loc === 'dst' ? s.dst : s.src;
    const port = showPort ? (loc === 'dst' ? s.dport : s.sport) : null;
    let proto: string | null = null;
    if (showProto && s.proto !== null) {
      if (port !== null) proto = s.proto;
      else if (addr === null) proto = s.dst === s.src && s.dport === s.sport ? s.proto : null;
      else proto = s.dport === s.sport ? s.proto : null;
    }
    const iface = s.route ? (loc === 'src' ? s.interfaceIn : s.interfaceOut) : loc === 'dst' ? s.interfaceIn : s.interfaceOut;
    return { text: sideText(s, loc, verbose), address: addr, port, proto, interface: iface, app };
  };
  const to = side('dst');
  const from = side('src');
  return {
    number,
    action: s.action,
    direction: s.route ? 'fwd' : s.direction,
    actionText: actionText(s, mode).trimEnd(),
    to,
    from,
    proto: to.proto ?? from.proto,
    interfaceIn: s.interfaceIn,
    interfaceOut: s.interfaceOut,
    v6: s.v6,
    log: s.log,
    comment: s.comment,
    line,
  };
}

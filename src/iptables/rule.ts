/**
 * A command line's arguments → the typed rule, and a typed rule → the arguments iptables-save would
 * print. The reading follows iptables' own option handling (xshared.c, iptables.c
 * `command_default`): an extension option belongs to the latest loaded extension that has it, a
 * protocol's match is loaded by itself for `-p tcp --dport 22`, `!` negates the option after it.
 */
import type { Counters, Match, Rule, RuleOption, Target } from './model.js';
import {
  BASIC_OPTIONS,
  COMMAND_FLAG,
  COMMANDS,
  PROTOCOL_MATCH,
  PROTOCOL_NAMES,
  STANDARD_TARGETS,
  matchModules,
  targetExtensions,
  type ExtensionSpec,
  type OptionSpec,
} from './modules.js';
import { quotedString, restoreArg, saveString, type Token } from './scan.js';

/** A problem found while reading a rule's arguments; `token` indexes the offending argument. */
export interface RuleProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  token: number;
}

interface Loaded {
  holder: Match | Target;
  spec: ExtensionSpec | undefined;
}

const DIGITS = /^[0-9]+$/;

function isOptionLike(t: Token): boolean {
  return !t.quoted && t.value.length > 1 && t.value.charCodeAt(0) === 45;
}

/** Reads a rule's arguments. `counters` is the `[p:b]` prefix, when the line has one. */
export function interpret(
  tokens: readonly Token[],
  table: string,
  counters?: Counters,
  problems?: RuleProblem[],
): Rule {
  const rule: Rule = { table, chain: '', command: 'append', matches: [] };
  if (counters) rule.counters = counters;
  const report = (token: number, code: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems?.push({ code, severity, message, token });
  const loaded: Loaded[] = [];
  let hasCommand = false;
  let negate = -1;
  const n = tokens.length;
  let i = 0;

  const takeArg = (what: string): string | undefined => {
    if (i < n) return tokens[i++]!.value;
    report(n - 1, 'iptables/missing-argument', `${what} needs an argument`);
    return undefined;
  };
  const negated = (): boolean => {
    const v = negate >= 0;
    negate = -1;
    return v;
  };
  const optionalArg = (): string | undefined => {
    if (i < n && !isOptionLike(tokens[i]!) && tokens[i]!.value !== '!') return tokens[i++]!.value;
    return undefined;
  };

  while (i < n) {
    const tok = tokens[i]!;
    let v = tok.value;
    if (v === '!' && !tok.quoted) {
      if (negate >= 0) report(i, 'iptables/double-negation', 'two ! in a row');
      negate = i++;
      continue;
    }
    let inlineArg: string | undefined;
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      if (eq > 2) {
        inlineArg = v.slice(eq + 1);
        v = v.slice(0, eq);
      }
    }
    const at = i++;
    const command = COMMANDS[v];
    if (command !== undefined) {
      if (hasCommand) report(at, 'iptables/multiple-commands', `more than one command (${v})`);
      hasCommand = true;
      rule.command = command;
      if (negate >= 0) report(negate, 'iptables/bad-negation', `! cannot negate ${v}`), (negate = -1);
      switch (command) {
        case 'append':
        case 'check':
          rule.chain = inlineArg ?? takeArg(v) ?? '';
          break;
        case 'insert':
        case 'delete':
        case 'zero': {
          rule.chain = inlineArg ?? (command === 'zero' ? optionalArg() ?? '' : takeArg(v) ?? '');
          if (i < n && DIGITS.test(tokens[i]!.value)) rule.position = Number(tokens[i++]!.value);
          break;
        }
        case 'replace': {
          rule.chain = inlineArg ?? takeArg(v) ?? '';
          const p = takeArg(v);
          if (p !== undefined) {
            if (DIGITS.test(p)) rule.position = Number(p);
            else report(i - 1, 'iptables/bad-rule-number', `rule number expected, got '${p}'`);
          }
          break;
        }
        case 'new-chain':
          rule.chain = inlineArg ?? takeArg(v) ?? '';
          break;
        case 'policy': {
          rule.chain = inlineArg ?? takeArg(v) ?? '';
          const p = takeArg(v);
          if (p !== undefined) rule.policy = p;
          break;
        }
        case 'rename-chain': {
          rule.chain = inlineArg ?? takeArg(v) ?? '';
          const p = takeArg(v);
          if (p !== undefined) rule.newName = p;
          break;
        }
        default:
          rule.chain = inlineArg ?? optionalArg() ?? '';
      }
      continue;
    }
    const basic = BASIC_OPTIONS[v];
    if (basic !== undefined) {
      const arg = () => inlineArg ?? takeArg(v);
      switch (basic) {
        case 'source':
        case 'destination': {
          const neg = negated();
          const a = arg();
          if (a !== undefined) rule[basic] = { address: a, negated: neg };
          break;
        }
        case 'in-interface':
        case 'out-interface': {
          const neg = negated();
          const a = arg();
          if (a !== undefined) rule[basic === 'in-interface' ? 'inInterface' : 'outInterface'] = { name: a, negated: neg };
          break;
        }
        case 'protocol': {
          const neg = negated();
          const a = arg();
          if (a !== undefined) rule.protocol = { name: a, negated: neg };
          break;
        }
        case 'fragment':
          rule.fragment = { negated: negated() };
          break;
        case 'match': {
          if (negate >= 0) report(negate, 'iptables/bad-negation', '! cannot negate -m'), (negate = -1);
          const name = arg();
          if (name === undefined) break;
          const spec = matchModules.get(name);
          const m: Match = { name, known: spec !== undefined, options: [] };
          rule.matches.push(m);
          loaded.push({ holder: m, spec });
          break;
        }
        case 'jump':
        case 'goto': {
          if (negate >= 0) report(negate, 'iptables/bad-negation', `! cannot negate ${v}`), (negate = -1);
          const name = arg();
          if (name === undefined) break;
          if (rule.target) report(at, 'iptables/multiple-targets', `a second target (${name})`);
          const spec = basic === 'jump' ? targetExtensions.get(name) : undefined;
          const t: Target = {
            name,
            kind: STANDARD_TARGETS.has(name) ? 'verdict' : spec ? 'extension' : 'chain',
            goto: basic === 'goto',
            options: [],
          };
          rule.target = t;
          loaded.push({ holder: t, spec: spec ?? (STANDARD_TARGETS.has(name) ? targetExtensions.get(name) : undefined) });
          break;
        }
        case 'set-counters': {
          const p = arg();
          const b = takeArg(v);
          if (p !== undefined && b !== undefined) {
            if (DIGITS.test(p) && DIGITS.test(b)) rule.counters = { packets: Number(p), bytes: Number(b) };
            else report(at, 'iptables/bad-counters', `-c needs two numbers, got '${p}' '${b}'`);
          }
          break;
        }
        case 'ipv4':
        case 'ipv6':
          rule.onlyFamily = basic;
          break;
        default:
          // -v, -n, -x, --line-numbers, --modprobe: accepted, no meaning in a dump.
          if (basic === 'modprobe') arg();
      }
      if (negate >= 0) report(negate, 'iptables/bad-negation', `! cannot negate ${v}`), (negate = -1);
      continue;
    }
    if (v.startsWith('--') && v.length > 2) {
      const name = v.slice(2);
      let owner: Loaded | undefined;
      let spec: OptionSpec | undefined;
      // The most recently loaded extension that has the option takes it (iptables merges each new
      // extension's options in front: `-m comment --comment a -m comment --comment b` has two comments).
      for (let k = loaded.length - 1; k >= 0; k--) {
        const l = loaded[k]!;
        const s = l.spec?.byName.get(name);
        if (s) {
          owner = l;
          spec = s;
          break;
        }
      }
      if (!owner && rule.protocol && !rule.protocol.negated) {
        const implicit = PROTOCOL_MATCH[rule.protocol.name.toLowerCase()];
        const ispec = implicit !== undefined ? matchModules.get(implicit) : undefined;
        if (ispec && !loaded.some((l) => l.spec === ispec) && ispec.byName.has(name)) {
          const m: Match = { name: implicit!, implicit: true, known: true, options: [] };
          rule.matches.push(m);
          owner = { holder: m, spec: ispec };
          loaded.push(owner);
          spec = ispec.byName.get(name);
        }
      }
      const neg = negated();
      if (owner && spec) {
        const o: RuleOption = { name: spec.name, args: [], negated: neg };
        let want: number = spec.args;
        if (inlineArg !== undefined && want > 0) {
          o.args.push(inlineArg);
          want--;
        }
        if (want > 0 && i < n && tokens[i]!.value === '!' && !tokens[i]!.quoted) {
          // `--option ! value`: intrapositioned negation, deprecated but still read.
          report(i, 'iptables/intrapositioned-negation', `'--${name} !' is deprecated; write '! --${name}'`, 'warning');
          o.negated = true;
          i++;
        }
        for (; want > 0; want--) {
          const a = takeArg(v);
          if (a === undefined) break;
          o.args.push(a);
        }
        owner.holder.options.push(o);
        continue;
      }
      // An option of an extension fwconf does not know: kept with the arguments that follow it.
      // The latest loaded extension fwconf has no table for (a match, or a target that is not a verdict).
      let holder: Match | Target | undefined;
      for (let k = loaded.length - 1; k >= 0 && !holder; k--) if (!loaded[k]!.spec) holder = loaded[k]!.holder;
      const genericTarget = holder && (holder as Target).kind !== undefined ? (holder as Target) : undefined;
      const o: RuleOption = { name, args: inlineArg !== undefined ? [inlineArg] : [], negated: neg };
      while (i < n && (tokens[i]!.quoted || (!isOptionLike(tokens[i]!) && tokens[i]!.value !== '!'))) o.args.push(tokens[i++]!.value);
      if (holder) {
        if (genericTarget) genericTarget.kind = 'extension';
        holder.options.push(o);
      } else {
        report(at, 'iptables/unknown-option', `unknown option ${v}` + (loaded.length ? ` for ${loaded.map((l) => (l.holder as Target).kind ? `-j ${l.holder.name}` : `-m ${l.holder.name}`).join(', ')}` : ''));
        (rule.unparsed ??= []).push(tok.value, ...o.args);
      }
      continue;
    }
    report(at, 'iptables/unexpected-argument', `unexpected argument '${tok.value}'`);
    (rule.unparsed ??= []).push(tok.value);
  }
  if (negate >= 0) report(negate, 'iptables/bad-negation', '! at the end of the line');
  if (!hasCommand) report(0, 'iptables/no-command', 'no command specified (-A, -I, -N, ...)');
  return ordered(rule);
}

/** The same rule with its keys in the order of the model (and of iptables-save's fields). */
function ordered(r: Rule): Rule {
  const o: Rule = { table: r.table, chain: r.chain, command: r.command } as Rule;
  if (r.position !== undefined) o.position = r.position;
  if (r.policy !== undefined) o.policy = r.policy;
  if (r.newName !== undefined) o.newName = r.newName;
  if (r.counters) o.counters = r.counters;
  if (r.onlyFamily) o.onlyFamily = r.onlyFamily;
  if (r.source) o.source = r.source;
  if (r.destination) o.destination = r.destination;
  if (r.inInterface) o.inInterface = r.inInterface;
  if (r.outInterface) o.outInterface = r.outInterface;
  if (r.protocol) o.protocol = r.protocol;
  if (r.fragment) o.fragment = r.fragment;
  o.matches = r.matches;
  if (r.target) o.target = r.target;
  if (r.unparsed) o.unparsed = r.unparsed;
  return o;
}

/** How iptables-save writes one option argument. */
function argText(spec: OptionSpec | undefined, value: string): string {
  if (spec?.quote === 'save') return saveString(value);
  if (spec?.quote === 'always') return quotedString(value);
  return restoreArg(value);
}

function addressText(address: string): string {
  if (address.includes('/')) return address;
  return address.includes(':') ? `${address}/128` : /^[0-9.]+$/.test(address) ? `${address}/32` : address;
}

/**
 * The arguments of a rule as iptables-save prints them (without the `[p:b]` prefix): command, then
 * `-s -d -i -o -p -f`, then each match as `-m NAME options`, then `-j TARGET options` or `-g CHAIN`.
 * Addresses get their `/32` (`/128`), protocol numbers their name, implicit matches their `-m`.
 */
export function ruleArgs(rule: Rule): string {
  let s = COMMAND_FLAG[rule.command] ?? '-A';
  if (rule.chain !== '') s += ' ' + restoreArg(rule.chain);
  if (rule.command === 'rename-chain' && rule.newName !== undefined) s += ' ' + restoreArg(rule.newName);
  if (rule.command === 'policy' && rule.policy !== undefined) s += ' ' + restoreArg(rule.policy);
  if (rule.position !== undefined && rule.command !== 'policy') s += ' ' + rule.position;
  if (rule.onlyFamily) s += rule.onlyFamily === 'ipv4' ? ' -4' : ' -6';
  const neg = (x: { negated: boolean }) => (x.negated ? ' !' : '');
  if (rule.source) s += `${neg(rule.source)} -s ${restoreArg(addressText(rule.source.address))}`;
  if (rule.destination) s += `${neg(rule.destination)} -d ${restoreArg(addressText(rule.destination.address))}`;
  if (rule.inInterface) s += `${neg(rule.inInterface)} -i ${restoreArg(rule.inInterface.name)}`;
  if (rule.outInterface) s += `${neg(rule.outInterface)} -o ${restoreArg(rule.outInterface.name)}`;
  if (rule.protocol) s += `${neg(rule.protocol)} -p ${restoreArg(PROTOCOL_NAMES[rule.protocol.name] ?? rule.protocol.name)}`;
  if (rule.fragment) s += `${neg(rule.fragment)} -f`;
  for (const m of rule.matches) {
    s += ' -m ' + restoreArg(m.name);
    s += optionsText(matchModules.get(m.name), m.options);
  }
  if (rule.target) {
    s += (rule.target.goto ? ' -g ' : ' -j ') + restoreArg(rule.target.name);
    s += optionsText(targetExtensions.get(rule.target.name), rule.target.options);
  }
  if (rule.unparsed) for (const u of rule.unparsed) s += ' ' + restoreArg(u);
  return s;
}

function optionsText(spec: ExtensionSpec | undefined, options: readonly RuleOption[]): string {
  let s = '';
  for (const o of options) {
    const os = spec?.byName.get(o.name);
    s += (o.negated ? ' ! --' : ' --') + o.name;
    for (const a of o.args) s += ' ' + argText(os, a);
  }
  return s;
}

/** The arguments of a rule as a list (quote removal done): what iptables' argv would hold. */
export function ruleArgv(rule: Rule): string[] {
  const out: string[] = [COMMAND_FLAG[rule.command] ?? '-A'];
  if (rule.chain !== '') out.push(rule.chain);
  if (rule.command === 'rename-chain' && rule.newName !== undefined) out.push(rule.newName);
  if (rule.command === 'policy' && rule.policy !== undefined) out.push(rule.policy);
  if (rule.position !== undefined && rule.command !== 'policy') out.push(String(rule.position));
  if (rule.onlyFamily) out.push(rule.onlyFamily === 'ipv4' ? '-4' : '-6');
  const push = (neg: boolean, ...a: string[]) => {
    if (neg) out.push('!');
    out.push(...a);
  };
  if (rule.source) push(rule.source.negated, '-s', addressText(rule.source.address));
  if (rule.destination) push(rule.destination.negated, '-d', addressText(rule.destination.address));
  if (rule.inInterface) push(rule.inInterface.negated, '-i', rule.inInterface.name);
  if (rule.outInterface) push(rule.outInterface.negated, '-o', rule.outInterface.name);
  if (rule.protocol) push(rule.protocol.negated, '-p', PROTOCOL_NAMES[rule.protocol.name] ?? rule.protocol.name);
  if (rule.fragment) push(rule.fragment.negated, '-f');
  for (const m of rule.matches) {
    out.push('-m', m.name);
    for (const o of m.options) push(o.negated, '--' + o.name, ...o.args);
  }
  if (rule.target) {
    out.push(rule.target.goto ? '-g' : '-j', rule.target.name);
    for (const o of rule.target.options) push(o.negated, '--' + o.name, ...o.args);
  }
  if (rule.unparsed) out.push(...rule.unparsed);
  return out;
}

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
  type RuleCommand,
} from './modules.js';
import { quotedString, restoreArg, saveString, type Token } from './scan.js';
import type { IptablesCode } from './codes.js';

/** A problem found while reading a rule's arguments; `token` indexes the offending argument. */
export interface RuleProblem {
  code: IptablesCode;
  severity: 'error' | 'warning';
  message: string;
  token: number;
}

interface Loaded {
  holder: Match | Target;
  spec: ExtensionSpec | undefined;
}

const DIGITS = /^[0-9]+$/;

function isOptionLike(v: string, quoted: boolean): boolean {
  return !quoted && v.length > 1 && v.charCodeAt(0) === 45;
}

/** Reads a rule's arguments. `counters` is the `[p:b]` prefix, when the line has one. */
export function interpret(tokens: readonly Token[], table: string, counters?: Counters, problems?: RuleProblem[]): Rule {
  return interpretArgs(
    tokens.map((t) => t.value),
    tokens.map((t) => t.quoted),
    table,
    counters,
    problems,
  );
}

/** Flags by name: commands and basic options, short and long. */
const FLAGS = new Map<string, { command?: RuleCommand; basic?: string }>([
  ...Object.entries(COMMANDS).map(([k, v]) => [k, { command: v }] as const),
  ...Object.entries(BASIC_OPTIONS).map(([k, v]) => [k, { basic: v }] as const),
]);

/** Two-character flags (`-A`, `-s`, `-m`, …) by their second character. */
const SHORT_FLAGS: ({ command?: RuleCommand; basic?: string } | undefined)[] = [];
for (const [k, v] of FLAGS) if (k.length === 2) SHORT_FLAGS[k.charCodeAt(1)] = v;

/** Basic options whose value getopt reads from the same argument (`-s1.2.3.4`). */
const ATTACHED_VALUE = new Set(['source', 'destination', 'in-interface', 'out-interface', 'protocol', 'match', 'jump', 'goto', 'modprobe']);

/** Basic options whose value iptables reads from the whole argument, attached option included. */
const WHOLE_ARGUMENT = new Set(['source', 'destination', 'in-interface', 'out-interface', 'protocol', 'jump']);

/** Every long option iptables itself knows (commands and basic options). */
const LONG_FLAGS = [...FLAGS.keys()].filter((k) => k.startsWith('--'));

/**
 * The long option a unique prefix stands for, among iptables' own options and the loaded extensions'
 * (then with the protocol's match, which iptables loads when an option is unknown), as getopt_long
 * resolves it: undefined when nothing starts with it, 'ambiguous' when several different options do.
 */
function longPrefix(v: string, loaded: readonly Loaded[], protocol?: Rule['protocol']): string | undefined | 'ambiguous' {
  const search = (specs: (ExtensionSpec | undefined)[]): string | undefined | 'ambiguous' => {
    const found = new Map<unknown, string>();
    for (const k of LONG_FLAGS) if (k.startsWith(v)) found.set(FLAGS.get(k)!.command ?? FLAGS.get(k)!.basic, k);
    for (const sp of specs) {
      if (!sp) continue;
      for (const [k, o] of sp.byLong) if (k.startsWith(v) && !found.has(o)) found.set(o, '--' + o.name);
    }
    if (found.size > 1) return 'ambiguous';
    return found.size === 1 ? [...found.values()][0] : undefined;
  };
  if (!protocol) return search(loaded.map((l) => l.spec));
  if (protocol.negated) return undefined;
  const implicit = PROTOCOL_MATCH[protocol.name.toLowerCase()];
  const ispec = implicit !== undefined ? matchModules.get(implicit) : undefined;
  if (!ispec || ispec.byLong.has(v)) return undefined;
  return search([...loaded.map((l) => l.spec), ispec]);
}

/** The same, from the values and quoted flags of the arguments (the fast path of a dump's rules). */
export function interpretArgs(
  values: readonly string[],
  quoted: readonly boolean[],
  table: string,
  counters?: Counters,
  problems?: RuleProblem[],
): Rule {
  const tokens = values;
  const rule = { table, chain: '', command: 'append' } as Rule;
  const matches: Match[] = [];
  let target: Target | undefined;
  if (counters) rule.counters = counters;
  const report = (token: number, code: IptablesCode, message: string, severity: 'error' | 'warning' = 'error') =>
    problems?.push({ code, severity, message, token });
  const loaded: Loaded[] = [];
  let hasCommand = false;
  let negate = -1;
  let override: string | undefined;
  const n = tokens.length;
  let i = 0;

  const takeArg = (what: string): string | undefined => {
    if (i < n) return tokens[i++]!;
    report(n - 1, 'iptables/missing-argument', `${what} needs an argument`);
    return undefined;
  };
  const negated = (): boolean => {
    const v = negate >= 0;
    negate = -1;
    return v;
  };
  const optionalArg = (): string | undefined => {
    if (i < n && !isOptionLike(tokens[i]!, quoted[i]!) && tokens[i] !== '!') return tokens[i++]!;
    return undefined;
  };

  while (i < n) {
    let v = override ?? tokens[i]!;
    const tokValue = tokens[i]!;
    override = undefined;
    if (v === '!' && !quoted[i]) {
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
    let flag = v.charCodeAt(0) !== 45 ? undefined : v.length === 2 ? SHORT_FLAGS[v.charCodeAt(1)] : FLAGS.get(v);
    if (flag === undefined && v.length > 2 && v.charCodeAt(0) === 45 && v.charCodeAt(1) !== 45 && !quoted[at]) {
      // getopt: a short option's value may be attached (`-mcomment`, `-ieth0`).
      const short = SHORT_FLAGS[v.charCodeAt(1)];
      if (short && short.basic !== undefined && ATTACHED_VALUE.has(short.basic)) {
        flag = short;
        inlineArg = v.slice(2);
        v = v.slice(0, 2);
      }
    }
    const command = flag?.command;
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
          if (i < n && DIGITS.test(tokens[i]!)) rule.position = Number(tokens[i++]!);
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
    const basic = flag?.basic;
    if (basic !== undefined) {
      // iptables takes the value of -s -d -i -o -p -j from the whole argument (argv[optind-1]), so an
      // attached value keeps its option: `-ieth0` is the interface `-ieth0`, `--source=1.2.3.4` the
      // host `--source=1.2.3.4` (not found). -m, -g and extension options use the attached value.
      if (inlineArg !== undefined && WHOLE_ARGUMENT.has(basic)) inlineArg = tokValue;
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
          matches.push(m);
          loaded.push({ holder: m, spec });
          break;
        }
        case 'jump':
        case 'goto': {
          if (negate >= 0) report(negate, 'iptables/bad-negation', `! cannot negate ${v}`), (negate = -1);
          const name = arg();
          if (name === undefined) break;
          if (target) report(at, 'iptables/multiple-targets', `a second target (${name})`);
          const spec = basic === 'jump' ? targetExtensions.get(name) : undefined;
          const t: Target = {
            name,
            kind: STANDARD_TARGETS.has(name) ? 'verdict' : spec ? 'extension' : 'chain',
            goto: basic === 'goto',
            options: [],
          };
          target = t;
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
    if (v.length > 2 && v.charCodeAt(0) === 45 && v.charCodeAt(1) === 45) {
      let owner: Loaded | undefined;
      let spec: OptionSpec | undefined;
      // The most recently loaded extension that has the option takes it (iptables merges each new
      // extension's options in front: `-m comment --comment a -m comment --comment b` has two comments).
      for (let k = loaded.length - 1; k >= 0; k--) {
        const l = loaded[k]!;
        const s = l.spec?.byLong.get(v);
        if (s) {
          owner = l;
          spec = s;
          break;
        }
      }
      // getopt_long: a unique prefix of a long option stands for it (`--sour`, `--to` for DNAT's
      // `--to-destination`, `--dport` for multiport's `--dports`); resolved, the argument is read again.
      // Only when nothing matches does iptables load the protocol's match and try once more.
      // Not after an extension fwconf has no table for: its own options are unknown here.
      const prefixes = !owner && !quoted[at] && loaded.every((l) => l.spec !== undefined);
      let full = prefixes ? longPrefix(v, loaded) : undefined;
      if (!owner && full === undefined && rule.protocol && !rule.protocol.negated) {
        const implicit = PROTOCOL_MATCH[rule.protocol.name.toLowerCase()];
        const ispec = implicit !== undefined ? matchModules.get(implicit) : undefined;
        if (ispec && !loaded.some((l) => l.spec === ispec) && ispec.byLong.has(v)) {
          const m: Match = { name: implicit!, implicit: true, known: true, options: [] };
          matches.push(m);
          owner = { holder: m, spec: ispec };
          loaded.push(owner);
          spec = ispec.byLong.get(v);
        }
      }
      if (!owner && full === undefined && prefixes) full = longPrefix(v, loaded, rule.protocol);
      if (full !== undefined) {
        if (full === 'ambiguous') {
          report(at, 'iptables/ambiguous-option', `option ${v} is ambiguous`);
          negated();
          (rule.unparsed ??= []).push(tokValue);
          continue;
        }
        override = inlineArg !== undefined ? `${full}=${inlineArg}` : full;
        i = at;
        continue;
      }
      const neg = negated();
      if (owner && spec) {
        const o: RuleOption = { name: spec.name, args: [], negated: neg };
        let want: number = spec.args;
        if (inlineArg !== undefined && want > 0) {
          o.args.push(inlineArg);
          want--;
        }
        if (want > 0 && i < n && tokens[i] === '!' && !quoted[i]) {
          // `--option ! value`: intrapositioned negation, deprecated but still read.
          report(i, 'iptables/intrapositioned-negation', `'${v} !' is deprecated; write '! ${v}'`, 'warning');
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
      const o: RuleOption = { name: v.slice(2), args: inlineArg !== undefined ? [inlineArg] : [], negated: neg };
      while (i < n && (quoted[i] || (!isOptionLike(tokens[i]!, false) && tokens[i] !== '!'))) o.args.push(tokens[i++]!);
      if (holder) {
        if (genericTarget) genericTarget.kind = 'extension';
        holder.options.push(o);
      } else {
        report(at, 'iptables/unknown-option', `unknown option ${v}` + (loaded.length ? ` for ${loaded.map((l) => (l.holder as Target).kind ? `-j ${l.holder.name}` : `-m ${l.holder.name}`).join(', ')}` : ''));
        (rule.unparsed ??= []).push(tokValue, ...o.args);
      }
      continue;
    }
    report(at, 'iptables/unexpected-argument', `unexpected argument '${tokValue}'`);
    (rule.unparsed ??= []).push(tokValue);
  }
  if (negate >= 0) report(negate, 'iptables/bad-negation', '! at the end of the line');
  if (!hasCommand) report(0, 'iptables/no-command', 'no command specified (-A, -I, -N, ...)');
  rule.matches = matches;
  if (target) rule.target = target;
  return rule;
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

/**
 * fail2ban's configuration store: Python 3.11 ConfigParser as fail2ban's SafeConfigParserWithIncludes
 * extends it (client/configparserinc.py). Holds DEFAULT and sections with raw values, merges files
 * (with `KNOWN/<section>` and conditional `[Name?cond]` sections), and interpolates `%(name)s` with
 * BasicInterpolationWithName (`%(__name__)s`, `%(sec/opt)s`, `%(known/opt)s`, `%(default/opt)s`).
 * Every value keeps where it was written and what it overrode.
 */
import { pyLower, pyStr, type PyValue } from './pytext.js';
import type { IniContent } from './parse.js';

/** Where a value was written. */
export interface Origin {
  file: string;
  /** 1-based lines of the key and of the value's last line. */
  line: number;
  endLine: number;
}

/** A stored value with its provenance: `previous` is the value it overrode (the override chain). */
export interface Val {
  value: PyValue;
  origin?: Origin;
  previous?: Val;
  /** Set by fail2ban itself (fail2ban_version, a filter's combined options merged into a jail...). */
  note?: string;
}

/** configparser's NoSectionError: the file has no such section. */
export class NoSectionError extends Error {
  constructor(readonly section: string) {
    super(`No section: '${section}'`);
  }
}

/** configparser's NoOptionError: the option is not in the section (nor in its defaults). */
export class NoOptionError extends Error {
  constructor(
    readonly option: string,
    readonly section: string,
  ) {
    super(`No option '${option}' in section: '${section}'`);
  }
}

/** One step of an interpolation: the name looked up and where its value came from. */
export interface InterpolationStep {
  name: string;
  value: string;
  origin?: Origin;
}

/**
 * `%(x)s` could not be resolved: missing name, too deep (a cycle), bad `%` syntax, or an expansion
 * too large to be a configuration value (`size`: an interpolation bomb, which Python would expand
 * until it ran out of memory).
 */
export class InterpolationError extends Error {
  constructor(
    readonly kind: 'missing' | 'depth' | 'syntax' | 'size',
    readonly section: string,
    readonly option: string,
    readonly rawValue: string,
    readonly chain: InterpolationStep[],
    readonly detail: string,
    /** Where the option being read was written. */
    readonly origin?: Origin,
  ) {
    super(detail);
  }
}

/** How deep `%(name)s` references may nest, as configparser's MAX_INTERPOLATION_DEPTH (10). */
export const MAX_INTERPOLATION_DEPTH = 10;
/** The most characters one interpolated value may expand to (configparser has no limit; a real value is far smaller). */
export const MAX_INTERPOLATED_LENGTH = 1 << 22;
/** The most `%(name)s` references one value's interpolation may expand. */
export const MAX_INTERPOLATION_REFERENCES = 100_000;

/** What one value's interpolation has spent so far. */
interface Budget {
  chars: number;
  refs: number;
}

/**
 * The layers configparser's `get` looks a name up in (its ChainMap): interpolation's own names
 * (`__name__`, `sec/opt` values), then `vars`, the section, DEFAULT. Python copies the first layer
 * at every nesting level of an interpolation; one overlay for the whole interpolation gives the same
 * lookups, because every level writes the same `__name__` and the same `sec/opt` values, and a
 * level only reads names it mapped itself (or could not map at all). No layer object is built for
 * a lookup that needs no interpolation.
 */
interface Layers {
  overlay?: Map<string, Val>;
  vars: Map<string, Val>;
  section: Map<string, Val>;
  defaults: Map<string, Val>;
}

function layerGet(l: Layers, k: string): Val | undefined {
  return l.overlay?.get(k) ?? l.vars.get(k) ?? l.section.get(k) ?? l.defaults.get(k);
}

function layerHas(l: Layers, k: string): boolean {
  return l.overlay?.has(k) === true || l.vars.has(k) || l.section.has(k) || l.defaults.has(k);
}

const CONDITIONAL_RE = /^([\p{L}\p{N}_]+)(\?.+)$/u;
const SECTION_WORDS_RE = /[\p{L}\p{N}_-]+\//uy;
const SECTION_OPTNAME_RE = /^([\p{L}\p{N}_-]+)\/([^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000>]+)$/u;
const KEYCRE = /^%\(([^)]+)\)s/;

/**
 * The `%(NAME)s` references of a text, left to right, as `text.matchAll(/%\(([^)]+)\)s/g)` finds them
 * (NAME: one character or more up to the first `)`, which `s` follows), with an optional test of NAME
 * (by its offsets) that a match must also pass. Linear in the text: the regex would run `[^)]+` to the
 * end of the text again at every `%(` that no `)` follows (a 40 kB value of `%(` took seconds), while
 * this scan finds the next `)` once for all the `%(` before it.
 */
export function percentReferences(text: string, accept?: (start: number, end: number) => boolean): Array<{ index: number; name: string }> {
  const out: Array<{ index: number; name: string }> = [];
  let close = -1;
  for (let p = text.indexOf('%('); p >= 0; ) {
    if (close < p + 2) close = text.indexOf(')', p + 2);
    if (close < 0) break;
    if (close > p + 2 && text.charCodeAt(close + 1) === 0x73 /* s */ && (!accept || accept(p + 2, close))) {
      out.push({ index: p, name: text.slice(p + 2, close) });
      p = text.indexOf('%(', close + 2);
    } else p = text.indexOf('%(', p + 1);
  }
  return out;
}

/** `%(sec/opt)s` references, as `/%\(([\p{L}\p{N}_-]+\/([^)]+))\)s/gu` finds them (configparser's SECTION_OPTSUBST_RE). */
export function sectionReferences(text: string): Array<{ sopt: string; opt: string }> {
  return percentReferences(text, (start, end) => {
    SECTION_WORDS_RE.lastIndex = start;
    // The name's first character that is no letter, digit, `_` or `-` is a `/`, with something after it.
    return SECTION_WORDS_RE.test(text) && SECTION_WORDS_RE.lastIndex < end;
  }).map(({ name }) => ({ sopt: name, opt: name.slice(name.search(/[^\p{L}\p{N}_-]/u) + 1) }));
}

/** Extra values an interpolation may read (configparser's `vars`), by name. */
export type Vars = Map<string, PyValue | Val>;

/** Lower-cased copies of `vars` maps (callers never change a vars map after passing it). */
const varCache = new WeakMap<Vars, Map<string, Val>>();
const EMPTY = new Map<string, Val>();

function toVal(v: PyValue | Val): Val {
  return v !== null && typeof v === 'object' ? v : { value: v };
}

/** The emulated SafeConfigParserWithIncludes. */
export class PyConfig {
  readonly defaults = new Map<string, Val>();
  readonly sections = new Map<string, Map<string, Val>>();
  /** Files merged into this store, in order. */
  readonly files: string[] = [];

  /** A store holding one file's content. */
  static fromContent(content: IniContent): PyConfig {
    const c = new PyConfig();
    const val = (o: IniContent['defaults'] extends Map<string, infer R> ? R : never): Val => {
      const v: Val = { value: o.value };
      if (o.file !== undefined) v.origin = { file: o.file, line: o.line, endLine: o.endLine };
      return v;
    };
    for (const [k, o] of content.defaults) c.defaults.set(k, val(o));
    for (const [name, opts] of content.sections) {
      const m = new Map<string, Val>();
      for (const [k, o] of opts) m.set(k, val(o));
      c.sections.set(name, m);
    }
    return c;
  }

  /** `SafeConfigParserWithIncludes.read` merge step for one more file. */
  mergeFile(file: string, cfg: PyConfig): void {
    this.files.push(file);
    for (const [k, v] of cfg.defaults) this.defaults.set(k, chain(v, this.defaults.get(k)));
    for (const [n0, s0] of cfg.sections) {
      let n = n0;
      let s = s0;
      const cond = CONDITIONAL_RE.exec(n0);
      if (cond) {
        n = cond[1]!;
        s = new Map([...s0].map(([k, v]) => [k + cond[2]!, v]));
      }
      const s2 = this.sections.get(n);
      if (s2) {
        const known = new Map<string, Val>();
        for (const [k, v] of s2) if (s.has(k)) known.set(k, v);
        this.mergeSection('KNOWN/' + n, known, '');
        for (const [k, v] of s) s2.set(k, chain(v, s2.get(k)));
      } else {
        this.sections.set(n, new Map(s));
      }
    }
  }

  /** `merge_section`: update (and create) a section; with `pref`, keys are prefixed (and `__name__`/prefixed ones skipped). */
  mergeSection(section: string, options: Map<string, Val>, pref: string): void {
    let sec = this.sections.get(section);
    if (!sec) this.sections.set(section, (sec = new Map()));
    for (const [k, v] of options) {
      if (pref && (k.startsWith(pref) || k === '__name__')) continue;
      sec.set(pref + k, v);
    }
  }

  /** configparser's `has_section`. */
  hasSection(section: string): boolean {
    return this.sections.has(section);
  }

  /** `options(section, withDefault)`: own keys in order, plus DEFAULT's when asked. */
  options(section: string, withDefault: boolean): string[] {
    const s = this.sections.get(section);
    if (!s) throw new NoSectionError(section);
    if (!withDefault) return [...s.keys()];
    return [...new Set([...s.keys(), ...this.defaults.keys()])];
  }

  /** configparser's `has_option` (the defaults count). */
  hasOption(section: string, option: string): boolean {
    const s = section === 'DEFAULT' ? new Map() : this.sections.get(section);
    if (!s) return false;
    const o = pyLower(option);
    return s.has(o) || this.defaults.has(o);
  }

  /** The layers of `get(section, ..., vars)`, or undefined when the section does not exist. */
  private layers(section: string, vars?: Vars): Layers | undefined {
    let sectiondict = this.sections.get(section);
    if (!sectiondict) {
      if (section !== 'DEFAULT') return undefined;
      sectiondict = EMPTY;
    }
    let vardict = vars ? varCache.get(vars) : EMPTY;
    if (!vardict) {
      vardict = new Map<string, Val>();
      for (const [k, v] of vars!) vardict.set(pyLower(k), toVal(v));
      varCache.set(vars!, vardict);
    }
    return { vars: vardict, section: sectiondict, defaults: this.defaults };
  }

  /** `get` without exceptions for the common misses: 'no-section' / 'no-option'. Interpolation errors still throw. */
  lookup(section: string, option: string, opts?: { raw?: boolean; vars?: Vars }): Val | 'no-section' | 'no-option' {
    const d = this.layers(section, opts?.vars);
    if (!d) return 'no-section';
    const o = pyLower(option);
    const v = layerGet(d, o);
    if (v === undefined) return 'no-option';
    if (opts?.raw || v.value === null) return v;
    const sv = pyStr(v.value);
    if (!sv.includes('%')) return typeof v.value === 'string' ? v : { ...v, value: sv };
    const accum: string[] = [];
    d.overlay = new Map();
    this.interpolate(section, o, accum, sv, d, 1, [], { chars: 0, refs: 0 }, v.origin);
    return { ...v, value: accum.join('') };
  }

  /** `get(section, option, raw, vars)` with its Val (value and provenance). */
  getVal(section: string, option: string, opts: { raw?: boolean; vars?: Vars } = {}): Val {
    const v = this.lookup(section, option, opts);
    if (v === 'no-section') throw new NoSectionError(section);
    if (v === 'no-option') throw new NoOptionError(pyLower(option), section);
    return v;
  }

  /** configparser's `get`: the option's value, interpolated unless `raw`; NoSectionError or NoOptionError when absent. */
  get(section: string, option: string, opts: { raw?: boolean; vars?: Vars } = {}): PyValue {
    return this.getVal(section, option, opts).value;
  }

  /** `get_ex`: like get, but `sec/opt` names read another section (`known/opt`, `default/opt`). */
  lookupEx(section: string, option: string, opts: { raw?: boolean; vars?: Vars } = {}): Val | 'no-section' | 'no-option' {
    const m = option.includes('/') ? SECTION_OPTNAME_RE.exec(option) : null;
    if (m) {
      const sec = m[1]!;
      const opt = m[2]!;
      const low = pyLower(sec);
      const tries = low === 'known' ? ['KNOWN/' + section, section] : [low !== 'default' ? sec : 'DEFAULT'];
      for (const s of tries) {
        const v = this.lookup(s, opt, { raw: opts.raw ?? false });
        if (typeof v === 'object') return v;
      }
    }
    return this.lookup(section, option, opts);
  }

  /** fail2ban's `get_ex`: as `get`, where `sec/opt` names read another section. */
  getEx(section: string, option: string, opts: { raw?: boolean; vars?: Vars } = {}): PyValue {
    const v = this.lookupEx(section, option, opts);
    if (v === 'no-section') throw new NoSectionError(section);
    if (v === 'no-option') throw new NoOptionError(pyLower(option), section);
    return v.value;
  }

  /** `_map_section_options`: puts `sec/opt` values referenced in `rest` into the map. */
  private mapSectionOptions(section: string, rest: string, map: Layers): void {
    if (!rest.includes('/') || !rest.includes('%(')) return;
    for (const { sopt, opt } of sectionReferences(rest)) {
      if (layerHas(map, sopt)) continue;
      const sec = sopt.slice(0, sopt.length - opt.length - 1);
      const low = pyLower(sec);
      let v: Val | undefined;
      let usedef = false;
      if (low !== 'default') {
        if (low === 'known') {
          v = this.sections.get('KNOWN/' + section)?.get(opt);
          if (v === undefined) usedef = true;
        } else {
          const s = this.sections.get(sec);
          if (!s) continue;
          v = s.get(opt);
          if (v === undefined) usedef = true;
        }
      } else usedef = true;
      if (usedef) {
        v = this.defaults.get(opt);
        if (v === undefined) continue;
      }
      map.overlay!.set(sopt, v!);
    }
  }

  /** BasicInterpolation._interpolate_some, wrapped as BasicInterpolationWithName does. */
  private interpolate(section: string, option: string, accum: string[], rest0: string, map: Layers, depth: number, steps: InterpolationStep[], budget: Budget, origin?: Origin): void {
    map.overlay!.set('__name__', { value: section, note: 'the section name' });
    this.mapSectionOptions(section, rest0, map);
    let rest = rest0;
    const rawval = (): string => {
      const v = this.lookup(section, option, { raw: true });
      return typeof v === 'object' ? pyStr(v.value) : rest0;
    };
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new InterpolationError('depth', section, option, rawval(), steps, `recursion limit exceeded (more than ${MAX_INTERPOLATION_DEPTH} nested %()s references, usually a cycle)`, origin);
    }
    const push = (text: string): void => {
      budget.chars += text.length;
      if (budget.chars > MAX_INTERPOLATED_LENGTH) {
        throw new InterpolationError('size', section, option, rawval(), steps, `the value expands to more than ${MAX_INTERPOLATED_LENGTH} characters (nested %()s references multiply; fail2ban would exhaust its memory)`, origin);
      }
      accum.push(text);
    };
    while (rest) {
      const p = rest.indexOf('%');
      if (p < 0) {
        push(rest);
        return;
      }
      if (p > 0) {
        push(rest.slice(0, p));
        rest = rest.slice(p);
      }
      const c = rest.slice(1, 2);
      if (c === '%') {
        push('%');
        rest = rest.slice(2);
      } else if (c === '(') {
        const m = KEYCRE.exec(rest);
        if (!m) throw new InterpolationError('syntax', section, option, rawval(), steps, `bad interpolation variable reference ${JSON.stringify(rest)}`, origin);
        const name = pyLower(m[1]!);
        rest = rest.slice(m[0].length);
        const v = layerGet(map, name);
        if (v === undefined) throw new InterpolationError('missing', section, option, rawval(), steps, `'${name}' is not defined`, origin);
        const sv = pyStr(v.value);
        const step = { name, value: sv, ...(v.origin ? { origin: v.origin } : {}) };
        if (++budget.refs > MAX_INTERPOLATION_REFERENCES) {
          throw new InterpolationError('size', section, option, rawval(), [...steps, step], `the value expands more than ${MAX_INTERPOLATION_REFERENCES} %()s references (nested references multiply)`, origin);
        }
        if (sv.includes('%')) {
          this.interpolate(section, option, accum, sv, map, depth + 1, [...steps, step], budget, origin);
        } else push(sv);
      } else {
        throw new InterpolationError('syntax', section, option, rawval(), steps, `'%' must be followed by '%' or '(', found: ${JSON.stringify(rest)}`, origin);
      }
    }
  }
}

function chain(v: Val, previous: Val | undefined): Val {
  return previous ? { ...v, previous } : v;
}

/** The override chain of a value, newest first. */
export function overrideChain(v: Val): Val[] {
  const out: Val[] = [];
  for (let c: Val | undefined = v; c; c = c.previous) out.push(c);
  return out;
}

/**
 * Python `re` syntax tree (parse.ts) → JavaScript RegExp source for the `u` flag alone (no `i`, `m`,
 * `s`: each of Python's flags is spelled out in the pattern, so scoped flags work and Python's
 * Unicode tables rule). Every construct is either rendered with Python's exact meaning or reported.
 *
 * - Python group N is the JS named group `gN`; the JS pattern has other named groups of its own
 *   (`aK` for atomic groups, `sN`/`tN` marking that group N matched).
 * - A conditional `(?(N)yes|no)` and a backreference need to know whether group N took part in the
 *   match; JS has no such test and a backreference to an unset group matches the empty string. The
 *   end of group N carries a marker that captures a non-empty string whenever the subject is not
 *   empty: the subject up to there (`sN`), or at offset 0 the whole subject (`tN`). "Group N is set"
 *   is then `^(?=\k<sN>\k<tN>)` having moved off offset 0, checked through a lookbehind back to the
 *   start. The empty subject is handled by search.ts's own walk of the tree.
 */
import { asciiClassSource, CodeSet, classSource, literalSource, lowerImage, lowerPreimage, pyTables } from './charset.js';
import {
  FLAG_ASCII,
  FLAG_DOTALL,
  FLAG_IGNORECASE,
  FLAG_MULTILINE,
  FLAG_UNICODE,
  MAXREPEAT,
  type Category,
  type Node,
  type SetItem,
  type Sub,
} from './parse.js';

export type TranslateProblem = { code: string; message: string; pos: number; length: number };

const ASCII_UPPER = CodeSet.range(0x41, 0x5a);
const ASCII_LOWER = CodeSet.range(0x61, 0x7a);

export function combineFlags(flags: number, add: number, del: number): number {
  const TYPE = FLAG_ASCII | FLAG_UNICODE | 4;
  if (add & TYPE) flags &= ~TYPE;
  return (flags | add) & ~del;
}

export function categorySet(cat: Category, flags: number): CodeSet {
  const t = pyTables();
  const ascii = !(flags & FLAG_UNICODE);
  switch (cat) {
    case 'digit':
      return ascii ? t.asciiDigit : t.digit;
    case 'notdigit':
      return (ascii ? t.asciiDigit : t.digit).complement();
    case 'space':
      return ascii ? t.asciiSpace : t.space;
    case 'notspace':
      return (ascii ? t.asciiSpace : t.space).complement();
    case 'word':
      return ascii ? t.asciiWord : t.word;
    case 'notword':
      return (ascii ? t.asciiWord : t.word).complement();
  }
}

export function wordSet(flags: number): CodeSet {
  return categorySet('word', flags);
}

function isCased(c: number, flags: number): boolean {
  if (flags & FLAG_UNICODE) return pyTables().cased.has(c);
  return ASCII_UPPER.has(c) || ASCII_LOWER.has(c);
}

function lowerOf(c: number, flags: number): number {
  if (flags & FLAG_UNICODE) return pyTables().lower.get(c) ?? c;
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/** `{c : tolower(c) ∈ s}` for the flags' case rules. */
function preimage(s: CodeSet, flags: number): CodeSet {
  if (flags & FLAG_UNICODE) return lowerPreimage(s);
  const low = s.intersect(ASCII_LOWER);
  return s.minus(ASCII_UPPER).union(CodeSet.fromPairs(low.pairs().map(([a, b]) => [a - 32, b - 32])));
}

const literalCases = new Map<number, CodeSet>();
/** The characters a literal matches under IGNORECASE (sre LITERAL_UNI_IGNORE / IN_UNI_IGNORE). */
function literalIgnoreCase(c: number, flags: number): CodeSet {
  // memoized: date templates spell the same month and day names letter by letter many times
  const key = c * 2 + (flags & FLAG_UNICODE ? 1 : 0);
  let set = literalCases.get(key);
  if (!set) literalCases.set(key, (set = literalIgnoreCase1(c, flags)));
  return set;
}
function literalIgnoreCase1(c: number, flags: number): CodeSet {
  if (!isCased(c, flags)) return CodeSet.of(c);
  const lo = lowerOf(c, flags);
  const targets = [lo, ...(flags & FLAG_UNICODE ? (pyTables().extra.get(lo) ?? []) : [])];
  return preimage(CodeSet.of(...targets), flags);
}

/**
 * A repeat (outside other repeats and lookarounds, body never empty, no group of it read by the
 * pattern) where an iteration may skip some groups. The JS pattern captures the whole repeat as
 * `rK` and its last iteration as `iK`; a skipped group's value is that of the latest earlier
 * iteration that set it, found by matching `(?:(?<iK>body)){min-j,max-j}` from the repeat's start to
 * the start of the iteration known so far: the first such path in priority order is the one sre
 * took, since what follows depends on that position alone.
 */
export interface LoopFixup {
  k: number;
  body: string;
  loose: number[];
  min: number;
  max: number;
  lazy: boolean;
}

export class Translator {
  problems: TranslateProblem[] = [];
  /** Groups whose taking part must be testable (conditionals, backreferences). */
  readonly tracked = new Set<number>();
  private atomics = 0;
  private loopDepth = 0;
  private lookDepth = 0;
  /** Repeats whose skipped groups search.ts recovers from earlier iterations (see LoopFixup). */
  readonly loops: LoopFixup[] = [];
  /**
   * `asciiSubject`: the translation is only ever run on pure-ASCII subjects, so every class is
   * rendered as its intersection with ASCII (Python's Unicode \w \d \s \b and IGNORECASE sets
   * match on ASCII characters exactly what their ASCII parts match).
   */
  /**
   * `lineAnchors` (with asciiSubject): the translation runs with the JS `m` flag on subjects without
   * `\r` (ASCII ones, so no U+2028/U+2029 either): Python's (?m) `^`/`$` are then JS's own `^`/`$`
   * (a line ends at `\n` alone in both), and every string anchor becomes a lookaround.
   */
  constructor(
    readonly root: Sub,
    readonly groupCount: number,
    readonly asciiSubject = false,
    readonly lineAnchors = false,
  ) {
    collectTracked(root.data, this.tracked);
  }

  /** Whether a (?m) `^` or `$` was rendered (a lineAnchors translation pays off). */
  usedLineAnchor = false;
  private get start(): string {
    return this.lineAnchors ? '(?<![^])' : '^';
  }
  private get stop(): string {
    return this.lineAnchors ? '(?![^])' : '$';
  }

  private cls(s: CodeSet): string {
    return this.asciiSubject ? asciiClassSource(s) : classSource(s);
  }

  unsupported(code: string, message: string, node: { pos: number }, length = 1): void {
    this.problems.push({ code, message, pos: node.pos, length });
  }

  translate(flags: number): string {
    return this.seq(this.root.data, flags, false);
  }

  private seq(nodes: Node[], flags: number, behind: boolean): string {
    let out = '';
    for (const n of nodes) out += this.node(n, flags, behind);
    return out;
  }

  private setTest(gid: number, positive: boolean): string {
    // offset 0 reached by a lookbehind over the whole prefix, then the markers replayed forwards
    const body = `${this.start}(?=\\k<s${gid}>\\k<t${gid}>(?<=[^]))[^]*`;
    return positive ? `(?<=${body})` : `(?<!${body})`;
  }

  private classOf(items: SetItem[], flags: number, node: Node): CodeSet {
    const negate = items.length > 0 && items[0]!.op === 'negate';
    const body = negate ? items.slice(1) : items;
    const ignore = !!(flags & FLAG_IGNORECASE);
    let raw = CodeSet.EMPTY;
    let cats = CodeSet.EMPTY;
    let hascased = false;
    let nonBmp = false;
    for (const it of body) {
      if (it.op === 'literal') {
        raw = raw.union(CodeSet.of(it.c));
        if (ignore && isCased(it.c, flags)) hascased = true;
      } else if (it.op === 'range') {
        const r = CodeSet.range(it.lo, it.hi);
        raw = raw.union(r);
        if (ignore && !hascased) hascased = !r.intersect(flags & FLAG_UNICODE ? pyTables().cased : ASCII_UPPER.union(ASCII_LOWER)).empty;
      } else if (it.op === 'category') cats = cats.union(categorySet(it.cat, flags));
    }
    let set: CodeSet;
    if (ignore && flags & FLAG_UNICODE) {
      const img = lowerImage(raw);
      if (img.r.length && img.r[img.r.length - 1]! > 0xffff) nonBmp = true;
    }
    if (nonBmp) {
      this.unsupported('pyre/unsupported', 'a case-insensitive character class with characters beyond U+FFFF (sre matches them by its own non-BMP rules)', node);
      hascased = true;
    }
    if (ignore && hascased) {
      const img = flags & FLAG_UNICODE ? lowerImage(raw) : preimageAsciiImage(raw);
      set = preimage(img.union(cats), flags);
    } else set = raw.union(cats);
    return negate ? set.complement() : set;
  }

  private at(n: Extract<Node, { op: 'at' }>, flags: number): string {
    const ml = !!(flags & FLAG_MULTILINE);
    switch (n.at) {
      case 'beginning':
        if (ml) this.usedLineAnchor = true;
        return ml ? (this.lineAnchors ? '^' : '(?<![^\\n])') : this.start;
      case 'beginning_string':
        return this.start;
      case 'end':
        if (ml) this.usedLineAnchor = true;
        return ml ? (this.lineAnchors ? '$' : '(?![^\\n])') : `(?=\\n?${this.stop})`;
      case 'end_string':
        return this.stop;
      case 'boundary':
      case 'non_boundary': {
        const w = this.cls(wordSet(flags));
        if (n.at === 'boundary') return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
        // sre: \B never matches in an empty subject
        return `(?!${this.start}${this.stop})(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
      }
    }
  }

  private node(n: Node, flags: number, behind: boolean): string {
    switch (n.op) {
      case 'literal':
        return flags & FLAG_IGNORECASE ? this.cls(literalIgnoreCase(n.c, flags)) : this.asciiSubject && n.c > 0x7f ? '[]' : literalSource(n.c);
      case 'not_literal':
        return this.cls((flags & FLAG_IGNORECASE ? literalIgnoreCase(n.c, flags) : CodeSet.of(n.c)).complement());
      case 'in':
        return this.cls(this.classOf(n.items, flags, n));
      case 'any':
        return flags & FLAG_DOTALL ? '[^]' : '[^\\n]';
      case 'at':
        return this.at(n, flags);
      case 'branch':
        return '(?:' + n.alts.map((a) => this.seq(a.data, flags, behind)).join('|') + ')';
      case 'subpattern': {
        const f = combineFlags(flags, n.add, n.del);
        const body = this.seq(n.body.data, f, behind);
        if (n.group === null) return `(?:${body})`;
        const marker = this.tracked.has(n.group) ? `(?:(?<=${this.start}(?<s${n.group}>[^]+))|(?<![^])(?=(?<t${n.group}>[^]*)))` : '';
        return `(?<g${n.group}>${body}${marker})`;
      }
      case 'atomic': {
        const body = this.seq(n.body.data, flags, behind);
        if (behind) return `(?:${body})`;
        const k = this.atomics++;
        return `(?=(?<a${k}>${body}))\\k<a${k}>`;
      }
      case 'repeat':
        return this.repeat(n, flags, behind);
      case 'assert': {
        this.lookDepth++;
        const body = this.seq(n.body.data, flags, n.dir < 0);
        this.lookDepth--;
        const head = (n.dir < 0 ? '(?<' : '(?') + (n.neg ? '!' : '=');
        return head + body + ')';
      }
      case 'groupref':
        if (flags & FLAG_IGNORECASE) {
          this.unsupported('pyre/unsupported', 'a backreference under IGNORECASE (sre compares lower cases, JS its own case folding)', n);
        }
        return `(?:${this.setTest(n.group, true)}\\k<g${n.group}>)`;
      case 'groupref_exists': {
        const yes = this.seq(n.yes.data, flags, behind);
        const no = n.no ? this.seq(n.no.data, flags, behind) : '';
        if (n.group >= this.groupCount) return `(?:${no})`;
        return `(?:${this.setTest(n.group, true)}(?:${yes})|${this.setTest(n.group, false)}(?:${no}))`;
      }
    }
  }

  private repeat(n: Extract<Node, { op: 'repeat' }>, flags: number, behind: boolean): string {
    const simple = isSimple(n.body);
    const outer = this.loopDepth === 0 && this.lookDepth === 0 && !behind;
    if (n.max > 1) this.loopDepth++;
    const body = this.seq(n.body.data, flags, behind);
    if (n.max > 1) this.loopDepth--;
    const [minw] = n.body.getwidth();
    const inf = n.max === MAXREPEAT;
    let fixup: LoopFixup | null = null;
    if (!simple && n.max > 1) {
      if (minw === 0 && n.min < n.max) this.unsupported('pyre/empty-loop', 'a repeat whose body can match the empty string (sre stops after an empty iteration, JS rejects it and backtracks)', n);
      const loose = optionalGroups(n.body.data);
      const inner = new Set(groupsInLoops(n.body.data, false, []));
      const readsInside = reads(n.body.data, []).length > 0 || allGroups(n.body.data, []).some((g) => this.tracked.has(g));
      if (loose.length && minw > 0 && outer && !readsInside && !loose.some((g) => inner.has(g))) {
        // sre keeps a group's value from the last iteration that set it; JS clears it each iteration:
        // the match reports the last iteration and search.ts replays the earlier ones for the rest
        fixup = { k: this.loops.length, body, loose, min: n.min, max: n.max, lazy: n.kind === 'min' };
        this.loops.push(fixup);
      } else if (loose.length) {
        this.unsupported('pyre/repeat-capture', `group ${loose[0]} may be skipped in an iteration of this repeat (sre keeps its earlier value, JS clears it)`, n);
      }
    }
    if (n.max > 1) {
      // a group read (conditional, backreference) in an iteration before the iteration sets it again
      const groups = new Map(allGroupNodes(n.body.data, []).map((g) => [g.group!, g.pos]));
      for (const r of reads(n.body.data, [])) {
        const at = groups.get(r.group);
        if (at !== undefined && r.pos < at) {
          this.unsupported('pyre/repeat-capture', `group ${r.group} is read before this repeat's iteration sets it (sre sees the previous iteration's value, JS an unset group)`, n);
          break;
        }
      }
    }
    const lazy = n.kind === 'min';
    let out: string;
    if (!simple && n.max === 1 && n.min === 0) {
      out = lazy ? `(?:|${body})` : `(?:${body}|)`;
    } else {
      const q = n.min === 0 && inf ? '*' : n.min === 1 && inf ? '+' : n.min === 0 && n.max === 1 ? '?' : inf ? `{${n.min},}` : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
      out = fixup ? `(?<r${fixup.k}>(?:(?<i${fixup.k}>${body}))${q}${lazy ? '?' : ''})` : `(?:${body})${q}${lazy ? '?' : ''}`;
    }
    if (n.kind === 'possessive' && !simple && minw === 0 && n.min < n.max) {
      this.unsupported('pyre/unsupported', 'a possessive repeat of a body that can match the empty string: the sre of Python 3.11.2 returns inconsistent spans for it (a match ending before its start)', n);
    } else if (n.kind === 'possessive' && !simple && containsRepeat(n.body.data)) {
      this.unsupported('pyre/unsupported', "a possessive repeat of a body that has a repeat of its own: the sre of Python 3.11.2 lets a partial iteration through (e.g. (?:x|[^K]{2}y)?+ matching one character), which no RegExp reproduces", n);
    }
    if (n.kind === 'possessive' && !behind) {
      const k = this.atomics++;
      return `(?=(?<a${k}>${out}))\\k<a${k}>`;
    }
    return out;
  }
}

function preimageAsciiImage(s: CodeSet): CodeSet {
  const up = s.intersect(ASCII_UPPER);
  return s.minus(ASCII_UPPER).union(CodeSet.fromPairs(up.pairs().map(([a, b]) => [a + 32, b + 32])));
}

/** sre_compile._simple: a repeat of one character-wide item, compiled as REPEAT_ONE. */
function isSimple(p: Sub): boolean {
  if (p.data.length !== 1) return false;
  const n = p.data[0]!;
  if (n.op === 'subpattern') return n.group === null && isSimple(n.body);
  return n.op === 'literal' || n.op === 'not_literal' || n.op === 'any' || n.op === 'in';
}

function containsRepeat(nodes: Node[]): boolean {
  return nodes.some((n) => n.op === 'repeat' || children(n).some((s) => containsRepeat(s.data)));
}

function collectTracked(nodes: Node[], out: Set<number>): void {
  for (const n of nodes) {
    if (n.op === 'groupref' || n.op === 'groupref_exists') out.add(n.group);
    for (const s of children(n)) collectTracked(s.data, out);
  }
}

function children(n: Node): Sub[] {
  switch (n.op) {
    case 'branch':
      return n.alts;
    case 'subpattern':
    case 'atomic':
    case 'repeat':
    case 'assert':
      return [n.body];
    case 'groupref_exists':
      return n.no ? [n.yes, n.no] : [n.yes];
    default:
      return [];
  }
}

/** Groups nested in a repeat of more than one iteration (`inLoop` for the current level). */
function groupsInLoops(nodes: Node[], inLoop: boolean, out: number[]): number[] {
  for (const n of nodes) {
    if (n.op === 'subpattern' && n.group !== null && inLoop) out.push(n.group);
    const deeper = inLoop || (n.op === 'repeat' && n.max > 1);
    for (const s of children(n)) groupsInLoops(s.data, deeper, out);
  }
  return out;
}

function allGroupNodes(nodes: Node[], out: Extract<Node, { op: 'subpattern' }>[]): Extract<Node, { op: 'subpattern' }>[] {
  for (const n of nodes) {
    if (n.op === 'subpattern' && n.group !== null) out.push(n);
    for (const s of children(n)) allGroupNodes(s.data, out);
  }
  return out;
}

function reads(nodes: Node[], out: { group: number; pos: number }[]): { group: number; pos: number }[] {
  for (const n of nodes) {
    if (n.op === 'groupref' || n.op === 'groupref_exists') out.push({ group: n.group, pos: n.pos });
    for (const s of children(n)) reads(s.data, out);
  }
  return out;
}

function allGroups(nodes: Node[], out: number[]): number[] {
  for (const n of nodes) {
    if (n.op === 'subpattern' && n.group !== null) out.push(n.group);
    for (const s of children(n)) allGroups(s.data, out);
  }
  return out;
}

/** Groups in `nodes` that some way through them leaves unset. */
function optionalGroups(nodes: Node[]): number[] {
  const all = allGroups(nodes, []);
  const must = new Set<number>();
  mandatory(nodes, must);
  return all.filter((g) => !must.has(g));
}

function mandatory(nodes: Node[], out: Set<number>): void {
  for (const n of nodes) {
    if (n.op === 'subpattern') {
      if (n.group !== null) out.add(n.group);
      mandatory(n.body.data, out);
    } else if (n.op === 'atomic') mandatory(n.body.data, out);
    else if (n.op === 'repeat' && n.min >= 1) mandatory(n.body.data, out);
    else if (n.op === 'assert' && !n.neg) mandatory(n.body.data, out);
  }
}

/**
 * Splitting a rule line into its columns. ufw prints `%-26s %-12s%-26s%s%s` (TO, ACTION_DIR, FROM,
 * ATTRIBS, COMMENT): minimum widths, never truncated, and the column texts contain spaces
 * (`Nginx Full`, `192.168.1.10 443/tcp on eth1`). So the split is found the way ufw made it: the
 * Action column starts right after TO padded to 26 code points and one space (or after TO and one
 * space when TO is longer), FROM starts 12 code points later, and a split is kept only when TO and
 * FROM parse as the grammar's `Field` (grammars/ufw.peggy) and what follows FROM as its `Tail`
 * (`(log…)` / `# comment`). The candidate where ufw's own layout puts the columns is tried first, all
 * three texts in one parser call (the grammar's `Columns`), so an aligned line costs one call; the
 * others are tried one column at a time, and only when it does not read.
 */
import { parse as parseGrammar } from '../../grammars/ufw.peggy';
import { cpLength } from './layout.js';
import type { UfwAction, UfwLogType } from './model.js';

/** A To / From column text, read by the grammar's `Field` rule. */
export interface FieldValue {
  address: string | null;
  port: string | null;
  proto: string | null;
  app: string | null;
  /** The column carries `(v6)` (Anywhere (v6), 22/tcp (v6), OpenSSH (v6), (APP (v6))). */
  v6: boolean;
  interface: string | null;
}

/** What follows the From column: ` (log)`, ` (log-all)`, ` (out)`, ` (log, out)`, then ` # comment`. */
interface TailValue {
  log: UfwLogType | null;
  out: boolean;
  comment: string | null;
}

/**
 * The grammar's start rule on the whole text; undefined when it does not match. peggy's library mode
 * (`peg$library`) reports the failure instead of throwing, so a candidate that does not read costs no
 * SyntaxError (message, expectation list and all); `peg$silentFails` > 0 skips recording what each
 * failed alternative expected, which only that message would use.
 */
function grammar<T>(startRule: 'Field' | 'Tail' | 'Columns' | 'ColumnsList', text: string): T | undefined {
  const r = parseGrammar(text, { startRule, peg$library: true, peg$silentFails: 1 }) as { peg$success: boolean; peg$result: T };
  return r.peg$success ? r.peg$result : undefined;
}

/** Parses a column text (the grammar's `Field`); undefined when it is not one ufw prints. */
export function parseField(text: string): FieldValue | undefined {
  return grammar<FieldValue>('Field', text);
}

/** Where a column is in its line. */
export interface Span {
  /** Offset in the line (code units). */
  start: number;
  end: number;
  text: string;
}

/** A rule line split into its columns (number, To, Action, From, comment), each with its offsets. */
export interface RuleColumns {
  number: number | null;
  to: Span & { field: FieldValue };
  action: UfwAction;
  /** null when plain `ufw status` left out the `IN`. */
  direction: 'in' | 'out' | 'fwd' | null;
  actionSpan: Span;
  from: Span & { field: FieldValue };
  log: UfwLogType | null;
  /** ` (out)` / `(log, out)`: numbered mode's mark of an outbound rule. */
  out: boolean;
  comment: string | null;
  commentStart: number | null;
  /** The columns sit where ufw puts them (false for hand-edited spacing; stripped trailing spaces are fine). */
  aligned: boolean;
}

/** A rule line's columns, or why the line cannot be split into them. */
export type SplitResult = RuleColumns | { error: string; offset: number };

/** The action column at `lastIndex` (sticky). */
const ACTION_RE = /(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD)| |(?=$))/y;
const LOWER: Record<string, string> = { ALLOW: 'allow', DENY: 'deny', REJECT: 'reject', LIMIT: 'limit', IN: 'in', OUT: 'out', FWD: 'fwd' };
const NUMBER_RE = /^\[ ?(\d+)\] /;

/**
 * Whether a padded column is as ufw prints it: padded with spaces to `width` code points, or longer
 * and unpadded. `text` is `raw.trimEnd()`.
 */
function canonicalPad(raw: string, text: string, width: number): boolean {
  const n = cpLength(text);
  if (n > width) return raw.length === text.length;
  if (raw.length - text.length !== width - n) return false;
  for (let i = text.length; i < raw.length; i++) if (raw.charCodeAt(i) !== 32) return false;
  return true;
}

/**
 * The offset `width` code points after `from` (as `cpLength` counts them); line.length + 1 when the
 * line ends before.
 */
function cpOffset(line: string, from: number, width: number): number {
  let i = from;
  for (let n = 0; n < width; n++) {
    if (i >= line.length) return line.length + 1;
    const c = line.charCodeAt(i);
    const d = line.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return i;
}

function parseTail(tail: string): TailValue | undefined {
  if (tail === '') return { log: null, out: false, comment: null };
  return grammar<TailValue>('Tail', tail);
}

interface FromSplit {
  from: Span & { field: FieldValue };
  tail: TailValue;
  commentStart: number | null;
  aligned: boolean;
}

/** The FROM text ending at `k` (the tail starting there), before it is read; undefined when `k` cannot end FROM. */
function fromCandidate(line: string, q: number, k: number): { text: string; aligned: boolean } | undefined {
  if (k < line.length && !(line.charCodeAt(k) === 32 && (line[k + 1] === '(' || line[k + 1] === '#'))) return undefined;
  const raw = line.slice(q, k);
  const text = raw.trimEnd();
  if (text === '' || /^\s/.test(text)) return undefined;
  // Padded as ufw pads it, or output pasted without its trailing spaces (FROM short, nothing after it).
  return { text, aligned: canonicalPad(raw, text, 26) || (k === line.length && raw === text) };
}

function fromSplit(line: string, q: number, text: string, field: FieldValue, tail: TailValue, aligned: boolean): FromSplit {
  const commentStart = tail.comment === null ? null : line.length - tail.comment.length;
  return { from: { start: q, end: q + text.length, text, field }, tail, commentStart, aligned };
}

/** FROM ending at `k` (the tail starting there), or undefined when that is no split. */
function fromAt(line: string, q: number, k: number): FromSplit | undefined {
  const c = fromCandidate(line, q, k);
  if (!c) return undefined;
  const tail = parseTail(line.slice(k));
  if (!tail) return undefined;
  const field = parseField(c.text);
  if (!field) return undefined;
  return fromSplit(line, q, c.text, field, tail, c.aligned);
}

/**
 * The first aligned split of FROM (by its end), else the first one. ufw's layout puts the end 26 code
 * points on (or at the line's end when the line is shorter): no end before it can be aligned, so it is
 * tried first, and when it is aligned it is the answer.
 */
function splitFrom(line: string, q: number): FromSplit | undefined {
  const k0 = Math.min(cpOffset(line, q, 26), line.length);
  const first = k0 > q ? fromAt(line, q, k0) : undefined;
  if (first?.aligned) return first;
  let lenient: FromSplit | undefined;
  for (let k = q + 1; k <= line.length; k++) {
    const split = k === k0 ? first : fromAt(line, q, k);
    if (!split) continue;
    if (split.aligned) return split;
    lenient ??= split;
  }
  return lenient;
}

/** The TO text before an Action column at `p`, and that column, before TO is read. */
interface ActionCandidate {
  toText: string;
  toAligned: boolean;
  actionWord: string;
  dirWord: string | null;
  actionText: string;
  canonicalAction: boolean;
  /** Where FROM begins: 12 characters after the action in ufw's layout; a hand-spaced line after the spaces. */
  q: number;
}

/**
 * The Action column at `p`: undefined when no action word starts there, null when one does but the
 * text before it cannot be a TO column.
 */
function actionAt(line: string, start: number, p: number): ActionCandidate | null | undefined {
  if (p <= start || p >= line.length || line.charCodeAt(p - 1) !== 32) return undefined;
  const c = line.charCodeAt(p);
  if (c !== 65 && c !== 68 && c !== 82 && c !== 76) return undefined; // A D R L
  ACTION_RE.lastIndex = p;
  const am = ACTION_RE.exec(line);
  if (!am) return undefined;
  const toRaw = line.slice(start, p - 1);
  const toText = toRaw.trimEnd();
  if (toText === '' || toText !== toText.trimStart()) return null;
  const actionWord = am[1]!;
  const dirWord = am[2] ?? null;
  const actionText = dirWord === null ? actionWord : actionWord + ' ' + dirWord;
  const canonicalAction = canonicalPad(line.slice(p, p + 12), actionText, 12);
  const q = canonicalAction ? p + 12 : p + am[0].length + (/^ */.exec(line.slice(p + am[0].length))![0].length);
  return { toText, toAligned: canonicalPad(toRaw, toText, 26), actionWord, dirWord, actionText, canonicalAction, q };
}

function ruleColumns(number: number | null, start: number, p: number, a: ActionCandidate, toField: FieldValue, fs: FromSplit): RuleColumns {
  return {
    number,
    to: { start, end: start + a.toText.length, text: a.toText, field: toField },
    action: LOWER[a.actionWord] as UfwAction,
    direction: a.dirWord === null ? null : (LOWER[a.dirWord] as 'in' | 'out' | 'fwd'),
    actionSpan: { start: p, end: p + a.actionText.length, text: a.actionText },
    from: fs.from,
    log: fs.tail.log,
    out: fs.tail.out,
    comment: fs.tail.comment,
    commentStart: fs.commentStart,
    aligned: a.toAligned && a.canonicalAction && fs.aligned,
  };
}

/**
 * The split with the Action column at `p`: undefined when no action word starts there, null when one
 * does but TO / FROM / the tail do not read.
 */
function splitAt(line: string, start: number, number: number | null, p: number): RuleColumns | null | undefined {
  const a = actionAt(line, start, p);
  if (!a) return a;
  const toField = parseField(a.toText);
  if (!toField) return null;
  const fs = splitFrom(line, a.q);
  if (!fs) return null;
  return ruleColumns(number, start, p, a, toField, fs);
}

/** A space, then an action word followed by a space or the end: where splitAt finds an action (at the match + 1). */
const ACTION_SCAN = / (?:ALLOW|DENY|REJECT|LIMIT)(?: |$)/g;

/** A line's rule number (`[ 1] `) and where its TO column starts. */
type Numbered = { number: number | null; start: number } | { error: string; offset: number };

function numbered(line: string): Numbered {
  const m = NUMBER_RE.exec(line);
  if (m) return { number: parseInt(m[1]!, 10), start: m[0].length };
  if (line.startsWith('[')) return { error: 'a rule number must look like `[ 1] ` or `[12] `', offset: 0 };
  return { number: null, start: 0 };
}

/** The split where ufw's layout puts the columns, before its texts are read. */
interface LayoutCandidate {
  number: number | null;
  start: number;
  p: number;
  action: ActionCandidate;
  fromText: string;
  /** TO, FROM and the tail joined by NULs: the grammar's `Columns`. */
  texts: string;
}

/** What `Columns` reads: TO, FROM, the tail. */
type ColumnsValue = [FieldValue, FieldValue, TailValue];

/**
 * The split where ufw's layout puts the columns, when it is aligned; else undefined. The Action column
 * is the first one from TO padded to 26 code points on, FROM ends at the first place from 26 code
 * points after its start where a tail can begin. No split with the Action column before there, or
 * with FROM ending before those 26 code points, is aligned, and between there and these no column can
 * start or end; so when this split reads, it is the one the search in splitRuleLine returns.
 */
function layoutCandidate(line: string, n: { number: number | null; start: number }): LayoutCandidate | undefined {
  const p0 = cpOffset(line, n.start, 26) + 1;
  if (p0 > line.length || line.includes('\0') || line.includes('\x01')) return undefined;
  ACTION_SCAN.lastIndex = p0 - 1;
  const m = ACTION_SCAN.exec(line);
  if (!m) return undefined;
  const p = m.index + 1;
  const a = actionAt(line, n.start, p);
  if (!a || !a.toAligned || !a.canonicalAction) return undefined;
  let k = Math.min(cpOffset(line, a.q, 26), line.length);
  let c: ReturnType<typeof fromCandidate>;
  for (; k <= line.length; k++) {
    if (k <= a.q) continue;
    c = fromCandidate(line, a.q, k);
    if (c) break;
  }
  if (!c?.aligned) return undefined;
  return { number: n.number, start: n.start, p, action: a, fromText: c.text, texts: a.toText + '\0' + c.text + '\0' + line.slice(k) };
}

function layoutColumns(line: string, c: LayoutCandidate, r: ColumnsValue): RuleColumns {
  return ruleColumns(c.number, c.start, c.p, c.action, r[0], fromSplit(line, c.action.q, c.fromText, r[1], r[2], true));
}

/** The search for a split when the layout's does not read: see splitRuleLine. */
function searchSplit(line: string, number: number | null, start: number): SplitResult {
  const p0 = cpOffset(line, start, 26) + 1;
  const first = splitAt(line, start, number, p0);
  if (first?.aligned) return first;
  let lenient: RuleColumns | undefined;
  let sawAction = false;
  for (let p = start + 1; p < line.length; p++) {
    const cols = p === p0 ? first : splitAt(line, start, number, p);
    if (cols === undefined) continue;
    sawAction = true;
    if (cols === null) continue;
    if (cols.aligned) return cols;
    lenient ??= cols;
  }
  if (lenient) return lenient;
  return sawAction
    ? { error: 'cannot read the To and From columns of this rule line', offset: start }
    : { error: 'not a ufw status line: no ALLOW, DENY, REJECT or LIMIT column', offset: start };
}

/**
 * Splits a rule line (without its line ending) into its columns: the first aligned split (by where
 * the Action column starts), else the first one. In ufw's layout the Action column starts after TO
 * padded to 26 code points and a space; no earlier start can be aligned, so that split is read first,
 * with one parser call.
 */
export function splitRuleLine(line: string): SplitResult {
  const n = numbered(line);
  if ('error' in n) return n;
  const c = layoutCandidate(line, n);
  const r = c && grammar<ColumnsValue>('Columns', c.texts);
  if (r) return layoutColumns(line, c!, r);
  return searchSplit(line, n.number, n.start);
}

/**
 * The lines' splits where ufw's layout puts the columns, all read in one parser call (the grammar's
 * `ColumnsList`): for each line, what splitRuleLine returns when that split reads, else undefined.
 */
export function layoutSplits(lines: readonly string[]): (RuleColumns | undefined)[] {
  const candidates: (LayoutCandidate | undefined)[] = [];
  const texts: string[] = [];
  for (const line of lines) {
    const n = numbered(line);
    const c = 'error' in n ? undefined : layoutCandidate(line, n);
    candidates.push(c);
    if (c) texts.push(c.texts, '\x01');
  }
  if (texts.length === 0) return candidates.map(() => undefined);
  // Every candidate ends with the one U+0001 it has, so the list always reads; were it not to, each
  // line would go through splitRuleLine, with the same result.
  const read = grammar<(ColumnsValue | null)[]>('ColumnsList', texts.join('')) ?? [];
  let i = 0;
  return candidates.map((c, at) => {
    if (!c) return undefined;
    const r = read[i++];
    return r ? layoutColumns(lines[at]!, c, r) : undefined;
  });
}

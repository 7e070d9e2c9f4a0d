/**
 * Splitting a rule line into its columns. ufw prints `%-26s %-12s%-26s%s%s` (TO, ACTION_DIR, FROM,
 * ATTRIBS, COMMENT): minimum widths, never truncated, and the column texts contain spaces
 * (`Nginx Full`, `192.168.1.10 443/tcp on eth1`). So the split is found the way ufw made it: the
 * Action column starts right after TO padded to 26 code points and one space (or after TO and one
 * space when TO is longer), FROM starts 12 code points later, and a split is kept only when TO and
 * FROM parse as the grammar's `Field` and what follows FROM is `(log…)` / `# comment`. Those two rules
 * are read by the hand-written scanners of field.ts (see there why not the generated parser);
 * `splitWith` takes the readers as an argument, so that a test runs the split on the grammar too.
 */
import { scanField, scanTail, type FieldValue, type TailValue } from './field.js';
import { cpLength } from './layout.js';
import type { UfwAction, UfwLogType } from './model.js';

export type { FieldValue } from './field.js';

/** What the column texts are read with: grammars/ufw.peggy's `Field` and `Tail`, or the scanners. */
export interface ColumnReaders {
  /** `Field` on a whole column text; undefined when it does not match. */
  field(text: string): FieldValue | undefined;
  /** `Tail` on the whole non-empty text after FROM; undefined when it does not match. */
  tail(text: string): TailValue | undefined;
}

/** The Document's readers: the scanners of field.ts. */
export const SCANNER: ColumnReaders = { field: scanField, tail: scanTail };

/**
 * Parses a column text (the grammar's `Field`, read by the hand-written `scanField` that a property
 * test holds to it); undefined when it is not one ufw prints.
 */
export function parseField(text: string): FieldValue | undefined {
  return scanField(text);
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

function parseTail(tail: string, read: ColumnReaders): TailValue | undefined {
  if (tail === '') return { log: null, out: false, comment: null };
  return read.tail(tail);
}

interface FromSplit {
  from: Span & { field: FieldValue };
  tail: { log: UfwLogType | null; out: boolean; comment: string | null };
  commentStart: number | null;
  aligned: boolean;
}

function splitFrom(line: string, q: number, read: ColumnReaders): FromSplit | undefined {
  let lenient: FromSplit | undefined;
  for (let k = q + 1; k <= line.length; k++) {
    if (k < line.length && !(line.charCodeAt(k) === 32 && (line[k + 1] === '(' || line[k + 1] === '#'))) continue;
    const raw = line.slice(q, k);
    const text = raw.trimEnd();
    if (text === '' || /^\s/.test(text)) continue;
    const tail = parseTail(line.slice(k), read);
    if (!tail) continue;
    const field = read.field(text);
    if (!field) continue;
    const commentStart = tail.comment === null ? null : line.length - tail.comment.length;
    const split = { from: { start: q, end: q + text.length, text, field }, tail, commentStart, aligned: true };
    if (canonicalPad(raw, text, 26)) return split;
    // Output pasted without its trailing spaces: FROM short and nothing after it.
    if (k === line.length && raw === text) return split;
    lenient ??= { ...split, aligned: false };
  }
  return lenient;
}

/** Splits a rule line (without its line ending) into its columns. */
export function splitRuleLine(line: string): SplitResult {
  return splitWith(line, SCANNER);
}

/** `splitRuleLine` with the given column readers. */
export function splitWith(line: string, read: ColumnReaders): SplitResult {
  let number: number | null = null;
  let start = 0;
  const m = NUMBER_RE.exec(line);
  if (m) {
    number = parseInt(m[1]!, 10);
    start = m[0].length;
  } else if (line.startsWith('[')) {
    return { error: 'a rule number must look like `[ 1] ` or `[12] `', offset: 0 };
  }
  let lenient: RuleColumns | undefined;
  let sawAction = false;
  for (let p = start + 1; p < line.length; p++) {
    if (line.charCodeAt(p - 1) !== 32) continue;
    const c = line.charCodeAt(p);
    if (c !== 65 && c !== 68 && c !== 82 && c !== 76) continue; // A D R L
    ACTION_RE.lastIndex = p;
    const am = ACTION_RE.exec(line);
    if (!am) continue;
    sawAction = true;
    const toRaw = line.slice(start, p - 1);
    const toText = toRaw.trimEnd();
    if (toText === '' || toText !== toText.trimStart()) continue;
    const toField = read.field(toText);
    if (!toField) continue;
    const actionWord = am[1]!;
    const dirWord = am[2] ?? null;
    const actionText = dirWord === null ? actionWord : actionWord + ' ' + dirWord;
    const canonicalAction = canonicalPad(line.slice(p, p + 12), actionText, 12);
    const toAligned = canonicalPad(toRaw, toText, 26);
    // FROM begins 12 characters after the action in ufw's layout; a hand-spaced line after the spaces.
    const q = canonicalAction ? p + 12 : p + am[0].length + (/^ */.exec(line.slice(p + am[0].length))![0].length);
    const fs = splitFrom(line, q, read);
    if (!fs) continue;
    const cols: RuleColumns = {
      number,
      to: { start, end: start + toText.length, text: toText, field: toField },
      action: LOWER[actionWord] as UfwAction,
      direction: dirWord === null ? null : (LOWER[dirWord] as 'in' | 'out' | 'fwd'),
      actionSpan: { start: p, end: p + actionText.length, text: actionText },
      from: fs.from,
      log: fs.tail.log,
      out: fs.tail.out,
      comment: fs.tail.comment,
      commentStart: fs.commentStart,
      aligned: toAligned && canonicalAction && fs.aligned,
    };
    if (cols.aligned) return cols;
    lenient ??= cols;
  }
  if (lenient) return lenient;
  return sawAction
    ? { error: 'cannot read the To and From columns of this rule line', offset: start }
    : { error: 'not a ufw status line: no ALLOW, DENY, REJECT or LIMIT column', offset: start };
}

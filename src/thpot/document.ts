/**
 * A tinyhoneypot capture log: one node per physical line, each owning its raw text (line ending
 * included). Logs are appended to, never rewritten, so the one edit is `append`.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { Capture, CaptureLogJSON, CaptureRecord, Entry, InvalidLine, Layout, SessionStart, UnknownLine } from './model.js';
import { isSession } from './model.js';
import { renderCapture, type CaptureInput } from './line.js';
import { LineClassifier } from './scan.js';
import { Summary, type SummaryJSON } from './summary.js';

/** A line of the log: its raw text and what it says. */
export interface LogNode {
  readonly raw: string;
  entry: Entry;
}

/**
 * The log. Its diagnostics: invalid and blank lines, dates written under another locale. The text is
 * byte-identical to the parsed input until something is appended.
 *
 * @example
 * ```ts
 * import { parse } from 'fwconf/thpot';
 * const log = parse('Feb 29 13:02:10 SID=56D4334221165.nullresp PID=4837 SRC=192.168.88.242 SPT=47187\nnot a capture\n');
 * log.records().length; // 1
 * log.invalid().length; // 1
 * ```
 */
export class CaptureLog extends LineDocument<LogNode> {
  /** @internal use `parse()`. */
  constructor(nodes: LogNode[], eol: '\n' | '\r\n', diagnostics: readonly Diagnostic[], file?: string) {
    super({ nodes, eol, diagnostics, file });
  }

  /** Every line, in order. */
  entries(): Entry[] {
    return this.nodes.map((n) => n.entry);
  }

  /** The well-formed lines (single-line captures, and the multi-line layout's lines), in order. */
  records(): CaptureRecord[] {
    const out: CaptureRecord[] = [];
    for (const n of this.nodes) if (n.entry.kind !== 'invalid') out.push(n.entry);
    return out;
  }

  /** One entry per session: single-line captures and multi-line start lines. */
  sessions(): (Capture | SessionStart)[] {
    const out: (Capture | SessionStart)[] = [];
    for (const n of this.nodes) if (isSession(n.entry)) out.push(n.entry);
    return out;
  }

  /** The lines of neither layout (the unknown lines), kept as they are. */
  unknown(): UnknownLine[] {
    return this.invalid();
  }

  /** @deprecated use `unknown()`. */
  invalid(): InvalidLine[] {
    const out: InvalidLine[] = [];
    for (const n of this.nodes) if (n.entry.kind === 'invalid') out.push(n.entry);
    return out;
  }

  /** Raw text of a 1-based line, its ending included. */
  raw(line: number): string | undefined {
    return this.nodes[line - 1]?.raw;
  }

  get layout(): Layout {
    let single = false;
    let multi = false;
    for (const n of this.nodes) {
      const k = n.entry.kind;
      if (k === 'capture') single = true;
      else if (k !== 'invalid') multi = true;
    }
    return single && multi ? 'mixed' : single ? 'single' : multi ? 'multi' : 'none';
  }

  /** What `fwconf thpot summary` prints for this log. */
  summary(): SummaryJSON {
    const s = new Summary();
    for (const n of this.nodes) s.add(n.entry);
    return s.toJSON();
  }

  /**
   * Appends one single-line capture, as thpot would write it, with the file's line ending (a last
   * line without one gets it first; the file then ends with a newline as thpot leaves it).
   * Returns the new entry.
   */
  append(capture: CaptureInput): Capture {
    const text = renderCapture(capture);
    if (/[\r\n]/.test(text)) throw new TypeError('a capture cannot contain a line break');
    const line = this.nodes.length + 1;
    let entry: Entry | undefined;
    let diagnostics: Diagnostic[] | undefined;
    const classifier = new LineClassifier(this.file);
    classifier.push(text, line, (e, ds) => {
      entry = e;
      diagnostics = ds;
    });
    if (!entry || entry.kind !== 'capture') throw new TypeError(`not a valid capture: ${JSON.stringify(text)}`);
    const last = this.nodes[this.nodes.length - 1];
    if (last && !last.raw.endsWith('\n')) this.setRaw(last, last.raw + this.eol);
    this.insertAt(this.nodes.length, { raw: text + this.eol, entry });
    if (diagnostics) this.addDiagnostics(diagnostics);
    return entry;
  }

  /** The typed model: `{ layout, entries }` (see CaptureLogJSON). */
  toJSON(): CaptureLogJSON {
    return { layout: this.layout, entries: this.entries() };
  }
}

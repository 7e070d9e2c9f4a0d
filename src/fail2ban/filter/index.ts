/**
 * The fail2ban filter engine: fail2ban 1.0.2's date detector, regex layer and Filter, a filter or
 * jail loaded as the client passes it, a streaming reader over a log, and the bans a jail would make.
 *
 * ```ts
 * const { spec } = loadFilter('/etc/fail2ban', 'sshd[mode=aggressive]');
 * const filter = new Filter(spec, { returnRawHost: true, checkFindTime: false });
 * for await (const { line, result } of readLog(filter, '/var/log/auth.log')) ...
 * ```
 */
import { createReadStream } from 'node:fs';
import type { Filter, LineResult } from './engine.js';

export { Filter, FilterSpecError, type FilterSpec, type FilterFlags, type Failure, type LineDate, type LineResult } from './engine.js';
export { DateDetector, TemplateCache, DateTemplate, DateTemplateError, validateTimeZone, type Clock } from './dates.js';
export { Regex, FailRegex, RegexError, resolveHostTag, type TupleLine, type FailDict } from './failregex.js';
export { loadFilter, loadJail, specOf, type LoadedFilter } from './load.js';
export { BanPlayer, banOptionsOf, selfAddresses, type BanEvent, type BanOptions, type HistoryRow } from './bans.js';
export { missReason, foreignMonth } from './explain.js';
export { ipAddr, ipText, type IPAddr } from './ipaddr.js';

/** Lines of one chunk; `ascii` when the chunk was pure ASCII (Filter.processLine's hint). */
export type LineBatch = string[] & { ascii?: boolean };
const NON_ASCII = /[^\0-\x7f]/;

/**
 * The lines of a log (a path or chunks), decoded as UTF-8 (bad bytes replaced), without their line
 * ending (a trailing \r goes too, as fail2ban-regex's rstrip), one array per chunk read. Constant memory.
 */
export async function* logLineBatches(source: string | AsyncIterable<Uint8Array | string> | Iterable<string>, options: { start?: number } = {}): AsyncGenerator<LineBatch> {
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20, ...(options.start ? { start: options.start } : {}) }) : source;
  const dec = new TextDecoder('utf-8');
  let rest = '';
  const cut = (from: number, i: number) => {
    let e = i;
    while (e > from && rest.charCodeAt(e - 1) === 13) e--;
    return rest.slice(from, e);
  };
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    rest += typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
    const batch: string[] = [];
    let i: number;
    let from = 0;
    while ((i = rest.indexOf('\n', from)) >= 0) {
      batch.push(cut(from, i));
      from = i + 1;
    }
    // one test per chunk: every line of a pure-ASCII chunk is ASCII (the engine then skips its own test)
    if (batch.length && !NON_ASCII.test(rest.slice(0, from))) (batch as LineBatch).ascii = true;
    rest = rest.slice(from);
    if (batch.length) yield batch;
  }
  rest += dec.decode();
  if (rest) yield [cut(0, rest.length)];
}

/** The lines of a log one by one (see logLineBatches). */
export async function* logLines(source: Parameters<typeof logLineBatches>[0]): AsyncGenerator<string> {
  for await (const batch of logLineBatches(source)) yield* batch;
}

/** Every line of a log through a filter, with its 1-based number (comment and empty lines skipped, as fail2ban-regex does). */
export async function* readLog(filter: Filter, source: Parameters<typeof logLines>[0]): AsyncGenerator<{ n: number; line: string; result: LineResult }> {
  let n = 0;
  for await (const batch of logLineBatches(source))
    for (const line of batch) {
      n++;
      if (line.startsWith('#') || !line) continue;
      yield { n, line, result: filter.processLine(line, undefined, batch.ascii) };
    }
}

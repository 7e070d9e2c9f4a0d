/**
 * Where the streaming readers (thpot captures, fail2ban.log) read from: a path, a file URL, or
 * chunks. Typed without the DOM's or Node's `URL` and `Buffer`, so the declarations compile for a
 * consumer that has neither lib installed.
 */
import { createReadStream } from 'node:fs';

/** A `file:` URL: a WHATWG `URL` (Node's global), or any object with such an `href`. */
export interface FileUrl {
  readonly href: string;
}

/** A file path, a file URL, or an async iterable of chunks (a Node Readable gives Buffers, which are Uint8Arrays). */
export type LogSource = string | FileUrl | AsyncIterable<Uint8Array | string>;

function isFileUrl(source: unknown): source is FileUrl {
  return typeof source === 'object' && source !== null && typeof (source as { href?: unknown }).href === 'string' && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function';
}

/** The chunks of a source: a path or file URL is read from disk, `highWaterMark` bytes at a time. */
export function openLogSource(source: LogSource, highWaterMark: number, what: string): AsyncIterable<Uint8Array | string> {
  if (typeof source === 'string') return createReadStream(source, { highWaterMark });
  if (isFileUrl(source)) return createReadStream(new URL(source.href), { highWaterMark });
  if (source && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return source;
  throw new TypeError(`${what} expects a file path, a URL or an async iterable of chunks (a Node Readable)`);
}

/** The file name for diagnostics: the path, the URL's path, or undefined for chunks. */
export function logSourceName(source: LogSource): string | undefined {
  return typeof source === 'string' ? source : isFileUrl(source) ? new URL(source.href).pathname : undefined;
}

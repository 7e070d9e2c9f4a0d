/**
 * The last lines of a log below the root, read without holding the whole file: the tail a finding
 * looks at (a live auth.log can be gigabytes), with the line number of its first line.
 */
import * as fs from 'node:fs';
import { NodeFileSource, type FileSource } from '../core/files.js';

export interface LogTail {
  /** The lines (line endings and a trailing \r removed), at most the bound asked for. */
  readonly lines: readonly string[];
  /** The 1-based line number of lines[0] in the file. */
  readonly firstLine: number;
}

const CHUNK = 1 << 20;

/** The last `maxLines` lines of `path` (the last `maxBytes` bytes at most); undefined when it cannot be read. */
export function logTail(files: FileSource, path: string, maxLines = 1000, maxBytes = 4 * CHUNK): LogTail | undefined {
  let text: string | undefined;
  let before = 0;
  let cut = false;
  if (files instanceof NodeFileSource) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(files.real(path), 'r');
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(size - start);
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      text = buf.subarray(0, got).toString('utf8');
      cut = start > 0;
      // The lines before the tail, counted a chunk at a time.
      const chunk = Buffer.alloc(Math.min(CHUNK, start));
      for (let at = 0; at < start; ) {
        const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, start - at), at);
        if (n === 0) break;
        for (let i = chunk.indexOf(10, 0); i >= 0 && i < n; i = chunk.indexOf(10, i + 1)) before++;
        at += n;
      }
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  } else text = files.read(path);
  if (text === undefined) return undefined;
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (cut && lines.length > 0) {
    // The first piece is the end of a line that began before the tail.
    lines = lines.slice(1);
    before++;
  }
  const drop = Math.max(0, lines.length - maxLines);
  return { lines: lines.slice(drop).map((l) => l.replace(/\r+$/, '')), firstLine: before + drop + 1 };
}

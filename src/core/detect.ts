/** The detection every format's `detect` is made of (internal: formats use it, the package does not export it). */
import type { Format } from './format.js';

/** How much of a text the detectors read: its first 64 KiB (64 Ki UTF-16 units), where a format's marks sit. */
export const DETECT_HEAD = 64 * 1024;

/** A format's two detection tests, which {@link detector} scores. */
export interface DetectTests {
  /** True when the path names a file of the format; `path` has `/` separators and `base` is its last part. */
  name(path: string, base: string): boolean;
  /** True when the text looks like the format; `head` is its first {@link DETECT_HEAD} units, `path` as for `name` (undefined without a file). */
  content(head: string, path: string | undefined): boolean;
}

/**
 * A Format's `detect` on core's 0–3 scale: 2 when the name says so, 1 when the content does, 3 for both.
 * Every format scores the same way, from its head only, so detection costs the same on a 1 GiB log as on a
 * 1 KiB file.
 */
export function detector(tests: DetectTests): Format['detect'] {
  return (file, text) => {
    const path = file?.replace(/\\/g, '/');
    const name = path !== undefined && tests.name(path, path.slice(path.lastIndexOf('/') + 1)) ? 2 : 0;
    return name + (tests.content(text.slice(0, DETECT_HEAD), path) ? 1 : 0);
  };
}

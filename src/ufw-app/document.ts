/**
 * ufw application profiles (format `ufw-app`): the files of /etc/ufw/applications.d, which ufw
 * reads with Python's RawConfigParser (applications.get_profiles): `[Name]` sections, `key=value`
 * or `key: value` lines, `#` / `;` comments, indented continuation lines. A file configparser
 * cannot read (a line before the first section, a repeated section or key) is skipped whole.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import { AppNode } from './line.js';
import type { UfwAppFileProfile, UfwAppModel } from './model.js';

/** A profile file, lossless: prints back byte for byte; reads and sets profiles' keys. */
export class UfwAppDocument extends LineDocument<AppNode> {
  /** @internal use `parseApp()`. */
  constructor(nodes: AppNode[], file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, file, diagnostics });
  }

  /** The file's profiles, in order. */
  profiles(): UfwAppFileProfile[] {
    const lines = this.lineMap();
    const out: UfwAppFileProfile[] = [];
    let cur: UfwAppFileProfile | undefined;
    for (const n of this.nodes) {
      if (n.kind === 'section') {
        cur = { name: n.section!, line: lines.get(n)!, title: null, description: null, ports: [] };
        out.push(cur);
      } else if (n.kind === 'entry' && cur) {
        const k = n.key!.toLowerCase();
        if (k === 'title') cur.title = n.value!;
        else if (k === 'description') cur.description = n.value!;
        else if (k === 'ports') cur.ports = n.value!.split('|').filter((p) => p !== '');
      }
    }
    return out;
  }

  /**
   * Sets a profile's key (`ports`, `title`, `description`): the value of its line is replaced (the key's
   * spelling, the separator and the spacing kept), or a `key=value` line added at the end of the section.
   */
  set(profile: string, key: string, value: string): void {
    if (/[\r\n]/.test(value) || !/^[\w-]+$/.test(key)) throw new RangeError('a key is a word and a value one line');
    const nodes = this.nodes;
    const start = nodes.findIndex((n) => n.kind === 'section' && n.section === profile);
    if (start < 0) throw new RangeError(`no profile [${profile}] in this file`);
    let end = start + 1;
    while (end < nodes.length && nodes[end]!.kind !== 'section') end++;
    const line = `${key}=${value}${this.eol}`;
    for (let i = start + 1; i < end; i++) {
      const n = nodes[i]!;
      if (n.kind === 'entry' && n.key!.toLowerCase() === key.toLowerCase()) {
        this.setValue(n, value);
        return;
      }
    }
    let at = end;
    while (at > start + 1 && nodes[at - 1]!.kind === 'blank') at--;
    this.splice(at, 0, new AppNode(line, 'entry', profile, key, value));
  }

  toJSON(): UfwAppModel {
    return { format: 'ufw-app', profiles: this.profiles() };
  }
}

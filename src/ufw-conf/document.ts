/**
 * ufw's settings files (format `ufw-conf`): /etc/ufw/ufw.conf and /etc/default/ufw, `KEY=value`
 * lines that two readers read: ufw itself (backend._get_defaults: a line matching `^\w+="?\w+"?`,
 * split at `=`, key and value lower-cased, quotes stripped) and the shell of ufw-init, which sources
 * them. One node per line; edits write `KEY=value` as ufw's `set_default` does.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import { makeNode, type ConfNode } from './line.js';
import type { UfwConfModel } from './model.js';

/** A settings file, lossless: prints back byte for byte; reads and sets keys as ufw does. */
export class UfwConfDocument extends LineDocument<ConfNode> {
  /** @internal use `parseConf()`. */
  constructor(nodes: ConfNode[], file: string | undefined, diagnostics: readonly Diagnostic[]) {
    super({ nodes, file, diagnostics });
  }

  /** The value ufw reads for a key (case-insensitive; the last line wins, as in ufw), lower-cased. */
  get(key: string): string | undefined {
    let v: string | undefined;
    const k = key.toLowerCase();
    for (const n of this.nodes) if (n.ufwValue !== undefined && n.key!.toLowerCase() === k) v = n.ufwValue;
    return v;
  }

  /** The value the shell (ufw-init) reads for a key, as written. */
  shell(key: string): string | undefined {
    let v: string | undefined;
    for (const n of this.nodes) if (n.kind === 'assignment' && n.key === key) v = n.value;
    return v;
  }

  /** The line of the assignment ufw takes for a key. */
  lineOfKey(key: string): number | undefined {
    const k = key.toLowerCase();
    let found: ConfNode | undefined;
    for (const n of this.nodes) if (n.ufwValue !== undefined && n.key!.toLowerCase() === k) found = n;
    return found ? this.lineOf(found) : undefined;
  }

  /** ufw's set_default: every line starting `KEY=` becomes `KEY=value`; none, and the line is appended. */
  set(key: string, value: string): void {
    if (!/^\w+$/.test(key)) throw new RangeError(`invalid option '${key}'`);
    if (/[\r\n]/.test(value)) throw new RangeError('a value is one line');
    let found = false;
    for (const n of [...this.nodes]) {
      if (!n.raw.startsWith(key + '=')) continue;
      found = true;
      this.replaceNode(n, makeNode(`${key}=${value}${this.eol}`));
    }
    if (!found) this.splice(this.nodes.length, 0, makeNode(`${key}=${value}${this.eol}`));
  }

  toJSON(): UfwConfModel {
    const lines = this.lineMap();
    return {
      format: 'ufw-conf',
      settings: this.nodes
        .filter((n) => n.kind === 'assignment')
        .map((n) => ({ key: n.key!, value: n.value ?? '', ufw: n.ufwValue ?? null, line: lines.get(n)! })),
    };
  }
}

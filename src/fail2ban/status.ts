/**
 * What `fail2ban-client status` and `fail2ban-client status JAIL` print (client/beautifier.py): a
 * title line, then a tree of `|- `/`` `- `` items, each `KEY:\tVALUE` or a group of such items
 * (`Filter`, `Actions`). Parsed to data; the text is kept line by line, so it prints back byte for byte.
 *
 *   Status for the jail: sshd
 *   |- Filter
 *   |  |- Currently failed:	1
 *   |  |- Total failed:	5
 *   |  `- File list:	/var/log/auth.log
 *   `- Actions
 *      |- Currently banned:	1
 *      |- Total banned:	1
 *      `- Banned IP list:	192.0.2.1
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { LineDocument, splitRaw } from '../core/document.js';
import { dominantEol, stripEol } from '../core/text.js';

/** One item of the tree: a `KEY:\tVALUE` leaf (value as printed) or a group (`value` null). */
export interface StatusItem {
  key: string;
  value: string | null;
  items: StatusItem[];
  line: number;
}

/** `fail2ban-client status` read: the number of jails and their names. */
export interface ServerStatus {
  kind: 'server';
  /** `Number of jail`. */
  jails: number | null;
  /** `Jail list`, split at `, `. */
  jailList: string[];
  items: StatusItem[];
}

/** `fail2ban-client status JAIL` read: the filter's failure counts and files, the actions' bans. */
export interface JailStatus {
  kind: 'jail';
  jail: string;
  filter: { currentlyFailed: number | null; totalFailed: number | null; fileList: string[] | null; journalMatches: string | null };
  actions: { currentlyBanned: number | null; totalBanned: number | null; bannedIPList: string[] };
  items: StatusItem[];
}

/** A status output as plain data: the server's, a jail's, or items of an output it does not know. */
export type StatusJSON = ServerStatus | JailStatus | { kind: 'unknown'; items: StatusItem[] };

interface StatusNode {
  readonly raw: string;
}

/** `|- KEY` / `` `- KEY `` after a depth prefix of `|  ` or three spaces per level. */
const ITEM = /^((?:\|  |   )*)([|`])- (.*)$/;

export class StatusDocument extends LineDocument<StatusNode> {
  readonly title: string;
  readonly items: StatusItem[];

  /** @internal use `parseStatus()`. */
  constructor(nodes: StatusNode[], title: string, items: StatusItem[], eol: '\n' | '\r\n', diagnostics: Diagnostic[], file?: string) {
    super({ nodes, eol, diagnostics, file });
    this.title = title;
    this.items = items;
  }

  /** The item at a path of keys (`['Actions', 'Banned IP list']`). */
  item(...path: string[]): StatusItem | undefined {
    let items = this.items;
    let found: StatusItem | undefined;
    for (const k of path) {
      found = items.find((i) => i.key === k);
      if (!found) return undefined;
      items = found.items;
    }
    return found;
  }

  toJSON(): StatusJSON {
    const int = (v: string | null | undefined) => (v !== null && v !== undefined && /^\d+$/.test(v) ? Number(v) : null);
    const words = (v: string | null | undefined) => (v ? v.split(' ').filter((w) => w !== '') : []);
    if (this.title === 'Status') {
      const list = this.item('Jail list')?.value;
      return { kind: 'server', jails: int(this.item('Number of jail')?.value), jailList: list ? list.split(', ') : [], items: this.items };
    }
    const jail = /^Status for the jail: (.*)$/.exec(this.title);
    if (jail) {
      const files = this.item('Filter', 'File list');
      const journal = this.item('Filter', 'Journal matches');
      return {
        kind: 'jail',
        jail: jail[1]!,
        filter: {
          currentlyFailed: int(this.item('Filter', 'Currently failed')?.value),
          totalFailed: int(this.item('Filter', 'Total failed')?.value),
          fileList: files ? words(files.value) : null,
          journalMatches: journal ? (journal.value ?? '') : null,
        },
        actions: {
          currentlyBanned: int(this.item('Actions', 'Currently banned')?.value),
          totalBanned: int(this.item('Actions', 'Total banned')?.value),
          bannedIPList: words(this.item('Actions', 'Banned IP list')?.value),
        },
        items: this.items,
      };
    }
    return { kind: 'unknown', items: this.items };
  }
}

/** Parses `fail2ban-client status [JAIL]` output. Never throws: a line outside the tree is kept with a diagnostic. */
export function parseStatus(text: string, options: { file?: string } = {}): StatusDocument {
  const raws = splitRaw(text, 'posix');
  const nodes: StatusNode[] = raws.map((raw) => ({ raw }));
  const diagnostics: Diagnostic[] = [];
  const items: StatusItem[] = [];
  /** The open group at each depth. */
  const stack: StatusItem[][] = [items];
  const title = raws.length ? stripEol(raws[0]!) : '';
  if (raws.length && title !== 'Status' && !title.startsWith('Status for the jail: '))
    diagnostics.push(diagnostic('fail2ban/status-title', 'warning', `not the title of fail2ban-client status output ("Status" or "Status for the jail: NAME")`, { line: 1, column: 1, endColumn: title.length + 1 }, options.file));
  for (let i = 1; i < raws.length; i++) {
    const line = i + 1;
    const text = stripEol(raws[i]!);
    const m = ITEM.exec(text);
    const depth = m ? m[1]!.length / 3 : -1;
    if (!m || depth >= stack.length) {
      diagnostics.push(diagnostic('fail2ban/status-unknown-line', 'warning', m ? 'an item deeper than the group it would belong to' : 'not an item of fail2ban-client status output (`|- KEY:\\tVALUE` or `` `- KEY ``)', { line, column: 1, endColumn: text.length + 1 }, options.file));
      continue;
    }
    const body = m[3]!;
    const tab = body.indexOf(':\t');
    const item: StatusItem = tab >= 0 ? { key: body.slice(0, tab), value: body.slice(tab + 2), items: [], line } : { key: body, value: null, items: [], line };
    stack.length = depth + 1;
    stack[depth]!.push(item);
    if (item.value === null) stack.push(item.items);
  }
  return new StatusDocument(nodes, title, items, dominantEol(text), diagnostics, options.file);
}

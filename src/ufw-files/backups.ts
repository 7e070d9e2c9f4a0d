/**
 * The backups `ufw reset` leaves: each of the six rule files renamed to `NAME.YYYYMMDD_HHMMSS`
 * (backend_iptables.reset, one stamp for the set) before the stock files are copied in.
 */
import { compareCodePoints, type FileSource } from '../core/files.js';
import { parseRules } from '../ufw-rules/parse.js';
import { ruleCommand, RESET_FILES } from './tree.js';

/** The files one `ufw reset` saved, by the stamp ufw gave them. */
export interface BackupSet {
  /** `20230613_150003`, as ufw names it (local time of the reset). */
  readonly stamp: string;
  /** The rule files of the set (`user.rules`, …), in ufw's order. */
  readonly files: readonly string[];
  /** The ufw commands of the set's rules (`ufw show added` for it), v4 then v6, de-duplicated. */
  readonly commands: readonly string[];
  readonly rules: { readonly v4: number; readonly v6: number };
}

const BACKUP_RE = /^((?:user|before|after)6?\.rules)\.(\d{8}_\d{6})$/;

/** The backup sets in etc/ufw below a root, oldest first. */
export function listBackups(files: FileSource, root = '/'): BackupSet[] {
  const dir = (root.endsWith('/') ? root : root + '/') + 'etc/ufw';
  const byStamp = new Map<string, string[]>();
  for (const name of [...(files.list(dir) ?? [])].sort(compareCodePoints)) {
    const m = BACKUP_RE.exec(name);
    if (!m) continue;
    const list = byStamp.get(m[2]!) ?? [];
    list.push(m[1]!);
    byStamp.set(m[2]!, list);
  }
  const out: BackupSet[] = [];
  for (const stamp of [...byStamp.keys()].sort(compareCodePoints)) {
    const names = byStamp.get(stamp)!;
    const ordered = RESET_FILES.filter((f) => names.includes(f));
    const rules = { v4: 0, v6: 0 };
    const commands: string[] = [];
    for (const [base, v6] of [['user.rules', false], ['user6.rules', true]] as const) {
      const text = names.includes(base) ? files.read(`${dir}/${base}.${stamp}`) : undefined;
      if (text === undefined) continue;
      for (const r of parseRules(text, { kind: 'user', v6 }).rules()) {
        rules[v6 ? 'v6' : 'v4']++;
        const c = 'ufw ' + ruleCommand(r.spec);
        if (!commands.includes(c)) commands.push(c);
      }
    }
    out.push({ stamp, files: ordered, commands, rules });
  }
  return out;
}

/** The path of one file of a set. */
export function backupPath(root: string, file: string, stamp: string): string {
  return `${root.endsWith('/') ? root : root + '/'}etc/ufw/${file}.${stamp}`;
}

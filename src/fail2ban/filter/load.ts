/**
 * A filter or a jail as fail2ban's client hands it to the server, ready for the engine: the filter
 * read through the same resolution as `fwconf fail2ban resolve` (.conf/.local overlay, [INCLUDES],
 * [Init] arguments `name[mode=aggressive]`), or a jail's filter and options.
 */
import { posix } from 'node:path';
import { NodeFileSource, type FileKind, type FileSource } from '../../core/files.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { resolve, type ResolvedFilter, type ResolvedJail } from '../resolve.js';
import type { FilterSpec } from './engine.js';

/** A FileSource with some files replaced and some hidden. */
class OverlayFiles implements FileSource {
  constructor(
    private readonly base: FileSource,
    private readonly extra: Map<string, string>,
    private readonly hidden: Set<string>,
  ) {}
  private isHidden(p: string): boolean {
    for (const h of this.hidden) if (p === h || p.startsWith(h + '/')) return true;
    return false;
  }
  read(p: string): string | undefined {
    if (this.extra.has(p)) return this.extra.get(p);
    return this.isHidden(p) ? undefined : this.base.read(p);
  }
  list(dir: string): string[] | undefined {
    if (this.isHidden(dir)) return undefined;
    const l = this.base.list(dir);
    const names = new Set((l ?? []).filter((n) => !this.isHidden(posix.join(dir, n))));
    for (const p of this.extra.keys()) if (posix.dirname(p) === dir) names.add(posix.basename(p));
    return l === undefined && names.size === 0 ? undefined : [...names];
  }
  stat(p: string): FileKind | undefined {
    if (this.extra.has(p)) return 'file';
    return this.isHidden(p) ? undefined : this.base.stat(p);
  }
}

/** A filter loaded for testing: its spec, and the resolved filter and jail it came from. */
export interface LoadedFilter {
  spec: FilterSpec;
  resolved?: ResolvedFilter;
  jail?: ResolvedJail;
  diagnostics: Diagnostic[];
  error?: string;
}

const JAIL = 'fwconf-filter-test';

/** The FilterSpec fail2ban-client would pass for a resolved filter (and its jail's options). */
export function specOf(f: ResolvedFilter, jail?: ResolvedJail): FilterSpec {
  const lt = jail?.options.logtimezone;
  return {
    failregex: f.failregex,
    ignoreregex: f.ignoreregex,
    ...(f.prefregex !== undefined ? { prefregex: f.prefregex } : {}),
    ...(f.maxlines !== undefined && f.maxlines !== null ? { maxlines: f.maxlines } : {}),
    ...(f.datepattern !== undefined ? { datepattern: f.datepattern } : {}),
    ...(f.usedns !== undefined ? { usedns: f.usedns } : jail?.options.usedns !== undefined ? { usedns: String(jail.options.usedns) } : {}),
    ...(typeof lt === 'string' ? { logtimezone: lt } : {}),
  };
}

/**
 * The filter `name` (a name under filter.d, with optional `[k=v, ...]` arguments) of `confDir`, as a
 * jail using only it would get it (jail.local and jail.d are not read).
 */
export function loadFilter(confDir: string, nameWithArgs: string, options: { files?: FileSource } = {}): LoadedFilter {
  const base = options.files ?? new NodeFileSource();
  const dir = confDir.replace(/\/+$/, '') || '/';
  const jailConf = `[${JAIL}]\nenabled = true\nbackend = auto\nfilter = ${nameWithArgs.replace(/\n/g, ' ')}\nlogpath = ${dir}\n`;
  const files = new OverlayFiles(base, new Map([[posix.join(dir, 'jail.conf'), jailConf]]), new Set([posix.join(dir, 'jail.local'), posix.join(dir, 'jail.d')]));
  const r = resolve(dir, { files, jail: JAIL });
  const j = r.jails[0];
  if (!j || j.error || !j.filter) return { spec: { failregex: [] }, diagnostics: r.diagnostics, error: j?.error ?? r.diagnostics.map((d) => d.message).join('; ') ?? 'filter not read' };
  return { spec: specOf(j.filter), resolved: j.filter, diagnostics: r.diagnostics };
}

/** A jail of `confDir` with its filter. */
export function loadJail(confDir: string, name: string, options: { files?: FileSource } = {}): LoadedFilter {
  const r = resolve(confDir, { ...(options.files ? { files: options.files } : {}), jail: name });
  const j = r.jails.find((x) => x.name === name);
  if (!j) return { spec: { failregex: [] }, diagnostics: r.diagnostics, error: r.sections.includes(name) ? `jail '${name}' is not enabled` : `jail '${name}' does not exist` };
  if (j.error || !j.filter) return { spec: { failregex: [] }, jail: j, diagnostics: r.diagnostics, error: j.error ?? `jail '${name}' has no filter` };
  return { spec: specOf(j.filter, j), resolved: j.filter, jail: j, diagnostics: r.diagnostics };
}

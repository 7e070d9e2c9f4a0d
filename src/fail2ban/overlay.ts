/**
 * The overlay: which files make up a logical name (`jail`, `filter.d/sshd`, `action.d/iptables`) and
 * in which order they are merged, as fail2ban 1.0.2's ConfigReaderUnshared.read and
 * SafeConfigParserWithIncludes._getIncludes decide it: NAME.conf, NAME.d/*.conf, NAME.local,
 * NAME.d/*.local, each expanded with its `[INCLUDES] before/after` (recursively, relative to the
 * including file, with a loop guard) and with the `.local` twin of every included `.conf`.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { glob, type FileSource } from '../core/files.js';
import { PyConfig, InterpolationError } from './config.js';
import { Fail2banDocument } from './document.js';

const posixDirname = (p: string): string => {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  if (i === 0) return '/';
  return p.slice(0, i).replace(/\/+$/, '') || '/';
};

/** os.path.join for two parts (no normalisation, as Python does it). */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  if (a === '' || a.endsWith('/')) return a + b;
  return a + '/' + b;
}

/** os.path.splitext(path)[0]: leading dots of the last component do not start an extension. */
function splitextBase(p: string): string {
  const slash = p.lastIndexOf('/');
  let i = slash + 1;
  while (p[i] === '.') i++;
  const dot = p.lastIndexOf('.');
  return dot >= i ? p.slice(0, dot) : p;
}

/** Reads and parses files once per resolution. */
export class FileCache {
  private readonly docs = new Map<string, Fail2banDocument | null>();
  private readonly configs = new Map<string, PyConfig | null>();
  private readonly includes = new Map<string, string[]>();
  readonly diagnostics: Diagnostic[] = [];
  /** A file configparser would reject: fail2ban-client stops. */
  fatal = false;

  constructor(readonly files: FileSource) {}

  document(path: string): Fail2banDocument | undefined {
    if (!this.docs.has(path)) {
      const text = this.files.read(path);
      const doc = text === undefined ? null : new Fail2banDocument(text, { file: path });
      this.docs.set(path, doc);
      if (doc) {
        this.diagnostics.push(...doc.diagnostics);
        if (doc.fatal) this.fatal = true;
      }
    }
    return this.docs.get(path) ?? undefined;
  }

  /** One file read alone (`_getSharedSCPWI`), or undefined when it cannot be read. */
  config(path: string): PyConfig | undefined {
    if (!this.configs.has(path)) {
      const doc = this.document(path);
      this.configs.set(path, doc ? PyConfig.fromContent(doc.content()) : null);
    }
    return this.configs.get(path) ?? undefined;
  }

  /** All documents read so far. */
  documents(): Map<string, Fail2banDocument> {
    const m = new Map<string, Fail2banDocument>();
    for (const [k, v] of this.docs) if (v) m.set(k, v);
    return m;
  }

  /** `_getIncludes(filenames, seen)`. */
  getIncludes(filenames: string[], seen: string[] = []): string[] {
    const expanded: string[] = [];
    for (const f of filenames) {
      expanded.push(f);
      const local = splitextBase(f) + '.local';
      if (!filenames.includes(local) && this.files.stat(local) === 'file') expanded.push(local);
    }
    const out: string[] = [];
    for (const f of expanded) out.push(...this.includesUncached(f, seen));
    return out;
  }

  private includesUncached(resource: string, seen: string[]): string[] {
    const key = resource + '\u0001' + seen.join('\u0001');
    const cached = this.includes.get(key);
    if (cached) return cached;
    const parser = this.config(resource);
    if (!parser) return [];
    const dir = posixDirname(resource);
    const before: string[] = [];
    const after: string[] = [];
    if (parser.hasSection('INCLUDES')) {
      const names = parser.options('INCLUDES', true);
      for (const [opt, list] of [['before', before], ['after', after]] as const) {
        if (!names.includes(opt)) continue;
        let value: string;
        try {
          value = String(parser.get('INCLUDES', opt));
        } catch (e) {
          if (e instanceof InterpolationError) {
            this.fatal = true;
            const o = parser.getVal('INCLUDES', opt, { raw: true }).origin;
            this.diagnostics.push(diagnostic('fail2ban/interpolation', 'error', `[INCLUDES] ${opt}: ${e.detail}`, { line: o?.line ?? 1, column: 1 }, resource));
            continue;
          }
          throw e;
        }
        for (const r0 of value.split('\n')) {
          const r = r0.startsWith('/') ? r0 : pyJoin(dir, r0);
          if (seen.includes(r)) continue;
          list.push(...this.getIncludes([r], [...seen, resource]));
        }
      }
    }
    const result = [...before, resource, ...after];
    this.includes.set(key, result);
    return result;
  }

  /** `ConfigReaderUnshared.read(name)`: the merged store for a logical name under `basedir`, or undefined when no file exists. */
  readName(basedir: string, name: string): PyConfig | undefined {
    const base = pyJoin(basedir, name);
    const candidates = [
      base + '.conf',
      ...glob(this.files, base + '.d/*.conf').filter((p) => !p.slice(p.lastIndexOf('/') + 1).startsWith('.')),
      base + '.local',
      ...glob(this.files, base + '.d/*.local').filter((p) => !p.slice(p.lastIndexOf('/') + 1).startsWith('.')),
    ].filter((p) => this.files.stat(p) !== undefined);
    if (candidates.length === 0) return undefined;
    const order = this.getIncludes(candidates);
    const merged = new PyConfig();
    let read = 0;
    for (const f of order) {
      const c = this.config(f);
      if (!c) continue;
      read++;
      merged.mergeFile(f, c);
    }
    return read > 0 ? merged : undefined;
  }
}

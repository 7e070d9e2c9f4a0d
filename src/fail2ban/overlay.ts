/**
 * The overlay: which files make up a logical name (`jail`, `filter.d/sshd`, `action.d/iptables`) and
 * in which order they are merged, as fail2ban 1.0.2's ConfigReaderUnshared.read and
 * SafeConfigParserWithIncludes._getIncludes decide it: NAME.conf, NAME.d/*.conf, NAME.local,
 * NAME.d/*.local, each expanded with its `[INCLUDES] before/after` (recursively, relative to the
 * including file, with a loop guard) and with the `.local` twin of every included `.conf`.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { FileSource } from '../core/files.js';
import { compareCodePoints } from '../core/files.js';
import { PyConfig, InterpolationError } from './config.js';
import { Fail2banDocument } from './document.js';
import { readConfigText } from './decode.js';
import { fastIniContent } from './parse.js';

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

  private readonly texts = new Map<string, string | undefined>();

  /** The text of a file as fail2ban decodes it (undefined when fail2ban cannot read it, or drops it). */
  private text(path: string): string | undefined {
    if (!this.texts.has(path)) {
      const r = readConfigText(this.files, path);
      let text: string | undefined;
      if (r === undefined) text = undefined;
      else if ('text' in r) text = r.text;
      else if ('dropped' in r) this.diagnostics.push(r.dropped);
      else {
        this.fatal = true;
        this.diagnostics.push(...r.fatal);
      }
      this.texts.set(path, text);
    }
    return this.texts.get(path);
  }

  /** The file parsed, read once and kept; undefined when it cannot be read. */
  document(path: string): Fail2banDocument | undefined {
    if (!this.docs.has(path)) {
      const text = this.text(path);
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
      // A file with nothing to report goes through the fast reader; the lossless document (and its
      // diagnostics) is built only for the others, or when asked for.
      const text = this.docs.has(path) ? undefined : this.text(path);
      const fast = text === undefined ? undefined : fastIniContent(text, path);
      if (fast) {
        this.read.push(path);
        this.configs.set(path, PyConfig.fromContent(fast));
      } else {
        const doc = this.document(path);
        this.configs.set(path, doc ? PyConfig.fromContent(doc.content()) : null);
      }
    }
    return this.configs.get(path) ?? undefined;
  }

  /** Files read through the fast reader (their documents are built on demand). */
  private readonly read: string[] = [];

  /** All documents read so far. */
  documents(): Map<string, Fail2banDocument> {
    for (const p of this.read.splice(0)) this.document(p);
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
    // glob.glob('NAME.d/*.conf'): names not starting with a dot, sorted (Python sorted() on the paths).
    const names = this.files.list(base + '.d');
    const inDir = (ext: string) =>
      names
        ? names
            .filter((n) => n.endsWith(ext) && !n.startsWith('.'))
            .map((n) => base + '.d/' + n)
            .sort(compareCodePoints)
        : [];
    const candidates = [base + '.conf', ...inDir('.conf'), base + '.local', ...inDir('.local')].filter((p) => this.files.stat(p) !== undefined);
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

/** A FileSource that asks the underlying one at most once per path (one resolution reads many files twice). */
export class MemoFileSource implements FileSource {
  private readonly reads = new Map<string, string | undefined>();
  private readonly lists = new Map<string, string[] | undefined>();
  private readonly stats = new Map<string, ReturnType<FileSource['stat']>>();
  /** Only when the underlying source has it; not memoised (FileCache reads each file once). */
  readonly readBytes?: (path: string) => Uint8Array | undefined;
  constructor(readonly inner: FileSource) {
    const bytes = inner.readBytes?.bind(inner);
    if (bytes) this.readBytes = (path) => (this.stat(path) === undefined ? undefined : bytes(path));
  }
  read(path: string): string | undefined {
    if (!this.reads.has(path)) this.reads.set(path, this.stat(path) === undefined ? undefined : this.inner.read(path));
    return this.reads.get(path);
  }
  list(dir: string): string[] | undefined {
    if (!this.lists.has(dir)) this.lists.set(dir, this.stat(dir) === undefined ? undefined : this.inner.list(dir));
    return this.lists.get(dir);
  }
  stat(path: string): ReturnType<FileSource['stat']> {
    if (!this.stats.has(path)) this.stats.set(path, this.statUncached(path));
    return this.stats.get(path);
  }
  /**
   * A path whose parent directory is listed and does not hold its name does not exist: one listing
   * per directory answers every miss (most of fail2ban's look-ups are misses: NAME.local, NAME.d/).
   * Only for plain absolute paths (no `.`/`..` components, no doubled or trailing slashes).
   */
  private statUncached(path: string): ReturnType<FileSource['stat']> {
    const slash = path.lastIndexOf('/');
    if (slash > 0 && path[0] === '/' && slash < path.length - 1 && !/\/\.\.?(?:\/|$)|\/\//.test(path)) {
      const parent = path.slice(0, slash);
      const ps = this.stat(parent);
      if (ps === undefined || ps === 'file') return undefined;
      if (ps === 'dir') {
        const names = this.nameSet(parent);
        if (names && !names.has(path.slice(slash + 1))) return undefined;
      }
    }
    return this.inner.stat(path);
  }
  private readonly nameSets = new Map<string, Set<string> | undefined>();
  private nameSet(dir: string): Set<string> | undefined {
    if (!this.nameSets.has(dir)) {
      const l = this.list(dir);
      this.nameSets.set(dir, l && new Set(l));
    }
    return this.nameSets.get(dir);
  }
}

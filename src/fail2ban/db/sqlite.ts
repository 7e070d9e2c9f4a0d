/**
 * A small read-only reader of the SQLite 3 file format (https://www.sqlite.org/fileformat2.html): the
 * 100-byte header, the schema table on page 1, table b-trees (interior and leaf pages), the record format
 * (varints and serial types), overflow pages, and the committed frames of a write-ahead log. Enough to read
 * every row of a rowid table; index b-trees are not needed (a table scan is), WITHOUT ROWID tables are
 * refused. No native build, no WebAssembly, nothing written: the reader works on bytes.
 *
 * Values keep their SQLite storage class: `null`, `bigint` (INTEGER), `number` (REAL), `string` (TEXT)
 * and `Uint8Array` (BLOB).
 */

export type SqliteValue = null | bigint | number | string | Uint8Array;

/** A file that is not a (readable) SQLite database, or one whose pages contradict each other. */
export class SqliteFormatError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file (or the write-ahead log) where the problem is, when one place is to blame. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'SqliteFormatError';
  }
}

export interface SqliteHeader {
  pageSize: number;
  /** Bytes at the end of each page reserved for extensions. */
  reserved: number;
  /** Offset 24: incremented by every write transaction (not in WAL mode). */
  changeCounter: number;
  /** Pages in the database, from the header when it is valid, else from the file's size. */
  pageCount: number;
  firstFreelistTrunk: number;
  freelistPages: number;
  schemaCookie: number;
  schemaFormat: number;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  userVersion: number;
  /** File format read/write versions: 1 legacy (rollback journal), 2 WAL. */
  writeVersion: number;
  readVersion: number;
  sqliteVersion: number;
}

export interface SchemaEntry {
  type: 'table' | 'index' | 'view' | 'trigger' | string;
  name: string;
  tableName: string;
  rootPage: number;
  sql: string | null;
}

export interface Column {
  name: string;
  /** The declared type as written (`INTEGER`, `TEXT`, `JSON`, ``). */
  type: string;
  /** This column is the rowid (`INTEGER PRIMARY KEY`): the record holds NULL for it. */
  rowidAlias: boolean;
}

export interface Row {
  rowid: bigint;
  /** One value per column of the table (a record shorter than the table, after ALTER TABLE ADD COLUMN, reads as NULL). */
  values: SqliteValue[];
}

const MAGIC = 'SQLite format 3\u0000';
const MAX_DEPTH = 64;

export interface OpenOptions {
  /** The write-ahead log (`FILE-wal`), when there is one: its committed frames replace the pages they hold. */
  wal?: Uint8Array;
}

/** The header of a database file, without reading the rest (for the change counter). */
export function readHeader(bytes: Uint8Array): SqliteHeader {
  if (bytes.length === 0) throw new SqliteFormatError('the file is empty, not a SQLite 3 database', 0);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) throw new SqliteFormatError(bytes.length <= i ? `the file has ${bytes.length} bytes, fewer than the 100 of a SQLite header` : 'not a SQLite 3 database (the file does not start with "SQLite format 3")', 0);
  if (bytes.length < 100) throw new SqliteFormatError(`the file has ${bytes.length} bytes, fewer than the 100 of a SQLite header`, 0);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = v.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new SqliteFormatError(`page size ${raw} is not a power of two between 512 and 65536`, 16);
  const reserved = bytes[20]!;
  if (pageSize - reserved < 480) throw new SqliteFormatError(`${reserved} reserved bytes leave less than 480 usable bytes in a page`, 20);
  const changeCounter = v.getUint32(24);
  const headerPages = v.getUint32(28);
  const validFor = v.getUint32(92);
  const filePages = Math.floor(bytes.length / pageSize);
  const pageCount = headerPages !== 0 && validFor === changeCounter ? headerPages : filePages;
  const enc = v.getUint32(56);
  const encoding = enc === 2 ? 'utf-16le' : enc === 3 ? 'utf-16be' : 'utf-8';
  if (enc > 3) throw new SqliteFormatError(`text encoding ${enc} is not 1 (UTF-8), 2 (UTF-16le) or 3 (UTF-16be)`, 56);
  return {
    pageSize,
    reserved,
    changeCounter,
    pageCount,
    firstFreelistTrunk: v.getUint32(32),
    freelistPages: v.getUint32(36),
    schemaCookie: v.getUint32(40),
    schemaFormat: v.getUint32(44),
    encoding,
    userVersion: v.getUint32(60),
    writeVersion: bytes[18]!,
    readVersion: bytes[19]!,
    sqliteVersion: v.getUint32(96),
  };
}

/** A database's bytes (and its write-ahead log's), read on demand. */
export class SqliteDatabase {
  readonly header: SqliteHeader;
  /** Pages the write-ahead log's committed frames replace (page number → offset of its data in the log). */
  readonly walPages: ReadonlyMap<number, number>;
  /** Committed frames read from the write-ahead log. */
  readonly walFrames: number;
  private readonly bytes: Uint8Array;
  private readonly wal: Uint8Array | undefined;
  private readonly decoder: { decode(b: Uint8Array): string };
  private readonly usable: number;
  private schemaCache: SchemaEntry[] | undefined;

  constructor(bytes: Uint8Array, options: OpenOptions = {}) {
    this.bytes = bytes;
    this.header = readHeader(bytes);
    this.usable = this.header.pageSize - this.header.reserved;
    const w = options.wal && options.wal.length ? readWal(options.wal, this.header.pageSize) : undefined;
    this.wal = w ? options.wal : undefined;
    this.walPages = w?.pages ?? new Map();
    this.walFrames = w?.frames ?? 0;
    if (w?.pageCount) (this.header as { pageCount: number }).pageCount = w.pageCount;
    // Page 1 may itself be in the log (a schema change): the header the pages obey is the log's.
    if (this.walPages.has(1)) {
      const h = readHeader(this.page(1));
      this.header = { ...h, pageCount: w?.pageCount || h.pageCount };
      this.usable = this.header.pageSize - this.header.reserved;
    }
    this.decoder = new TextDecoder(this.header.encoding, { fatal: false });
  }

  /** The bytes of page `n` (1-based), from the log when it holds a committed copy. */
  page(n: number): Uint8Array {
    const size = this.header.pageSize;
    if (!Number.isInteger(n) || n < 1 || n > Math.max(this.header.pageCount, this.walMax())) throw new SqliteFormatError(`page ${n} is outside the database (${this.header.pageCount} pages)`);
    const at = this.walPages.get(n);
    if (at !== undefined) return this.wal!.subarray(at, at + size);
    const start = (n - 1) * size;
    if (start + size > this.bytes.length) throw new SqliteFormatError(`page ${n} lies past the end of the file (${this.bytes.length} bytes)`, start);
    return this.bytes.subarray(start, start + size);
  }

  private walMax(): number {
    let m = 0;
    for (const k of this.walPages.keys()) if (k > m) m = k;
    return m;
  }

  /** The rows of `sqlite_schema` (page 1). */
  schema(): SchemaEntry[] {
    if (this.schemaCache) return this.schemaCache;
    const out: SchemaEntry[] = [];
    for (const r of this.scan(1)) {
      const [type, name, tbl, root, sql] = r.values;
      out.push({
        type: String(type),
        name: String(name),
        tableName: String(tbl),
        rootPage: typeof root === 'bigint' ? Number(root) : 0,
        sql: typeof sql === 'string' ? sql : null,
      });
    }
    return (this.schemaCache = out);
  }

  /** The tables (not indexes, views or triggers), in schema order. */
  tables(): SchemaEntry[] {
    return this.schema().filter((e) => e.type === 'table');
  }

  /** The table of that name (case-insensitive, as SQLite names are), if the schema has it. */
  table(name: string): SchemaEntry | undefined {
    const low = name.toLowerCase();
    return this.tables().find((e) => e.name.toLowerCase() === low);
  }

  /** The columns of a table, from its CREATE TABLE statement. */
  columns(name: string): Column[] {
    const t = this.table(name);
    if (!t) throw new SqliteFormatError(`no table '${name}'`);
    if (t.name.toLowerCase() === 'sqlite_sequence') return [{ name: 'name', type: '', rowidAlias: false }, { name: 'seq', type: '', rowidAlias: false }];
    const parsed = parseCreateTable(t.sql ?? '');
    if (parsed.withoutRowid) throw new SqliteFormatError(`table '${t.name}' is a WITHOUT ROWID table, which this reader does not read`);
    return parsed.columns;
  }

  /** Every row of a table, in rowid order, with the rowid alias column filled in. */
  *rows(name: string): Generator<Row> {
    const t = this.table(name);
    if (!t) throw new SqliteFormatError(`no table '${name}'`);
    const cols = this.columns(name);
    const alias = cols.findIndex((c) => c.rowidAlias);
    // A REAL column stores integral values as integers; SQLite reads them back as REAL.
    const real = cols.map((c) => affinity(c.type) === 'REAL');
    for (const r of this.scan(t.rootPage)) {
      const values = r.values.slice(0, cols.length);
      while (values.length < cols.length) values.push(null);
      if (alias >= 0 && values[alias] === null) values[alias] = r.rowid;
      for (let i = 0; i < values.length; i++) if (real[i] && typeof values[i] === 'bigint') values[i] = Number(values[i]);
      yield { rowid: r.rowid, values };
    }
  }

  /** Rows as objects keyed by column name. */
  *objects(name: string): Generator<Record<string, SqliteValue> & { rowid: bigint }> {
    const cols = this.columns(name);
    for (const r of this.rows(name)) {
      const o: Record<string, SqliteValue> = {};
      cols.forEach((c, i) => (o[c.name] = r.values[i]!));
      yield Object.assign(o, { rowid: r.rowid });
    }
  }

  /** The records of the table b-tree rooted at `root`, depth first (rowid order). */
  *scan(root: number): Generator<{ rowid: bigint; values: SqliteValue[] }> {
    const seen = new Set<number>();
    const stack: { page: number; depth: number }[] = [{ page: root, depth: 0 }];
    while (stack.length) {
      const { page: n, depth } = stack.pop()!;
      if (seen.has(n)) throw new SqliteFormatError(`page ${n} is reached twice in the b-tree rooted at page ${root}`, (n - 1) * this.header.pageSize);
      seen.add(n);
      if (depth > MAX_DEPTH) throw new SqliteFormatError(`the b-tree rooted at page ${root} is deeper than ${MAX_DEPTH} pages`);
      const p = this.page(n);
      const base = n === 1 ? 100 : 0;
      const type = p[base]!;
      const fileAt = (n - 1) * this.header.pageSize + base;
      const cells = (p[base + 3]! << 8) | p[base + 4]!;
      if (type === 0x05) {
        const right = u32(p, base + 8);
        // Children pushed in reverse so the leftmost is read first.
        stack.push({ page: right, depth: depth + 1 });
        for (let i = cells - 1; i >= 0; i--) {
          const at = (p[base + 12 + 2 * i]! << 8) | p[base + 13 + 2 * i]!;
          if (at + 4 > p.length) throw new SqliteFormatError(`cell ${i} of page ${n} points outside the page`, fileAt);
          stack.push({ page: u32(p, at), depth: depth + 1 });
        }
      } else if (type === 0x0d) {
        for (let i = 0; i < cells; i++) {
          const at = (p[base + 8 + 2 * i]! << 8) | p[base + 9 + 2 * i]!;
          if (at >= p.length) throw new SqliteFormatError(`cell ${i} of page ${n} points outside the page`, fileAt);
          yield this.leafCell(p, at, n);
        }
      } else if (type === 0x02 || type === 0x0a) {
        throw new SqliteFormatError(`page ${n} is an index b-tree page where a table b-tree page was expected`, fileAt);
      } else {
        throw new SqliteFormatError(`page ${n} has page type ${type}, not a b-tree page`, fileAt);
      }
    }
  }

  private leafCell(p: Uint8Array, at: number, n: number): { rowid: bigint; values: SqliteValue[] } {
    const [size, a0] = varintNumber(p, at);
    if (a0 < 0) throw new SqliteFormatError(`a cell of page ${n} has a payload size beyond 2^49 bytes`);
    const a = a0;
    const [rowid, b] = varint(p, a);
    const total = size;
    const U = this.usable;
    const X = U - 35;
    let local = total;
    if (total > X) {
      const M = Math.floor(((U - 12) * 32) / 255) - 23;
      const K = M + ((total - M) % (U - 4));
      local = K <= X ? K : M;
    }
    if (b + local > U) throw new SqliteFormatError(`a cell of page ${n} runs past the page's usable bytes`, (n - 1) * this.header.pageSize + at);
    let payload: Uint8Array;
    if (local === total) payload = p.subarray(b, b + total);
    else {
      payload = new Uint8Array(total);
      payload.set(p.subarray(b, b + local), 0);
      let filled = local;
      let next = u32(p, b + local);
      const seen = new Set<number>();
      while (filled < total) {
        if (next === 0) throw new SqliteFormatError(`the overflow chain of a cell of page ${n} ends after ${filled} of ${total} bytes`);
        if (seen.has(next)) throw new SqliteFormatError(`the overflow chain of a cell of page ${n} loops at page ${next}`);
        seen.add(next);
        const o = this.page(next);
        const take = Math.min(U - 4, total - filled);
        payload.set(o.subarray(4, 4 + take), filled);
        filled += take;
        next = u32(o, 0);
      }
    }
    return { rowid: BigInt.asIntN(64, rowid), values: this.record(payload, n) };
  }

  /** Decodes a record (https://www.sqlite.org/fileformat2.html#record_format). */
  record(r: Uint8Array, page = 0): SqliteValue[] {
    const [headerEnd, h0] = varintNumber(r, 0);
    if (headerEnd > r.length || headerEnd < h0) throw new SqliteFormatError(`a record on page ${page} has a header of ${headerEnd} bytes in a payload of ${r.length}`);
    const types: number[] = [];
    if (h0 < 0) throw new SqliteFormatError(`a record on page ${page} has a header size beyond 2^49 bytes`);
    for (let i = h0; i < headerEnd; ) {
      const t = shortVarint(r, i);
      if (varintEnd < 0) throw new SqliteFormatError(`a record on page ${page} has a serial type beyond 2^49`);
      types.push(t);
      i = varintEnd;
    }
    const out: SqliteValue[] = [];
    let at = headerEnd;
    const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
    for (const t of types) {
      const len = serialLength(t);
      if (at + len > r.length) throw new SqliteFormatError(`a record on page ${page} is shorter than its header says`);
      switch (t) {
        case 0:
          out.push(null);
          break;
        case 1:
          out.push(BigInt(v.getInt8(at)));
          break;
        case 2:
          out.push(BigInt(v.getInt16(at)));
          break;
        case 3:
          out.push(BigInt((v.getInt8(at) << 16) | (r[at + 1]! << 8) | r[at + 2]!));
          break;
        case 4:
          out.push(BigInt(v.getInt32(at)));
          break;
        case 5:
          out.push((BigInt(v.getInt16(at)) << 32n) | BigInt(v.getUint32(at + 2)));
          break;
        case 6:
          out.push(v.getBigInt64(at));
          break;
        case 7:
          out.push(v.getFloat64(at));
          break;
        case 8:
          out.push(0n);
          break;
        case 9:
          out.push(1n);
          break;
        case 10:
        case 11:
          throw new SqliteFormatError(`a record on page ${page} uses the reserved serial type ${t}`);
        default:
          out.push(t % 2 === 0 ? r.slice(at, at + len) : this.decoder.decode(r.subarray(at, at + len)));
      }
      at += len;
    }
    return out;
  }
}

/** A declared type's affinity (https://www.sqlite.org/datatype3.html#determination_of_column_affinity). */
export function affinity(type: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

function serialLength(t: number): number {
  if (t < 12) return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][t]!;
  return Math.floor((t - 12) / 2);
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** A SQLite varint (1–9 bytes, big-endian, the ninth byte whole). Returns the value and the offset after it. */
export function varint(b: Uint8Array, at: number): [bigint, number] {
  const [n, next] = varintNumber(b, at);
  if (next >= 0) return [BigInt(n), next];
  return varintBig(b, at);
}

/**
 * A varint of at most 7 bytes (49 bits, exact in a double) as a number, the common case (sizes, serial
 * types, rowids below 2^49); next is -1 for a longer one, which {@link varint} reads as a bigint.
 */
export function varintNumber(b: Uint8Array, at: number): [number, number] {
  const v = shortVarint(b, at);
  return [v, varintEnd];
}

/** Where the last {@link shortVarint} ended (-1: longer than 7 bytes). A module variable: no tuple per varint. */
let varintEnd = 0;

function shortVarint(b: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 0; i < 7; i++) {
    const x = b[at + i];
    if (x === undefined) throw new SqliteFormatError('a varint runs past the end of its page');
    v = v * 128 + (x & 0x7f);
    if (x < 0x80) {
      varintEnd = at + i + 1;
      return v;
    }
  }
  varintEnd = -1;
  return 0;
}

function varintBig(b: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    if (at + i >= b.length) throw new SqliteFormatError('a varint runs past the end of its page');
    const x = b[at + i]!;
    v = (v << 7n) | BigInt(x & 0x7f);
    if (x < 0x80) return [v, at + i + 1];
  }
  if (at + 8 >= b.length) throw new SqliteFormatError('a varint runs past the end of its page');
  return [BigInt.asUintN(64, (v << 8n) | BigInt(b[at + 8]!)), at + 9];
}

/**
 * The committed frames of a write-ahead log (https://www.sqlite.org/fileformat2.html#walformat): frames
 * whose salts match the log's header and whose running checksum holds, up to the last commit frame.
 * Later frames (a transaction under way, or left from an earlier log) are ignored, as SQLite does.
 */
export function readWal(wal: Uint8Array, dbPageSize: number): { pages: Map<number, number>; frames: number; pageCount: number } {
  const pages = new Map<number, number>();
  if (wal.length < 32) return { pages, frames: 0, pageCount: 0 };
  const v = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = v.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) throw new SqliteFormatError('the -wal file is not a SQLite write-ahead log (bad magic number)', 0);
  const bigEndian = magic === 0x377f0683;
  const pageSize = v.getUint32(8);
  if (pageSize !== dbPageSize && pageSize !== 0) throw new SqliteFormatError(`the write-ahead log's page size ${pageSize} is not the database's ${dbPageSize}`, 8);
  const salt1 = v.getUint32(16);
  const salt2 = v.getUint32(20);
  let [s1, s2] = walChecksum(wal, 0, 24, 0, 0, bigEndian);
  if (s1 !== v.getUint32(24) || s2 !== v.getUint32(28)) return { pages, frames: 0, pageCount: 0 };
  const frameSize = 24 + dbPageSize;
  const pending = new Map<number, number>();
  let frames = 0;
  let counted = 0;
  let pageCount = 0;
  for (let at = 32; at + frameSize <= wal.length; at += frameSize) {
    if (v.getUint32(at + 8) !== salt1 || v.getUint32(at + 12) !== salt2) break;
    [s1, s2] = walChecksum(wal, at, 8, s1, s2, bigEndian);
    [s1, s2] = walChecksum(wal, at + 24, dbPageSize, s1, s2, bigEndian);
    if (s1 !== v.getUint32(at + 16) || s2 !== v.getUint32(at + 20)) break;
    const pageNo = v.getUint32(at);
    pending.set(pageNo, at + 24);
    counted++;
    const commit = v.getUint32(at + 4);
    if (commit !== 0) {
      for (const [k, o] of pending) pages.set(k, o);
      pending.clear();
      frames = counted;
      pageCount = commit;
    }
  }
  return { pages, frames, pageCount };
}

function walChecksum(b: Uint8Array, at: number, len: number, s1: number, s2: number, bigEndian: boolean): [number, number] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = at; i < at + len; i += 8) {
    s1 = (s1 + v.getUint32(i, !bigEndian) + s2) >>> 0;
    s2 = (s2 + v.getUint32(i + 4, !bigEndian) + s1) >>> 0;
  }
  return [s1, s2];
}

/** The columns of a CREATE TABLE statement (what a table scan needs: names, declared types, the rowid alias). */
export function parseCreateTable(sql: string): { columns: Column[]; withoutRowid: boolean } {
  const toks = tokenize(sql);
  let i = toks.findIndex((t) => t.text === '(');
  if (i < 0) throw new SqliteFormatError(`cannot read the columns of: ${sql.slice(0, 80)}`);
  // Split the parenthesised body at top-level commas.
  const defs: Tok[][] = [[]];
  let depth = 0;
  for (i++; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '(') depth++;
    if (t.text === ')') {
      if (depth === 0) break;
      depth--;
    }
    if (t.text === ',' && depth === 0) defs.push([]);
    else defs[defs.length - 1]!.push(t);
  }
  const tail = toks.slice(i + 1).map((t) => t.text.toUpperCase());
  const withoutRowid = tail.some((t, k) => t === 'WITHOUT' && tail[k + 1] === 'ROWID');
  const columns: Column[] = [];
  let pkTable: string[] | undefined;
  const constraintStart = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
  for (const d of defs) {
    if (!d.length) continue;
    const first = d[0]!;
    if (!first.quoted && constraintStart.has(first.text.toUpperCase())) {
      const up = d.map((t) => (t.quoted ? '' : t.text.toUpperCase()));
      const p = up.indexOf('PRIMARY');
      if (p >= 0 && up[p + 1] === 'KEY') {
        const open = d.findIndex((t, k) => k > p && t.text === '(');
        const names: string[] = [];
        for (let k = open + 1; k < d.length && d[k]!.text !== ')'; k++) if (d[k]!.text !== ',' && (names.length === 0 || d[k - 1]!.text === ',')) names.push(d[k]!.value);
        pkTable = names;
      }
      continue;
    }
    const typeWords: string[] = [];
    let k = 1;
    const stop = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);
    for (; k < d.length; k++) {
      const t = d[k]!;
      if (!t.quoted && stop.has(t.text.toUpperCase())) break;
      if (t.text === '(') {
        // (precision, scale) belongs to the type.
        let e = k;
        while (e < d.length && d[e]!.text !== ')') e++;
        typeWords.push(d.slice(k, e + 1).map((x) => x.text).join(''));
        k = e;
        continue;
      }
      typeWords.push(t.text);
    }
    const up = d.slice(k).map((t) => (t.quoted ? '' : t.text.toUpperCase()));
    const p = up.indexOf('PRIMARY');
    const pk = p >= 0 && up[p + 1] === 'KEY';
    const desc = pk && up[p + 2] === 'DESC';
    const type = typeWords.join(' ');
    columns.push({ name: first.value, type, rowidAlias: pk && !desc && type.toUpperCase() === 'INTEGER' });
  }
  if (pkTable && pkTable.length === 1) {
    const c = columns.find((x) => x.name.toLowerCase() === pkTable![0]!.toLowerCase());
    if (c && c.type.toUpperCase() === 'INTEGER') c.rowidAlias = true;
  }
  if (withoutRowid) for (const c of columns) c.rowidAlias = false;
  return { columns, withoutRowid };
}

interface Tok {
  text: string;
  /** The identifier's name, quotes removed. */
  value: string;
  quoted: boolean;
}

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? sql.length : e + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? sql.length : e + 2;
      continue;
    }
    if (c === '"' || c === '`' || c === "'" || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let value = '';
      for (; j < sql.length; j++) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            value += close;
            j++;
            continue;
          }
          break;
        }
        value += sql[j];
      }
      out.push({ text: sql.slice(i, j + 1), value, quoted: true });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ text: c, value: c, quoted: false });
      i++;
      continue;
    }
    let j = i;
    while (j < sql.length && !/[\s(),"`'[]/.test(sql[j]!)) j++;
    if (j === i) j++;
    out.push({ text: sql.slice(i, j), value: sql.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

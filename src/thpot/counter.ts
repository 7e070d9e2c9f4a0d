/**
 * Hit counts by string key, where the key is looked up as a range of a bigger string (a line inside
 * a chunk) without making the substring: a per-line lookup allocates nothing, and only a key seen
 * for the first time is copied out. Open addressing on a seeded FNV-1a hash of the UTF-16 units;
 * keys stay in insertion order.
 */
/**
 * Bytes that decode to text: a Node Buffer (a chunk of a file). Written as the two things the
 * counters use, so the declarations need no Node types.
 */
export interface TextBytes {
  readonly [index: number]: number;
  readonly length: number;
  /** The text of bytes `start..end`, decoded as UTF-8 or Latin-1 (Buffer's `toString`). */
  toString(encoding: 'utf8' | 'latin1', start: number, end: number): string;
}

export class KeyCounter {
  /** Slot → key index + 1 (0 = empty). */
  private slots = new Int32Array(1024);
  private mask = 1023;
  private readonly hashes: number[] = [];
  private readonly keyList: string[] = [];
  private readonly countList: number[] = [];
  /** Per-instance seed, so that no fixed set of keys collides by design. */
  private readonly seed = (Math.random() * 0x100000000) | 0;

  /** Distinct keys. */
  get size(): number {
    return this.keyList.length;
  }

  /** Counts one hit on `s.slice(start, end)`. */
  addRange(s: string, start: number, end: number): void {
    let h = this.seed ^ 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = this.mask;
    const keys = this.keyList;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const k = slots[slot]!;
      if (k === 0) break;
      const key = keys[k - 1]!;
      if (this.hashes[k - 1] === h && key.length === len && sameRange(key, s, start, len)) {
        this.countList[k - 1]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys.push(copyOf(s, start, end));
    this.hashes.push(h);
    this.countList.push(1);
    slots[slot] = keys.length;
    if (keys.length * 2 > mask) this.grow();
  }

  /**
   * Counts one hit on the UTF-8 text of `b[start..end)`. ASCII is looked up in place (its bytes are
   * its UTF-16 units, so it hashes and compares as the same key); anything else is decoded first,
   * so keys are always the decoded text.
   */
  addBytes(b: TextBytes, start: number, end: number): void {
    let h = this.seed ^ 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return this.add(b.toString('utf8', start, end));
      h = Math.imul(h ^ c, 0x01000193);
    }
    const slots = this.slots;
    const mask = this.mask;
    const keys = this.keyList;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const k = slots[slot]!;
      if (k === 0) break;
      const key = keys[k - 1]!;
      if (this.hashes[k - 1] === h && key.length === len && sameBytes(key, b, start, len)) {
        this.countList[k - 1]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys.push(b.toString('latin1', start, end));
    this.hashes.push(h);
    this.countList.push(1);
    slots[slot] = keys.length;
    if (keys.length * 2 > mask) this.grow();
  }

  /** Counts one hit on `key`. */
  add(key: string): void {
    this.addRange(key, 0, key.length);
  }

  /** Keys and counts, in the order the keys were first seen. */
  entries(): [string, number][] {
    return this.keyList.map((k, i) => [k, this.countList[i]!]);
  }

  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < this.keyList.length; k++) {
      let slot = this.hashes[k]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function sameBytes(key: string, b: TextBytes, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (key.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

function sameRange(key: string, s: string, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (key.charCodeAt(i) !== s.charCodeAt(start + i)) return false;
  return true;
}

/**
 * `s.slice(start, end)` as a string of its own: V8 makes a slice of 13 or more characters a view that
 * keeps all of `s` alive, and a counter's key outlives the chunk it came from.
 */
function copyOf(s: string, start: number, end: number): string {
  if (end - start < 13) return s.slice(start, end);
  return s.slice(start, end).split('').join('');
}

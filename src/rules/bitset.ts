/**
 * Growable bit sets for segment membership: pairwise overlaps of S segments over n records cost
 * S² · n / 32 word operations.
 * @internal
 */

/** A set of record indices; it grows as members are added. @internal */
export class BitSet {
  private data: Uint32Array;

  /** `size`: the number of indices to make room for now (the set grows past it as needed). */
  constructor(size = 0) {
    this.data = new Uint32Array(Math.ceil(size / 32));
  }

  /** The words holding the members (bits past the last member are 0). */
  get words(): Uint32Array {
    return this.data;
  }

  add(i: number): void {
    const w = i >>> 5;
    if (w >= this.data.length) this.grow(w + 1);
    this.data[w]! |= 1 << (i & 31);
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.data.length && (this.data[w]! & (1 << (i & 31))) !== 0;
  }

  /** Number of members. */
  count(): number {
    let c = 0;
    for (const w of this.data) c += popcount(w);
    return c;
  }

  /** Size of the intersection with another set. */
  intersectionCount(other: BitSet): number {
    let c = 0;
    const a = this.data;
    const b = other.data;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) c += popcount(a[i]! & b[i]!);
    return c;
  }

  /** Adds every member of another set. */
  addAll(other: BitSet): void {
    const b = other.data;
    if (b.length > this.data.length) this.grow(b.length);
    for (let i = 0; i < b.length; i++) this.data[i]! |= b[i]!;
  }

  /** Room for at least `words` words (doubling, so that adding n members in order costs O(n)). */
  private grow(words: number): void {
    const next = new Uint32Array(Math.max(words, this.data.length * 2, 4));
    next.set(this.data);
    this.data = next;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

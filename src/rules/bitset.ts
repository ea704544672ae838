/**
 * Fixed-size bit sets for segment membership: pairwise overlaps of S segments over n records cost
 * S² · n / 32 word operations.
 * @internal
 */

/** A set of record indices below a fixed size. @internal */
export class BitSet {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** Number of members. */
  count(): number {
    let c = 0;
    for (const w of this.words) c += popcount(w);
    return c;
  }

  /** Size of the intersection with another set of the same size. */
  intersectionCount(other: BitSet): number {
    let c = 0;
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) c += popcount(a[i]! & b[i]!);
    return c;
  }

  /** Adds every member of another set. */
  addAll(other: BitSet): void {
    for (let i = 0; i < this.words.length; i++) this.words[i]! |= other.words[i]!;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * MD5 (RFC 1321) of a string's UTF-8 bytes, written here so that it runs wherever the runtime
 * bundle runs (browsers included): no `node:crypto`, no dependency, no `TextEncoder`. Used by
 * splits (LANGUAGE.md §7), whose arm must be the one SQL engines compute with their own `md5()`.
 * MD5 is not used for security here, only as a hash every engine has.
 *
 * The string is encoded to UTF-8 into a buffer kept from call to call (no allocation for texts
 * under 1,300 code units), then hashed. A lone surrogate (a code unit U+D800–U+DFFF without its pair) is encoded as U+FFFD
 * (bytes EF BF BD), as `TextEncoder` and Node's `Buffer.from(s, "utf8")` encode it, and as a
 * UTF-8 database driver would send it.
 * @internal
 */

/** The sine table of RFC 1321 (`floor(abs(sin(i + 1)) · 2^32)`), written out: `Math.sin` is not exact everywhere. */
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

/** Left-rotation amounts per round (4 per round, repeated). */
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** The 16 little-endian words of the block being hashed. */
const X = new Int32Array(16);
/** The state A, B, C, D. */
const H = new Int32Array(4);
/** The UTF-8 bytes of the message with their padding: a buffer kept for short messages. */
const SHARED = new Uint8Array(4096);
/** The buffer of the current message: {@link SHARED}, or a larger one for a long text (not kept). */
let buf = SHARED;

/** Runs the 64 steps of RFC 1321 §3.4 on block X, adding into H. */
function compress(): void {
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let t: number;
  let s: number;
  for (let i = 0; i < 16; i++) {
    s = S[i & 3]!;
    t = (a + ((b & c) | (~b & d)) + K[i]! + X[i]!) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 16; i < 32; i++) {
    s = S[4 + (i & 3)]!;
    t = (a + ((d & b) | (~d & c)) + K[i]! + X[(5 * i + 1) & 15]!) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 32; i < 48; i++) {
    s = S[8 + (i & 3)]!;
    t = (a + (b ^ c ^ d) + K[i]! + X[(3 * i + 5) & 15]!) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 48; i < 64; i++) {
    s = S[12 + (i & 3)]!;
    t = (a + (c ^ (b | ~d)) + K[i]! + X[(7 * i) & 15]!) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
}

/** Writes the UTF-8 bytes of `text` into `buf` (a lone surrogate as U+FFFD); returns their number. */
function encode(text: string): number {
  const len = text.length;
  // At most 3 bytes per code unit (a pair: 4 bytes for 2 units), plus 72 of padding.
  const need = 3 * len + 72;
  buf = need <= SHARED.length ? SHARED : new Uint8Array(need);
  const out = buf;
  let n = 0;
  for (let i = 0; i < len; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) {
      out[n++] = cp;
    } else if (cp < 0x800) {
      out[n++] = 0xc0 | (cp >> 6);
      out[n++] = 0x80 | (cp & 0x3f);
    } else {
      if (cp >= 0xd800 && cp <= 0xdfff) {
        const next = i + 1 < len ? text.charCodeAt(i + 1) : 0;
        if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (cp >> 18);
          out[n++] = 0x80 | ((cp >> 12) & 0x3f);
          out[n++] = 0x80 | ((cp >> 6) & 0x3f);
          out[n++] = 0x80 | (cp & 0x3f);
          continue;
        }
        cp = 0xfffd; // a lone surrogate, as TextEncoder encodes it
      }
      out[n++] = 0xe0 | (cp >> 12);
      out[n++] = 0x80 | ((cp >> 6) & 0x3f);
      out[n++] = 0x80 | (cp & 0x3f);
    }
  }
  return n;
}

/** Hashes the UTF-8 bytes of `text`, leaving the digest in H. */
function digest(text: string): void {
  const n = encode(text);
  const out = buf;
  // Padding: 0x80, zeros up to 56 bytes mod 64, then the length in bits (64-bit little-endian).
  const total = (((n + 8) >> 6) + 1) << 6;
  out[n] = 0x80;
  out.fill(0, n + 1, total - 8);
  const bits = n * 8;
  const lo = bits >>> 0;
  const hi = Math.floor(bits / 0x100000000);
  for (let i = 0; i < 4; i++) {
    out[total - 8 + i] = (lo >>> (8 * i)) & 0xff;
    out[total - 4 + i] = (hi >>> (8 * i)) & 0xff;
  }
  H[0] = 0x67452301;
  H[1] = 0xefcdab89;
  H[2] = 0x98badcfe;
  H[3] = 0x10325476;
  for (let o = 0; o < total; o += 64) {
    for (let j = 0; j < 16; j++) {
      const q = o + 4 * j;
      X[j] = out[q]! | (out[q + 1]! << 8) | (out[q + 2]! << 16) | (out[q + 3]! << 24);
    }
    compress();
  }
  buf = SHARED;
}

/** A state word's 4 bytes (little-endian, as the digest lists them) read as a big-endian unsigned integer. */
function swap(w: number): number {
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}

/**
 * The MD5 digest of the UTF-8 bytes of `text`, as 32 lowercase hex digits (what PostgreSQL's,
 * DuckDB's and ClickHouse's `md5()` return for the same text). A lone surrogate counts as U+FFFD.
 *
 * @example
 * ```ts
 * md5Hex("abc") === "900150983cd24fb0d6963f7d28e17f72"; // true
 * md5Hex("é") === "66ddcd97cfdeabb2f6fb8a999b4bc76f"; // of the bytes C3 A9
 * ```
 */
export function md5Hex(text: string): string {
  digest(text);
  let out = "";
  for (let i = 0; i < 4; i++) out += swap(H[i]!).toString(16).padStart(8, "0");
  return out;
}

/**
 * The first 8 hex digits of {@link md5Hex} read as an unsigned 32-bit integer (0 ≤ h < 2^32),
 * without writing the hex: `parseInt(md5Hex(text).slice(0, 8), 16)`.
 *
 * @example
 * ```ts
 * md5First32("spring:c0") === 4009207742; // md5Hex("spring:c0") starts "eef7a7be"
 * ```
 */
export function md5First32(text: string): number {
  digest(text);
  return swap(H[0]!);
}

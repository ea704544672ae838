/**
 * The "share" link: the rules text, `now` and the time zone as JSON, compressed with the
 * browser's `CompressionStream("deflate-raw")` and written in base64url after `#s=`. Links
 * longer than {@link SHARE_LIMIT} characters are refused with a message: many chat tools, mail
 * clients and servers cut URLs of more than 8 KB.
 */

/** The longest hash a share link may have, in characters. */
export const SHARE_LIMIT = 8000;

/** The most text a link may unpack to (a deflate stream can grow a thousandfold). */
const MAX_SHARED_TEXT = 200_000;

export interface Shared {
  rules: string;
  now: string;
  timeZone: string;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** `#s=…` for these values, or an error message when it would pass {@link SHARE_LIMIT}. */
export async function encodeShare(value: Shared): Promise<{ hash: string } | { error: string }> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const hash = `#s=${toBase64url(await pipe(bytes, new CompressionStream("deflate-raw")))}`;
  if (hash.length > SHARE_LIMIT) {
    return { error: `These rules are too long to share in a link: ${hash.length.toLocaleString("en-US")} characters compressed, the limit is ${SHARE_LIMIT.toLocaleString("en-US")}. Copy the rules text instead.` };
  }
  return { hash };
}

/** The values of a `#s=…` hash, or null when there is none or it cannot be read. */
export async function decodeShare(hash: string): Promise<Shared | null> {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m || m[1]!.length > SHARE_LIMIT) return null;
  try {
    const text = new TextDecoder().decode(await pipe(fromBase64url(m[1]!), new DecompressionStream("deflate-raw")));
    if (text.length > MAX_SHARED_TEXT) return null; // a small link that inflates to megabytes
    const v = JSON.parse(text) as Partial<Shared>;
    if (typeof v.rules !== "string" || typeof v.now !== "string" || typeof v.timeZone !== "string") return null;
    return { rules: v.rules, now: v.now, timeZone: v.timeZone };
  } catch {
    return null;
  }
}

// base64_encode.mjs - hand-written JS reference of
// benchmarks/kernels/base64_encode.k
//
// Base64 (RFC 4648, section 4: A-Z a-z 0-9 + /, '=' padding, no line breaks)
// of a Uint8Array, built as a string; returns the kernel's u32 checksum of
// the text E: h = 2166136261 ^ len(E), folded with h = (h ^ c) * 16777619
// over E[0], E[61], E[122], ... and then over the last min(4, len(E))
// characters.
// As the base64-js package does: a lookup table, pieces pushed on an Array
// and joined per chunk of input (V8 grows and joins one huge Array of pieces
// about three times slower), then the chunks joined. The table maps 12 bits
// to two characters (built per call, like the kernel's), so each 3-byte
// group is two pieces.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const FNV32_PRIME = 0x01000193;
const CHUNK_BYTES = 12288; // 4096 groups of 3 bytes

function makePairs() {
  const pairs = new Array(4096);
  for (let v = 0; v < 4096; v++) pairs[v] = ALPHABET[v >> 6] + ALPHABET[v & 63];
  return pairs;
}

export function base64_encode(data) {
  const pairs = makePairs();
  const n = data.length;
  const full = n - (n % 3);
  const chunks = [];
  for (let start = 0; start < full; start += CHUNK_BYTES) {
    const end = Math.min(full, start + CHUNK_BYTES);
    const parts = [];
    for (let i = start; i < end; i += 3) {
      const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      parts.push(pairs[v >> 12], pairs[v & 0xfff]);
    }
    chunks.push(parts.join(''));
  }
  if (n - full === 1) {
    chunks.push(pairs[data[full] << 4] + '==');
  } else if (n - full === 2) {
    const v = (data[full] << 10) | (data[full + 1] << 2);
    chunks.push(pairs[v >> 6] + ALPHABET[v & 63] + '=');
  }
  const out = chunks.join('');

  const m = out.length;
  let h = 0x811c9dc5 ^ m;
  for (let k = 0; k < m; k += 61) h = Math.imul(h ^ out.charCodeAt(k), FNV32_PRIME);
  for (let k = Math.max(0, m - 4); k < m; k++) h = Math.imul(h ^ out.charCodeAt(k), FNV32_PRIME);
  return h >>> 0;
}

// base64_decode.mjs - hand-written JS reference of
// benchmarks/kernels/base64_decode.k
//
// Base64 decoding (RFC 4648, section 4; '=' padding only as the last one or
// two characters; no whitespace): -1 when the text is not valid in that
// sense (see base64_decode.k), else a checksum of the decoded bytes taken as
// they are produced: each group of three bytes (the last may have 1 or 2),
// read as a big-endian integer g, folds into h = 2166136261 by
// h = (h ^ g) * 16777619 mod 2^32; the result is
// h * 2^20 + (number of decoded bytes mod 2^20).
// One charCodeAt per character into an Int8Array table holding -1 for
// characters outside the alphabet: a group with one of them has its sign bit
// set once the four values are shifted and ORed, so one test covers all
// four.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const FNV32_PRIME = 0x01000193;
const EQUALS = 61; // '='

function makeTable() {
  const table = new Int8Array(256).fill(-1);
  for (let k = 0; k < 64; k++) table[ALPHABET.charCodeAt(k)] = k;
  return table;
}

export function base64_decode(text) {
  const n = text.length;
  if (n % 4 !== 0) return -1;
  let h = 0x811c9dc5 | 0;
  if (n === 0) return (h >>> 0) * 1048576;
  const table = makeTable();
  const last = n - 4;
  for (let i = 0; i < last; i += 4) {
    const g = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) |
              (table[text.charCodeAt(i + 2)] << 6) | table[text.charCodeAt(i + 3)];
    if (g < 0) return -1;
    h = Math.imul(h ^ g, FNV32_PRIME);
  }
  const hi = (table[text.charCodeAt(last)] << 6) | table[text.charCodeAt(last + 1)];
  if (hi < 0) return -1;
  let bytes = (last / 4) * 3;
  if (text.charCodeAt(last + 3) !== EQUALS) {
    const lo = (table[text.charCodeAt(last + 2)] << 6) | table[text.charCodeAt(last + 3)];
    if (lo < 0) return -1;
    h = Math.imul(h ^ ((hi << 12) | lo), FNV32_PRIME);
    bytes += 3;
  } else if (text.charCodeAt(last + 2) !== EQUALS) {
    const third = table[text.charCodeAt(last + 2)];
    if (third < 0) return -1;
    h = Math.imul(h ^ (((hi << 6) | third) >> 2), FNV32_PRIME);
    bytes += 2;
  } else {
    h = Math.imul(h ^ (hi >> 4), FNV32_PRIME);
    bytes += 1;
  }
  return (h >>> 0) * 1048576 + (bytes % 1048576);
}

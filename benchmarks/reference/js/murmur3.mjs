// murmur3.mjs - hand-written JS reference of benchmarks/kernels/murmur3.k
//
// MurmurHash3_x86_32 over many short keys: the Uint8Array is cut into
// consecutive keys of 5, 6, ..., 27, 5, 6, ... bytes (the last one possibly
// shorter), each hashed with `seed`; the hashes are folded in key order with
// acc = (acc ^ hash) * 16777619 from acc = 2166136261 (mod 2^32). Returns a
// non-negative Number (u32).
// All state is int32: Math.imul wraps the products, `>>>` gives the logical
// shifts of the rotations, and `>>> 0` makes the result unsigned only once.
// The blocks are assembled from four byte loads: a DataView's
// getInt32(i, true) measured no faster here, and a Uint32Array view needs a
// 4-byte alignment that the keys do not have.

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593;

function murmur3_32(data, start, len, seed) {
  let h = seed;
  const blocksEnd = start + (len & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (len & 3) {
    case 3:
      k ^= data[i + 2] << 16;
    // falls through
    case 2:
      k ^= data[i + 1] << 8;
    // falls through
    case 1:
      k ^= data[i];
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, C2);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function murmur3(data, seed) {
  const n = data.length;
  seed |= 0;
  let acc = 0x811c9dc5 | 0;
  let keyLen = 5;
  for (let start = 0; start < n; ) {
    const len = Math.min(keyLen, n - start);
    acc = Math.imul(acc ^ murmur3_32(data, start, len, seed), 16777619);
    start += len;
    if (++keyLen > 27) keyLen = 5;
  }
  return acc >>> 0;
}

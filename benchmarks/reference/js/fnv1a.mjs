// fnv1a.mjs - hand-written JS reference of benchmarks/kernels/fnv1a.k
//
// FNV-1a, 32-bit, over a Uint8Array: xor each byte in, then multiply by the
// FNV prime modulo 2^32. Returns the hash as a non-negative Number (u32).
// The hash is kept as an int32 inside the loop (Math.imul wraps mod 2^32 and
// keeps V8 on small-integer arithmetic); `>>> 0` makes it unsigned once, at
// the end.

const FNV32_OFFSET_BASIS = 0x811c9dc5; // 2166136261
const FNV32_PRIME = 0x01000193; // 16777619

export function fnv1a(data) {
  let h = FNV32_OFFSET_BASIS | 0;
  for (let i = 0, n = data.length; i < n; i++) {
    h = Math.imul(h ^ data[i], FNV32_PRIME);
  }
  return h >>> 0;
}

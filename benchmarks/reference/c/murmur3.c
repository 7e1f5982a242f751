/*===- murmur3.c - C reference of benchmarks/kernels/murmur3.k -----------===*
 *
 * MurmurHash3_x86_32 over many short keys: `data` is cut into consecutive
 * keys of 5, 6, ..., 27, 5, 6, ... bytes (the last one possibly shorter),
 * each hashed with `seed`; the hashes are folded in key order with
 * acc = (acc ^ hash) * 16777619 from acc = 2166136261 (mod 2^32).
 * The hash is Appleby's reference code: blocks read with memcpy (one
 * unaligned little-endian load on x86), the tail by a fall-through switch.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

static inline uint32_t rotl32(uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static uint32_t murmur3_32(const unsigned char *key, size_t len,
                           uint32_t seed) {
  const uint32_t c1 = 0xcc9e2d51u;
  const uint32_t c2 = 0x1b873593u;
  const size_t nblocks = len / 4;
  uint32_t h1 = seed;
  for (size_t i = 0; i < nblocks; ++i) {
    uint32_t k1;
    memcpy(&k1, key + 4 * i, 4); /* little-endian host */
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl32(h1, 13);
    h1 = h1 * 5 + 0xe6546b64u;
  }
  const unsigned char *tail = key + 4 * nblocks;
  uint32_t k1 = 0;
  switch (len & 3) {
  case 3:
    k1 ^= (uint32_t)tail[2] << 16;
    /* fall through */
  case 2:
    k1 ^= (uint32_t)tail[1] << 8;
    /* fall through */
  case 1:
    k1 ^= tail[0];
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= (uint32_t)len;
  return fmix32(h1);
}

uint32_t murmur3(const kc_str *data, int64_t seed) {
  const unsigned char *p = (const unsigned char *)data->data;
  const unsigned char *end = p + data->len;
  uint32_t acc = 2166136261u;
  size_t key_len = 5;
  while (p < end) {
    size_t len = (size_t)(end - p) < key_len ? (size_t)(end - p) : key_len;
    acc = (acc ^ murmur3_32(p, len, (uint32_t)seed)) * 16777619u;
    p += len;
    if (++key_len > 27)
      key_len = 5;
  }
  return acc;
}

static const kc_str *Data;
static int64_t Seed;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 2);
  Data = kcin_bytes(in, 0);
  Seed = kcin_int(in, 1);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = murmur3(Data, Seed)};
}

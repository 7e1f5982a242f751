/*===- base64_decode.c - C reference of benchmarks/kernels/base64_decode.k -===*
 *
 * Base64 decoding (RFC 4648, section 4; '=' padding only as the last one or
 * two characters; no whitespace): -1 when the text is not valid in that
 * sense (see base64_decode.k), else a checksum of the decoded bytes taken
 * as they are produced: each group of three bytes (the last may have 1 or
 * 2), read as a big-endian integer g, folds into h = 2166136261 by
 * h = (h ^ g) * 16777619 mod 2^32; the result is
 * h * 2^20 + (number of decoded bytes mod 2^20).
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define FNV32_PRIME 16777619u
/* All ones: shifted left by up to 18 bits and ORed with anything, it still
 * sets bits at or above 2^24 (or 2^12 for a half group). */
#define INVALID 0xFFFFFFFFu

/* Value of each byte in the alphabet, or INVALID. */
static void make_table(uint32_t table[256]) {
  static const char Alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int c = 0; c < 256; ++c)
    table[c] = INVALID;
  for (uint32_t k = 0; k < 64; ++k)
    table[(unsigned char)Alphabet[k]] = k;
}

int64_t base64_decode(const kc_str *text) {
  size_t n = (size_t)text->len;
  if (n % 4 != 0)
    return -1;
  uint32_t h = 2166136261u;
  if (n == 0)
    return (int64_t)h << 20;
  uint32_t table[256];
  make_table(table);
  const unsigned char *p = (const unsigned char *)text->data;
  const unsigned char *last = p + n - 4;
  for (; p != last; p += 4) {
    /* One test covers the four characters (see INVALID). */
    uint32_t g =
        table[p[0]] << 18 | table[p[1]] << 12 | table[p[2]] << 6 | table[p[3]];
    if (g >> 24)
      return -1;
    h = (h ^ g) * FNV32_PRIME;
  }
  uint32_t hi = table[p[0]] << 6 | table[p[1]];
  if (hi >= 4096)
    return -1;
  int64_t bytes = (int64_t)(n - 4) / 4 * 3;
  if (p[3] != '=') {
    uint32_t lo = table[p[2]] << 6 | table[p[3]];
    if (lo >= 4096)
      return -1;
    h = (h ^ (hi << 12 | lo)) * FNV32_PRIME;
    bytes += 3;
  } else if (p[2] != '=') {
    if (table[p[2]] >= 64)
      return -1;
    h = (h ^ ((hi << 6 | table[p[2]]) >> 2)) * FNV32_PRIME;
    bytes += 2;
  } else {
    h = (h ^ (hi >> 4)) * FNV32_PRIME;
    bytes += 1;
  }
  return (int64_t)h * 1048576 + bytes % 1048576;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = base64_decode(Text)};
}

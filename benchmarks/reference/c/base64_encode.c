/*===- base64_encode.c - C reference of benchmarks/kernels/base64_encode.k -===*
 *
 * Base64 (RFC 4648, section 4: A-Z a-z 0-9 + /, '=' padding, no line breaks)
 * of a byte buffer, written into a malloc'd buffer; returns the kernel's u32
 * checksum of the text E: h = 2166136261 ^ len(E), folded with
 * h = (h ^ c) * 16777619 over E[0], E[61], E[122], ... and then over the
 * last min(4, len(E)) characters.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

static const char Alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define FNV32_PRIME 16777619u

uint32_t base64_encode(const kc_str *data) {
  const unsigned char *p = (const unsigned char *)data->data;
  size_t n = (size_t)data->len;
  size_t m = (n + 2) / 3 * 4;
  char *out = (char *)malloc(m ? m : 1);
  if (!out)
    abort();
  char *o = out;
  const unsigned char *full_end = p + (n - n % 3);
  for (; p != full_end; p += 3) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    o[0] = Alphabet[v >> 18];
    o[1] = Alphabet[v >> 12 & 63];
    o[2] = Alphabet[v >> 6 & 63];
    o[3] = Alphabet[v & 63];
    o += 4;
  }
  switch (n % 3) {
  case 1:
    o[0] = Alphabet[p[0] >> 2];
    o[1] = Alphabet[(p[0] & 3) << 4];
    o[2] = o[3] = '=';
    break;
  case 2:
    o[0] = Alphabet[p[0] >> 2];
    o[1] = Alphabet[(p[0] & 3) << 4 | p[1] >> 4];
    o[2] = Alphabet[(p[1] & 15) << 2];
    o[3] = '=';
    break;
  }

  uint32_t h = 2166136261u ^ (uint32_t)m;
  for (size_t k = 0; k < m; k += 61)
    h = (h ^ (unsigned char)out[k]) * FNV32_PRIME;
  for (size_t k = m < 4 ? 0 : m - 4; k < m; ++k)
    h = (h ^ (unsigned char)out[k]) * FNV32_PRIME;
  free(out);
  return h;
}

static const kc_str *Data;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Data = kcin_bytes(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = base64_encode(Data)};
}

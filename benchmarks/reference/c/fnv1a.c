/*===- fnv1a.c - C reference of benchmarks/kernels/fnv1a.k ---------------===*
 *
 * FNV-1a, 32-bit: xor each byte in, then multiply by the FNV prime.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define FNV32_OFFSET_BASIS 2166136261u
#define FNV32_PRIME 16777619u

uint32_t fnv1a(const kc_str *data) {
  const unsigned char *p = (const unsigned char *)data->data;
  const unsigned char *end = p + data->len;
  uint32_t h = FNV32_OFFSET_BASIS;
  while (p != end) {
    h ^= *p++;
    h *= FNV32_PRIME;
  }
  return h;
}

static const kc_str *Data;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Data = kcin_bytes(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = fnv1a(Data)};
}

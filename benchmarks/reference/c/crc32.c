/*===- crc32.c - C reference of benchmarks/kernels/crc32.k ---------------===*
 *
 * CRC-32 as in zlib: reflected polynomial 0xEDB88320, register preset to all
 * ones and inverted at the end, one table lookup per byte. Like the kernel,
 * each call builds its own table.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define CRC32_POLY 0xEDB88320u

static void crc32_make_table(uint32_t table[256]) {
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k)
      c = (c >> 1) ^ (CRC32_POLY & -(c & 1));
    table[n] = c;
  }
}

uint32_t crc32(const kc_str *data) {
  uint32_t table[256];
  crc32_make_table(table);
  const unsigned char *p = (const unsigned char *)data->data;
  uint32_t crc = 0xFFFFFFFFu;
  for (int64_t i = 0; i < data->len; ++i)
    crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

static const kc_str *Data;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Data = kcin_bytes(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = crc32(Data)};
}

/*===- csv_sum.c - C reference of benchmarks/kernels/csv_sum.k -----------===*
 *
 * Column sums of a CSV table of integers (lines ending in '\n', each holding
 * as many comma-separated [-]digits fields as the first line; empty lines
 * skipped). Returns the kernel's u32 checksum: h = 2166136261 ^ number of
 * non-empty lines, then for each column sum s, in order,
 * h = (h ^ (uint32_t)s) * 16777619 and h = (h ^ (uint32_t)(s / 2^32)) *
 * 16777619 (C division truncates, as the kernel's does).
 * One pass over the text with a hand-written digit loop: no line or field
 * is copied.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define FNV32_PRIME 16777619u

uint32_t csv_sum(const kc_str *text) {
  const unsigned char *p = (const unsigned char *)text->data;
  const unsigned char *end = p + text->len;
  const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
  size_t cols = 1;
  for (const unsigned char *q = p; q != (nl ? nl : end); ++q)
    cols += *q == ',';
  int64_t *sums = (int64_t *)calloc(cols, sizeof *sums);
  if (!sums)
    abort();

  uint32_t rows = 0;
  while (p < end) {
    if (*p == '\n') { /* an empty line */
      ++p;
      continue;
    }
    int64_t *sum = sums;
    for (;;) {
      bool negative = *p == '-';
      p += negative;
      int64_t v = 0;
      while (p < end && (unsigned)(*p - '0') < 10u)
        v = v * 10 + (*p++ - '0');
      *sum++ += negative ? -v : v;
      if (p == end || *p++ == '\n')
        break;
      /* More fields than the first line: the kernel traps. */
      if (sum == sums + cols)
        abort();
    }
    ++rows;
  }

  uint32_t h = 2166136261u ^ rows;
  for (size_t c = 0; c < cols; ++c) {
    h = (h ^ (uint32_t)sums[c]) * FNV32_PRIME;
    h = (h ^ (uint32_t)(sums[c] / 4294967296)) * FNV32_PRIME;
  }
  free(sums);
  return h;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = csv_sum(Text)};
}

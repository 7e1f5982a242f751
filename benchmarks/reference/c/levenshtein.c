/*===- levenshtein.c - C reference of benchmarks/kernels/levenshtein.k ---===*
 *
 * Levenshtein distance (unit-cost insertions, deletions, substitutions)
 * between two texts by the Wagner-Fischer dynamic programme, one row per
 * character of `a` over `b`, keeping two rows that swap roles each step.
 * Written plainly, as C programmers write it. Measured: clang-19 -O2 unrolls
 * the inner loop and its x86 cmov conversion then turns the two minimums
 * into branches, which mispredict on unrelated texts; with
 * -mllvm -x86-cmov-converter=false this runs 2.8x faster.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <stdlib.h>

int64_t levenshtein(const kc_str *a, const kc_str *b) {
  const unsigned char *s = (const unsigned char *)a->data;
  const unsigned char *t = (const unsigned char *)b->data;
  const int64_t n = a->len, m = b->len;
  int64_t *prev = malloc((size_t)(m + 1) * sizeof *prev);
  int64_t *cur = malloc((size_t)(m + 1) * sizeof *cur);
  if (!prev || !cur)
    abort();
  for (int64_t j = 0; j <= m; ++j)
    prev[j] = j;
  for (int64_t i = 1; i <= n; ++i) {
    const unsigned char ca = s[i - 1];
    int64_t diag = prev[0], left = i;
    cur[0] = i;
    for (int64_t j = 1; j <= m; ++j) {
      const int64_t up = prev[j];
      int64_t d = diag + (t[j - 1] != ca);
      const int64_t ins_del = (up < left ? up : left) + 1;
      if (ins_del < d)
        d = ins_del;
      cur[j] = left = d;
      diag = up;
    }
    int64_t *swap = prev;
    prev = cur;
    cur = swap;
  }
  const int64_t dist = prev[m];
  free(prev);
  free(cur);
  return dist;
}

static const kc_str *A, *B;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 2);
  A = kcin_str(in, 0);
  B = kcin_str(in, 1);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = levenshtein(A, B)};
}

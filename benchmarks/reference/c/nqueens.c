/*===- nqueens.c - C reference of benchmarks/kernels/nqueens.k -----------===*
 *
 * The number of solutions of the n-queens problem, by backtracking one row
 * at a time over bitmasks (taken columns, squares attacked along each
 * diagonal); every solution is enumerated, no symmetry halving.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

static int64_t place(uint32_t all, uint32_t cols, uint32_t left,
                     uint32_t right) {
  if (cols == all)
    return 1;
  int64_t count = 0;
  for (uint32_t free = all & ~(cols | left | right); free;) {
    uint32_t bit = free & -free; /* the lowest free square */
    free ^= bit;
    count += place(all, cols | bit, (left | bit) << 1, (right | bit) >> 1);
  }
  return count;
}

int64_t nqueens(int64_t n) { return place(((uint32_t)1 << n) - 1, 0, 0, 0); }

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  if (N < 1 || N > 31)
    kcin_fail(in->path, "nqueens: n = %lld is outside 1..31", (long long)N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = nqueens(N)};
}

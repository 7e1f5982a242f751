/*===- fib.c - C reference of benchmarks/kernels/fib.k -------------------===*
 *
 * Naive doubly recursive Fibonacci (fib(0) = 0, fib(1) = 1, no
 * memoization): returns fib(n), after 2 fib(n + 1) - 1 calls.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

int64_t fib(int64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  /* fib(79) leaves the kernel language's int range (+-2^53). */
  if (N > 78)
    kcin_fail(in->path, "fib: n = %lld is above 78", (long long)N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = fib(N)};
}

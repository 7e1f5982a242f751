/*===- sieve.c - C reference of benchmarks/kernels/sieve.k ---------------===*
 *
 * The sieve of Eratosthenes over 0..n-1 in a byte array: the multiples of
 * every prime p with p * p < n are crossed out from p * p on. Returns
 * count * 2^32 + (sum mod 2^32) for the primes below n.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <stdlib.h>

int64_t sieve(int64_t n) {
  if (n < 3)
    return 0;
  unsigned char *composite = calloc((size_t)n, 1);
  if (!composite)
    abort();
  for (int64_t p = 2; p * p < n; ++p)
    if (!composite[p])
      for (int64_t m = p * p; m < n; m += p)
        composite[m] = 1;
  int64_t count = 0, sum = 0;
  for (int64_t i = 2; i < n; ++i)
    if (!composite[i]) {
      ++count;
      sum += i;
    }
  free(composite);
  return count * 4294967296 + (uint32_t)sum;
}

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  /* count * 2^32 must stay below 2^53: fewer than 2^21 primes. */
  if (N < 0 || N > 33000000)
    kcin_fail(in->path, "sieve: n = %lld is outside 0..33000000", (long long)N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = sieve(N)};
}

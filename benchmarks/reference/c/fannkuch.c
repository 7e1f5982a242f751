/*===- fannkuch.c - C reference of benchmarks/kernels/fannkuch.k ---------===*
 *
 * The Computer Language Benchmarks Game fannkuch-redux, after its plain C
 * program: flips of every permutation of 0..n-1 in the benchmark's order;
 * returns checksum * 1000 + maximum flips.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

enum { MAX_N = 16 };

/* Flips a copy of perm until its first element is 0; returns the count. */
static int count_flips(const int *perm, int n) {
  int p[MAX_N];
  memcpy(p, perm, (size_t)n * sizeof *p);
  int flips = 0;
  for (int k = p[0]; k != 0; k = p[0]) {
    for (int lo = 0, hi = k; lo < hi; ++lo, --hi) {
      int t = p[lo];
      p[lo] = p[hi];
      p[hi] = t;
    }
    ++flips;
  }
  return flips;
}

int64_t fannkuch(int64_t n64) {
  int n = (int)n64;
  int perm[MAX_N], count[MAX_N];
  for (int i = 0; i < n; ++i)
    perm[i] = i;

  int max_flips = 0;
  int64_t checksum = 0;
  int64_t index = 0;
  int r = n;
  for (;;) {
    for (; r != 1; --r)
      count[r - 1] = r;

    int flips = count_flips(perm, n);
    if (flips > max_flips)
      max_flips = flips;
    checksum += index++ % 2 == 0 ? flips : -flips;

    /* Next permutation: rotate perm[0..r] left until its counter runs out,
     * then do the same with the next longer prefix. */
    for (;;) {
      if (r == n)
        return checksum * 1000 + max_flips;
      int first = perm[0];
      memmove(perm, perm + 1, (size_t)r * sizeof *perm);
      perm[r] = first;
      if (--count[r] > 0)
        break;
      ++r;
    }
  }
}

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  if (N < 1 || N > MAX_N)
    kcin_fail(in->path, "fannkuch: n = %lld is outside 1..%d", (long long)N,
              MAX_N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = fannkuch(N)};
}

/*===- spectral_norm.c - C reference of benchmarks/kernels/spectral_norm.k ===*
 *
 * The Computer Language Benchmarks Game spectral-norm, after its plain C
 * program: 10 power-method rounds on A^T A for the n x n cut of
 * A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1); returns sqrt(u.v / v.v).
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <math.h>
#include <stdlib.h>

static inline double eval_A(int i, int j) {
  return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void eval_A_times_u(int n, const double *u, double *Au) {
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (int j = 0; j < n; ++j)
      sum += eval_A(i, j) * u[j];
    Au[i] = sum;
  }
}

static void eval_At_times_u(int n, const double *u, double *Atu) {
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (int j = 0; j < n; ++j)
      sum += eval_A(j, i) * u[j];
    Atu[i] = sum;
  }
}

static void eval_AtA_times_u(int n, const double *u, double *AtAu,
                             double *scratch) {
  eval_A_times_u(n, u, scratch);
  eval_At_times_u(n, scratch, AtAu);
}

double spectral_norm(int64_t n64) {
  int n = (int)n64;
  double *u = malloc(3 * (size_t)n * sizeof(double));
  if (!u)
    abort();
  double *v = u + n, *scratch = v + n;
  for (int i = 0; i < n; ++i)
    u[i] = 1.0;
  for (int i = 0; i < 10; ++i) {
    eval_AtA_times_u(n, u, v, scratch);
    eval_AtA_times_u(n, v, u, scratch);
  }
  double vBv = 0, vv = 0;
  for (int i = 0; i < n; ++i) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  free(u);
  return sqrt(vBv / vv);
}

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  /* (i+j)(i+j+1)/2 must fit an int. */
  if (N < 1 || N > 20000)
    kcin_fail(in->path, "spectral_norm: n = %lld is outside 1..20000",
              (long long)N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_F64, .as.f = spectral_norm(N)};
}

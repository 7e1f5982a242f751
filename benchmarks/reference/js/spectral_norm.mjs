// spectral_norm.mjs - hand-written JS reference of
// benchmarks/kernels/spectral_norm.k
//
// spectral-norm (Computer Language Benchmarks Game): 10 rounds of the power
// method on A^T A for the n x n cut of A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1);
// returns sqrt(u.v / v.v).
// Float operations are the kernel's, in its order, so the result is the same
// to the last bit: each term is (1 / d) * u[j], summed from j = 0 up, from
// 0.0. The denominator is an exact integer ((i+j)(i+j+1) is even, and it
// stays below 2^31 for every n up to 23000, so the int32 `>> 1` is exact).
// Vectors are Float64Arrays.
//
// Shaped for V8's tiers:
// - The matrix-vector loops are spectral_norm's own, not small helpers like
//   the kernel's mul_av and mul_atv. Maglev (the mid tier) inlines helpers
//   that small into a caller once the caller is warm, and a loop of an
//   inlined function has no tier-up budget check: called a few times per
//   run, spectral_norm would keep those loops in Maglev code for good. There
//   evalA, one inlining level further down, stays a call returning a boxed
//   double, so every matrix element allocates (~4x slower). A function's own
//   loops reach TurboFan through on-stack replacement from any tier.
// - n is made an int32 first: an integer argument may arrive as a heap
//   number (1200.0), and comparing the loop counters against it keeps
//   TurboFan from proving them small integers (~10% slower).

function evalA(i, j) {
  const ij = i + j;
  return 1 / (((ij * (ij + 1)) >> 1) + i + 1);
}

function dot(n, x, y) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * y[i];
  return sum;
}

export function spectral_norm(n) {
  n |= 0;
  let u = new Float64Array(n).fill(1);
  let v = new Float64Array(n);
  const tmp = new Float64Array(n);
  // 20 half-rounds of v = A^T A u (through tmp = A u), each followed by a
  // swap: the kernel's rounds v = A^T A u; u = A^T A v, ending as there with
  // u the newest vector and v the one before.
  for (let half = 0; half < 20; half++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += evalA(i, j) * u[j];
      tmp[i] = sum;
    }
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += evalA(j, i) * tmp[j];
      v[i] = sum;
    }
    const t = u;
    u = v;
    v = t;
  }
  return Math.sqrt(dot(n, u, v) / dot(n, v, v));
}

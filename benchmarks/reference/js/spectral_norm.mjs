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

function evalA(i, j) {
  const ij = i + j;
  return 1 / (((ij * (ij + 1)) >> 1) + i + 1);
}

// out = A u
function mulAv(n, u, out) {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += evalA(i, j) * u[j];
    out[i] = sum;
  }
}

// out = A^T u
function mulAtv(n, u, out) {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += evalA(j, i) * u[j];
    out[i] = sum;
  }
}

// out = A^T A u, through tmp
function mulAtAv(n, u, out, tmp) {
  mulAv(n, u, tmp);
  mulAtv(n, tmp, out);
}

export function spectral_norm(n) {
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (let round = 0; round < 10; round++) {
    mulAtAv(n, u, v, tmp);
    mulAtAv(n, v, u, tmp);
  }
  let vBv = 0;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return Math.sqrt(vBv / vv);
}

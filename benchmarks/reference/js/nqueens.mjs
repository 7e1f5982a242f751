// nqueens.mjs - hand-written JS reference of benchmarks/kernels/nqueens.k
//
// The number of solutions of the n-queens problem, by backtracking one row
// at a time over bitmasks (taken columns, squares attacked along each
// diagonal); every solution is enumerated, no symmetry halving. The masks
// are int32s: for n <= 31 the board mask `all` is positive, and bits that
// the shifts push past it are cleared by `& all`.

function place(all, cols, left, right) {
  if (cols === all) return 1;
  let count = 0;
  let free = all & ~(cols | left | right);
  while (free !== 0) {
    const bit = free & -free; // the lowest free square
    free ^= bit;
    count += place(all, cols | bit, (left | bit) << 1, (right | bit) >> 1);
  }
  return count;
}

export function nqueens(n) {
  return place((1 << n) - 1, 0, 0, 0);
}

// fib.mjs - hand-written JS reference of benchmarks/kernels/fib.k
//
// Naive doubly recursive Fibonacci (fib(0) = 0, fib(1) = 1, no
// memoization): returns fib(n), after 2 fib(n + 1) - 1 calls. Exact as a
// Number for every n up to 78.

export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

// sieve.mjs - hand-written JS reference of benchmarks/kernels/sieve.k
//
// The sieve of Eratosthenes over 0..n-1 in a Uint8Array: the multiples of
// every prime p with p * p < n are crossed out from p * p on. Returns
// count * 2^32 + (sum mod 2^32) for the primes below n (a Number, exact
// while count < 2^21).

export function sieve(n) {
  const composite = new Uint8Array(n);
  for (let p = 2; p * p < n; p++) {
    if (composite[p] === 0) {
      for (let m = p * p; m < n; m += p) composite[m] = 1;
    }
  }
  let count = 0;
  let sum = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i] === 0) {
      count++;
      sum += i;
    }
  }
  return count * 4294967296 + (sum % 4294967296);
}

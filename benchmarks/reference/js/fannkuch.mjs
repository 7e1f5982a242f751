// fannkuch.mjs - hand-written JS reference of benchmarks/kernels/fannkuch.k
//
// fannkuch-redux (Computer Language Benchmarks Game): for every permutation
// of 0..n-1, in the benchmark's order (rotate the prefix perm1[0..r] left,
// counters per prefix length), copy it and count the flips (reverse the first
// perm[0] + 1 elements until perm[0] is 0). Even-numbered permutations add
// their flip count to the checksum, odd-numbered ones subtract it.
// Returns checksum * 1000 + maximum flips (a Number; exact for every n the
// benchmark uses).
// Every flip is performed (no look-ahead shortcut), as in the kernel and the
// C reference; the arrays are Int32Arrays. n < 1 is rejected up front (the
// kernel traps on perm[0] there, and this loop would never end).

export function fannkuch(n) {
  if (!(n >= 1)) throw new RangeError(`fannkuch: n = ${n} is below 1`);
  const perm = new Int32Array(n);
  const perm1 = new Int32Array(n);
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) perm1[i] = i;

  let maxFlips = 0;
  let checksum = 0;
  let even = true;
  let r = n;
  for (;;) {
    for (; r !== 1; r--) count[r - 1] = r;

    perm.set(perm1);
    let flips = 0;
    for (let k = perm[0]; k !== 0; k = perm[0]) {
      for (let lo = 0, hi = k; lo < hi; lo++, hi--) {
        const t = perm[lo];
        perm[lo] = perm[hi];
        perm[hi] = t;
      }
      flips++;
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += even ? flips : -flips;
    even = !even;

    // Next permutation: rotate perm1[0..r] left by one; when the prefix's
    // counter runs out, go on with the next longer prefix.
    for (;;) {
      if (r === n) return checksum * 1000 + maxFlips;
      const first = perm1[0];
      for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
  }
}

// A JS reference for sum.k that never returns: rtcompare times it out.
export function sum(xs) {
  let s = 0;
  for (;;) s = (s + xs.length) | 0;
}

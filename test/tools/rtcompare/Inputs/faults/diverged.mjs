// A JS reference for sum.k that is off by two.
export function sum(xs) {
  let s = 2;
  for (const x of xs) s += x;
  return s;
}

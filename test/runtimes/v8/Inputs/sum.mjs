// sum.mjs - The sum of an array, which the kernel then changes: every call
// must get a fresh copy, or the last call's sum would not be the inputs'.
export function sum(xs) {
  let s = 0;
  for (let i = 0; i < xs.length; ++i)
    s += xs[i];
  xs.push(1000);
  xs[0] = 1e9;
  return s;
}

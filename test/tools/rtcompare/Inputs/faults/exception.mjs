// A JS reference for sum.k that throws: rtcompare reports the exception.
export function sum(xs) {
  if (xs.length > 0) throw new TypeError('the reference refuses');
  return 0;
}

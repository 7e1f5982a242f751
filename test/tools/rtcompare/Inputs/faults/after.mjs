// The JS reference of after.k: how many elements exceed 2.
export function after(xs) {
  let n = 0;
  for (const x of xs) if (x > 2) n++;
  return n;
}

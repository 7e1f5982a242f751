// A JS reference for sum.k that keeps allocating: the V8 heap grows until the
// runner's memory limit refuses it more, and node dies of V8's "JavaScript
// heap out of memory".
export function sum(xs) {
  const keep = [];
  for (;;) keep.push(new Array(1 << 16).fill(xs.length + 0.5));
}

// levenshtein.mjs - hand-written JS reference of
// benchmarks/kernels/levenshtein.k
//
// Levenshtein distance (unit-cost insertions, deletions, substitutions)
// between two strings by the Wagner-Fischer dynamic programme, one row per
// character of `a` over `b`, keeping two rows that swap roles each step.
// Returns the distance (a Number).
// The rows are Int32Arrays (every distance fits), the characters are read
// with charCodeAt, and the three-way minimum is written with comparisons.

export function levenshtein(a, b) {
  const n = a.length;
  const m = b.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1);
    let diag = prev[0];
    let left = i;
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const up = prev[j];
      let d = b.charCodeAt(j - 1) === ca ? diag : diag + 1;
      const insDel = (up < left ? up : left) + 1;
      if (insDel < d) d = insDel;
      cur[j] = left = d;
      diag = up;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

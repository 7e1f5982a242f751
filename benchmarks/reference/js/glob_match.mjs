// glob_match.mjs - hand-written JS reference of
// benchmarks/kernels/glob_match.k
//
// Matches each path of a '\n'-terminated list against the kernel's eight
// patterns; returns its u32 checksum of the match counts, all mod 2^32, with
// fold(h, x) = (h ^ x) * 16777619: h = 2166136261 ^ number of paths, then
// h = fold(h, count of pattern k) for k = 0..7 in order.
// Patterns: ** any run, '/' included; * any run without '/'; ? one
// character other than '/'; [set] one character other than '/' among single
// characters and ranges a-z; anything else itself; the whole path must
// match. The classic linear star-backtracking matcher over charCodeAt (no
// RegExp, no minimatch): on a mismatch the last star takes one more
// character; a single star cannot take a '/', so then the last double star
// takes one more instead.

const PATTERNS = [
  '*.c',
  '[st]*/**_test.*',
  '**/*.md',
  '*/??*_*.[ch]*',
  'include/**.h*',
  'test*/**[jt]s',
  '*/*/*.[a-m]*',
  '**vendor/**_impl.*',
];
const FNV32_PRIME = 0x01000193;
const STAR = 42, QUESTION = 63, LBRACKET = 91, SLASH = 47, DASH = 45;

// Whether code t is in the set p[lo..hi) of a bracket expression.
function inSet(p, lo, hi, t) {
  for (let q = lo; q < hi;) {
    if (q + 2 < hi && p.charCodeAt(q + 1) === DASH) {
      if (p.charCodeAt(q) <= t && t <= p.charCodeAt(q + 2)) return true;
      q += 3;
    } else {
      if (p.charCodeAt(q) === t) return true;
      q++;
    }
  }
  return false;
}

function glob(p, s) {
  const pn = p.length, sn = s.length;
  let pi = 0, si = 0;
  let starP = -1, starS = 0, starDouble = false; // after the last star; its next char
  let dstarP = -1, dstarS = 0;
  while (si < sn) {
    if (pi < pn) {
      const c = p.charCodeAt(pi);
      const t = s.charCodeAt(si);
      if (c === STAR) {
        if (p.charCodeAt(pi + 1) === STAR) {
          pi += 2;
          dstarP = pi;
          dstarS = si;
          starDouble = true;
        } else {
          pi++;
          starDouble = false;
        }
        starP = pi;
        starS = si;
        continue;
      }
      if (c === LBRACKET) {
        const close = p.indexOf(']', pi + 2);
        if (t !== SLASH && inSet(p, pi + 1, close, t)) {
          pi = close + 1;
          si++;
          continue;
        }
      } else if (c === t || (c === QUESTION && t !== SLASH)) {
        pi++;
        si++;
        continue;
      }
    }
    // Mismatch: backtrack.
    if (starP >= 0 && (starDouble || s.charCodeAt(starS) !== SLASH)) {
      pi = starP;
      si = ++starS;
    } else if (dstarP >= 0) {
      pi = starP = dstarP;
      si = starS = ++dstarS;
      starDouble = true;
    } else {
      return false;
    }
  }
  while (pi < pn && p.charCodeAt(pi) === STAR) pi++;
  return pi === pn;
}

export function glob_match(names) {
  const counts = new Array(PATTERNS.length).fill(0);
  let paths = 0;
  for (const name of names.split('\n')) {
    if (name.length === 0) continue;
    paths++;
    for (let k = 0; k < PATTERNS.length; k++) {
      if (glob(PATTERNS[k], name)) counts[k]++;
    }
  }
  let h = 0x811c9dc5 ^ paths;
  for (const count of counts) h = Math.imul(h ^ count, FNV32_PRIME);
  return h >>> 0;
}

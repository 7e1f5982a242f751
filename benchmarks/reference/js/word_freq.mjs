// word_freq.mjs - hand-written JS reference of benchmarks/kernels/word_freq.k
//
// Word frequencies. Words: the tokens between ' ' and '\n' characters, with
// one trailing . , ; : ! or ? removed, when not empty (see word_freq.k).
// Returns the kernel's u32 checksum, all mod 2^32, with
// fold(h, x) = (h ^ x) * 16777619: h = 2166136261 ^ number of distinct
// words; then for each distinct word in order of first occurrence, fold in
// its character codes and then its count; finally fold in the highest count.
// split('\n') and split(' ') give the tokens; a Map counts them and
// iterates in insertion order.

const FNV32_PRIME = 0x01000193;

function isPunct(c) {
  // . , ; : ! ?
  return c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63;
}

export function word_freq(text) {
  const counts = new Map();
  for (const line of text.split('\n')) {
    for (let word of line.split(' ')) {
      const m = word.length;
      if (m === 0) continue;
      if (isPunct(word.charCodeAt(m - 1))) {
        if (m === 1) continue;
        word = word.slice(0, m - 1);
      }
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }

  let h = 0x811c9dc5 ^ counts.size;
  let best = 0;
  for (const [word, count] of counts) {
    for (let k = 0; k < word.length; k++) h = Math.imul(h ^ word.charCodeAt(k), FNV32_PRIME);
    h = Math.imul(h ^ count, FNV32_PRIME);
    if (count > best) best = count;
  }
  return Math.imul(h ^ best, FNV32_PRIME) >>> 0;
}

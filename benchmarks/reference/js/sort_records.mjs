// sort_records.mjs - hand-written JS reference of
// benchmarks/kernels/sort_records.k
//
// A stable sort of records { key, id } (record i: key = keys[i], id = i) by
// key, by the kernel's bottom-up merge sort: runs of 32 sorted by insertion
// sort, then merged pairwise (width 32, 64, ...) back and forth between two
// arrays, taking from the left run while its key is <= the right run's.
// Returns the sorted ids folded as h = (h ^ id) * 16777619 from 2166136261
// (mod 2^32), a non-negative Number.
// No Array.prototype.sort (that would be the engine's TimSort, not this
// algorithm). Records are instances of one class, so every key load is
// monomorphic. Both arrays are packed (built by push, then copied by slice):
// new Array(n) would make holey ones, whose loads V8 checks for holes.

const RUN = 32;

class Rec {
  constructor(key, id) {
    this.key = key;
    this.id = id;
  }
}

function insertionSort(a, lo, hi) {
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i];
    const key = x.key;
    let j = i;
    for (; j > lo && a[j - 1].key > key; j--) a[j] = a[j - 1];
    a[j] = x;
  }
}

// dst[lo..hi) = the stable merge of src[lo..mid) and src[mid..hi).
function merge(src, dst, lo, mid, hi) {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    const x = src[i];
    const y = src[j];
    if (y.key < x.key) {
      dst[k++] = y;
      j++;
    } else {
      dst[k++] = x;
      i++;
    }
  }
  while (i < mid) dst[k++] = src[i++];
  while (j < hi) dst[k++] = src[j++];
}

export function sort_records(keys) {
  const n = keys.length;
  let src = [];
  for (let i = 0; i < n; i++) src.push(new Rec(keys[i], i));
  for (let lo = 0; lo < n; lo += RUN) insertionSort(src, lo, Math.min(lo + RUN, n));
  let dst = src.slice();
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      merge(src, dst, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ src[i].id, 16777619);
  return h >>> 0;
}

/*===- sort_records.c - C reference of benchmarks/kernels/sort_records.k -===*
 *
 * A stable sort of records { key, id } (record i: key = keys[i], id = i) by
 * key, by the kernel's bottom-up merge sort: runs of 32 sorted by insertion
 * sort, then merged pairwise (width 32, 64, ...) back and forth between two
 * buffers, taking from the left run while its key is <= the right run's.
 * Returns the sorted ids folded as h = (h ^ id) * 16777619 from 2166136261.
 * The records are structs in one array (the C way) rather than pointers; a
 * merge moves the 16-byte structs themselves.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <stdlib.h>
#include <string.h>

#define RUN 32

typedef struct rec {
  int64_t key;
  int64_t id;
} rec;

static void insertion_sort(rec *a, size_t lo, size_t hi) {
  for (size_t i = lo + 1; i < hi; ++i) {
    rec x = a[i];
    size_t j = i;
    for (; j > lo && a[j - 1].key > x.key; --j)
      a[j] = a[j - 1];
    a[j] = x;
  }
}

/* dst[lo..hi) = the stable merge of src[lo..mid) and src[mid..hi). */
static void merge(const rec *src, rec *dst, size_t lo, size_t mid,
                  size_t hi) {
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi)
    dst[k++] = src[j].key < src[i].key ? src[j++] : src[i++];
  memcpy(dst + k, src + i, (mid - i) * sizeof *src);
  k += mid - i;
  memcpy(dst + k, src + j, (hi - j) * sizeof *src);
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

uint32_t sort_records(const kc_array *keys) {
  const int64_t *k = (const int64_t *)keys->data;
  const size_t n = (size_t)keys->len;
  rec *src = malloc((n ? n : 1) * sizeof *src);
  rec *dst = malloc((n ? n : 1) * sizeof *dst);
  if (!src || !dst)
    abort();
  for (size_t i = 0; i < n; ++i)
    src[i] = (rec){.key = k[i], .id = (int64_t)i};
  for (size_t lo = 0; lo < n; lo += RUN)
    insertion_sort(src, lo, min_size(lo + RUN, n));
  for (size_t width = RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width)
      merge(src, dst, lo, min_size(lo + width, n), min_size(lo + 2 * width, n));
    rec *t = src;
    src = dst;
    dst = t;
  }
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i)
    h = (h ^ (uint32_t)src[i].id) * 16777619u;
  free(src);
  free(dst);
  return h;
}

static const kc_array *Keys;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Keys = kcin_int_array(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = sort_records(Keys)};
}

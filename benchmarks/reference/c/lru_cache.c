/*===- lru_cache.c - C reference of benchmarks/kernels/lru_cache.k -------===*
 *
 * An LRU cache of `capacity` entries over a trace of integer keys: a hit
 * makes the key the most recently used; a miss evicts the least recently
 * used entry when the cache is full, then caches the key as the most recent.
 * Returns, folded as h = (h ^ v) * 16777619 from 2166136261 (mod 2^32), the
 * cached keys from least to most recently used, then hits, misses and
 * evictions.
 * The classic C layout: entries in slot arrays, an intrusive circular doubly
 * linked recency list through them (slot `capacity` is the sentinel), and an
 * open-addressing hash table (linear probing, Fibonacci hashing, a power of
 * two of at least twice the capacity) holding slot numbers, whose keys live
 * in the slots. An evicted key is removed by backward-shift deletion, so the
 * table never holds more than `capacity` keys and needs no tombstones.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <stdlib.h>

#define EMPTY UINT32_MAX

typedef struct lru {
  int64_t *keys;  /* [capacity] */
  uint32_t *prev; /* [capacity + 1]; the sentinel last */
  uint32_t *next;
  uint32_t *table; /* slot numbers or EMPTY */
  uint64_t mask;
  int shift;
} lru;

static inline uint64_t home(const lru *c, int64_t key) {
  return ((uint64_t)key * 0x9E3779B97F4A7C15u) >> c->shift;
}

/* The table position holding key, or of the empty cell that ends its probe
 * sequence. */
static inline uint64_t find(const lru *c, int64_t key) {
  uint64_t i = home(c, key);
  while (c->table[i] != EMPTY && c->keys[c->table[i]] != key)
    i = (i + 1) & c->mask;
  return i;
}

/* Empties table cell i, moving later entries of the probe run back into the
 * hole when their home position does not lie cyclically in (i, j]. */
static void erase(lru *c, uint64_t i) {
  for (uint64_t j = (i + 1) & c->mask; c->table[j] != EMPTY;
       j = (j + 1) & c->mask) {
    uint64_t k = home(c, c->keys[c->table[j]]);
    if (((j - k) & c->mask) >= ((j - i) & c->mask)) {
      c->table[i] = c->table[j];
      i = j;
    }
  }
  c->table[i] = EMPTY;
}

static inline void unlink_slot(lru *c, uint32_t s) {
  c->next[c->prev[s]] = c->next[s];
  c->prev[c->next[s]] = c->prev[s];
}

static inline void push_most_recent(lru *c, uint32_t sentinel, uint32_t s) {
  uint32_t last = c->prev[sentinel];
  c->next[last] = s;
  c->prev[s] = last;
  c->next[s] = sentinel;
  c->prev[sentinel] = s;
}

static inline uint32_t fold(uint32_t h, uint32_t v) {
  return (h ^ v) * 16777619u;
}

uint32_t lru_cache(const kc_array *trace, int64_t capacity) {
  const int64_t *t = (const int64_t *)trace->data;
  const uint32_t sentinel = (uint32_t)capacity;
  int bits = 1;
  while ((1ull << bits) < 2 * (uint64_t)capacity)
    ++bits;
  lru c = {
      .keys = malloc(((size_t)capacity + 1) * sizeof(int64_t)),
      .prev = malloc(((size_t)capacity + 1) * sizeof(uint32_t)),
      .next = malloc(((size_t)capacity + 1) * sizeof(uint32_t)),
      .table = malloc(((size_t)1 << bits) * sizeof(uint32_t)),
      .mask = (1ull << bits) - 1,
      .shift = 64 - bits,
  };
  if (!c.keys || !c.prev || !c.next || !c.table)
    abort();
  for (uint64_t i = 0; i <= c.mask; ++i)
    c.table[i] = EMPTY;
  c.prev[sentinel] = c.next[sentinel] = sentinel;

  uint32_t used = 0;
  int64_t hits = 0, misses = 0, evictions = 0;
  for (int64_t n = trace->len, i = 0; i < n; ++i) {
    const int64_t key = t[i];
    uint64_t pos = find(&c, key);
    uint32_t s = c.table[pos];
    if (s != EMPTY) {
      ++hits;
      unlink_slot(&c, s);
    } else {
      ++misses;
      if (used < sentinel) {
        s = used++;
      } else {
        s = c.next[sentinel]; /* the least recently used */
        ++evictions;
        unlink_slot(&c, s);
        erase(&c, find(&c, c.keys[s]));
        pos = find(&c, key); /* the deletion may have moved the hole */
      }
      c.keys[s] = key;
      c.table[pos] = s;
    }
    push_most_recent(&c, sentinel, s);
  }

  uint32_t h = 2166136261u;
  for (uint32_t s = c.next[sentinel]; s != sentinel; s = c.next[s])
    h = fold(h, (uint32_t)c.keys[s]);
  h = fold(h, (uint32_t)hits);
  h = fold(h, (uint32_t)misses);
  h = fold(h, (uint32_t)evictions);
  free(c.keys);
  free(c.prev);
  free(c.next);
  free(c.table);
  return h;
}

static const kc_array *Trace;
static int64_t Capacity;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 2);
  Trace = kcin_int_array(in, 0);
  Capacity = kcin_int(in, 1);
  if (Capacity < 1 || Capacity >= (int64_t)EMPTY)
    kcin_fail(in->path, "capacity %lld out of range",
              (long long)Capacity);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32,
                         .as.u32 = lru_cache(Trace, Capacity)};
}

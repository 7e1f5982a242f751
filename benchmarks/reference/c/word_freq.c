/*===- word_freq.c - C reference of benchmarks/kernels/word_freq.k -------===*
 *
 * Word frequencies. Words: the tokens between ' ' and '\n' characters, with
 * one trailing . , ; : ! or ? removed, when not empty (see word_freq.k).
 * Returns the kernel's u32 checksum, all mod 2^32, with
 * fold(h, x) = (h ^ x) * 16777619: h = 2166136261 ^ number of distinct
 * words; then for each distinct word in order of first occurrence, fold in
 * its character codes and then its count; finally fold in the highest count.
 * Words are not copied: a token is a pointer and a length into the text. An
 * open-addressing table (linear probing, FNV-1a, at most half full) holds
 * indices into an array of entries kept in insertion order.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define FNV32_OFFSET_BASIS 2166136261u
#define FNV32_PRIME 16777619u

typedef struct entry {
  const unsigned char *word;
  size_t len;
  uint32_t hash;
  int64_t count;
} entry;

typedef struct table {
  entry *entries; /* in insertion order */
  size_t count, entries_cap;
  uint32_t *slots; /* entry index + 1; 0 is empty */
  size_t mask;
} table;

static void *xrealloc(void *p, size_t size) {
  p = realloc(p, size);
  if (!p)
    abort();
  return p;
}

static void grow_slots(table *t) {
  size_t cap = (t->mask + 1) * 2;
  free(t->slots);
  t->slots = (uint32_t *)calloc(cap, sizeof *t->slots);
  if (!t->slots)
    abort();
  t->mask = cap - 1;
  for (size_t e = 0; e < t->count; ++e) {
    size_t s = t->entries[e].hash & t->mask;
    while (t->slots[s])
      s = (s + 1) & t->mask;
    t->slots[s] = (uint32_t)e + 1;
  }
}

static void count_word(table *t, const unsigned char *word, size_t len) {
  uint32_t hash = FNV32_OFFSET_BASIS;
  for (size_t k = 0; k < len; ++k)
    hash = (hash ^ word[k]) * FNV32_PRIME;
  size_t s = hash & t->mask;
  for (uint32_t e; (e = t->slots[s]) != 0; s = (s + 1) & t->mask) {
    entry *x = &t->entries[e - 1];
    if (x->hash == hash && x->len == len && memcmp(x->word, word, len) == 0) {
      ++x->count;
      return;
    }
  }
  if (t->count == t->entries_cap) {
    t->entries_cap *= 2;
    t->entries = (entry *)xrealloc(t->entries, t->entries_cap * sizeof(entry));
  }
  t->entries[t->count] = (entry){word, len, hash, 1};
  t->slots[s] = (uint32_t)++t->count;
  if (t->count * 2 > t->mask + 1)
    grow_slots(t);
}

static inline bool is_punct(unsigned char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

uint32_t word_freq(const kc_str *text) {
  table t = {0};
  t.entries_cap = 1024;
  t.entries = (entry *)xrealloc(NULL, t.entries_cap * sizeof(entry));
  t.mask = 1023;
  t.slots = (uint32_t *)calloc(t.mask + 1, sizeof *t.slots);
  if (!t.slots)
    abort();

  const unsigned char *p = (const unsigned char *)text->data;
  const unsigned char *end = p + text->len;
  while (p < end) {
    const unsigned char *token = p;
    while (p < end && *p != ' ' && *p != '\n')
      ++p;
    size_t len = (size_t)(p - token);
    if (p < end)
      ++p; /* the separator */
    if (len && is_punct(token[len - 1]))
      --len;
    if (len)
      count_word(&t, token, len);
  }

  uint32_t h = FNV32_OFFSET_BASIS ^ (uint32_t)t.count;
  int64_t best = 0;
  for (size_t e = 0; e < t.count; ++e) {
    const entry *x = &t.entries[e];
    for (size_t k = 0; k < x->len; ++k)
      h = (h ^ x->word[k]) * FNV32_PRIME;
    h = (h ^ (uint32_t)x->count) * FNV32_PRIME;
    if (x->count > best)
      best = x->count;
  }
  free(t.entries);
  free(t.slots);
  return (h ^ (uint32_t)best) * FNV32_PRIME;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = word_freq(Text)};
}

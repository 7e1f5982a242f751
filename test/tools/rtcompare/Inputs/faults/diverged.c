/* A C reference for sum.k that is off by one. */
#include "kcrt.h"
int64_t sum(const kc_array *xs) {
  const int64_t *v = (const int64_t *)xs->data;
  int64_t s = 1;
  for (int64_t i = 0; i < xs->len; ++i)
    s += v[i];
  return s;
}

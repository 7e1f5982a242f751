/* The C reference of after.k: how many elements exceed 2. */
#include "kcrt.h"
int64_t after(const kc_array *xs) {
  const int64_t *v = (const int64_t *)xs->data;
  int64_t n = 0;
  for (int64_t i = 0; i < xs->len; ++i)
    n += v[i] > 2;
  return n;
}

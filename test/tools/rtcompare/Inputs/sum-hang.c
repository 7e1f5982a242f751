/* A reference that never returns: rtcompare must time it out. */
#include "kcrt.h"
int64_t sum(const kc_array *xs) {
  volatile int64_t s = 0;
  for (;;)
    s += xs->len;
  return s;
}

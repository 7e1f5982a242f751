/* A C reference for sum.k that dies of SIGSEGV: a store through a null
 * pointer (volatile, so the optimizer keeps it). */
#include "kcrt.h"
int64_t sum(const kc_array *xs) {
  volatile int64_t *p = 0;
  *p = xs->len;
  return xs->len;
}

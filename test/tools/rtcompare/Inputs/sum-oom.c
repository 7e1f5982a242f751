/* A reference that allocates without end: the runner's memory limit stops it.
 * The blocks go into a global so the optimizer cannot drop them. */
#include "kcrt.h"
#include <stdlib.h>
#include <string.h>
void *volatile kc_test_blocks[1 << 16];
int64_t sum(const kc_array *xs) {
  for (int i = 0;; i = (i + 1) & 0xffff) {
    char *p = malloc(64 << 20);
    if (!p)
      abort();
    memset(p, 1, 64 << 20);
    kc_test_blocks[i] = p;
  }
  return xs->len;
}

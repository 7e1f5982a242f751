/* A C reference for sum.k that allocates without end through kcrt's arena,
 * as kernelc's native code does: once the runner's memory limit refuses the
 * next chunk, kc_alloc traps with "out of memory". The blocks are never
 * touched: RLIMIT_DATA counts what is mapped, not what is resident. */
#include "kcrt.h"
void *volatile kc_test_last_block;
int64_t sum(const kc_array *xs) {
  for (;;)
    kc_test_last_block = kc_alloc(64 << 20);
  return xs->len;
}

/* A C reference for sum.k that fails as C code fails: C has no exceptions,
 * and its idiom for an error it cannot recover from is a message on stderr
 * and exit(1). rtcompare reports the exit code and the message. */
#include "kcrt.h"
#include <stdio.h>
#include <stdlib.h>
int64_t sum(const kc_array *xs) {
  if (xs->len > 0) {
    fprintf(stderr, "sum: the reference refuses\n");
    exit(1);
  }
  return 0;
}

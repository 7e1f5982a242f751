/* A C reference of sum.k that starts a process of its own and returns the
 * right sum, leaving the process behind. The runner appends its pid to
 * grandchildren.pid in the work directory ($HOME); when the runner ends,
 * rtcompare kills what is left of its process group. */
#define _POSIX_C_SOURCE 200809L
#include "kcrt.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int64_t sum(const kc_array *xs) {
  static int started;
  if (!started++) {
    pid_t pid = fork();
    if (pid == 0)
      for (;;)
        pause();
    char path[4096];
    snprintf(path, sizeof path, "%s/grandchildren.pid", getenv("HOME"));
    FILE *f = fopen(path, "a");
    fprintf(f, "%d\n", (int)pid);
    fclose(f);
  }
  const int64_t *v = (const int64_t *)xs->data;
  int64_t s = 0;
  for (int64_t i = 0; i < xs->len; ++i)
    s += v[i];
  return s;
}

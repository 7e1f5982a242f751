/* A C reference of sum.k that starts a process of its own, then never
 * returns. The runner appends the new process's pid to grandchildren.pid in
 * the work directory ($HOME) before it hangs; at the timeout rtcompare kills
 * the runner's whole process group, the grandchild with it. */
#define _POSIX_C_SOURCE 200809L
#include "kcrt.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int64_t sum(const kc_array *xs) {
  pid_t pid = fork();
  if (pid == 0)
    for (;;)
      pause();
  char path[4096];
  snprintf(path, sizeof path, "%s/grandchildren.pid", getenv("HOME"));
  FILE *f = fopen(path, "a");
  fprintf(f, "%d\n", (int)pid);
  fclose(f);
  for (;;)
    pause();
  return xs->len;
}

/*===- refmain.c - Shared main of the hand-written C references ----------===*
 *
 * usage: ref-KERNEL INPUT.kin [--repeat=N]
 *
 * Reads the inputs, calls the kernel and prints its result on stdout in the
 * canonical format of `kernelc --run`. With --repeat=N (N >= 1) the kernel
 * runs N times, each call timed with CLOCK_MONOTONIC, and stderr gets
 *   kc-time: calls=N min_ns=X median_ns=Y
 * (the median of an even count is the mean of the two middle times, rounded
 * down). Every call must return the same result. Exit status: 0, 1 when the
 * calls disagree, 2 on a usage or input error.
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L
#include "refmain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static bool same_result(kc_ref_result a, kc_ref_result b) {
  switch (a.kind) {
  case KC_REF_INT:
    return a.as.i == b.as.i;
  case KC_REF_I32:
    return a.as.i32 == b.as.i32;
  case KC_REF_U32:
    return a.as.u32 == b.as.u32;
  case KC_REF_F64:
    /* Bit for bit: a NaN result is stable too. */
    return memcmp(&a.as.f, &b.as.f, sizeof(double)) == 0;
  case KC_REF_BOOL:
    return a.as.b == b.as.b;
  }
  return false;
}

static void print_result(kc_ref_result r) {
  switch (r.kind) {
  case KC_REF_INT:
    printf("%" PRId64 "\n", r.as.i);
    break;
  case KC_REF_I32:
    printf("%" PRId32 "\n", r.as.i32);
    break;
  case KC_REF_U32:
    printf("%" PRIu32 "\n", r.as.u32);
    break;
  case KC_REF_F64:
    printf("%.17g\n", r.as.f);
    break;
  case KC_REF_BOOL:
    puts(r.as.b ? "true" : "false");
    break;
  }
}

static void usage(const char *prog) {
  fprintf(stderr, "usage: %s INPUT.kin [--repeat=N]\n", prog);
  exit(2);
}

int main(int argc, char **argv) {
  const char *input = NULL;
  long long repeat = 0;
  for (int k = 1; k < argc; ++k) {
    if (strncmp(argv[k], "--repeat=", 9) == 0) {
      char *end;
      repeat = strtoll(argv[k] + 9, &end, 10);
      if (*end != '\0' || end == argv[k] + 9 || repeat < 1 ||
          repeat > 100000000) {
        fprintf(stderr, "%s: --repeat needs an integer N >= 1\n", argv[0]);
        return 2;
      }
    } else if (argv[k][0] == '-' && argv[k][1] != '\0') {
      usage(argv[0]);
    } else if (!input) {
      input = argv[k];
    } else {
      usage(argv[0]);
    }
  }
  if (!input)
    usage(argv[0]);

  /* Static: the inputs live as long as the process, the reference keeps
   * pointers into them, and the leak check at exit sees them. */
  static kcin_inputs in;
  in = kcin_read_file(input);
  kc_ref_prepare(&in);

  if (repeat == 0) {
    print_result(kc_ref_call());
    return 0;
  }

  int64_t *times = malloc(sizeof(int64_t) * (size_t)repeat);
  if (!times) {
    fprintf(stderr, "%s: out of memory\n", argv[0]);
    return 2;
  }
  kc_ref_result first;
  for (long long k = 0; k < repeat; ++k) {
    int64_t start = now_ns();
    kc_ref_result r = kc_ref_call();
    times[k] = now_ns() - start;
    if (k == 0) {
      first = r;
    } else if (!same_result(first, r)) {
      fprintf(stderr, "%s: call %lld returned a different result\n", argv[0],
              k + 1);
      return 1;
    }
  }
  print_result(first);
  fflush(stdout);

  qsort(times, (size_t)repeat, sizeof(int64_t), compare_i64);
  int64_t median = repeat % 2 ? times[repeat / 2]
                              : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;
  fprintf(stderr,
          "kc-time: calls=%lld min_ns=%" PRId64 " median_ns=%" PRId64 "\n",
          repeat, times[0], median);
  free(times);
  return 0;
}

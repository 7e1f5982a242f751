/*===- refmain.h - What each C reference gives the shared driver ---------===*
 *
 * A reference is one kernel file plus refmain.c. The kernel file defines the
 * kernel under its kernel-language name and kcrt.h signature, and the two
 * adapter functions below; refmain.c reads the .kin file, calls the kernel,
 * prints the result and, with --repeat=N, times N calls.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KC_BENCHMARKS_REFERENCE_C_REFMAIN_H
#define KC_BENCHMARKS_REFERENCE_C_REFMAIN_H

#include "kcin.h"

/* The kernel's return type; printed in the canonical format of
 * `kernelc --run`. */
typedef enum kc_ref_kind {
  KC_REF_INT, /* int64_t, decimal */
  KC_REF_I32, /* int32_t, decimal */
  KC_REF_U32, /* uint32_t, unsigned decimal */
  KC_REF_F64, /* double, %.17g */
  KC_REF_BOOL /* bool, true / false */
} kc_ref_kind;

typedef struct kc_ref_result {
  kc_ref_kind kind;
  union {
    int64_t i;
    int32_t i32;
    uint32_t u32;
    double f;
    bool b;
  } as;
} kc_ref_result;

/* Checks the inputs' number and kinds and keeps them for kc_ref_call;
 * called once, untimed. Fails through kcin_fail (exit 2). */
void kc_ref_prepare(const kcin_inputs *in);

/* Calls the kernel once on the prepared inputs: the timed part. */
kc_ref_result kc_ref_call(void);

#endif

/*===- mandelbrot.c - C reference of benchmarks/kernels/mandelbrot.k -----===*
 *
 * The Computer Language Benchmarks Game mandelbrot, after its plain C
 * program: the w x w bitmap of the Mandelbrot set over [-1.5, 0.5] x [-1, 1]
 * (at most 50 iterations of z = z^2 + c, escape when |z|^2 > 4), packed 8
 * pixels per byte, most significant bit first, each row's last byte padded
 * with 0 bits. Returns the 32-bit FNV-1a hash of those bytes in order,
 * instead of writing them out as the PBM raster.
 * The float operations are the kernel's, in its order (the references are
 * built with -ffp-contract=off: a fused multiply-add would round
 * 2 zr zi + ci once instead of twice and set other pixels).
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define ITERATIONS 50
#define LIMIT_SQUARED 4.0
#define FNV32_OFFSET_BASIS 2166136261u
#define FNV32_PRIME 16777619u

uint32_t mandelbrot(int64_t w64) {
  int w = (int)w64;
  double size = w;
  uint32_t hash = FNV32_OFFSET_BASIS;
  for (int y = 0; y < w; ++y) {
    double ci = 2.0 * y / size - 1.0;
    unsigned byte = 0;
    int bits = 0;
    for (int x = 0; x < w; ++x) {
      double cr = 2.0 * x / size - 1.5;
      double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
      for (int i = 0; i < ITERATIONS && tr + ti <= LIMIT_SQUARED; ++i) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      byte = byte << 1 | (tr + ti <= LIMIT_SQUARED);
      if (++bits == 8) {
        hash = (hash ^ byte) * FNV32_PRIME;
        byte = 0;
        bits = 0;
      }
    }
    if (bits != 0)
      hash = (hash ^ byte << (8 - bits)) * FNV32_PRIME;
  }
  return hash;
}

static int64_t W;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  W = kcin_int(in, 0);
  if (W < 0 || W > 1000000)
    kcin_fail(in->path, "mandelbrot: w = %lld is outside 0..1000000",
              (long long)W);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = mandelbrot(W)};
}

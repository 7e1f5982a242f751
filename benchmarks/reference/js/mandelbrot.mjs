// mandelbrot.mjs - hand-written JS reference of
// benchmarks/kernels/mandelbrot.k
//
// mandelbrot (Computer Language Benchmarks Game): the w x w bitmap of the
// Mandelbrot set over [-1.5, 0.5] x [-1, 1] (at most 50 iterations of
// z = z^2 + c, escape when |z|^2 > 4), packed 8 pixels per byte, most
// significant bit first, each row's last byte padded with 0 bits. Returns
// the 32-bit FNV-1a hash of those bytes in order (a non-negative Number).
// The float operations are the kernel's, in its order, so every pixel is
// the same: zi = 2 * zr * zi + ci; zr = tr - ti + cr; tr = zr * zr;
// ti = zi * zi. The escape test runs after each step; before escaping |z|
// is at most 2, so no step can produce a NaN that the test would miss.
// The hash stays an int32 (Math.imul) until the final `>>> 0`.

const FNV32_OFFSET_BASIS = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

export function mandelbrot(w) {
  w |= 0;
  const size = w;
  const pad = (8 - (w & 7)) & 7;
  let hash = FNV32_OFFSET_BASIS | 0;
  for (let y = 0; y < w; y++) {
    const ci = (2.0 * y) / size - 1.0;
    let byte = 0;
    for (let x = 0; x < w; x++) {
      const cr = (2.0 * x) / size - 1.5;
      let zr = 0.0;
      let zi = 0.0;
      let tr = 0.0;
      let ti = 0.0;
      let inside = 1;
      for (let i = 0; i < 50; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
        if (tr + ti > 4.0) {
          inside = 0;
          break;
        }
      }
      byte = (byte << 1) | inside;
      if ((x & 7) === 7) {
        hash = Math.imul(hash ^ byte, FNV32_PRIME);
        byte = 0;
      }
    }
    if (pad !== 0) hash = Math.imul(hash ^ (byte << pad), FNV32_PRIME);
  }
  return hash >>> 0;
}

"""mandelbrot: hand-written Python reference of benchmarks/kernels/mandelbrot.k.

The Computer Language Benchmarks Game mandelbrot: the w x w bitmap of the
Mandelbrot set over [-1.5, 0.5] x [-1, 1] (at most 50 iterations of
z = z^2 + c, escape when |z|^2 > 4), packed 8 pixels per byte, most
significant bit first, each row's last byte padded with 0 bits. Returns the
32-bit FNV-1a hash of those bytes in order.
The float operations are the kernel's, in its order, so every pixel is the
same: zi = 2.0 * zr * zi + ci; zr = tr - ti + cr; tr = zr * zr;
ti = zi * zi. Not complex numbers: z * z + c is one operation, but abs(z)
(a hypot) would not decide the escape exactly as tr + ti > 4.0 does. The
escape test follows each step (for/else: a pixel is set when the loop ran
out); before escaping |z| is at most 2, so no NaN can slip past it.
The real parts of c are computed once, not once per row.
"""


def mandelbrot(w):
    size = float(w)
    crs = [2.0 * x / size - 1.5 for x in range(w)]
    pad = -w % 8
    h = 0x811C9DC5  # FNV-1a offset basis
    for y in range(w):
        ci = 2.0 * y / size - 1.0
        byte = 0
        for x, cr in enumerate(crs, 1):
            zr = zi = tr = ti = 0.0
            byte <<= 1
            for _ in range(50):
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                if tr + ti > 4.0:
                    break
            else:
                byte |= 1
            if not x & 7:
                h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF  # FNV prime
                byte = 0
        if pad:
            h = ((h ^ byte << pad) * 0x01000193) & 0xFFFFFFFF
    return h

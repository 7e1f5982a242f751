"""spectral-norm: hand-written Python reference of benchmarks/kernels/spectral_norm.k.

The Computer Language Benchmarks Game spectral-norm: 10 rounds of the power
method on A^T A for the n x n cut of A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1);
returns sqrt(u.v / v.v).
The float operations are the kernel's, in its order, so the result is the
same to the last bit: every term is (1.0 / d) * u[j] (not u[j] / d), added
one by one from 0.0 in j order. The sums are explicit loops on purpose:
sum() would be faster to write but no faster to run here, and from
Python 3.12 on it adds floats with compensated summation, which rounds
differently. The denominator d is an exact int; enumerate(u, i) yields
i + j directly. Defined for n >= 1, as the C reference (n = 0 would divide
0.0 by 0.0, which Python raises on).
"""

from math import sqrt


def _mul_av(u, out):
    """out = A u"""
    for i in range(len(u)):
        s = 0.0
        i1 = i + 1
        for ij, uj in enumerate(u, i):  # ij = i + j
            s += 1.0 / (ij * (ij + 1) // 2 + i1) * uj
        out[i] = s


def _mul_atv(u, out):
    """out = A^T u"""
    for i in range(len(u)):
        s = 0.0
        c = 1 - i
        for ij, uj in enumerate(u, i):  # ij = j + i, and j + 1 = ij + c
            s += 1.0 / (ij * (ij + 1) // 2 + ij + c) * uj
        out[i] = s


def spectral_norm(n):
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        _mul_av(u, tmp)
        _mul_atv(tmp, v)
        _mul_av(v, tmp)
        _mul_atv(tmp, u)
    vbv = vv = 0.0
    for ui, vi in zip(u, v):
        vbv += ui * vi
        vv += vi * vi
    return sqrt(vbv / vv)

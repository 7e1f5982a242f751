"""sieve: hand-written Python reference of benchmarks/kernels/sieve.k.

The sieve of Eratosthenes over 0..n-1 in a bytearray: the multiples of every
prime p with p * p < n are crossed out from p * p on. Returns
count * 2**32 + (sum mod 2**32) for the primes below n.
Written as Python programmers write the sieve: each prime's multiples are
cleared by one extended-slice assignment, and the primes are counted and
summed by bytearray.count and itertools.compress, all of which run in C.
"""

from itertools import compress
from math import isqrt


def sieve(n):
    if n < 3:
        return 0
    is_prime = bytearray([1]) * n
    is_prime[0] = is_prime[1] = 0
    for p in range(2, isqrt(n - 1) + 1):  # p * p < n
        if is_prime[p]:
            start = p * p
            is_prime[start::p] = bytes(len(range(start, n, p)))
    count = is_prime.count(1)
    total = sum(compress(range(n), is_prime))
    return count << 32 | total & 0xFFFFFFFF

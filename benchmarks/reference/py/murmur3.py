"""MurmurHash3 x86_32: hand-written Python reference of benchmarks/kernels/murmur3.k.

The bytes object is cut into consecutive keys of 5, 6, ..., 27, 5, 6, ...
bytes (the last one possibly shorter); each is hashed with MurmurHash3_x86_32
and `seed`, and the hashes are folded in key order with
acc = (acc ^ hash) * 16777619 from acc = 2166136261 (mod 2**32). Returns a
non-negative int (u32).
A key's 4-byte little-endian blocks are decoded by one precompiled
struct.Struct('<nI').unpack_from call (the usual way to read binary words in
Python; the mixing stays in Python). Every product is masked back to 32 bits
at once, which keeps the values small ints.
"""

from struct import Struct

_C1 = 0xCC9E2D51
_C2 = 0x1B873593

# Decoders of n little-endian u32 words, for the block counts of short keys.
_WORDS = [Struct('<%dI' % n) for n in range(8)]


def _murmur3_32(data, start, length, seed):
    nblocks = length >> 2
    words = _WORDS[nblocks] if nblocks < 8 else Struct('<%dI' % nblocks)
    h = seed
    for k in words.unpack_from(data, start):
        k = k * _C1 & 0xFFFFFFFF
        k = (k << 15 & 0xFFFFFFFF | k >> 17) * _C2 & 0xFFFFFFFF
        h ^= k
        h = ((h << 13 & 0xFFFFFFFF | h >> 19) * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = length & 3
    if tail:
        i = start + (nblocks << 2)
        k = data[i]
        if tail > 1:
            k |= data[i + 1] << 8
            if tail > 2:
                k |= data[i + 2] << 16
        k = k * _C1 & 0xFFFFFFFF
        h ^= (k << 15 & 0xFFFFFFFF | k >> 17) * _C2 & 0xFFFFFFFF
    h ^= length
    h ^= h >> 16
    h = h * 0x85EBCA6B & 0xFFFFFFFF
    h ^= h >> 13
    h = h * 0xC2B2AE35 & 0xFFFFFFFF
    return h ^ (h >> 16)


def murmur3(data, seed):
    seed &= 0xFFFFFFFF
    hash32 = _murmur3_32
    n = len(data)
    acc = 0x811C9DC5
    start = 0
    key_len = 5
    while start < n:
        length = key_len if key_len <= n - start else n - start
        acc = (acc ^ hash32(data, start, length, seed)) * 16777619 & 0xFFFFFFFF
        start += length
        key_len = key_len + 1 if key_len < 27 else 5
    return acc

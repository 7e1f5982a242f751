"""FNV-1a, 32-bit: hand-written Python reference of benchmarks/kernels/fnv1a.k.

For each byte of a bytes object: xor it into the hash, then multiply by the
FNV prime modulo 2**32. Returns the hash as a non-negative int (u32).
The hash is masked back to 32 bits after every multiplication, which keeps
it a small int (letting it grow and masking once would make every step a
big-int multiplication).
"""


def fnv1a(data):
    h = 0x811C9DC5  # FNV offset basis, 2166136261
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF  # FNV prime, 16777619
    return h

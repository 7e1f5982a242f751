"""Base64 encoding: hand-written Python reference of benchmarks/kernels/base64_encode.k.

Base64 (RFC 4648, section 4: A-Z a-z 0-9 + /, '=' padding, no line breaks)
of a bytes object, built as a str; returns the kernel's u32 checksum of the
text E: h = 2166136261 ^ len(E), folded with h = (h ^ c) * 16777619 mod
2**32 over E[0], E[61], E[122], ... and then over the last min(4, len(E))
characters.
By hand, without the base64 or binascii modules (they would do the whole
task in C). A table maps 12 bits to two characters (built per call, like
the kernel's), so each 3-byte group costs two lookups; the pieces are
appended to a list and joined once.
"""

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_encode(data):
    alphabet = _ALPHABET
    pairs = [a + b for a in alphabet for b in alphabet]
    n = len(data)
    full = n - n % 3
    parts = []
    append = parts.append
    for i in range(0, full, 3):
        v = data[i] << 16 | data[i + 1] << 8 | data[i + 2]
        append(pairs[v >> 12])
        append(pairs[v & 0xFFF])
    if n - full == 1:
        append(pairs[data[full] << 4])
        append("==")
    elif n - full == 2:
        v = data[full] << 10 | data[full + 1] << 2
        append(pairs[v >> 6])
        append(alphabet[v & 63])
        append("=")
    out = "".join(parts)

    m = len(out)
    h = 0x811C9DC5 ^ m
    for c in out[::61]:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    for c in out[-4:]:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return h

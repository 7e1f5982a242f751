"""Base64 decoding: hand-written Python reference of benchmarks/kernels/base64_decode.k.

Base64 decoding (RFC 4648, section 4; '=' padding only as the last one or
two characters; no whitespace): -1 when the text is not valid in that sense
(see base64_decode.k), else a checksum of the decoded bytes taken as they
are produced: each group of three bytes (the last may have 1 or 2), read as
a big-endian integer g, folds into h = 2166136261 by
h = (h ^ g) * 16777619 mod 2**32; the result is
h * 2**20 + (number of decoded bytes mod 2**20).
By hand, without the base64 or binascii modules. The str is encoded to
bytes once, so each character is a small int that indexes the table
directly. The table holds -1 for bytes outside the alphabet: a group with
one of them is negative once the four values are shifted and ORed, so one
test covers all four.
"""

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_EQUALS = 61  # '='


def _make_table():
    table = [-1] * 256
    for k, c in enumerate(_ALPHABET):
        table[c] = k
    return table


def base64_decode(text):
    n = len(text)
    if n % 4:
        return -1
    h = 0x811C9DC5
    if n == 0:
        return h << 20
    table = _make_table()
    s = text.encode("ascii")
    last = n - 4
    for i in range(0, last, 4):
        g = table[s[i]] << 18 | table[s[i + 1]] << 12 | table[s[i + 2]] << 6 | table[s[i + 3]]
        if g < 0:
            return -1
        h = ((h ^ g) * 0x01000193) & 0xFFFFFFFF
    hi = table[s[last]] << 6 | table[s[last + 1]]
    if hi < 0:
        return -1
    nbytes = last // 4 * 3
    if s[last + 3] != _EQUALS:
        lo = table[s[last + 2]] << 6 | table[s[last + 3]]
        if lo < 0:
            return -1
        h = ((h ^ (hi << 12 | lo)) * 0x01000193) & 0xFFFFFFFF
        nbytes += 3
    elif s[last + 2] != _EQUALS:
        third = table[s[last + 2]]
        if third < 0:
            return -1
        h = ((h ^ ((hi << 6 | third) >> 2)) * 0x01000193) & 0xFFFFFFFF
        nbytes += 2
    else:
        h = ((h ^ (hi >> 4)) * 0x01000193) & 0xFFFFFFFF
        nbytes += 1
    return (h << 20) + nbytes % 1048576

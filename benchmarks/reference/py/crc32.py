"""CRC-32: hand-written Python reference of benchmarks/kernels/crc32.k.

CRC-32 as in zlib, PNG and gzip: reflected polynomial 0xEDB88320, register
preset to all ones and inverted at the end, one table lookup per byte.
Returns a non-negative int (u32).
Computed by hand, one table lookup per byte (zlib.crc32 would give the same
value, but the point is to run the same algorithm on every runtime). Like
the kernel, each call builds its own 256-entry table (a list of ints).
The index is written (crc & 0xFF) ^ b, equal to the kernel's (crc ^ b) & 0xFF
for a byte b: both operations then stay on cached small ints, which saves
allocating a 32-bit int per byte.
"""


def _make_table():
    table = []
    for c in range(256):
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


def crc32(data):
    table = _make_table()
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc & 0xFF) ^ b] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF

"""CSV column sums: hand-written Python reference of benchmarks/kernels/csv_sum.k.

Column sums of a CSV table of integers (lines ending in '\\n', each holding
as many comma-separated [-]digits fields as the first line; empty lines
skipped). Returns the kernel's u32 checksum: h = 2166136261 ^ number of
non-empty lines, then for each column sum s, in order,
h = (h ^ low 32 bits of s) * 16777619 and
h = (h ^ low 32 bits of trunc(s / 2**32)) * 16777619, mod 2**32.
str.split for lines and fields, int() per field (the csv module would only
replace the field split; int() is the work either way).
"""


def csv_sum(text):
    lines = text.split("\n")
    sums = [0] * len(lines[0].split(","))
    rows = 0
    for line in lines:
        if line:
            for c, field in enumerate(line.split(",")):
                sums[c] += int(field)
            rows += 1
    h = 0x811C9DC5 ^ rows
    for s in sums:
        h = ((h ^ (s & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
        # s / 2**32 is exact in floating point (|s| < 2**53), so int()
        # truncates the exact quotient.
        h = ((h ^ (int(s / 4294967296) & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h

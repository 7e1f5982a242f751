"""A Python reference for sum.k that keeps allocating: past the runner's
memory limit CPython raises MemoryError. (bytes(n) comes zeroed from calloc,
so the blocks are mapped but never touched.)"""


def sum(xs):
    keep = []
    while True:
        keep.append(bytes(64 << 20))
